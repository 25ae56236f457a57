"""The codec equals boto3's TypeSerializer/TypeDeserializer, both directions,
on arbitrary nested items of every DynamoDB type and on edge numbers."""

import base64
import re
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dynamodb.codec.codec import item_to_wire
from services.dynamodb.codec.load import load
from services.dynamodb.codec.wire import (
    _dump_number,
    dump,
    dump_attributes,
    number_size,
)

SERIALIZER = TypeSerializer()
# What boto3 serializes but DynamoDB refuses (the codec refuses it up front).
DYNAMODB_REFUSALS = (
    "outside DynamoDB's range",
    "Infinity and NaN not supported",
    "sets cannot be empty",
    "nested deeper",
    "one number in DynamoDB",
)
DESERIALIZER = TypeDeserializer()

EDGE_NUMBERS: list[Any] = [
    0,
    -0.0,
    1e-130,
    5e-324,
    1.7e308,
    0.1,
    10**37,
    10**38,
    -(10**125),
    10**126,
    Decimal("1E-130"),
    Decimal("1E-131"),
    Decimal("9.9999999999999999999999999999999999999E+125"),
    Decimal("1E+126"),
    Decimal("1." + "1" * 37),
    Decimal("1." + "1" * 38),
    Decimal("NaN"),
    Decimal("-Infinity"),
    Decimal("-0"),
    True,
]

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(EDGE_NUMBERS),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=20),
    numbers,
    st.binary(max_size=20),
    st.builds(Binary, st.binary(min_size=1, max_size=8)),
)
sets = st.one_of(
    st.frozensets(st.text(max_size=5), min_size=1, max_size=4),
    st.sets(st.integers(min_value=-(10**6), max_value=10**6), min_size=1, max_size=4),
    st.sets(st.binary(max_size=5), min_size=1, max_size=4),
    st.sets(numbers, max_size=3),
    st.just({1, "a"}),
)
values = st.recursive(
    st.one_of(scalars, sets),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=25,
)


def floats_as_decimal(value: Any) -> Any:
    """The library's float rule, applied before boto3's serializer."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: floats_as_decimal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [floats_as_decimal(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {floats_as_decimal(v) for v in value}
    return value


def unordered_sets(wire: Any) -> Any:
    """DynamoDB sets have no order: compare their members as sets."""
    ((tag, inner),) = wire.items()
    if tag in ("SS", "NS", "BS"):
        return {tag: frozenset(bytes(m) if tag == "BS" else m for m in inner)}
    if tag == "L":
        return {"L": [unordered_sets(v) for v in inner]}
    if tag == "M":
        return {"M": {k: unordered_sets(v) for k, v in inner.items()}}
    return wire


def boto3_wire(value: Any) -> Any:
    try:
        return SERIALIZER.serialize(floats_as_decimal(value))
    except Exception as error:
        return error


@settings(max_examples=1500, deadline=None)
@given(values)
def test_dump_equals_boto3_or_refuses_what_boto3_or_dynamodb_refuses(
    value: Any,
) -> None:
    expected = boto3_wire(value)
    try:
        wire, size = dump(value, "v")
    except ValueError as error:
        assert "v" in str(error)
        if not isinstance(expected, Exception):
            # boto3 lets it through, but DynamoDB would refuse it.
            assert any(reason in str(error) for reason in DYNAMODB_REFUSALS)
        return
    assert not isinstance(expected, Exception), expected
    assert unordered_sets(wire) == unordered_sets(expected)
    assert size >= 0


@pytest.mark.parametrize("number", EDGE_NUMBERS)
def test_edge_numbers(number: Any) -> None:
    check: Any = test_dump_equals_boto3_or_refuses_what_boto3_or_dynamodb_refuses
    check.hypothesis.inner_test(number)


def json_form(wire: Any) -> Any:
    """DynamoDB JSON as it travels: binary values as base64 text."""
    ((tag, inner),) = wire.items()
    if tag == "B":
        return {"B": base64.b64encode(bytes(inner)).decode()}
    if tag == "BS":
        return {"BS": [base64.b64encode(bytes(b)).decode() for b in inner]}
    if tag == "L":
        return {"L": [json_form(v) for v in inner]}
    if tag == "M":
        return {"M": {k: json_form(v) for k, v in inner.items()}}
    return {tag: inner}


@settings(max_examples=1500, deadline=None)
@given(values)
def test_load_from_raw_json_equals_botocore_then_boto3(value: Any) -> None:
    wire = boto3_wire(value)
    if isinstance(wire, Exception) or stored_by_dynamodb(value) is None:
        return  # no DynamoDB answer holds it (an empty set, say)
    parsed = json_form(wire)
    botocore_form = _botocore_form(wire)
    expected = DESERIALIZER.deserialize(botocore_form)
    assert load(parsed) == expected


def stored_by_dynamodb(value: Any) -> Any:
    """The value's DynamoDB JSON if DynamoDB would store it, else None."""
    try:
        return dump(value, "v")[0]
    except ValueError:
        return None


def _botocore_form(wire: Any) -> Any:
    """What botocore hands over: binary values as bytes."""
    ((tag, inner),) = wire.items()
    if tag == "B":
        return {"B": bytes(inner)}
    if tag == "BS":
        return {"BS": [bytes(b) for b in inner]}
    if tag == "L":
        return {"L": [_botocore_form(v) for v in inner]}
    if tag == "M":
        return {"M": {k: _botocore_form(v) for k, v in inner.items()}}
    return wire


def test_map_keys_must_be_strings() -> None:
    with pytest.raises(TypeError, match="v.m: attribute names must be strings"):
        dump({"m": {1: "x"}}, "v")


@pytest.mark.parametrize(
    "number, size",
    [
        ("0", 1),
        ("1", 2),
        ("10", 2),
        ("12", 2),
        ("123", 3),
        ("1700000000000", 3),
        ("1234", 3),
        ("123.4", 4),
        ("-5", 3),
        ("0.5", 2),
        ("0.05", 2),
        ("1.5", 3),
        ("9" * 38, 20),
        ("1E+125", 2),
        ("-1E-130", 3),
    ],
)
def test_numbers_are_sized_as_dynamodb_sizes_them(number: str, size: int) -> None:
    # Digit pairs aligned on the exponent, trailing and leading zeros trimmed,
    # one byte more, one more if negative (the rule dynalite implements; the
    # integration test checks the 400 KB edge against the server).
    assert number_size(Decimal(number), str(Decimal(number))) == size
    assert dump(Decimal(number), "v")[1] == size


def test_an_item_of_many_large_round_numbers_is_not_over_counted() -> None:
    item = {"pk": "x", "l": [Decimal("1700000000000")] * 60_000}
    assert item_to_wire(item, "item")["l"]["L"][0] == {"N": "1700000000000"}


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.integers(min_value=-(10**39), max_value=10**39),
        st.integers(min_value=0, max_value=38).map(lambda digits: 10**digits),
        st.integers(min_value=0, max_value=38).map(lambda digits: -(10**digits) + 1),
    )
)
def test_integers_take_a_short_path_equal_to_the_decimal_one(value: int) -> None:
    def through_decimal() -> Any:
        try:
            return _dump_number(value, "v", 0)
        except ValueError as error:
            return str(error)

    try:
        short: Any = dump(value, "v")
    except ValueError as error:
        short = str(error)
    assert short == through_decimal()


def wire_size(wire: Any) -> int:
    """The reference: DynamoDB's size rules applied to boto3's DynamoDB JSON
    (written apart from the codec, which sizes values as it converts them)."""
    ((tag, inner),) = wire.items()
    if tag == "S":
        return len(inner.encode())
    if tag == "N":
        return number_size(Decimal(inner), inner)
    if tag == "B":
        return len(bytes(inner))
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "L":
        return 3 + sum(wire_size(v) + 1 for v in inner)
    if tag == "M":
        return 3 + sum(len(k.encode()) + wire_size(v) + 1 for k, v in inner.items())
    if tag == "SS":
        return sum(len(m.encode()) for m in inner)
    if tag == "NS":
        return sum(number_size(Decimal(m), m) for m in inner)
    return sum(len(bytes(m)) for m in inner)


items = st.dictionaries(
    st.text(max_size=6), st.one_of(values, st.text(), st.integers()), max_size=6
)


@settings(max_examples=600, deadline=None)
@given(items)
def test_an_item_converts_and_sizes_as_boto3_and_dynamodb_do(
    item: dict[str, Any],
) -> None:
    expected = {name: boto3_wire(value) for name, value in item.items()}
    if any(isinstance(wire, Exception) for wire in expected.values()):
        return  # refused: the error tests below
    try:
        wires, size = dump_attributes(item, "item", 0)
    except ValueError:
        assert any(stored_by_dynamodb(value) is None for value in item.values())
        return
    assert {k: unordered_sets(v) for k, v in wires.items()} == {
        k: unordered_sets(v) for k, v in expected.items()
    }
    assert size == sum(
        len(name.encode()) + wire_size(wire) for name, wire in expected.items()
    )
    assert dump(item, "v")[1] == 3 + size + len(item)


@pytest.mark.parametrize(
    "item, message",
    [
        ({"a": "x\ud800"}, "item.a cannot be stored in DynamoDB: text holds a lone"),
        ({"x\ud800": 1}, "item: an attribute name holds a lone surrogate"),
        ({"m": {"b": "\udc00"}}, "item.m.b cannot be stored in DynamoDB: text holds"),
        ({"n": 10**38}, "item.n cannot be stored in DynamoDB: number outside"),
        ({"n": -(10**38) + 1}, None),
        ({"m": {"n": 10**126}}, "item.m.n cannot be stored in DynamoDB: number"),
        ({"m": {2: "x"}}, "item.m: attribute names must be strings, got int 2"),
        ({"s": {1e-130, Decimal("1E-130")}}, "item.s cannot be stored in DynamoDB"),
    ],
)
def test_what_an_item_cannot_hold_is_named_by_its_path(
    item: dict[str, Any], message: str | None
) -> None:
    if message is None:
        assert item_to_wire(item, "item") == {"n": {"N": str(-(10**38) + 1)}}
        return
    with pytest.raises((ValueError, TypeError), match=re.escape(message)):
        item_to_wire(item, "item")
