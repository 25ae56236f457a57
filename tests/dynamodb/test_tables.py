"""Table operations on moto."""

import logging

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from tests.dynamodb.faults import inject_errors


def test_create_table_uses_config_capacity_and_is_active(
    service: DynamoDBService,
) -> None:
    service.create_table("orders", KEY_SCHEMA, ATTRIBUTES)
    described = service._client.describe_table(TableName="orders")["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert described["ProvisionedThroughput"]["WriteCapacityUnits"] == 5


def test_create_table_pay_per_request(logger: logging.Logger) -> None:
    config = DynamoDBConfig(region_name="us-east-1", billing_mode="PAY_PER_REQUEST")
    service = DynamoDBService(logger, config)
    service.create_table("orders", KEY_SCHEMA, ATTRIBUTES)
    described = service._client.describe_table(TableName="orders")["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_create_table_rejects_bad_name_before_calling(service: DynamoDBService) -> None:
    with pytest.raises(ValueError, match="table name must be 3-255"):
        service.create_table("a b", KEY_SCHEMA, ATTRIBUTES)
    assert service.list_tables() == []


def test_create_existing_table_raises_resource_in_use(
    service: DynamoDBService, table: str
) -> None:
    with pytest.raises(ClientError) as error:
        service.create_table(table, KEY_SCHEMA, ATTRIBUTES)
    assert error.value.response["Error"]["Code"] == "ResourceInUseException"


def test_table_exists(service: DynamoDBService, table: str) -> None:
    assert service.table_exists(table) is True
    assert service.table_exists("missing-table") is False


def test_table_exists_propagates_other_errors(service: DynamoDBService) -> None:
    inject_errors(service._client, "DescribeTable", "AccessDeniedException", 1)
    with pytest.raises(ClientError) as error:
        service.table_exists("orders")
    assert error.value.response["Error"]["Code"] == "AccessDeniedException"


def test_list_tables_follows_every_page(service: DynamoDBService) -> None:
    names = [f"table-{i:03d}" for i in range(250)]
    for name in names:
        service._client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    assert sorted(service.list_tables()) == names


def test_delete_table_removes_it(service: DynamoDBService, table: str) -> None:
    service.delete_table(table)
    assert service.table_exists(table) is False
    assert service.list_tables() == []


def test_delete_unknown_table_raises_unchanged(service: DynamoDBService) -> None:
    with pytest.raises(ClientError) as error:
        service.delete_table("missing-table")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_enable_ttl(service: DynamoDBService, table: str) -> None:
    service.enable_ttl("expires_at")
    described = service._client.describe_time_to_live(TableName=table)
    ttl = described["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] in ("ENABLED", "ENABLING")
    assert ttl["AttributeName"] == "expires_at"


def test_create_table_with_indexes_gets_capacity(service: DynamoDBService) -> None:
    service.create_table(
        "people",
        [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
            {"AttributeName": "age", "AttributeType": "N"},
        ],
        global_secondary_indexes=[
            {
                "IndexName": "by_email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        local_secondary_indexes=[
            {
                "IndexName": "by_age",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "age", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    described = service._client.describe_table(TableName="people")["Table"]
    gsi = described["GlobalSecondaryIndexes"][0]
    assert gsi["IndexName"] == "by_email"
    assert gsi["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert described["LocalSecondaryIndexes"][0]["IndexName"] == "by_age"


def _table_made_elsewhere(service: DynamoDBService) -> str:
    """The default table (pk: S, sk: N), created by another client, so
    that ``service`` has not seen its key schema."""
    service.botocore_client().create_table(
        TableName="orders",
        KeySchema=KEY_SCHEMA,  # type: ignore[arg-type]
        AttributeDefinitions=ATTRIBUTES,  # type: ignore[arg-type]
        BillingMode="PAY_PER_REQUEST",
    )
    return "orders"


def _stored(service: DynamoDBService, table: str) -> int:
    answer = service.botocore_client().scan(TableName=table, Select="COUNT")
    return answer["Count"]


def test_table_exists_remembers_the_key_schema_for_put_item(
    service: DynamoDBService,
) -> None:
    table = _table_made_elsewhere(service)
    assert service.table_exists(table) is True
    with pytest.raises(ValueError, match="item.pk must be of DynamoDB type S"):
        service.put_item({"pk": 1, "sk": 1}, table_name=table)
    assert _stored(service, table) == 0


def test_describe_table_remembers_the_key_schema_for_put_item(
    service: DynamoDBService,
) -> None:
    table = _table_made_elsewhere(service)
    service.describe_table(table)
    with pytest.raises(ValueError, match="item.sk must be of DynamoDB type N"):
        service.put_item({"pk": "a", "sk": "1"}, table_name=table)
    assert _stored(service, table) == 0
