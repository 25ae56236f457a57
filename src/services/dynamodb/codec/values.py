"""Checks and conversions of the plain Python values a caller passes or reads."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

ERROR_ITEMS_NOT_LIST = "%s must be a list (or tuple) of dicts, got %s"
ERROR_OPTION_TYPE = "%s must be a %s, got %s"
# Request options the library passes on as they are, and the type each needs
# (botocore's own parameter validation is off: everything else is checked by
# the library before it builds a request).
OPTION_TYPES: dict[str, tuple[type, str]] = {
    "IndexName": (str, "string"),
    "ConsistentRead": (bool, "bool"),
    "ScanIndexForward": (bool, "bool"),
}
ERROR_NEGATIVE_LIMIT = "limit must be 0 (no limit) or a positive integer, got %r"


def check_list(values: object, label: str) -> list[Any]:
    """Check that ``values`` is a list, or another sequence (a tuple...).

    Args:
        values: The value to check.
        label: How to name the value in an error message.

    Returns:
        The list, unchanged, or the other sequence's elements as a list.

    Raises:
        ValueError: If ``values`` is not a sequence, or is a string.
    """
    if isinstance(values, list):
        return values
    if isinstance(values, (str, bytes, bytearray)) or not isinstance(values, Sequence):
        raise ValueError(ERROR_ITEMS_NOT_LIST % (label, type(values).__name__))
    return list(values)


def check_limit(limit: int) -> int:
    """Check a ``limit`` argument (0 means no limit).

    Args:
        limit: The value to check.

    Returns:
        The limit, unchanged.

    Raises:
        ValueError: If ``limit`` is negative or not an integer.
    """
    if not is_int_between(limit, 0, None):
        raise ValueError(ERROR_NEGATIVE_LIMIT % (limit,))
    return limit


def is_int_between(value: object, low: int, high: int | None) -> bool:
    """Tell whether ``value`` is an int (not a bool) from ``low`` to ``high``.

    Args:
        value: The value to check.
        low: The smallest value allowed.
        high: The largest value allowed, or None for no bound.

    Returns:
        True if it is such an int.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return low <= value and (high is None or value <= high)


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


def checked_options(**options: Any) -> dict[str, Any]:
    """Keep the options that are given (not None), checking their types.

    Args:
        **options: Request options by DynamoDB name, e.g. ``ConsistentRead``.

    Returns:
        The options that are not None.

    Raises:
        TypeError: If an option has the wrong type.
    """
    given = {name: value for name, value in options.items() if value is not None}
    for name, value in given.items():
        kind, label = OPTION_TYPES[name]
        if not isinstance(value, kind):
            raise TypeError(ERROR_OPTION_TYPE % (name, label, type(value).__name__))
    return given
