"""Checks and conversions of the plain Python values a caller passes or reads."""

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from boto3.dynamodb.types import Binary

KEY_SCALAR_TYPES = (str, int, Decimal, bytes, Binary)
# Values stored as they are: checked by exact type, so bool (an int) is here
# too and float is not.
PLAIN_SCALAR_TYPES = frozenset({str, int, bool, Decimal, bytes, type(None)})

ERROR_KEY_NOT_DICT = "%s must be a dict of attribute name to value, got %s"
ERROR_KEY_EMPTY = "%s must name at least one key attribute, got an empty dict"
ERROR_KEY_VALUE = "%s attribute %r must be a string, a number or bytes, got %s"
ERROR_ITEMS_NOT_LIST = "%s must be a list of dicts, got %s"
ERROR_NOT_FINITE = "cannot store %r: DynamoDB numbers must be finite"
ERROR_NEGATIVE_LIMIT = "limit must be 0 (no limit) or a positive integer, got %r"


def check_key(key: object, label: str = "key") -> dict[str, Any]:
    """Check that ``key`` is a non-empty dict of scalar key attributes.

    Args:
        key: The value to check.
        label: How to name the value in an error message.

    Returns:
        The key with floats converted to ``Decimal``.

    Raises:
        ValueError: If ``key`` is not a dict, is empty, or holds a value that
            cannot be a key attribute.
    """
    if not isinstance(key, dict):
        raise ValueError(ERROR_KEY_NOT_DICT % (label, type(key).__name__))
    if not key:
        raise ValueError(ERROR_KEY_EMPTY % label)
    converted: dict[str, Any] = to_dynamo(key)
    for name, value in converted.items():
        check_key_value(value, name, label)
    return converted


def check_key_value(value: object, name: str, label: str) -> None:
    """Check that a key attribute's value is a string, a number or bytes.

    Args:
        value: The value, floats already converted.
        name: The attribute's name, for the error message.
        label: How to name the key or item in the error message.

    Raises:
        ValueError: If the value cannot be a key attribute.
    """
    if isinstance(value, bool) or not isinstance(value, KEY_SCALAR_TYPES):
        raise ValueError(ERROR_KEY_VALUE % (label, name, type(value).__name__))


def check_item(item: object, label: str = "item") -> dict[str, Any]:
    """Check that ``item`` is a non-empty dict and convert its floats.

    Args:
        item: The value to check.
        label: How to name the value in an error message.

    Returns:
        The item with floats converted to ``Decimal``, at any depth.

    Raises:
        ValueError: If ``item`` is not a non-empty dict, or holds NaN or infinity.
    """
    if not isinstance(item, dict):
        raise ValueError(ERROR_KEY_NOT_DICT % (label, type(item).__name__))
    if not item:
        raise ValueError(ERROR_KEY_EMPTY % label)
    converted: dict[str, Any] = to_dynamo(item)
    return converted


def check_list(values: object, label: str) -> list[Any]:
    """Check that ``values`` is a list.

    Args:
        values: The value to check.
        label: How to name the value in an error message.

    Returns:
        The list, unchanged.

    Raises:
        ValueError: If ``values`` is not a list.
    """
    if not isinstance(values, list):
        raise ValueError(ERROR_ITEMS_NOT_LIST % (label, type(values).__name__))
    return values


def check_limit(limit: int) -> int:
    """Check a ``limit`` argument (0 means no limit).

    Args:
        limit: The value to check.

    Returns:
        The limit, unchanged.

    Raises:
        ValueError: If ``limit`` is negative or not an integer.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(ERROR_NEGATIVE_LIMIT % (limit,))
    return limit


def to_dynamo(value: Any) -> Any:
    """Convert floats to ``Decimal`` (exactly, via ``str``) at any depth.

    Args:
        value: A plain Python value: scalar, list, tuple, set or mapping.

    Returns:
        The same value with every float replaced by a ``Decimal``.

    Raises:
        ValueError: If a float is NaN or infinite.
    """
    if type(value) in PLAIN_SCALAR_TYPES:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(ERROR_NOT_FINITE % value)
        return Decimal(str(value))
    if isinstance(value, Mapping):
        if all(type(inner) in PLAIN_SCALAR_TYPES for inner in value.values()):
            return value  # nothing to convert: no copy
        return {name: to_dynamo(inner) for name, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_dynamo(inner) for inner in value]
    if isinstance(value, (set, frozenset)):
        return {to_dynamo(inner) for inner in value}
    return value


def from_dynamo(value: Any, numbers_as: Literal["decimal", "native"]) -> Any:
    """Convert numbers read from DynamoDB as the configuration asks.

    Args:
        value: A value as boto3 returns it (numbers are ``Decimal``).
        numbers_as: ``"decimal"`` keeps ``Decimal``; ``"native"`` gives ``int``
            for integral numbers and ``float`` otherwise.

    Returns:
        The converted value.
    """
    if numbers_as == "decimal":
        return value
    return _to_native(value)


def _to_native(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {name: _to_native(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_to_native(inner) for inner in value]
    if isinstance(value, set):
        return {_to_native(inner) for inner in value}
    return value


def key_identity(key: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Return a hashable identity of a key, equal for equal keys.

    Args:
        key: A checked key (see :func:`check_key`).

    Returns:
        The key's attributes as a sorted tuple of pairs.
    """
    return tuple(sorted(key.items()))
