"""Answers of the wrong shape (HTTP 200, valid JSON, checksum right) are
refused with ResponseParserError naming the operation and the field, never a
value: no internal error, no false success, no silent coercion."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.parsers import ResponseParserError

from services.dynamodb import DynamoDBService
from tests.dynamodb.faults import inject_answer

KEY = {"pk": "a", "sk": 1}
# A value no message may quote: it is what the "server" put in the answer.
SECRET_VALUE = "VALUE-7f3a"
Call = Callable[[DynamoDBService], object]


def get(service: DynamoDBService) -> object:
    return service.get_item(KEY)


def scan(service: DynamoDBService) -> object:
    return service.scan()


def item_with(value: Any) -> dict[str, Any]:
    return {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": value}}


WRONG_ITEMS: dict[str, Any] = {
    "unknown-type": {"Q": SECRET_VALUE},
    "no-type": {},
    "two-types": {"S": SECRET_VALUE, "N": "1"},
    "not-an-object": SECRET_VALUE,
    "bool-as-text": {"BOOL": "false"},
    "null-false": {"NULL": False},
    "number-not-a-number": {"N": "not-a-number"},
    "number-out-of-range": {"N": "1E+400"},
    "string-as-number": {"S": 5},
    "string-set-as-text": {"SS": SECRET_VALUE},
    "string-set-empty": {"SS": []},
    "string-set-repeated": {"SS": [SECRET_VALUE, SECRET_VALUE]},
    "number-set-of-numbers": {"NS": [1, 2]},
    "number-set-with-nan": {"NS": ["1", "NaN"]},
    "number-set-of-garbage": {"NS": [SECRET_VALUE]},
    "binary-not-base64": {"B": "!!!" + SECRET_VALUE},
    "binary-set-not-base64": {"BS": ["!!!"]},
    "map-as-list": {"M": [SECRET_VALUE]},
    "list-as-object": {"L": {"S": SECRET_VALUE}},
    "list-member-without-type": {"L": [{}, {"S": "a", "N": "1"}]},
    "nested-wrong": {"M": {"inner": {"BOOL": SECRET_VALUE}}},
}


@pytest.mark.parametrize("value", WRONG_ITEMS.values(), ids=WRONG_ITEMS.keys())
def test_an_item_of_the_wrong_shape_is_refused_naming_the_field_not_the_value(
    service: DynamoDBService, table: str, value: Any
) -> None:
    inject_answer(service._client, "GetItem", json.dumps(item_with(value)).encode())
    with pytest.raises(ResponseParserError) as raised:
        service.get_item(KEY)
    message = str(raised.value)
    assert "answer to GetItem has a malformed Item field" in message
    assert SECRET_VALUE not in message and "not-a-number" not in message
    assert raised.value.__cause__ is None and raised.value.__context__ is None


ANSWERS: list[tuple[str, Call, dict[str, Any], str]] = [
    ("Scan", scan, {"Items": SECRET_VALUE}, "Items"),
    ("Scan", scan, {"Items": None}, "Items"),
    ("Scan", scan, {"Items": {"pk": {"S": "a"}}}, "Items"),
    ("Scan", scan, {"Items": [SECRET_VALUE]}, "Items"),
    ("Scan", scan, {"Items": [], "Count": "5"}, "Count"),
    ("Scan", scan, {"Items": [], "Count": -1}, "Count"),
    ("Scan", scan, {"Items": [], "Count": True}, "Count"),
    ("Scan", scan, {"Items": [], "Count": 0, "LastEvaluatedKey": "x"}, "Last"),
    (
        "Scan",
        scan,
        {"Items": [], "Count": 0, "LastEvaluatedKey": {"pk": {"N": SECRET_VALUE}}},
        "LastEvaluatedKey.pk",
    ),
    (
        "Query",
        lambda s: s.query("pk = :p", {":p": "a"}),
        {"Items": [], "Count": 0, "ScannedCount": -3},
        "ScannedCount",
    ),
    ("Scan", lambda s: s.count(), {"Count": 1.5, "ScannedCount": 1}, "Count"),
    ("ListTables", lambda s: s.list_tables(), {"TableNames": "abc"}, "TableNames"),
    ("ListTables", lambda s: s.list_tables(), {"TableNames": [1]}, "TableNames[0]"),
    (
        "TransactGetItems",
        lambda s: s.transact_get_items([KEY]),
        {"Responses": SECRET_VALUE},
        "Responses",
    ),
    (
        "UpdateItem",
        lambda s: s.update_item(KEY, "SET n = :n", {":n": 1}),
        {"Attributes": {"n": {"BOOL": "true"}}},
        "Attributes",
    ),
]


@pytest.mark.parametrize(
    "operation, call, answer, field",
    ANSWERS,
    ids=["%s-%s" % (a[0], json.dumps(a[2])[:40]) for a in ANSWERS],
)
def test_an_answer_of_the_wrong_shape_is_refused_naming_operation_and_field(
    service: DynamoDBService,
    table: str,
    operation: str,
    call: Call,
    answer: dict[str, Any],
    field: str,
) -> None:
    inject_answer(service._client, operation, json.dumps(answer).encode())
    with pytest.raises(ResponseParserError) as raised:
        call(service)
    message = str(raised.value)
    assert "answer to %s has a malformed %s" % (operation, field) in message
    assert SECRET_VALUE not in message and "abc" not in message


def test_json_nested_deeper_than_the_stack_is_refused(
    service: DynamoDBService, table: str
) -> None:
    body = b'{"Item": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    inject_answer(service._client, "GetItem", body)
    with pytest.raises(ResponseParserError, match="answer to GetItem is not a JSON"):
        service.get_item(KEY)


def test_an_error_never_quotes_the_bytes_of_an_answer(
    service: DynamoDBService, table: str
) -> None:
    inject_answer(service._client, "GetItem", b"<p>" + SECRET_VALUE.encode())
    with pytest.raises(ResponseParserError) as raised:
        service.get_item(KEY)
    assert SECRET_VALUE not in str(raised.value)
    assert "(%d bytes)" % (len(SECRET_VALUE) + 3) in str(raised.value)


ITEMS = [{"pk": "a", "sk": i} for i in range(3)]
UNSENT_ITEM = {"pk": {"S": SECRET_VALUE}, "sk": {"N": "9"}}
SENT_KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}
BATCH_WRITE_ANSWERS: dict[str, Any] = {
    "empty": {},
    "null": {"UnprocessedItems": None},
    "other-table": {"UnprocessedItems": {"others": [{"PutRequest": {"Item": {}}}]}},
    "never-sent": {
        "UnprocessedItems": {
            "orders": [
                {"PutRequest": {"Item": UNSENT_ITEM}},
                {"DeleteRequest": {"Key": UNSENT_ITEM}},
            ]
        }
    },
}
WRONG_KIND = {"batch_write_items": "DeleteRequest", "batch_delete_items": "PutRequest"}


@pytest.mark.parametrize(
    "answer", BATCH_WRITE_ANSWERS.values(), ids=BATCH_WRITE_ANSWERS.keys()
)
@pytest.mark.parametrize("operation", ["batch_write_items", "batch_delete_items"])
def test_a_batch_write_answer_that_is_not_about_the_request_is_never_success(
    service: DynamoDBService, table: str, answer: dict[str, Any], operation: str
) -> None:
    inject_answer(service._client, "BatchWriteItem", json.dumps(answer).encode())
    with pytest.raises(ResponseParserError) as raised:
        getattr(service, operation)(ITEMS)
    message = str(raised.value)
    assert "answer to BatchWriteItem has" in message
    assert "UnprocessedItems" in message and SECRET_VALUE not in message
    assert raised.value.unprocessed == ITEMS  # type: ignore[attr-defined]


@pytest.mark.parametrize("operation", ["batch_write_items", "batch_delete_items"])
def test_unprocessed_requests_of_the_other_kind_are_never_success(
    service: DynamoDBService, table: str, operation: str
) -> None:
    kind = WRONG_KIND[operation]
    field = "Item" if kind == "PutRequest" else "Key"
    answer = {"UnprocessedItems": {"orders": [{kind: {field: SENT_KEY}}]}}
    inject_answer(service._client, "BatchWriteItem", json.dumps(answer).encode())
    with pytest.raises(ResponseParserError, match="did not send"):
        getattr(service, operation)(ITEMS)


@pytest.mark.parametrize(
    "answer",
    [
        {"Responses": {"others": []}},
        {
            "Responses": {"orders": []},
            "UnprocessedKeys": {"orders": {"Keys": [{"pk": {"S": SECRET_VALUE}}]}},
        },
        {"Responses": {"orders": []}, "UnprocessedKeys": {"others": {"Keys": []}}},
    ],
    ids=["responses-other-table", "unprocessed-never-sent", "unprocessed-other-table"],
)
def test_a_batch_get_answer_that_is_not_about_the_request_is_never_success(
    service: DynamoDBService, table: str, answer: dict[str, Any]
) -> None:
    inject_answer(service._client, "BatchGetItem", json.dumps(answer).encode())
    with pytest.raises(ResponseParserError) as raised:
        service.batch_get_items(ITEMS)
    assert "answer to BatchGetItem has a malformed" in str(raised.value)
    assert SECRET_VALUE not in str(raised.value)
