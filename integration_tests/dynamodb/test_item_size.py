"""Items are sized as the server sizes them: at 400 KB exactly, both store;
one byte more, both refuse (the library before sending)."""

from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBService

LIMIT = 400 * 1024
ROUND_NUMBERS = 60_000
# Sizes by DynamoDB's rule: "pk" + "x" = 3; "sk" + 1 = 2 + 2; "l" + list
# overhead 3 + (1 + 3) per 1700000000000 (2 significant digits, 3 bytes);
# "pad" = 3 + its length.
FIXED_BYTES = 3 + 4 + 1 + 3 + 3


def item_of(size: int, sk: int) -> dict[str, Any]:
    """An item of ``size`` bytes by DynamoDB's rule, mostly large numbers."""
    numbers = [Decimal("1700000000000")] * ROUND_NUMBERS
    pad = size - FIXED_BYTES - 4 * ROUND_NUMBERS
    return {"pk": "x", "sk": sk, "l": numbers, "pad": "y" * pad}


def test_an_item_of_many_large_round_numbers_is_stored_as_boto3_stores_it(
    service: DynamoDBService, table: str
) -> None:
    item = {"pk": "x", "sk": 0, "l": [Decimal("1700000000000")] * ROUND_NUMBERS}
    service.put_item(item)
    assert service.get_item({"pk": "x", "sk": 0}) == item


def test_item_size_limit_is_the_servers_to_the_byte(
    service: DynamoDBService, table: str, plain_boto3_settings: dict[str, Any]
) -> None:
    plain = boto3.resource("dynamodb", **plain_boto3_settings).Table(table)
    service.put_item(item_of(LIMIT, 1))
    plain.put_item(Item=item_of(LIMIT, 2))
    with pytest.raises(ValueError, match="is about %d bytes, over" % (LIMIT + 1)):
        service.put_item(item_of(LIMIT + 1, 3))
    with pytest.raises(ClientError) as refused:
        plain.put_item(Item=item_of(LIMIT + 1, 4))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert service.count() == 2


def test_a_set_of_numbers_the_server_holds_as_one_is_refused_before_sending(
    service: DynamoDBService, table: str, plain_boto3_settings: dict[str, Any]
) -> None:
    # A float and a Decimal Python keeps apart, both 1E-130 to DynamoDB.
    same = {1e-130, Decimal("1E-130")}
    plain = boto3.client("dynamodb", **plain_boto3_settings)
    item: dict[str, Any] = {
        "pk": {"S": "x"},
        "sk": {"N": "2"},
        "s": {"NS": ["1E-130", "1e-130"]},
    }
    with pytest.raises(ClientError) as refused:
        plain.put_item(TableName=table, Item=item)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ValueError, match="one number in DynamoDB"):
        service.put_item({"pk": "x", "sk": 2, "s": same})
    assert service.get_item({"pk": "x", "sk": 2}) is None
