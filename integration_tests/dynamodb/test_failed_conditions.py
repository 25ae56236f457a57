"""A failed condition with return_values_on_condition_check_failure="ALL_OLD"
on a real server: the same failure, nothing written, and the item found on
the exception when the server sends it (dynalite 4 does not; DynamoDB does)."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr
from boto3.dynamodb.types import Binary

from services.dynamodb import DynamoDBService

KEY = {"pk": "a", "sk": 1}
STORED = {**KEY, "n": 5, "blob": b"\x00\x01"}
DECODED = {**KEY, "n": Decimal(5), "blob": Binary(b"\x00\x01")}


@pytest.mark.parametrize("operation", ["put", "update", "delete"])
def test_a_failed_condition_carries_what_the_server_found(
    service: DynamoDBService, table: str, operation: str
) -> None:
    service.put_item(STORED)
    stale = Attr("n").eq(4)
    calls: dict[str, Callable[[], object]] = {
        "put": lambda: service.put_item(
            {**KEY, "n": 6},
            condition_expression=stale,
            return_values_on_condition_check_failure="ALL_OLD",
        ),
        "update": lambda: service.update_attributes(
            KEY,
            set={"n": 6},
            condition_expression=stale,
            return_values_on_condition_check_failure="ALL_OLD",
        ),
        "delete": lambda: service.delete_item(
            KEY,
            condition_expression=stale,
            return_values_on_condition_check_failure="ALL_OLD",
        ),
    }

    with pytest.raises(service.exceptions.ConditionalCheckFailedException) as raised:
        calls[operation]()

    error = raised.value
    assert error.item == (DECODED if "Item" in error.response else None)
    assert service.get_item(KEY) == DECODED
