"""The data path's codec: Python values to DynamoDB JSON and back, in one walk.

It gives exactly what boto3's ``TypeSerializer``/``TypeDeserializer`` give
(after the library's float rule, ``Decimal(str(x))``), which property tests
check (``tests/dynamodb/test_wire.py``), but it is written for CPython's speed:
a table keyed by the value's exact type picks the converter, with boto3's
``isinstance`` order only for other types (subclasses, ``Binary``, other
mappings and sets). While it converts, it checks what DynamoDB would refuse
later (number range, empty sets, nesting depth, map keys) and adds up the
value's size, so an item is walked once.
"""

import math
from collections.abc import Callable, Mapping, Set
from decimal import Decimal, DecimalException
from typing import Any

from boto3.dynamodb.types import DYNAMODB_CONTEXT, Binary

Wire = dict[str, Any]
Sized = tuple[Wire, int]

MAX_DEPTH = 32
# DynamoDB's numbers: magnitudes from 1E-130 to 9.99...E+125, or zero.
MIN_EXPONENT = -130
MAX_EXPONENT = 125
# Integers with fewer digits than DynamoDB's 38 of precision: always exact and
# in range, so their text and size need no Decimal.
EXACT_INT_LIMIT = 10**38

ERROR_BAD_VALUE = "%s cannot be stored in DynamoDB: %s"
ERROR_NUMBER_RANGE = (
    "number outside DynamoDB's range (1E-130 to 9.99E+125 in magnitude) or "
    "38-digit precision"
)
ERROR_NOT_FINITE = "Infinity and NaN not supported"
ERROR_EMPTY_SET = "DynamoDB sets cannot be empty"
ERROR_MIXED_SET = "a set must hold only numbers, only strings or only bytes"
ERROR_SAME_NUMBERS = (
    "a set holds two numbers that are one number in DynamoDB (a float and "
    "a Decimal, say), which DynamoDB refuses as duplicates"
)
ERROR_UNSUPPORTED = "unsupported type %s"
ERROR_SURROGATE = "text holds a lone surrogate, which is not valid Unicode"
ERROR_NAME_SURROGATE = (
    "%s: an attribute name holds a lone surrogate, which is not valid Unicode"
)
ERROR_TOO_DEEP = "%s is nested deeper than DynamoDB's %d levels"
ERROR_NAME_TYPE = "%s: attribute names must be strings, got %s %r"

_create_decimal = DYNAMODB_CONTEXT.create_decimal


class BadValue(ValueError):
    """A value DynamoDB cannot hold; the message names its path."""


class UnsupportedValue(BadValue, TypeError):
    """A value of a type DynamoDB has no type for, or NaN or an infinity.

    A ``TypeError`` too, as boto3's serializer raises for these.
    """


def dump(value: Any, path: str, depth: int = 0) -> Sized:
    """Convert a value to DynamoDB JSON and tell its size.

    Args:
        value: Any value DynamoDB can hold.
        path: Its attribute path, for errors (``items[3].address.zip``).
        depth: How deep it is nested (DynamoDB allows 32 levels).

    Returns:
        The value as DynamoDB JSON, and its size by DynamoDB's rules.

    Raises:
        BadValue: If DynamoDB cannot hold the value.
        TypeError: If a map has a key that is not a string.
    """
    dumper = _DUMPERS.get(type(value))
    if dumper is None:
        dumper = _dumper_by_isinstance(value, path)
    return dumper(value, path, depth)


def checked_number(value: int | Decimal | float, path: str) -> Decimal:
    """A number as boto3 would send it, checked as boto3 and DynamoDB check it.

    Args:
        value: The number (a float is taken as ``Decimal(str(x))``).
        path: Its attribute path, for errors.

    Returns:
        The ``Decimal`` whose text boto3's serializer would send.

    Raises:
        UnsupportedValue: If it is NaN or infinite.
        BadValue: If it is out of range or too precise.
    """
    if type(value) is float:
        if not math.isfinite(value):
            raise UnsupportedValue(ERROR_BAD_VALUE % (path, ERROR_NOT_FINITE))
        value = Decimal(str(value))
    try:
        number = _create_decimal(value)
    except DecimalException:
        raise BadValue(ERROR_BAD_VALUE % (path, ERROR_NUMBER_RANGE)) from None
    if not number.is_finite():
        raise UnsupportedValue(ERROR_BAD_VALUE % (path, ERROR_NOT_FINITE))
    if number and not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise BadValue(ERROR_BAD_VALUE % (path, ERROR_NUMBER_RANGE))
    return number


def number_size(number: Decimal, text: str) -> int:
    """The bytes DynamoDB counts for a number (as dynalite counts them).

    Digits are stored in pairs aligned on the decimal exponent, leading and
    trailing zeros trimmed, plus a byte, plus one for a negative number.

    Args:
        number: A finite number in DynamoDB's range.
        text: Its text, ``str(number)``.

    Returns:
        Its size: 1 for zero, else 1 + the digit pairs (+ 1 if negative).
    """
    if not number:
        return 1
    significant = len(text.partition("E")[0].replace(".", "").strip("-0"))
    unaligned = significant % 2 == 0 and number.adjusted() % 2 == 0
    return 1 + (significant + 1) // 2 + unaligned + (text[0] == "-")


def _dump_none(value: None, path: str, depth: int) -> Sized:
    return {"NULL": True}, 1


def _dump_bool(value: bool, path: str, depth: int) -> Sized:
    return {"BOOL": value}, 1


def _dump_str(value: str, path: str, depth: int) -> Sized:
    try:
        return {"S": value}, len(value.encode())
    except UnicodeEncodeError:
        raise BadValue(ERROR_BAD_VALUE % (path, ERROR_SURROGATE)) from None


def utf8_size(text: str, path: str) -> int:
    """The UTF-8 length of a string DynamoDB can hold.

    Args:
        text: A value or an attribute name.
        path: Where it is, for errors.

    Returns:
        Its length in UTF-8 bytes.

    Raises:
        BadValue: If it is not valid Unicode (a lone surrogate); the message
            names the path, never the text.
    """
    try:
        return len(text.encode())
    except UnicodeEncodeError:
        raise BadValue(ERROR_BAD_VALUE % (path, ERROR_SURROGATE)) from None


def name_utf8_size(name: str, path: str) -> int:
    """The UTF-8 length of an attribute name (see :func:`utf8_size`).

    Args:
        name: The attribute name.
        path: Where the attribute is (its parent), for errors.

    Returns:
        Its length in UTF-8 bytes.

    Raises:
        BadValue: If it holds a lone surrogate; the message names the
            parent's path, never the name.
    """
    try:
        return len(name.encode())
    except UnicodeEncodeError:
        raise BadValue(ERROR_NAME_SURROGATE % path) from None


def _dump_number(value: int | Decimal | float, path: str, depth: int) -> Sized:
    number = checked_number(value, path)
    text = str(number)
    return {"N": text}, number_size(number, text)


def _dump_int(value: int, path: str, depth: int) -> Sized:
    """An ``int``: the text and size of :func:`_dump_number`, without Decimal."""
    if not -EXACT_INT_LIMIT < value < EXACT_INT_LIMIT:
        return _dump_number(value, path, depth)
    text = str(value)
    return {"N": text}, _exact_int_size(value, text)


def _dump_bytes(value: bytes | bytearray, path: str, depth: int) -> Sized:
    return {"B": value}, len(value)


def _dump_binary(value: Binary, path: str, depth: int) -> Sized:
    data: bytes = value.value  # type: ignore[attr-defined]
    return {"B": data}, len(data)


def _dump_list(value: list[Any] | tuple[Any, ...], path: str, depth: int) -> Sized:
    if depth >= MAX_DEPTH:
        raise BadValue(ERROR_TOO_DEEP % (path, MAX_DEPTH))
    wires = []
    size = 3
    for index, inner in enumerate(value):
        wire, inner_size = dump(inner, "%s[%d]" % (path, index), depth + 1)
        wires.append(wire)
        size += inner_size + 1
    return {"L": wires}, size


def _dump_map(value: Mapping[Any, Any], path: str, depth: int) -> Sized:
    if depth >= MAX_DEPTH:
        raise BadValue(ERROR_TOO_DEEP % (path, MAX_DEPTH))
    wires, size = dump_attributes(value, path, depth + 1)
    return {"M": wires}, 3 + size + len(wires)


def dump_attributes(value: Mapping[Any, Any], path: str, depth: int) -> Sized:
    """Convert the attributes of an item or a map, telling their size.

    Strings and integers of fewer than 38 digits, most of what items hold,
    are converted here without a call or an attribute path: a path is
    written only for an error, or for a value :func:`dump` converts.

    Args:
        value: Attribute name to value.
        path: The item's or map's path, for errors.
        depth: How deep its values are nested.

    Returns:
        The attributes as DynamoDB JSON, and the sum of their names' and
        values' sizes.

    Raises:
        BadValue: If DynamoDB cannot hold a value, or a name holds a lone
            surrogate.
        TypeError: If a name is not a string.
    """
    wires = {}
    size = 0
    for name, inner in value.items():
        if type(name) is not str and not isinstance(name, str):
            raise TypeError(ERROR_NAME_TYPE % (path, type(name).__name__, name))
        # ASCII text (no encoding, no surrogate) is as long as its UTF-8.
        try:
            size += len(name) if name.isascii() else len(name.encode())
        except UnicodeEncodeError:
            raise BadValue(ERROR_NAME_SURROGATE % path) from None
        kind = type(inner)
        if kind is str:
            wires[name] = {"S": inner}
            try:
                size += len(inner) if inner.isascii() else len(inner.encode())
            except UnicodeEncodeError:
                reason = ERROR_BAD_VALUE % (path + "." + name, ERROR_SURROGATE)
                raise BadValue(reason) from None
            continue
        if kind is int and -EXACT_INT_LIMIT < inner < EXACT_INT_LIMIT:
            text = str(inner)
            wires[name] = {"N": text}
            size += _exact_int_size(inner, text)
            continue
        wires[name], inner_size = dump(inner, path + "." + name, depth)
        size += inner_size
    return wires, size


def _exact_int_size(value: int, text: str) -> int:
    """:func:`number_size` of an ``int`` of fewer than 38 digits, from its
    text alone."""
    if not value:
        return 1
    negative = value < 0
    digits = len(text) - negative
    significant = len(text.rstrip("0")) - negative
    unaligned = significant % 2 == 0 and digits % 2 == 1
    return 1 + (significant + 1) // 2 + unaligned + negative


def _dump_set(value: Set[Any], path: str, depth: int) -> Sized:
    if not value:
        raise BadValue(ERROR_BAD_VALUE % (path, ERROR_EMPTY_SET))
    if all(_is_number(member) for member in value):
        numbers = [checked_number(member, path) for member in value]
        if len(set(numbers)) != len(numbers):
            raise BadValue(ERROR_BAD_VALUE % (path, ERROR_SAME_NUMBERS))
        texts = [str(number) for number in numbers]
        return {"NS": texts}, sum(map(number_size, numbers, texts))
    if all(isinstance(member, str) for member in value):
        return {"SS": list(value)}, sum(utf8_size(member, path) for member in value)
    if all(isinstance(member, (Binary, bytearray, bytes)) for member in value):
        members = [_binary_bytes(member) for member in value]
        return {"BS": members}, sum(len(member) for member in members)
    raise BadValue(ERROR_BAD_VALUE % (path, ERROR_MIXED_SET))


def _is_number(value: object) -> bool:
    # As boto3's serializer: in a set, True and False are the numbers 1 and 0.
    return isinstance(value, (int, Decimal, float))


def _binary_bytes(value: Binary | bytes | bytearray) -> Any:
    return value.value if isinstance(value, Binary) else value  # type: ignore


Dumper = Callable[[Any, str, int], Sized]

_DUMPERS: dict[type, Dumper] = {
    type(None): _dump_none,
    bool: _dump_bool,
    str: _dump_str,
    int: _dump_int,
    float: _dump_number,
    Decimal: _dump_number,
    bytes: _dump_bytes,
    bytearray: _dump_bytes,
    Binary: _dump_binary,
    list: _dump_list,
    tuple: _dump_list,
    dict: _dump_map,
    set: _dump_set,
    frozenset: _dump_set,
}


def _dumper_by_isinstance(value: Any, path: str) -> Dumper:
    """boto3's order of checks, for types not in the table (subclasses...)."""
    checks: list[tuple[type | tuple[type, ...], Dumper]] = [
        (bool, _dump_bool),
        ((int, Decimal, float), _dump_number),
        (str, _dump_str),
        (Binary, _dump_binary),
        ((bytearray, bytes), _dump_bytes),
        (Set, _dump_set),
        (Mapping, _dump_map),
        ((list, tuple), _dump_list),
    ]
    for kind, dumper in checks:
        if isinstance(value, kind):
            return dumper
    reason = ERROR_UNSUPPORTED % type(value).__name__
    raise UnsupportedValue(ERROR_BAD_VALUE % (path, reason))
