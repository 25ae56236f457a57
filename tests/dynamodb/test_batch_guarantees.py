"""Batches: all or nothing on bad input, bounded on faults, unconfirmed items known."""

import datetime
import logging
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import BatchIncompleteError, DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from tests.dynamodb.faults import (
    UnprocessedInjector,
    fail_request,
    inject_errors,
    inject_unprocessed_items,
    inject_unprocessed_keys,
)

NESTED_40_DEEP: list[Any] = [1]
for _ in range(40):
    NESTED_40_DEEP = [NESTED_40_DEEP]

BAD_VALUES: dict[str, Any] = {
    "datetime": datetime.datetime(2026, 1, 1),
    "empty-set": set(),
    "mixed-set": {1, "a"},
    "too-precise": Decimal("1." + "1" * 38),
    "ten-to-the-38": 10**38,
    "nan-decimal": Decimal("NaN"),
    "infinity-decimal": Decimal("Infinity"),
    "underflow-float": 5e-324,
    "overflow-float": 1.7e308,
    "memoryview": memoryview(b"abc"),
    "nested-bad-number": {"a": [1, {"b": Decimal("1E+126")}]},
    "too-deep": {"l": NESTED_40_DEEP},
}


def fifty_items_with(bad: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [{"pk": "a", "sk": i, "v": i} for i in range(50)]
    items[30] = {"pk": "a", "sk": 30, **bad}
    return items


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_batch_write_never_leaves_a_partial_write_on_a_bad_value(
    service: DynamoDBService, table: str, value: Any
) -> None:
    with pytest.raises(ValueError, match=r"items\[30\]\.v"):
        service.batch_write_items(fifty_items_with({"v": value}))
    assert service.count() == 0


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ({"sk": "thirty"}, ValueError, r"items\[30\]\.sk must be of DynamoDB type N"),
        ({"sk": None}, ValueError, r"items\[30\]\.sk must be of DynamoDB type N"),
        ({"v": "x" * 410_000}, ValueError, r"items\[30\] is about \d+ bytes"),
        ({3: "x"}, TypeError, r"items\[30\]: attribute names must be strings"),
        ({"m": {3: "x"}}, TypeError, r"items\[30\]\.m: attribute names must be"),
    ],
    ids=["key-type", "key-null", "over-400-kb", "name-type", "nested-name-type"],
)
def test_batch_write_never_leaves_a_partial_write_on_a_bad_item(
    service: DynamoDBService,
    table: str,
    bad: dict[Any, Any],
    error: type[Exception],
    message: str,
) -> None:
    items = fifty_items_with({})
    items[30].update(bad)
    with pytest.raises(error, match=message):
        service.batch_write_items(items)
    assert service.count() == 0


def test_batch_write_missing_key_attribute_writes_nothing(
    service: DynamoDBService, table: str
) -> None:
    items = fifty_items_with({})
    del items[30]["sk"]
    with pytest.raises(ValueError, match=r"items\[30\] lacks key attribute 'sk'"):
        service.batch_write_items(items)
    assert service.count() == 0


def test_batch_write_resends_in_bounded_rounds_then_says_what_is_unconfirmed(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    stuck = [{"pk": "a", "sk": 3}, {"pk": "a", "sk": 40}]
    injector = UnprocessedInjector(0.0, stuck=stuck)
    inject_unprocessed_items(service._client, injector)
    items = [{"pk": "a", "sk": i, "v": i} for i in range(50)]
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_write_items(items)
    assert raised.value.unprocessed == [items[3], items[40]]
    assert raised.value.table_name == "orders"
    assert raised.value.__cause__ is None
    assert "confirmed 48 of 50" in str(raised.value)
    assert injector.requests == 2 + 7  # two requests, then seven rounds of one
    assert len(pauses) == 7
    assert service.count() == 48


def test_batch_write_failing_midway_carries_the_unconfirmed_items(
    service: DynamoDBService, table: str
) -> None:
    fail_request(service._client, "BatchWriteItem", 3, "ValidationException")
    items = [{"pk": "a", "sk": i} for i in range(100)]
    with pytest.raises(ClientError) as raised:
        service.batch_write_items(items)
    error = raised.value
    assert isinstance(error, BatchIncompleteError) and isinstance(error, RuntimeError)
    assert error.response["Error"]["Code"] == "ValidationException"
    assert isinstance(error.__cause__, ClientError)
    assert error.unprocessed == items[50:]
    assert service.count() == 50
    service.batch_write_items(error.unprocessed)  # resending is safe
    assert service.count() == 100


def test_batch_throttled_past_max_attempts_is_still_the_modeled_exception(
    service: DynamoDBService, table: str, quick_backoff: None
) -> None:
    inject_errors(
        service._client, "BatchWriteItem", "ProvisionedThroughputExceededException", 99
    )
    exceptions = service.exceptions
    with pytest.raises(exceptions.ProvisionedThroughputExceededException) as raised:
        service.batch_write_items([{"pk": "a", "sk": 1}])
    assert isinstance(raised.value, BatchIncompleteError)
    assert raised.value.unprocessed == [{"pk": "a", "sk": 1}]


def test_batch_get_failing_midway_keeps_the_items_already_read(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(250)])
    fail_request(service._client, "BatchGetItem", 2, "InternalServerError")
    keys = [{"pk": "a", "sk": i} for i in range(250)]
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_get_items(keys)
    assert sorted(int(item["sk"]) for item in raised.value.items) == list(range(100))
    assert raised.value.unprocessed == keys[100:]


def test_batch_get_stuck_keys_are_carried_with_the_items_read(
    service: DynamoDBService, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(10)])
    stuck = [{"pk": "a", "sk": 3}]
    inject_unprocessed_keys(service._client, UnprocessedInjector(0.0, stuck=stuck))
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_get_items([{"pk": "a", "sk": i} for i in range(10)])
    assert raised.value.unprocessed == stuck
    assert len(raised.value.items) == 9


HASH_KEY_ONLY: Any = (
    [{"AttributeName": "pk", "KeyType": "HASH"}],
    [{"AttributeName": "pk", "AttributeType": "S"}],
)


def recreate_elsewhere_with_a_sort_key(logger: logging.Logger) -> DynamoDBService:
    """Another service deletes "orders" and creates it again with a sort key."""
    elsewhere = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    elsewhere.delete_table("orders")
    elsewhere.create_table("orders", KEY_SCHEMA, ATTRIBUTES)
    return elsewhere


def test_key_schema_cache_never_merges_items_of_a_recreated_table(
    service: DynamoDBService, logger: logging.Logger
) -> None:
    service.create_table("orders", *HASH_KEY_ONLY)
    service.batch_write_items([{"pk": "x", "n": 1}])  # the cache now says: pk only
    recreate_elsewhere_with_a_sort_key(logger)
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(5)])
    assert service.count() == 5


def test_key_of_a_recreated_table_is_checked_with_dynamodb(
    service: DynamoDBService, logger: logging.Logger
) -> None:
    service.create_table("orders", *HASH_KEY_ONLY)
    recreate_elsewhere_with_a_sort_key(logger).put_item({"pk": "a", "sk": 1}, "orders")
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}
