"""Python values to DynamoDB JSON and back, with errors that name the attribute.

The conversion itself is boto3's ``TypeSerializer`` and ``TypeDeserializer``
(after the library's float rule: ``Decimal(str(x))``). What this module adds is
what DynamoDB would refuse only after part of a batch was written: every value
is converted, and its size, depth and map keys checked, before any request. When
boto3 refuses a value, the attribute path of the culprit is searched for (only
then) so that the error names it.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

from ._values import to_dynamo, to_native

Wire = dict[str, Any]
KeyTypes = dict[str, str]

MAX_ITEM_BYTES = 400 * 1024
MAX_DEPTH = 32
# DynamoDB's numbers: magnitudes from 1E-130 to 9.99...E+125, or zero.
MIN_EXPONENT = -130
MAX_EXPONENT = 125
KEY_VALUE_TYPES = (str, int, float, Decimal, bytes, Binary)

ERROR_NOT_DICT = "%s must be a dict of attribute name to value, got %s"
ERROR_EMPTY = "%s must name at least one attribute, got an empty dict"
ERROR_NAME_TYPE = "%s: attribute names must be strings, got %s %r"
ERROR_BAD_VALUE = "%s cannot be stored in DynamoDB: %s"
ERROR_NUMBER_RANGE = (
    "number outside DynamoDB's range (1E-130 to 9.99E+125 in magnitude) or "
    "38-digit precision"
)
ERROR_EMPTY_SET = "DynamoDB sets cannot be empty"
ERROR_TOO_DEEP = "%s is nested deeper than DynamoDB's %d levels"
ERROR_TOO_LARGE = "%s is about %d bytes, over DynamoDB's item limit of %d bytes"
ERROR_KEY_VALUE = "%s must be a string, a number or bytes, got %s"
ERROR_NOT_KEY_ATTRIBUTE = "%s: %r is not a key attribute of table %s (key: %s)"
ERROR_MISSING_KEY = "%s lacks key attribute %r of table %s"
ERROR_KEY_TYPE = "%s.%s must be of DynamoDB type %s for table %s, got %s"

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def value_to_wire(value: Any, path: str) -> Wire:
    """Convert one Python value to DynamoDB JSON.

    Args:
        value: Any value DynamoDB can hold; floats are stored as
            ``Decimal(str(x))``.
        path: How to name the value in an error, e.g. ``items[3].total``.

    Returns:
        The value as DynamoDB JSON, e.g. ``{"N": "1.5"}``.

    Raises:
        TypeError: If a map has a non-string key.
        ValueError: If DynamoDB cannot hold the value (unsupported type,
            number out of range or precision, NaN, empty or mixed set,
            nesting deeper than 32 levels); the message names its path.
    """
    return _sized_wire(value, path)[0]


def _sized_wire(value: Any, path: str) -> tuple[Wire, int]:
    try:
        wire: Any = _SERIALIZER.serialize(to_dynamo(value))
    except (TypeError, ValueError, ArithmeticError, RecursionError):
        _raise_for_culprit(value, path, 0)
        raise  # pragma: no cover - the search always finds the culprit
    return wire, _checked_size(wire, path, 0)


def item_to_wire(item: object, label: str) -> Wire:
    """Convert an item to DynamoDB JSON, checking it as DynamoDB would.

    Args:
        item: A non-empty dict of attribute name to value.
        label: How to name the item in an error, e.g. ``items[3]``.

    Returns:
        The item as DynamoDB JSON.

    Raises:
        TypeError: If an attribute name is not a string.
        ValueError: If ``item`` is not a non-empty dict, a value cannot be
            stored (see :func:`value_to_wire`), or the item is over 400 KB.
    """
    wire: Wire = {}
    size = 0
    for name, value in _attributes(item, label).items():
        wire[name], value_size = _sized_wire(value, f"{label}.{name}")
        size += len(name.encode()) + value_size
    if size > MAX_ITEM_BYTES:
        raise ValueError(ERROR_TOO_LARGE % (label, size, MAX_ITEM_BYTES))
    return wire


def key_to_wire(
    key: object, label: str, table: str = "", key_types: KeyTypes | None = None
) -> Wire:
    """Convert a primary key to DynamoDB JSON.

    Args:
        key: A non-empty dict of key attribute name to string, number or bytes.
        label: How to name the key in an error, e.g. ``keys[3]``.
        table: The table, for error messages.
        key_types: The table's key attributes and their DynamoDB types
            (``S``, ``N``, ``B``), when known; then every key attribute must
            be given, with its type, and nothing else.

    Returns:
        The key as DynamoDB JSON.

    Raises:
        TypeError: If an attribute name is not a string.
        ValueError: If the key is malformed or does not fit ``key_types``.
    """
    attributes = _attributes(key, label)
    if key_types is not None:
        check_key_names(attributes, label, table, key_types)
    for name, value in attributes.items():
        if isinstance(value, bool) or not isinstance(value, KEY_VALUE_TYPES):
            raise ValueError(
                ERROR_KEY_VALUE % (f"{label}.{name}", type(value).__name__)
            )
    wire = {
        name: value_to_wire(value, f"{label}.{name}")
        for name, value in attributes.items()
    }
    if key_types is not None:
        check_key_types(wire, label, table, key_types)
    return wire


def check_key_names(
    item: Mapping[str, Any], label: str, table: str, key_types: KeyTypes
) -> None:
    """Check that a key holds exactly the table's key attributes.

    Args:
        item: The key.
        label: How to name it in an error.
        table: The table, for error messages.
        key_types: The table's key attribute names and types.

    Raises:
        ValueError: If an attribute is not a key attribute or one is missing.
    """
    for name in item:
        if name not in key_types:
            schema = ", ".join(key_types)
            raise ValueError(ERROR_NOT_KEY_ATTRIBUTE % (label, name, table, schema))
    for name in key_types:
        if name not in item:
            raise ValueError(ERROR_MISSING_KEY % (label, name, table))


def check_key_types(wire: Wire, label: str, table: str, key_types: KeyTypes) -> None:
    """Check that an item's key attributes have the table's key types.

    Args:
        wire: The item or key as DynamoDB JSON.
        label: How to name it in an error.
        table: The table, for error messages.
        key_types: The table's key attribute names and types.

    Raises:
        ValueError: If a key attribute is missing or of the wrong type.
    """
    for name, wanted in key_types.items():
        value = wire.get(name)
        if value is None:
            raise ValueError(ERROR_MISSING_KEY % (label, name, table))
        (got,) = value
        if got != wanted:
            raise ValueError(ERROR_KEY_TYPE % (label, name, wanted, table, got))


def item_from_wire(
    wire: Mapping[str, Any], numbers_as: Literal["decimal", "native"]
) -> dict[str, Any]:
    """Convert an item read from DynamoDB to Python values.

    Args:
        wire: The item as DynamoDB JSON.
        numbers_as: ``"decimal"`` for ``Decimal`` numbers, ``"native"`` for
            ``int``/``float``.

    Returns:
        The item, as boto3's ``TypeDeserializer`` gives it.
    """
    item = {name: _DESERIALIZER.deserialize(value) for name, value in wire.items()}
    if numbers_as == "native":
        return {name: to_native(value) for name, value in item.items()}
    return item


def _attributes(item: object, label: str) -> dict[str, Any]:
    """Return ``item`` if it is a non-empty dict with string names, else raise."""
    if not isinstance(item, dict):
        raise ValueError(ERROR_NOT_DICT % (label, type(item).__name__))
    if not item:
        raise ValueError(ERROR_EMPTY % label)
    for name in item:
        if not isinstance(name, str):
            raise TypeError(ERROR_NAME_TYPE % (label, type(name).__name__, name))
    return item


def _raise_for_culprit(value: Any, path: str, depth: int) -> None:
    """Find the part of ``value`` boto3 refuses and raise an error naming it."""
    if depth > MAX_DEPTH:
        raise ValueError(ERROR_TOO_DEEP % (path, MAX_DEPTH))
    if isinstance(value, Mapping):
        for name, inner in value.items():
            if not isinstance(name, str):
                raise TypeError(ERROR_NAME_TYPE % (path, type(name).__name__, name))
            _raise_for_culprit(inner, f"{path}.{name}", depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, inner in enumerate(value):
            _raise_for_culprit(inner, f"{path}[{index}]", depth + 1)
    try:
        _SERIALIZER.serialize(to_dynamo(value))
    except ArithmeticError as error:
        raise ValueError(ERROR_BAD_VALUE % (path, ERROR_NUMBER_RANGE)) from error
    except (TypeError, ValueError) as error:
        raise ValueError(ERROR_BAD_VALUE % (path, error)) from error


def _checked_size(wire: Wire, path: str, depth: int) -> int:
    """DynamoDB's size of a value by its documented rules, approximately;
    also checks what boto3 lets through but DynamoDB refuses."""
    if depth > MAX_DEPTH:
        raise ValueError(ERROR_TOO_DEEP % (path, MAX_DEPTH))
    ((tag, value),) = wire.items()
    if tag == "S":
        return len(value.encode())
    if tag == "N":
        number = Decimal(value)
        if number and not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
            raise ValueError(ERROR_BAD_VALUE % (path, ERROR_NUMBER_RANGE))
        return len(value) // 2 + 2
    if tag == "B":
        return len(_bytes(value))
    if tag in ("SS", "NS", "BS"):
        if not value:
            raise ValueError(ERROR_BAD_VALUE % (path, ERROR_EMPTY_SET))
        return sum(_checked_size({tag[0]: m}, path, depth) for m in value)
    if tag == "L":
        return 3 + sum(
            1 + _checked_size(inner, f"{path}[{index}]", depth + 1)
            for index, inner in enumerate(value)
        )
    if tag == "M":
        return 3 + sum(
            1
            + _name_size(name, path)
            + _checked_size(inner, f"{path}.{name}", depth + 1)
            for name, inner in value.items()
        )
    return 1  # BOOL, NULL


def _name_size(name: object, path: str) -> int:
    if not isinstance(name, str):
        raise TypeError(ERROR_NAME_TYPE % (path, type(name).__name__, name))
    return len(name.encode())


def _bytes(value: Any) -> bytes:
    return bytes(value)  # Binary converts itself
