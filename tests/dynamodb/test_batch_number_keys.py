"""Batches compare number keys by value, as DynamoDB does: ``1``, ``1.0``
and ``Decimal("1.00")`` are one key, sent once (compared as text they would
be three); and at DynamoDB's 38 digits: keys that differ in the 38th digit
are two (compared as floats they would be one)."""

from decimal import Decimal

from services.dynamodb import DynamoDBService
from tests.dynamodb.faults import record_params

# One key written three ways (sent as "1", "1.0" and "1.00").
SAME_NUMBER = [1, 1.0, Decimal("1.00")]


def test_a_batch_write_of_one_key_written_as_equal_numbers_keeps_the_last(
    service: DynamoDBService, table: str
) -> None:
    sent = record_params(service._client, "BatchWriteItem")
    items = [{"pk": "a", "sk": sk, "v": n} for n, sk in enumerate(SAME_NUMBER)]

    service.batch_write_items(items)

    assert [len(params["RequestItems"][table]) for params in sent] == [1]
    assert service.scan() == [{"pk": "a", "sk": 1, "v": 2}]


def test_a_batch_get_of_one_key_written_as_equal_numbers_reads_it_once(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    sent = record_params(service._client, "BatchGetItem")

    items = service.batch_get_items([{"pk": "a", "sk": sk} for sk in SAME_NUMBER])

    assert [len(params["RequestItems"][table]["Keys"]) for params in sent] == [1]
    assert items == [{"pk": "a", "sk": 1}]


def test_a_batch_delete_of_one_key_written_as_equal_numbers_sends_it_once(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    sent = record_params(service._client, "BatchWriteItem")

    service.batch_delete_items([{"pk": "a", "sk": sk} for sk in SAME_NUMBER])

    assert [len(params["RequestItems"][table]) for params in sent] == [1]
    assert service.count() == 0


# Two keys that only a comparison at DynamoDB's 38 digits tells apart (as
# floats, or cut to fewer digits, they are one number).
CLOSE_NUMBERS = [
    Decimal("1234567890123456789012345678901234567.8"),
    Decimal("1234567890123456789012345678901234567.9"),
]


def test_a_batch_write_keeps_keys_that_differ_in_the_38th_digit(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": sk} for sk in CLOSE_NUMBERS])

    assert sorted(item["sk"] for item in service.scan()) == CLOSE_NUMBERS


def test_a_batch_get_reads_keys_that_differ_in_the_38th_digit(
    service: DynamoDBService, table: str
) -> None:
    for sk in CLOSE_NUMBERS:
        service.put_item({"pk": "a", "sk": sk})

    items = service.batch_get_items([{"pk": "a", "sk": sk} for sk in CLOSE_NUMBERS])

    assert sorted(item["sk"] for item in items) == CLOSE_NUMBERS
