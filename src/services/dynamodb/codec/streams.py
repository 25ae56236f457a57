"""Records of a table's stream (DynamoDB Streams) as Python values.

A record reaches a program in a Lambda event (``{"Records": [...]}``, each
record as the Streams API's ``GetRecords`` gives it, plus the
``eventSourceARN`` naming the table), or from ``GetRecords`` itself. Its
keys and images are decoded as reads decode items: by the data path's codec
(:func:`.load.load_map`, with its checks), numbers as ``Decimal`` or native,
images as dicts or validated ``model=`` instances (:mod:`.models`).

What is not a stream record is refused with ``ValueError`` naming the
record (its ``eventID`` and sequence number) and the field or attribute,
never a value. Records as botocore's own client parses them (binary values
as ``bytes``, ``ApproximateCreationDateTime`` as a ``datetime``) are read
too, so a record of ``boto3.client("dynamodbstreams").get_records()``
decodes as its JSON form does.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, cast

from pydantic import BaseModel

from .stream_fields import (
    ERROR_FIELD,
    Refused,
    creation_time,
    decoded_image,
    record_field,
    size_of,
    table_of,
)
from .models import M, check_model, model_reader
from .values import to_native

NumbersAs = Literal["decimal", "native"]
EVENT_NAMES = frozenset({"INSERT", "MODIFY", "REMOVE"})
IMAGES = ("NewImage", "OldImage")

ERROR_EVENT = "a DynamoDB streams event is a mapping with a 'Records' list, got %s"
ERROR_RECORD = "stream record %s: %s"
ERROR_NOT_RECORD = "not a mapping (got %s)"
ERROR_EVENT_NAME = "eventName is not INSERT, MODIFY or REMOVE"
ERROR_NUMBERS_AS = "numbers_as must be 'decimal' or 'native', got %r"
ERROR_TABLE_NAME = "table_name must be a table's name (a string) or None, got %s"


@dataclass(frozen=True)
class StreamRecord(Generic[M]):
    """One change of an item, as a table's stream tells it.

    Attributes:
        event_name: ``"INSERT"``, ``"MODIFY"`` or ``"REMOVE"``.
        keys: The item's key attributes (always dicts, numbers as
            configured).
        new_image: The item after the change, as reads return items (a dict,
            or a ``model=`` instance); None where the stream's view type has
            no new image (``KEYS_ONLY``, ``OLD_IMAGE``) and for ``REMOVE``.
        old_image: The item before the change; None where the view type has
            none (``KEYS_ONLY``, ``NEW_IMAGE``) and for ``INSERT``.
        sequence_number: The record's place in its shard (decimal digits).
        approximate_creation_time: When the change was made (UTC, to the
            second); None for a record without one (the Streams API does
            not require it, and the Lambda guide's sample event has none).
        size_bytes: The record's size, as DynamoDB counts it.
        table_name: The table changed (from ``eventSourceARN``, or the table
            read).
        event_id: The record's unique id (``eventID``), e.g. to process each
            record once.
    """

    event_name: str
    keys: dict[str, Any]
    new_image: M | None
    old_image: M | None
    sequence_number: str
    approximate_creation_time: datetime | None
    size_bytes: int
    table_name: str
    event_id: str


def record_decoder(
    model: type[M] | None, numbers_as: str, table_name: str | None = None
) -> Callable[[Any], StreamRecord[M]]:
    """What turns stream records into :class:`StreamRecord` values.

    Args:
        model: A pydantic model class for the images, or None for dicts.
        numbers_as: ``"decimal"`` or ``"native"`` (int/float).
        table_name: The table the records are of; None to read it from
            each record's ``eventSourceARN``.

    Returns:
        A function of one record (raising ``ValueError`` as
        :func:`stream_record` does).

    Raises:
        TypeError: If ``model`` is neither None nor a usable model class, or
            ``table_name`` neither None nor a non-empty string.
        ValueError: If ``numbers_as`` is neither value.
    """
    check_model(model)
    if numbers_as not in ("decimal", "native"):
        raise ValueError(ERROR_NUMBERS_AS % (numbers_as,))
    if table_name is not None and (not isinstance(table_name, str) or not table_name):
        raise TypeError(ERROR_TABLE_NAME % type(table_name).__name__)
    native = numbers_as == "native"

    def decode(record: Any) -> StreamRecord[M]:
        name = _record_name(record)
        try:
            return _decoded(record, name, model, native, table_name)
        except Refused as refused:
            raise ValueError(ERROR_RECORD % (name, refused)) from None

    return decode


def stream_records(
    event: Mapping[str, Any],
    *,
    model: type[M] | None = None,
    numbers_as: NumbersAs = "decimal",
) -> list[StreamRecord[M]]:
    """Decode a Lambda event of DynamoDB stream records.

    Args:
        event: The event Lambda hands the handler (``{"Records": [...]}``).
        model: A pydantic model class: images as instances of it, validated
            as reads validate items; None for dicts.
        numbers_as: Numbers as ``Decimal`` (``"decimal"``, as
            ``DynamoDBConfig`` reads them by default) or int/float
            (``"native"``).

    Returns:
        The records, in the event's order.

    Raises:
        TypeError: If ``model`` is not a pydantic model class.
        ValueError: If the event holds no ``Records`` list, or a record is
            malformed (naming the record and the field or attribute), or an
            image does not fit ``model``.
    """
    records = event.get("Records") if isinstance(event, Mapping) else None
    if not isinstance(records, list):
        raise ValueError(ERROR_EVENT % (type(event).__name__,))
    decode: Callable[[Any], StreamRecord[M]] = record_decoder(model, numbers_as)
    return [decode(record) for record in records]


def stream_record(
    record: Mapping[str, Any],
    *,
    model: type[M] | None = None,
    numbers_as: NumbersAs = "decimal",
    table_name: str | None = None,
) -> StreamRecord[M]:
    """Decode one DynamoDB stream record (of a Lambda event, or of ``GetRecords``).

    Args:
        record: One record, e.g. ``event["Records"][0]``.
        model: As in :func:`stream_records`.
        numbers_as: As in :func:`stream_records`.
        table_name: The table, for a record without ``eventSourceARN`` (one
            of ``GetRecords``); None to read it from the ARN.

    Returns:
        The record.

    Raises:
        TypeError: If ``model`` is not a pydantic model class.
        ValueError: As :func:`stream_records`.
    """
    decode: Callable[[Any], StreamRecord[M]] = record_decoder(
        model, numbers_as, table_name
    )
    return decode(record)


def _decoded(
    record: Any,
    name: str,
    model: type[M] | None,
    native: bool,
    table_name: str | None,
) -> StreamRecord[M]:
    if not isinstance(record, Mapping):
        raise Refused(ERROR_NOT_RECORD % type(record).__name__)
    change = record_field(record, "dynamodb", Mapping, "a map")
    event_name = record_field(record, "eventName", str, "a string")
    if event_name not in EVENT_NAMES:
        raise Refused(ERROR_EVENT_NAME)
    table = table_name if table_name is not None else table_of(record)
    keys = decoded_image(change, "Keys")
    if keys is None:
        raise Refused(ERROR_FIELD % ("dynamodb.Keys", "a map"))
    new, old = (
        _read_image(change, field, model, native, table, name) for field in IMAGES
    )
    return StreamRecord(
        event_name=event_name,
        keys=to_native(keys) if native else keys,
        new_image=new,
        old_image=old,
        sequence_number=record_field(change, "SequenceNumber", str, "a string"),
        approximate_creation_time=creation_time(change),
        size_bytes=size_of(change),
        table_name=table,
        event_id=record_field(record, "eventID", str, "a string"),
    )


def _read_image(
    change: Mapping[str, Any],
    field: str,
    model: type[M] | None,
    native: bool,
    table: str,
    name: str,
) -> Any:
    """An image as the caller gets it: None, a dict, or a validated model
    instance (one that does not fit raises ``ValueError`` naming the record
    and the image)."""
    image = decoded_image(change, field)
    if image is None or model is None:
        return to_native(image) if native else image
    named = "(%s of stream record %s)" % (field, name)
    read = model_reader(cast(type[BaseModel], model), table, lambda item: named)
    return read(image)


def _record_name(record: Any) -> str:
    """A record's name for errors: its ``eventID`` and sequence number."""
    if not isinstance(record, Mapping):
        return "(not a mapping)"
    change = record.get("dynamodb")
    sequence = change.get("SequenceNumber") if isinstance(change, Mapping) else None
    return "%s (sequence number %s)" % (
        _short(record.get("eventID")),
        _short(sequence),
    )


def _short(value: object) -> str:
    return repr(value) if isinstance(value, str) and len(value) <= 64 else "?"
