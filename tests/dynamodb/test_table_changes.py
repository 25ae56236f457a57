"""describe_table and update_table: a table's description as typed values,
and billing, capacity and global index changes that wait until ACTIVE."""

from typing import Any

import pytest

from services.dynamodb import DynamoDBService, TableDescription

BY_STATE = {
    "IndexName": "by_state",
    "KeySchema": [
        {"AttributeName": "state", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
}
STATE = [{"AttributeName": "state", "AttributeType": "S"}]


def test_describe_table_reads_key_billing_counts_and_ttl(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    service.enable_ttl("expires_at")

    described = service.describe_table()

    assert isinstance(described, TableDescription)
    assert (described.name, described.status) == (table, "ACTIVE")
    assert (described.key.hash_key, described.key.hash_key_type) == ("pk", "S")
    assert (described.key.range_key, described.key.range_key_type) == ("sk", "N")
    assert described.billing_mode == "PROVISIONED"
    assert described.read_capacity_units == service.config.read_capacity_units
    assert described.item_count == 1
    assert (described.ttl_attribute, described.ttl_status) == ("expires_at", "ENABLED")
    assert described.global_indexes == () and described.local_indexes == ()
    assert described.raw["TableName"] == table


def test_a_global_index_is_added_and_ready_when_the_call_returns(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "paid", "total": 5, "x": 1})

    described = service.update_table(
        add_global_index=BY_STATE, attribute_definitions=STATE
    )

    (index,) = described.global_indexes
    assert (index.name, index.status, index.projection) == (
        "by_state",
        "ACTIVE",
        "INCLUDE",
    )
    assert index.non_key_attributes == ("total",)
    assert index.key.hash_key == "state" and index.key.range_key_type == "N"
    # A provisioned table's new index gets the configured capacity.
    assert index.read_capacity_units == service.config.read_capacity_units
    found = service.query(
        "#s = :s",
        {":s": "paid"},
        index_name="by_state",
        expression_attribute_names={"#s": "state"},
    )
    assert found == [{"pk": "a", "sk": 1, "state": "paid", "total": 5}]


def test_a_global_index_is_deleted(service: DynamoDBService, table: str) -> None:
    service.update_table(add_global_index=BY_STATE, attribute_definitions=STATE)

    described = service.update_table(delete_global_index="by_state")

    assert described.global_indexes == ()


def test_billing_mode_and_capacity_change(service: DynamoDBService, table: str) -> None:
    on_demand = service.update_table(billing_mode="PAY_PER_REQUEST")
    provisioned = service.update_table(
        billing_mode="PROVISIONED", read_capacity_units=7, write_capacity_units=3
    )
    more_reads = service.update_table(read_capacity_units=9)

    assert on_demand.billing_mode == "PAY_PER_REQUEST"
    assert on_demand.read_capacity_units is None
    assert (provisioned.read_capacity_units, provisioned.write_capacity_units) == (7, 3)
    assert (more_reads.read_capacity_units, more_reads.write_capacity_units) == (9, 3)


BAD_CHANGES: dict[str, dict[str, Any]] = {
    "no change": {},
    "unknown billing mode": {"billing_mode": "FREE"},
    "zero capacity": {"read_capacity_units": 0},
    "capacity that is not a number": {"write_capacity_units": "5"},
    "capacity on demand": {"billing_mode": "PAY_PER_REQUEST", "read_capacity_units": 5},
    "two index changes": {"add_global_index": BY_STATE, "delete_global_index": "x"},
    "index without a key schema": {"add_global_index": {"IndexName": "x"}},
    "index name that is not a name": {"delete_global_index": ""},
}


@pytest.mark.parametrize("change", BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_a_malformed_change_is_refused_before_anything_is_sent(
    service: DynamoDBService, table: str, change: dict[str, Any]
) -> None:
    before = service.describe_table()

    with pytest.raises(ValueError):
        service.update_table(**change)

    after = service.describe_table()
    assert (after.billing_mode, after.global_indexes) == (
        before.billing_mode,
        before.global_indexes,
    )


def test_an_unknown_table_is_botocores_error(service: DynamoDBService) -> None:
    with pytest.raises(service.exceptions.ResourceNotFoundException):
        service.describe_table("missing")


def test_turning_provisioned_gives_the_global_indexes_capacity_too(
    service: DynamoDBService, table: str
) -> None:
    small = {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}
    service.update_table(
        add_global_index={**BY_STATE, "ProvisionedThroughput": small},
        attribute_definitions=STATE,
    )
    service.update_table(billing_mode="PAY_PER_REQUEST")

    provisioned = service.update_table(billing_mode="PROVISIONED")

    (index,) = provisioned.global_indexes
    assert provisioned.billing_mode == "PROVISIONED"
    assert (index.read_capacity_units, index.write_capacity_units) == (
        service.config.read_capacity_units,
        service.config.write_capacity_units,
    )
