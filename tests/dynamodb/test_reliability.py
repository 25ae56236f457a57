"""Bounded failure: botocore settings from the config, throttling, no secret leaked."""

import logging
from collections.abc import Callable
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE, Capture
from tests.dynamodb.faults import boto3_attempts, inject_errors
from tests.services import build_service

THROTTLED = "ProvisionedThroughputExceededException"
SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-SECRET-KEY"
TOKEN = "IQoJb3JpZ2luX2VjE-SESSION-TOKEN-VALUE"
ITEM_VALUE = "attribute-value-never-at-info"
PUT = {"TableName": TABLE, "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}


def test_timeouts_and_retries_reach_botocore(logger: logging.Logger) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        connect_timeout_seconds=2,
        read_timeout_seconds=7,
        max_attempts=4,
        retry_mode="adaptive",
    )
    client_config: Any = DynamoDBService(logger, config)._client.meta.config
    assert client_config.connect_timeout == 2
    assert client_config.read_timeout == 7
    assert client_config.retries == {"total_max_attempts": 4, "mode": "adaptive"}


def test_default_config_bounds_connection_time(service: DynamoDBService) -> None:
    client_config: Any = service._client.meta.config
    assert client_config.connect_timeout == 5
    assert client_config.read_timeout == 30


def attempts_of_a_throttled_put(service: DynamoDBService, table: str) -> int:
    """The attempts a service makes for a put that is always throttled."""
    injector = inject_errors(service._client, "PutItem", THROTTLED, times=99)
    with pytest.raises(ClientError):
        service.put_item({"pk": "a", "sk": 1}, table_name=table)
    return injector.calls


def test_retry_settings_default_to_what_boto3_finds(
    service: DynamoDBService, table: str, quick_backoff: None
) -> None:
    expected = boto3_attempts("PutItem", THROTTLED, PUT)
    assert attempts_of_a_throttled_put(service, table) == expected


def test_max_attempts_from_the_environment_is_used_as_boto3_uses_it(
    logger: logging.Logger,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
    quick_backoff: None,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    service = build_service(logger, DynamoDBConfig(region_name="us-east-1"))
    expected = boto3_attempts("PutItem", THROTTLED, PUT)
    assert attempts_of_a_throttled_put(service, table) == expected == 5


def test_configured_max_attempts_wins_over_the_environment(
    logger: logging.Logger,
    table: str,
    monkeypatch: pytest.MonkeyPatch,
    quick_backoff: None,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    config = DynamoDBConfig(region_name="us-east-1", max_attempts=2)
    assert attempts_of_a_throttled_put(build_service(logger, config), table) == 2


def test_throttled_put_is_retried_by_botocore_and_succeeds(
    service: DynamoDBService, table: str
) -> None:
    injector = inject_errors(service._client, "PutItem", THROTTLED, times=2)
    service.put_item({"pk": "a", "sk": 1})
    assert injector.calls == 3
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}


def test_throttling_beyond_max_attempts_surfaces_unchanged(
    service: DynamoDBService,
    table: str,
    caplog: pytest.LogCaptureFixture,
    quick_backoff: None,
) -> None:
    injector = inject_errors(service._client, "PutItem", THROTTLED, times=99)
    with caplog.at_level(logging.ERROR, logger=service.log.name):
        with pytest.raises(ClientError) as error:
            service.put_item({"pk": "a", "sk": 1})
    assert error.value.response["Error"]["Code"] == THROTTLED
    assert type(error.value).__name__ == THROTTLED
    assert injector.calls == boto3_attempts("PutItem", THROTTLED, PUT)
    assert [r.levelname for r in caplog.records] == ["ERROR"]


def every_public_method(service: DynamoDBService) -> list[Callable[[], object]]:
    item = {"pk": "a", "sk": 1, "secretish": ITEM_VALUE}
    key = {"pk": "a", "sk": 1}
    return [
        service.ping,
        lambda: service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES),
        lambda: service.table_exists(TABLE),
        service.list_tables,
        lambda: service.put_item(item),
        lambda: service.get_item(key),
        lambda: service.update_item(key, "SET v = :v", {":v": ITEM_VALUE}),
        lambda: service.query(Key("pk").eq("a")),
        lambda: list(service.iter_query("pk = :p", {":p": "a"})),
        lambda: service.query_page("pk = :p", {":p": "a"}, page_size=1),
        lambda: service.scan(Attr("v").eq(ITEM_VALUE)),
        lambda: list(service.iter_scan(total_segments=2)),
        lambda: service.scan_page(page_size=1),
        lambda: service.count(),
        lambda: service.batch_write_items([item, {"pk": "b", "sk": 2}]),
        lambda: service.batch_get_items([key]),
        lambda: service.transact_write_items([{"Put": {"Item": item}}]),
        lambda: service.transact_get_items([key]),
        lambda: service.enable_ttl("expires"),
        lambda: service.delete_item(key),
        lambda: pytest.raises(ClientError, service.get_item, key, "missing-table"),
        lambda: service.delete_table(TABLE),
    ]


def test_no_secret_in_any_log_record_or_rendering(
    logger: logging.Logger, captured: Capture
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
        default_table_name=TABLE,
    )
    service = DynamoDBService(logger, config)
    for call in every_public_method(service):
        call()
    renderings = [
        repr(config),
        str(config),
        str(config.model_dump()),
        config.model_dump_json(),
    ]
    everything = [text for _, text in captured.records] + renderings
    assert len(captured.records) > 100  # botocore's DEBUG records are in there
    assert any("x-amz-security-token" in text.lower() for text in everything)
    assert not [text for text in everything if SECRET in text or TOKEN in text]
    info_and_up = [text for level, text in captured.records if level >= logging.INFO]
    assert info_and_up and not [t for t in info_and_up if ITEM_VALUE in t]
