"""The data path's JSON (msgspec, json where msgspec refuses) reads and
writes every document as ``json`` does: answers, requests and the edge cases
of each reader (issue: "decode in one pass, JSON in Rust")."""

import base64
import json
import math
from typing import Any

import botocore.session
import pytest
from botocore.parsers import ResponseParserError
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dynamodb.codec.answers import CheckedParserFactory
from services.dynamodb.codec.codec import item_to_wire
from services.dynamodb.codec.documents import read_document, write_document
from services.dynamodb.codec.load import load_map

from .test_wire import values

PARSER = CheckedParserFactory().create_parser("json")
SERVICE = botocore.session.get_session().get_service_model("dynamodb")


def blob(value: object) -> str:
    """The reference: ``json``'s default for blobs, as base64."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    raise TypeError(type(value).__name__)


def same(left: Any, right: Any) -> bool:
    """Equal, NaN included, and of the same types (an int is no float)."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(
            same(left[key], right[key]) for key in left
        )
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


def json_reading(body: bytes) -> Any:
    """The reference: ``json`` reading the body as the UTF-8 text it is."""
    try:
        return json.loads(body.decode())
    except (ValueError, RecursionError) as error:
        return type(error)


def our_reading(body: bytes) -> Any:
    try:
        return read_document(body)
    except (ValueError, RecursionError) as error:
        return type(error)


documents = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(documents, st.sampled_from([True, False]))
def test_every_document_reads_as_json_reads_it(value: Any, ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert same(our_reading(body), json_reading(body))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=40).map(str.encode))
def test_any_bytes_read_as_json_reads_their_text_or_fail_as_json_fails(
    body: bytes,
) -> None:
    assert same(our_reading(body), json_reading(body))


@pytest.mark.parametrize(
    "body",
    [
        b'{"Count": 123456789012345678901234567890123}',
        b'{"Count": -123456789012345678901234567890123}',
        b'{"Item": {"s": {"S": "\\ud800"}}}',
        b'{"Item": {"s": {"S": "\\udfff\\ud800"}}}',
        b'{"Item": {"s": {"S": "\\ud83d\\ude00"}}}',
        b'{"Count": NaN}',
        b'{"Count": Infinity, "ScannedCount": -Infinity}',
        b'{"x": 1e400}',
        b'{"Count": 1, "Count": 2}',
        b'{"Item": {"n": {"N": "12345678901234567890123456789012345678"}}}',
        b'{"Item": {"n": {"N": "-1E-130"}}}',
        b"[" * 5000 + b"]" * 5000,
        b'\xef\xbb\xbf{"x": 1}',
        '{"x": "é"}'.encode("utf-16"),
        b'{"x": "\xff"}',
        b'{"x": 1} x',
        b'{"x": "a\nb"}',
    ],
    ids=[
        "large integer",
        "large negative integer",
        "lone surrogate",
        "reversed surrogates",
        "surrogate pair",
        "NaN",
        "Infinity",
        "beyond a float",
        "duplicate keys",
        "38 digits",
        "smallest number",
        "deep nesting",
        "byte order mark",
        "UTF-16",
        "not UTF-8",
        "trailing text",
        "raw newline in a string",
    ],
)
def test_each_edge_case_reads_as_json_reads_it(body: bytes) -> None:
    assert same(our_reading(body), json_reading(body))


@pytest.mark.parametrize(
    "body",
    [
        b'\xef\xbb\xbf{"x": 1}',
        '{"x": "a"}'.encode("utf-16"),
        '{"x": "a"}'.encode("utf-16-le"),
        '{"x": "a"}'.encode("utf-32"),
        b'{"Item": {"a": {"S": "\xed\xa0\x80"}}}',
    ],
    ids=[
        "byte order mark",
        "UTF-16",
        "UTF-16 without a mark",
        "UTF-32",
        "UTF-8 surrogate",
    ],
)
def test_what_is_not_utf8_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        read_document(body)
    with pytest.raises(ResponseParserError):
        answer(body, "GetItemOutput")


def test_large_integers_stay_integers() -> None:
    count = read_document(b'{"Count": 123456789012345678901234567890123}')["Count"]
    assert count == 123456789012345678901234567890123
    assert type(count) is int


def test_a_38_digit_number_is_carried_as_its_text() -> None:
    text = "-1234567890123456789012345678901234567.8"
    document = read_document(b'{"Item": {"n": {"N": "%s"}}}' % text.encode())
    assert document["Item"]["n"]["N"] == text
    assert str(load_map(document["Item"])["n"]) == text


def answer(body: bytes, shape: str = "ScanOutput") -> Any:
    """An answer parsed as the exchange parses it."""
    response = {"status_code": 200, "headers": {}, "body": body}
    return PARSER.parse(response, SERVICE.shape_for(shape))


@pytest.mark.parametrize(
    "body",
    [
        b'{"Count": NaN, "Items": []}',
        b'{"Count": Infinity, "Items": []}',
        b"[" * 5000 + b"]" * 5000,
        b'{"Items": [{"s": {"S": 5}}]}',
        b'{"Items": [{"b": {"BOOL": "false"}}]}',
        b'{"Items": {"not": "a list"}}',
        b"<html>busy</html>",
        b'{"Items": [',
    ],
    ids=[
        "NaN count",
        "Infinity count",
        "deep nesting",
        "S not text",
        "BOOL not a boolean",
        "Items not a list",
        "not JSON",
        "cut short",
    ],
)
def test_every_answer_check_still_raises_response_parser_error(body: bytes) -> None:
    with pytest.raises(ResponseParserError):
        answer(body)


def test_an_answer_with_a_lone_surrogate_is_read_as_before() -> None:
    parsed = answer(b'{"Items": [{"s": {"S": "a\\ud800"}}], "Count": 1}')
    assert parsed["Items"] == [{"s": "a\ud800"}]


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=6), values, max_size=5))
def test_requests_of_codec_built_items_write_the_same_document(item: Any) -> None:
    try:
        wire = item_to_wire(item, "item")
    except (ValueError, TypeError):
        return  # refused before anything is written
    request = {"TableName": "t", "Item": wire, "Limit": 5, "ConsistentRead": True}
    ours = write_document(request)
    reference = json.dumps(request, default=blob, separators=(",", ":")).encode()
    assert json.loads(ours) == json.loads(reference)


@pytest.mark.parametrize(
    "request_",
    [
        {"s": "a\ud800b"},
        {"n": 2**70},
        {"b": b"\x00\xff", "a": bytearray(b"xy")},
        {"t": "é✓"},
    ],
    ids=["lone surrogate", "beyond 64 bits", "blobs", "non-ASCII"],
)
def test_edge_requests_write_the_document_json_writes(request_: Any) -> None:
    ours = write_document(request_)
    reference = json.dumps(request_, default=blob, separators=(",", ":")).encode()
    assert json.loads(ours) == json.loads(reference)


def test_what_json_cannot_write_is_refused() -> None:
    with pytest.raises(TypeError):
        write_document({"x": object()})


def test_a_batch_of_items_writes_the_document_json_writes() -> None:
    items = [
        {"pk": f"p{n}", "n": n, "f": 1.5, "b": b"\x00", "s": {"a"}, "m": {"l": [None]}}
        for n in range(25)
    ]
    request = {
        "RequestItems": {
            "t": [
                {"PutRequest": {"Item": item_to_wire(item, "item")}} for item in items
            ]
        }
    }
    ours = write_document(request)
    reference = json.dumps(request, default=blob, separators=(",", ":")).encode()
    assert ours == reference  # ASCII only: byte for byte
