"""DynamoDB JSON from an answer to Python values, refusing anything else.

What it gives for a real DynamoDB value is exactly what boto3's
``TypeDeserializer`` gives after botocore's parsing (numbers as ``Decimal``,
binary values as ``Binary``; property tests in ``tests/dynamodb/test_wire.py``
check it). What no DynamoDB server sends is refused with :class:`BadWire` (or the
``TypeError``/``ValueError``/``ArithmeticError`` of the check that failed),
never coerced: a value naming no type or two, an unknown type, ``{"S": 5}``,
``{"BOOL": "false"}``, ``{"N": "not-a-number"}``, a number out of range, an
empty or repeated set, a ``B`` that is not base64. A message names the rule
broken, never the value.

The loaders are the ones of the data path, called once per attribute, so
each is a C function where one does the check (``str.__str__`` refuses
anything but a string; a context trapping ``InvalidOperation`` refuses text
that is not a number). One case is left to that C function, measured: a
single number of the wrong form that still reads as a number (``{"N": 5}``,
``{"N": "NaN"}``) is taken as ``Decimal`` (5, NaN); checking it in Python
cost 10 % of a full scan's CPU. Set members are checked in full.
"""

from base64 import b64decode
from collections.abc import Callable, Mapping
from decimal import InvalidOperation
from typing import Any

from boto3.dynamodb.types import DYNAMODB_CONTEXT, Binary

ERROR_ONE_TYPE = "a value does not name exactly one type"
ERROR_NOT_MAP = "expected a map of attribute name to value"
ERROR_NOT_LIST = "expected a list of values"
ERROR_NOT_NUMBER = "a number (N) is not finite"
ERROR_NOT_BOOL = "a BOOL is not true or false"
ERROR_NOT_NULL = "a NULL is not true"
ERROR_BAD_SET = "a set (SS, NS, BS) is not a non-empty list of distinct members"

_CHECKING_CONTEXT = DYNAMODB_CONTEXT.copy()
_CHECKING_CONTEXT.traps[InvalidOperation] = True
# Text that is not a number raises InvalidOperation; out of range, Overflow.
_create_decimal = _CHECKING_CONTEXT.create_decimal
# The value itself if it is a str; TypeError for anything else.
_as_str: Callable[[Any], str] = str.__str__


class BadWire(ValueError):
    """An answer holds something that is not a DynamoDB value."""


# What loading a part of the wrong JSON type raises besides BadWire (a tag
# that is not a key, ``"x".items()``, text that is not a number, ...):
# callers catch these as one, as "not DynamoDB JSON".
MALFORMED_ERRORS = (ValueError, TypeError, KeyError, AttributeError, ArithmeticError)


def load(wire: Mapping[str, Any]) -> Any:
    """Convert one DynamoDB JSON value, as ``json.loads`` gives it, to Python.

    Args:
        wire: e.g. ``{"N": "1.5"}``; binary values as base64 text.

    Returns:
        What boto3's ``TypeDeserializer`` returns for it after botocore's
        parsing.

    Raises:
        BadWire: If it is not a DynamoDB value (or another of
            :data:`MALFORMED_ERRORS`, from a part of the wrong type).
    """
    ((tag, value),) = wire.items()  # exactly one type, or ValueError
    return _LOADERS[tag](value)


def load_map(value: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a map of DynamoDB JSON values (an item, or an ``M``) to Python.

    Args:
        value: Attribute name to DynamoDB JSON value.

    Returns:
        Attribute name to Python value, as in :func:`load`.

    Raises:
        BadWire: As :func:`load`.
    """
    if type(value) is not dict:
        raise BadWire(ERROR_NOT_MAP)
    # Inlined load(): a Python call per attribute saved. A value naming no
    # type or two is left out, and then the count tells (cheaper, measured,
    # than unpacking each value's one item).
    loaders = _LOADERS
    loaded = {
        name: loaders[tag](wire[tag])
        for name, wire in value.items()
        if len(wire) == 1
        for tag in wire
    }
    if len(loaded) != len(value):
        raise BadWire(ERROR_ONE_TYPE)
    return loaded


def _load_list(value: list[Any]) -> list[Any]:
    if type(value) is not list:
        raise BadWire(ERROR_NOT_LIST)
    loaders = _LOADERS
    loaded = [
        loaders[tag](wire[tag]) for wire in value if len(wire) == 1 for tag in wire
    ]
    if len(loaded) != len(value):
        raise BadWire(ERROR_ONE_TYPE)
    return loaded


def _load_number(text: str) -> Any:
    number = _create_decimal(_as_str(text))
    if not number.is_finite():
        raise BadWire(ERROR_NOT_NUMBER)
    return number


def _load_binary(text: str) -> Binary:
    return Binary(b64decode(_as_str(text), validate=True))


def _load_bool(value: object) -> bool:
    if value is True or value is False:
        return value
    raise BadWire(ERROR_NOT_BOOL)


def _load_null(value: object) -> None:
    if value is not True:
        raise BadWire(ERROR_NOT_NULL)


def _load_set(members: list[Any], load_member: Callable[[Any], Any]) -> set[Any]:
    if type(members) is not list or not members:
        raise BadWire(ERROR_BAD_SET)
    loaded = set(map(load_member, members))
    if len(loaded) != len(members):
        raise BadWire(ERROR_BAD_SET)
    return loaded


def _load_strings(members: list[Any]) -> set[str]:
    return _load_set(members, _as_str)


def _load_numbers(members: list[Any]) -> set[Any]:
    return _load_set(members, _load_number)


def _load_binaries(members: list[Any]) -> set[Binary]:
    return _load_set(members, _load_binary)


_LOADERS: dict[str, Callable[[Any], Any]] = {
    "S": _as_str,
    "N": _create_decimal,
    "BOOL": _load_bool,
    "NULL": _load_null,
    "M": load_map,
    "L": _load_list,
    "B": _load_binary,
    "SS": _load_strings,
    "NS": _load_numbers,
    "BS": _load_binaries,
}
