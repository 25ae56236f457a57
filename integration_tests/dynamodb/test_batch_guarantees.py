"""Batches on a real server: nothing half-written, nothing merged, nothing lost."""

import datetime
import logging
from decimal import Decimal
from typing import Any

import pytest

from integration_tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from services.dynamodb import DynamoDBConfig, DynamoDBService

BAD_VALUES: dict[str, Any] = {
    "datetime": datetime.datetime(2026, 1, 1),
    "empty-set": set(),
    "mixed-set": {1, "a"},
    "nan": Decimal("NaN"),
    "39-digits": Decimal("1." + "1" * 38),
    "out-of-range": Decimal("1E+126"),
    "over-400-kb": "x" * 410_000,
}


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_batch_write_with_a_bad_item_at_30_of_50_stores_nothing(
    service: DynamoDBService, table: str, value: Any
) -> None:
    items: list[dict[str, Any]] = [{"pk": "a", "sk": i} for i in range(50)]
    items[30]["v"] = value
    with pytest.raises(ValueError, match=r"items\[30\]"):
        service.batch_write_items(items)
    assert service.count() == 0


def test_batch_write_with_a_wrong_key_type_at_30_of_50_stores_nothing(
    service: DynamoDBService, table: str
) -> None:
    items: list[dict[str, Any]] = [{"pk": "a", "sk": i} for i in range(50)]
    items[30]["sk"] = "thirty"
    with pytest.raises(ValueError, match=r"items\[30\]\.sk must be of DynamoDB type N"):
        service.batch_write_items(items)
    assert service.count() == 0


def test_recreated_table_never_gets_items_merged_by_a_stale_key_cache(
    service: DynamoDBService,
    table_name: str,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
) -> None:
    service.create_table(
        table_name,
        [{"AttributeName": "pk", "KeyType": "HASH"}],
        [{"AttributeName": "pk", "AttributeType": "S"}],
    )
    service.batch_write_items([{"pk": "x"}])
    elsewhere = DynamoDBService(logger, base_config)
    elsewhere.delete_table(table_name)
    elsewhere.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(5)])
    assert service.count() == 5


def test_update_without_an_expression_writes_nothing(
    service: DynamoDBService, table: str
) -> None:
    with pytest.raises(ValueError, match="update_expression must be a non-empty"):
        service.update_item({"pk": "a", "sk": 1}, "", None)
    assert service.get_item({"pk": "a", "sk": 1}) is None
