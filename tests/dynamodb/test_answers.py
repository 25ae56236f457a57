"""Never a result without a real DynamoDB answer: garbage, damage, missing fields."""

import logging
import zlib
from decimal import Decimal

import boto3
import pytest
from boto3.dynamodb.types import Binary
from botocore.parsers import ResponseParserError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.codec.answers import crc32_matches
from tests.dynamodb.faults import boto3_attempts, inject_answer

KEY = {"pk": "a", "sk": 1}
ITEM = {**KEY, "name": "Ann"}
GARBAGE_BODIES = {
    "html": b"<html><body>Service Unavailable</body></html>",
    "not-json": b"}{ this is not json",
    "empty": b"",
    "truncated": b'{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "name": {"S": "An',
    "json-array": b"[]",
}


@pytest.mark.parametrize("body", GARBAGE_BODIES.values(), ids=GARBAGE_BODIES.keys())
def test_get_item_never_takes_garbage_for_an_answer(
    service: DynamoDBService, table: str, body: bytes
) -> None:
    service.put_item(ITEM)
    inject_answer(service._client, "GetItem", body, times=1)
    with pytest.raises(ResponseParserError, match="not a JSON object"):
        service.get_item(KEY)
    assert service.get_item(KEY) == {"pk": "a", "sk": 1, "name": "Ann"}


@pytest.mark.parametrize("body", GARBAGE_BODIES.values(), ids=GARBAGE_BODIES.keys())
def test_put_item_never_reports_success_on_garbage(
    service: DynamoDBService, table: str, body: bytes
) -> None:
    inject_answer(service._client, "PutItem", body, times=1)
    with pytest.raises(ResponseParserError):
        service.put_item(ITEM)


def test_damaged_answer_is_retried_by_botocore_then_refused(
    service: DynamoDBService, table: str, quick_backoff: None
) -> None:
    body = b"{}"
    injector = inject_answer(
        service._client, "PutItem", body, {"x-amz-crc32": str(zlib.crc32(body) + 1)}
    )
    with pytest.raises(ResponseParserError, match="x-amz-crc32"):
        service.put_item(ITEM)
    assert injector.calls == boto3_attempts(
        "PutItem",
        "ProvisionedThroughputExceededException",
        {"TableName": table, "Item": {"pk": {"S": "a"}}},
    )


def test_damaged_answer_then_a_sound_one_succeeds(
    service: DynamoDBService, table: str
) -> None:
    body = b"{}"
    inject_answer(service._client, "PutItem", body, {"x-amz-crc32": "12345"}, times=1)
    service.put_item(ITEM)
    assert service.get_item(KEY) == ITEM


def test_answer_with_matching_crc32_is_accepted(
    service: DynamoDBService, table: str
) -> None:
    body = b'{"Item": {"pk": {"S": "z"}, "sk": {"N": "9"}}}'
    inject_answer(
        service._client, "GetItem", body, {"x-amz-crc32": str(zlib.crc32(body))}
    )
    assert service.get_item(KEY) == {"pk": "z", "sk": 9}


@pytest.mark.parametrize(
    "operation, call",
    [
        ("ListTables", lambda s: s.ping()),
        ("ListTables", lambda s: s.list_tables()),
        ("Query", lambda s: s.query("pk = :p", {":p": "a"})),
        ("Scan", lambda s: s.scan()),
        ("Scan", lambda s: s.scan_page()),
        ("Scan", lambda s: s.count()),
        ("UpdateItem", lambda s: s.update_item(KEY, "SET n = :n", {":n": 1})),
        ("BatchGetItem", lambda s: s.batch_get_items([KEY])),
        ("TransactGetItems", lambda s: s.transact_get_items([KEY])),
        ("DescribeTable", lambda s: s._described_key_types("orders")),
    ],
    ids=[
        "ping",
        "list_tables",
        "query",
        "scan",
        "scan_page",
        "count",
        "update_item",
        "batch_get_items",
        "transact_get_items",
        "describe_table",
    ],
)
def test_answer_missing_a_needed_field_is_an_error_not_an_empty_result(
    service: DynamoDBService, table: str, operation: str, call: object
) -> None:
    inject_answer(service._client, operation, b"{}")
    assert callable(call)
    with pytest.raises(ResponseParserError, match="has no"):
        call(service)


def test_error_answers_still_parse_as_botocore_errors(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(ITEM)
    with pytest.raises(service.exceptions.ConditionalCheckFailedException):
        service.put_item(ITEM, condition_expression="attribute_not_exists(pk)")


def test_checks_reach_no_other_client_in_the_process(
    service: DynamoDBService, table: str
) -> None:
    plain = boto3.client("dynamodb", region_name="us-east-1")
    inject_answer(plain, "ListTables", b"<html></html>")
    assert "TableNames" not in plain.list_tables()  # botocore's own leniency
    inject_answer(service._client, "ListTables", b"<html></html>")
    with pytest.raises(ResponseParserError):
        service.list_tables()


def test_item_decoding_reaches_no_other_client_or_service(
    service: DynamoDBService, table: str, logger: logging.Logger
) -> None:
    service.put_item({"pk": "a", "sk": 1, "b": b"\x00", "n": 1.5})
    plain = boto3.client("dynamodb", region_name="us-east-1")
    raw = plain.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert raw["Item"]["n"] == {"N": "1.5"}  # botocore's own parse, untouched
    assert raw["Item"]["b"] == {"B": b"\x00"}
    native = DynamoDBService(
        logger,
        DynamoDBConfig(
            region_name="us-east-1", default_table_name=table, numbers_as="native"
        ),
    )
    assert native.get_item({"pk": "a", "sk": 1}) == {
        "pk": "a",
        "sk": 1,
        "b": Binary(b"\x00"),
        "n": 1.5,
    }
    assert service.get_item({"pk": "a", "sk": 1}) == {
        "pk": "a",
        "sk": Decimal(1),
        "b": Binary(b"\x00"),
        "n": Decimal("1.5"),
    }
    table_resource = boto3.resource("dynamodb", region_name="us-east-1").Table(table)
    assert table_resource.get_item(Key={"pk": "a", "sk": 1})["Item"] == (
        service.get_item({"pk": "a", "sk": 1})
    )


@pytest.mark.parametrize(
    "header", ["\u00b2", "9" * 5000, "\u0663", "12 34", "-1", "+5", ""]
)
def test_a_malformed_crc32_header_is_a_mismatch_not_a_crash(header: str) -> None:
    assert crc32_matches({"x-amz-crc32": header}, b"{}") is False


def test_a_crc32_header_with_spaces_around_still_matches() -> None:
    header = " %d " % zlib.crc32(b"{}")
    assert crc32_matches({"x-amz-crc32": header}, b"{}") is True


@pytest.mark.parametrize("operation", ["Query", "Scan"])
def test_a_page_without_items_names_the_operation_as_dynamodb_does(
    service: DynamoDBService, table: str, operation: str
) -> None:
    inject_answer(service._client, operation, b'{"Count": 0}', times=1)
    with pytest.raises(ResponseParserError, match="answer to %s has no" % operation):
        if operation == "Query":
            service.query("pk = :p", {":p": "a"})
        else:
            service.scan()
