"""A failed condition's exception carries the item DynamoDB found, decoded,
when the call asks for it (return_values_on_condition_check_failure)."""

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr
from boto3.dynamodb.types import Binary
from pydantic import BaseModel

from services.dynamodb import DynamoDBService

KEY = {"pk": "a", "sk": 1}
STORED = {**KEY, "n": 5, "blob": b"\x00\x01", "tags": {"x", "y"}}
ABSENT = Attr("pk").not_exists()


class Row(BaseModel):
    pk: str
    sk: int
    n: int


def failed(call: Any) -> Any:
    with pytest.raises(Exception) as raised:
        call()
    assert type(raised.value).__name__ == "ConditionalCheckFailedException"
    return raised.value


def test_a_failed_put_carries_the_item_it_found(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(STORED)

    error = failed(
        lambda: service.put_item(
            {**KEY, "n": 6},
            condition_expression=ABSENT,
            return_values_on_condition_check_failure="ALL_OLD",
        )
    )

    assert error.item == {
        **KEY,
        "n": Decimal(5),
        "blob": Binary(b"\x00\x01"),
        "tags": {"x", "y"},
    }
    assert error.response["Item"]["n"] == {"N": "5"}  # botocore's, unchanged
    assert service.get_item(KEY) == {**STORED, "n": 5}  # nothing written


def test_failed_updates_and_deletes_carry_it_too_as_the_model(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(STORED)
    stale = Attr("n").eq(4)

    updating = failed(
        lambda: service.update_attributes(
            KEY,
            set={"n": 7},
            condition_expression=stale,
            return_values_on_condition_check_failure="ALL_OLD",
            model=Row,
        )
    )
    deleting = failed(
        lambda: service.delete_item(
            KEY,
            condition_expression=stale,
            return_values_on_condition_check_failure="ALL_OLD",
        )
    )

    assert updating.item == Row(pk="a", sk=1, n=5)
    assert deleting.item["n"] == 5


def test_without_asking_the_item_is_none(service: DynamoDBService, table: str) -> None:
    service.put_item(STORED)

    error = failed(lambda: service.put_item(STORED, condition_expression=ABSENT))

    assert error.item is None
    assert "Item" not in error.response


def test_an_unknown_choice_is_refused_before_sending(
    service: DynamoDBService, table: str
) -> None:
    choice: Any = "ALL_NEW"
    with pytest.raises(ValueError, match="return_values_on_condition_check_failure"):
        service.put_item(STORED, return_values_on_condition_check_failure=choice)
    assert service.get_item(KEY) is None
