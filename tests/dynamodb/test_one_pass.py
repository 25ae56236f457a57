"""The one-pass reader of item-bearing answers gives what the two-pass one
(the whole JSON first, then the codec's loaders) gives, and takes nothing the
two-pass one refuses (issue: "decode in one pass, JSON in Rust")."""

import json
from decimal import Decimal
from typing import Any

import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.dynamodb.codec.answers import DECODED_FIELDS, CheckedParserFactory
from services.dynamodb.codec.codec import item_to_wire
from services.dynamodb.codec.documents import write_document
from services.dynamodb.codec.load import MALFORMED_ERRORS
from services.dynamodb.codec.one_pass import ITEM_FIELDS, read_item_answer

from .test_documents import same
from .test_wire import values

SERVICE = botocore.session.get_session().get_service_model("dynamodb")
PARSER = CheckedParserFactory().create_parser("json")
SHAPES = sorted(ITEM_FIELDS)
TAGS = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X"]
REFUSED = (*MALFORMED_ERRORS, RecursionError)

items = st.lists(
    st.dictionaries(st.text(max_size=6), values, min_size=1, max_size=4),
    max_size=4,
)
# Any JSON, shaped like DynamoDB JSON more often than not: wrappers of
# every tag (and an unknown one) holding values of any JSON type.
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=4),
        st.sampled_from(["1", "1e5", "x", "AAAA", "=", "NaN", "1" * 39]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(TAGS), inner, max_size=2),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=12,
)


def wire_items(python_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items as DynamoDB JSON, with what the codec refuses left out."""
    wires = []
    for item in python_items:
        try:
            wires.append(item_to_wire(item, "item"))
        except (TypeError, ValueError, ArithmeticError):
            continue
    return wires


def answer_of(shape: str, wires: list[Any]) -> dict[str, Any]:
    """An answer of ``shape`` carrying ``wires`` in its item field."""
    field, _ = ITEM_FIELDS[shape]
    if shape in ("QueryOutput", "ScanOutput", "ExecuteStatementOutput"):
        return {field: wires, "Count": len(wires), "NextToken": "t"}
    if shape == "BatchGetItemOutput":
        return {field: {"orders": wires}, "UnprocessedKeys": {}}
    if shape == "TransactGetItemsOutput":
        return {field: [{"Item": wire} for wire in wires] + [{}]}
    if shape == "SearchVectorsOutput":
        results = [{"Item": wire, "Score": 0.5 - n} for n, wire in enumerate(wires)]
        return {"ConsumedCapacity": {"VectorSearchRequestBytes": 1}, field: results}
    return {field: wires[0] if wires else {}, "ConsumedCapacity": {"TableName": "t"}}


def two_pass(body: bytes, shape_name: str) -> Any:
    """The reference: the whole JSON, then the codec's loaders on the item
    field, the shape's other fields kept; the error class if refused."""
    shape: Any = SERVICE.shape_for(shape_name)
    field, decode = DECODED_FIELDS[shape_name]
    try:
        document = json.loads(body.decode())
        if not isinstance(document, dict):
            return ValueError
        read = {name: document[name] for name in shape.members if name in document}
        if field in read:
            read[field] = decode(read[field])
    except REFUSED as error:
        return type(error)
    return read


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SHAPES), items)
def test_one_pass_reads_every_valid_answer_as_the_two_pass_reader(
    shape_name: str, python_items: list[dict[str, Any]]
) -> None:
    # Blobs as base64, as DynamoDB writes them.
    body = write_document(answer_of(shape_name, wire_items(python_items)))
    one_pass = read_item_answer(body, SERVICE.shape_for(shape_name))
    assert one_pass is not None, "a valid answer fell back to the two-pass reader"
    assert same(one_pass, two_pass(body, shape_name))


@settings(
    max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.sampled_from(SHAPES), st.lists(json_values, max_size=3))
def test_one_pass_takes_nothing_the_two_pass_reader_refuses(
    shape_name: str, garbage: list[Any]
) -> None:
    field, _ = ITEM_FIELDS[shape_name]
    for document in (
        answer_of(shape_name, garbage),
        {field: garbage},
        {field: garbage[0] if garbage else None},
    ):
        body = json.dumps(document).encode()
        one_pass = read_item_answer(body, SERVICE.shape_for(shape_name))
        if one_pass is not None:
            assert one_pass == two_pass(body, shape_name)


@pytest.mark.parametrize(
    "body, expected",
    [
        (b'{"Items": [{"a": {"S": "x", "S": "y"}}]}', [{"a": "y"}]),
        (b'{"Items": [{"a": {"S": "x"}, "a": {"N": "2"}}]}', [{"a": Decimal(2)}]),
        (b'{"Items": [{"a": {"S": "x"}}], "Items": []}', []),
    ],
    ids=["repeated tag", "repeated attribute", "repeated field"],
)
def test_duplicate_keys_keep_the_last_value_as_json_does(
    body: bytes, expected: list[dict[str, Any]]
) -> None:
    parsed = PARSER.parse(
        {"body": body, "headers": {}, "status_code": 200},
        SERVICE.shape_for("ScanOutput"),
    )
    assert parsed["Items"] == expected == two_pass(body, "ScanOutput")["Items"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"Items": [{"s": {"S": "a\\ud800"}}]}',
        b'{"Items": [{"s": {"S": 5}}]}',
        b'{"Items": [{"s": {"S": "a", "N": "1"}}]}',
        b'{"Items": [{"n": {"N": "1e999"}}]}',
        b'{"Items": [{"b": {"B": "not base64!"}}]}',
        b'{"Items": [{"s": {"SS": ["a", "a"]}}]}',
        b'{"Items": null}',
        b'{"Items": [' * 3000 + b"]" * 3000 + b"}",
        b"\xef\xbb\xbf{}",
    ],
    ids=[
        "lone surrogate",
        "S not text",
        "two types",
        "number out of range",
        "B not base64",
        "repeated set member",
        "null items",
        "deep nesting",
        "byte order mark",
    ],
)
def test_what_one_pass_does_not_read_in_full_goes_to_the_two_pass_reader(
    body: bytes,
) -> None:
    assert read_item_answer(body, SERVICE.shape_for("ScanOutput")) is None


def test_a_38_digit_number_and_a_large_count_keep_their_value() -> None:
    body = b'{"Items": [{"n": {"N": "12345678901234567890123456789012345678"}}],'
    body += b' "Count": 123456789012345678901234567890}'
    read = read_item_answer(body, SERVICE.shape_for("QueryOutput"))
    assert read == {
        "Items": [{"n": Decimal("12345678901234567890123456789012345678")}],
        "Count": 123456789012345678901234567890,
    }
