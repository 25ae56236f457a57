"""describe_table and update_table on a real server: each change is in
place, and the table ACTIVE, when update_table returns (dynalite keeps a
table UPDATING for a while after a capacity or billing change). Adding and
deleting global indexes is tested on moto: dynalite ignores them on a
provisioned table and refuses to add one to an on-demand table."""

import logging

from botocore.exceptions import ClientError

from integration_tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from services.dynamodb import DynamoDBService
from tests.services import build_service

BY_STATE = {
    "IndexName": "by_state",
    "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
}
STATE = [{"AttributeName": "state", "AttributeType": "S"}]


def test_describe_table(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1})

    described = service.describe_table()

    assert (described.name, described.status) == (table, "ACTIVE")
    assert (described.key.hash_key, described.key.range_key) == ("pk", "sk")
    assert described.key.range_key_type == "N"
    assert described.billing_mode == service.config.billing_mode


def test_capacity_and_billing_changes_are_done_when_the_call_returns(
    service: DynamoDBService, table: str
) -> None:
    configured = (
        service.config.read_capacity_units,
        service.config.write_capacity_units,
    )

    more = service.update_table(read_capacity_units=7, write_capacity_units=3)
    on_demand = service.update_table(billing_mode="PAY_PER_REQUEST")
    provisioned = service.update_table(billing_mode="PROVISIONED")

    assert (more.status, more.read_capacity_units, more.write_capacity_units) == (
        "ACTIVE",
        7,
        3,
    )
    assert (on_demand.status, on_demand.billing_mode) == ("ACTIVE", "PAY_PER_REQUEST")
    assert on_demand.read_capacity_units is None
    assert provisioned.billing_mode == "PROVISIONED"
    assert (
        provisioned.read_capacity_units,
        provisioned.write_capacity_units,
    ) == configured
    assert service.describe_table().status == "ACTIVE"


def test_a_global_index_added_to_an_on_demand_table_is_there_or_refused_whole(
    service: DynamoDBService, table_name: str, logger: logging.Logger
) -> None:
    """DynamoDB adds it; dynalite refuses it with ``ValidationException``
    (it wants ``ProvisionedThroughput``, which an on-demand index does not
    take) and changes nothing. Never an answer of success without the index
    (see docs/servers.md)."""
    on_demand = build_service(
        logger, service.config.model_copy(update={"billing_mode": "PAY_PER_REQUEST"})
    )
    on_demand.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    try:
        described = on_demand.update_table(
            add_global_index=BY_STATE, attribute_definitions=STATE
        )
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ValidationException"
        assert on_demand.describe_table().global_indexes == ()
        return
    assert [(index.name, index.status) for index in described.global_indexes] == [
        ("by_state", "ACTIVE")
    ]
