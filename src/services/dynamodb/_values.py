"""Checks and conversions of the plain Python values a caller passes or reads."""

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

# Values stored as they are: checked by exact type, so bool (an int) is here
# too and float is not.
PLAIN_SCALAR_TYPES = frozenset({str, int, bool, Decimal, bytes, type(None)})

ERROR_ITEMS_NOT_LIST = "%s must be a list of dicts, got %s"
ERROR_NOT_FINITE = "cannot store %r: DynamoDB numbers must be finite"
ERROR_NEGATIVE_LIMIT = "limit must be 0 (no limit) or a positive integer, got %r"


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
    return to_native(value)


def to_native(value: Any) -> Any:
    """Turn every ``Decimal`` into ``int`` (integral) or ``float``, at any depth.

    Args:
        value: A value as read from DynamoDB.

    Returns:
        The value with native numbers.
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {name: to_native(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [to_native(inner) for inner in value]
    if isinstance(value, set):
        return {to_native(inner) for inner in value}
    return value


def key_identity(key: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Return a hashable identity of a key, equal for equal keys.

    Args:
        key: A checked key (see :func:`check_key`).

    Returns:
        The key's attributes as a sorted tuple of pairs.
    """
    return tuple(sorted(key.items()))
