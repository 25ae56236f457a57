"""The fields of a DynamoDB stream record, each checked as it is read.

What :mod:`.streams` reads of a record: a field of the wrong type, a table
ARN that is not a stream's, a time that is not one, an image the data path's
codec (:func:`.load.load_map`) refuses; each raises :class:`Refused` saying
which field or attribute, and which rule, never a value (the caller adds the
record's name).
"""

import re
from base64 import b64encode
from collections.abc import Mapping
from datetime import datetime, timezone
from math import isfinite
from typing import Any

from .load import MALFORMED_ERRORS, BadWire, load_map

# arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000
TABLE_OF_ARN = re.compile(r"arn:[^:]+:dynamodb:[^:]*:[^:]*:table/([^/]+)/stream/.+")
DECODING_ERRORS = (*MALFORMED_ERRORS, RecursionError)
REASON_NOT_WIRE = "not DynamoDB JSON"
ERROR_FIELD = "%s is missing or not %s"
ERROR_ARN = "eventSourceARN is not a table's stream ARN, and no table_name was given"
ERROR_NOT_IMAGE = "%s is not a map of attribute name to DynamoDB JSON value"
ERROR_ATTRIBUTE = "%s attribute %r is %s"


class Refused(Exception):
    """Why a record is not one (the caller names the record)."""


def record_field(fields: Mapping[str, Any], name: str, kind: type, label: str) -> Any:
    """A field of a record (or of its ``dynamodb`` part), of its type.

    Args:
        fields: The record, or its ``dynamodb`` part.
        name: The field, e.g. ``"eventName"``.
        kind: The type it must have.
        label: The type as the error says it (``"a string"``).

    Returns:
        The field's value.

    Raises:
        Refused: If it is missing or of another type.
    """
    value = fields.get(name)
    if not isinstance(value, kind):
        raise Refused(ERROR_FIELD % (name, label))
    return value


def table_of(record: Mapping[str, Any]) -> str:
    """The table a record changed, by its ``eventSourceARN``.

    Args:
        record: A record of a Lambda event.

    Returns:
        The table's name.

    Raises:
        Refused: If the ARN is missing or not a table stream's.
    """
    arn = record.get("eventSourceARN")
    found = TABLE_OF_ARN.fullmatch(arn) if isinstance(arn, str) else None
    if found is None:
        raise Refused(ERROR_ARN)
    return found.group(1)


def size_of(change: Mapping[str, Any]) -> int:
    """``SizeBytes``.

    Args:
        change: The record's ``dynamodb`` part.

    Returns:
        The size, in bytes.

    Raises:
        Refused: If it is missing or not a count of bytes.
    """
    size = change.get("SizeBytes")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise Refused(ERROR_FIELD % ("SizeBytes", "a count of bytes"))
    return size


def creation_time(change: Mapping[str, Any]) -> datetime | None:
    """``ApproximateCreationDateTime``: epoch seconds in JSON (Lambda,
    ``GetRecords``' body), a ``datetime`` from botocore's parser, or ISO 8601
    text, which botocore's parser also takes (moto 5.0 sends it).

    Args:
        change: The record's ``dynamodb`` part.

    Returns:
        The time, in UTC (a time without a zone taken as UTC); None when the
        record has none.

    Raises:
        Refused: If it is not a time.
    """
    when = change.get("ApproximateCreationDateTime")
    if when is None:
        return None
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            pass
    if isinstance(when, datetime):
        aware = when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc)
    if isinstance(when, (int, float)) and not isinstance(when, bool) and isfinite(when):
        try:
            return datetime.fromtimestamp(when, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            pass
    raise Refused(ERROR_FIELD % ("ApproximateCreationDateTime", "a time"))


def decoded_image(change: Mapping[str, Any], field: str) -> dict[str, Any] | None:
    """An image (or the keys) decoded by the data path's codec.

    Args:
        change: The record's ``dynamodb`` part.
        field: ``"Keys"``, ``"NewImage"`` or ``"OldImage"``.

    Returns:
        Attribute name to Python value (numbers as ``Decimal``); None when
        the record has no such field.

    Raises:
        Refused: If it is not a map of DynamoDB JSON values, naming the
            first attribute the codec refuses and why.
    """
    wire = change.get(field)
    if wire is None:
        return None
    if type(wire) is not dict:
        raise Refused(ERROR_NOT_IMAGE % field)
    try:
        return load_map(wire)
    except DECODING_ERRORS:
        pass
    try:
        holds_bytes = _holds_bytes(wire)  # botocore's parse: binary as bytes
    except RecursionError:  # nested beyond Python's stack: named below
        holds_bytes = False
    if holds_bytes:
        try:
            wire = _as_json(wire)
            return load_map(wire)
        except DECODING_ERRORS:
            pass
    raise Refused(_attribute_problem(wire, field))


def _attribute_problem(wire: dict[str, Any], field: str) -> str:
    """Which attribute of an image the codec refuses, and why (the rule
    broken, never the value: other errors may quote it)."""
    for attribute, value in wire.items():
        try:
            load_map({attribute: value})
        except DECODING_ERRORS as error:
            reason = str(error) if isinstance(error, BadWire) else REASON_NOT_WIRE
            return ERROR_ATTRIBUTE % (field, attribute, reason)
    return ERROR_NOT_IMAGE % field


def _holds_bytes(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray)):
        return True
    if isinstance(value, dict):
        return any(_holds_bytes(inner) for inner in value.values())
    if isinstance(value, list):
        return any(_holds_bytes(inner) for inner in value)
    return False


def _as_json(value: Any) -> Any:
    """A value of botocore's parse as its JSON form: bytes as base64 text."""
    if isinstance(value, (bytes, bytearray)):
        return b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {name: _as_json(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_as_json(inner) for inner in value]
    return value
