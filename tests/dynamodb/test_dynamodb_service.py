"""DynamoDBService construction, ping and table-name resolution."""

import logging

import pytest
from botocore.exceptions import EndpointConnectionError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.operations.core import ERROR_NO_TABLE


def test_constructor_pings_and_logs_region(
    logger: logging.Logger, config: DynamoDBConfig, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=logger.name):
        service = DynamoDBService(logger, config)
    assert service.config is config
    assert service.log is logger
    messages = [r.getMessage() for r in caplog.records]
    assert "Initializing DynamoDB connection to region: us-east-1" in messages
    assert "Pinged DynamoDB" in messages


def test_exceptions_are_the_clients_modeled_exceptions(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    with pytest.raises(service.exceptions.ConditionalCheckFailedException):
        service.put_item(
            {"pk": "a", "sk": 1}, condition_expression="attribute_not_exists(pk)"
        )


def test_ping_returns_list_tables_response(service: DynamoDBService) -> None:
    response = service.ping()
    assert response["TableNames"] == []
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_unreachable_endpoint_fails_constructor_logging_one_error_line(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    # moto intercepts AWS hosts only; a closed loopback port is really refused.
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",
        max_attempts=1,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    with caplog.at_level(logging.DEBUG, logger=logger.name):
        with pytest.raises(EndpointConnectionError):
            DynamoDBService(logger, config)
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failures] == [
        "DynamoDB ping on table - failed: EndpointConnectionError (-)"
    ]
    assert failures[0].exc_info is None
    tracebacks = [r for r in caplog.records if r.exc_info is not None]
    assert [r.levelno for r in tracebacks] == [logging.DEBUG]


def test_resolve_table_prefers_the_argument(service: DynamoDBService) -> None:
    assert service._resolve_table("other") == "other"


def test_resolve_table_falls_back_to_default(service: DynamoDBService) -> None:
    assert service._resolve_table(None) == "orders"


def test_resolve_table_without_default_names_both_fixes(
    logger: logging.Logger,
) -> None:
    service = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    with pytest.raises(ValueError) as error:
        service._resolve_table(None)
    assert str(error.value) == ERROR_NO_TABLE
    assert "table_name=" in str(error.value)
    assert "default_table_name" in str(error.value)


def test_every_table_argument_falls_back_without_default_raising(
    logger: logging.Logger,
) -> None:
    service = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    with pytest.raises(ValueError, match="no table name given"):
        service.put_item({"pk": "a", "sk": 1})
    with pytest.raises(ValueError, match="no table name given"):
        service.scan()
    with pytest.raises(ValueError, match="no table name given"):
        service.batch_get_items([{"pk": "a", "sk": 1}])


def test_native_numbers_config_converts_reads(logger: logging.Logger) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1", default_table_name="orders", numbers_as="native"
    )
    service = DynamoDBService(logger, config)
    service.create_table(
        "orders",
        [{"AttributeName": "pk", "KeyType": "HASH"}],
        [{"AttributeName": "pk", "AttributeType": "S"}],
    )
    service.put_item({"pk": "a", "n": 3, "f": 0.25, "m": {"l": [1, 2.5]}, "s": {1, 2}})
    item = service.get_item({"pk": "a"})
    assert item == {"pk": "a", "n": 3, "f": 0.25, "m": {"l": [1, 2.5]}, "s": {1, 2}}
    assert item is not None and type(item["n"]) is int and type(item["f"]) is float
