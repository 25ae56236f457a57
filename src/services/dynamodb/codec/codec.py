"""Items and keys to DynamoDB JSON and back, checked as DynamoDB checks them.

The conversion is :mod:`.wire`'s (equal to boto3's ``TypeSerializer`` and
``TypeDeserializer``); this module adds the rules of whole items and keys:
a non-empty dict with string names, at most 400 KB, key attributes of the
table's key types. Everything is checked before any request, and an error
names the item and the attribute path.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary

from .wire import ERROR_NAME_TYPE, Wire, dump, dump_attributes, name_utf8_size

KeyTypes = dict[str, str]

MAX_ITEM_BYTES = 400 * 1024
KEY_VALUE_TYPES = (str, int, float, Decimal, bytes, Binary)

ERROR_NOT_DICT = "%s must be a dict of attribute name to value, got %s"
ERROR_EMPTY = "%s must name at least one attribute, got an empty dict"
ERROR_TOO_LARGE = "%s is about %d bytes, over DynamoDB's item limit of %d bytes"
ERROR_KEY_VALUE = "%s must be a string, a number or bytes, got %s"
ERROR_NOT_KEY_ATTRIBUTE = "%s: %r is not a key attribute of table %s (key: %s)"
ERROR_MISSING_KEY = "%s lacks key attribute %r of table %s"
ERROR_KEY_TYPE = "%s.%s must be of DynamoDB type %s for table %s, got %s"
ERROR_EMPTY_KEY = "%s.%s is empty: a key attribute cannot be an empty string or bytes"


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
    return dump(value, path)[0]


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
    wire, size = dump_attributes(_attributes(item, label), label, 0)
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
    for name in attributes:
        name_utf8_size(name, label)
    if key_types is not None:
        check_key_names(attributes, label, table, key_types)
    for name, value in attributes.items():
        if isinstance(value, bool) or not isinstance(value, KEY_VALUE_TYPES):
            raise ValueError(
                ERROR_KEY_VALUE % (f"{label}.{name}", type(value).__name__)
            )
    wire, _ = dump_attributes(attributes, label, 0)
    if key_types is None:
        for name in wire:
            _check_not_empty(wire, label, name)
    else:  # every attribute is a key attribute: each checked once, there
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
        ValueError: If a key attribute is missing, of the wrong type or
            empty.
    """
    for name, wanted in key_types.items():
        value = wire.get(name)
        if value is None:
            raise ValueError(ERROR_MISSING_KEY % (label, name, table))
        (got,) = value
        if got != wanted:
            raise ValueError(ERROR_KEY_TYPE % (label, name, wanted, table, got))
        _check_not_empty(wire, label, name)


def _check_not_empty(wire: Wire, label: str, name: str) -> None:
    """DynamoDB refuses an empty string or bytes as a key attribute."""
    for text in wire[name].values():
        if isinstance(text, (str, bytes, bytearray)) and not text:
            raise ValueError(ERROR_EMPTY_KEY % (label, name))


def _attributes(item: object, label: str) -> dict[str, Any]:
    """Return ``item`` if it is a non-empty dict with string names (another
    mapping: as a dict), else raise."""
    if not isinstance(item, dict):
        if not isinstance(item, Mapping):
            raise ValueError(ERROR_NOT_DICT % (label, type(item).__name__))
        item = dict(item)
    if not item:
        raise ValueError(ERROR_EMPTY % label)
    for name in item:
        if not isinstance(name, str):
            raise TypeError(ERROR_NAME_TYPE % (label, type(name).__name__, name))
    return item
