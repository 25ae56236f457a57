"""Only real DynamoDB answers count as success.

botocore takes an HTTP 200 whose body is an HTML page, malformed or cut-short
JSON, or nothing at all, as a successful empty answer, and after retrying a
body whose ``x-amz-crc32`` does not match, it returns that body anyway. The
service's own botocore session therefore uses :class:`CheckedJSONParser`, and
its client checks the checksum of the final answer, so that any of these
raises :class:`botocore.parsers.ResponseParserError` instead of a result.
Error answers are still parsed by botocore, so every ``ClientError`` and
modeled exception is unchanged.

The same parser hands the items of item-bearing answers (``Item``,
``Attributes``, ``Items``, ``Responses``) straight from the JSON to the
codec (:mod:`.load`; ``SearchResults``' items and scores by
:mod:`.search`), which is where the client's time went: botocore's walk
of every attribute by its shape model, then boto3's second walk. Those
fields come back as Python items (the records of DynamoDB Streams'
``GetRecords`` as the JSON has them, for :mod:`.streams` to decode); the
rest of the answer (``Count``, ``LastEvaluatedKey``, ``UnprocessedKeys``,
...) is checked against the
operation's output shape (:mod:`.shapes`) and parsed by botocore. A field
of the wrong shape raises ``ResponseParserError`` naming the operation and
the field, never a value; so does JSON nested deeper than Python's stack.

Error messages are returned with any secret the server quoted replaced by
``***`` (see :mod:`.redaction`).
"""

import zlib
from collections.abc import Callable, Mapping
from typing import Any

from botocore.parsers import JSONParser, ResponseParserError, ResponseParserFactory

from .documents import read_document
from .load import MALFORMED_ERRORS, BadWire, load_map
from .one_pass import read_item_answer
from .redaction import redact_secrets
from .search import search_results
from .shapes import shape_problem

CRC32_HEADER = "x-amz-crc32"
CRC32_DIGITS = len(str(2**32 - 1))

ERROR_NOT_JSON_OBJECT = (
    "DynamoDB's answer to %s is not a JSON object (%d bytes); nothing can be "
    "taken from it"
)
ERROR_CRC32 = (
    "DynamoDB's answer to %s does not match its x-amz-crc32 checksum "
    "(header %s, body %d): it was damaged or cut short"
)
ERROR_MISSING_FIELD = "DynamoDB's answer to %s has no %r field"
ERROR_MALFORMED_FIELD = "DynamoDB's answer to %s has a malformed %s field: %s"
REASON_NOT_ITEMS = "not DynamoDB JSON items"
REASON_NOT_RECORDS = "not a list of stream records"
# What decoding a field of the wrong shape raises: the codec's errors, and
# RecursionError for nesting beyond the stack.
DECODING_ERRORS = (*MALFORMED_ERRORS, RecursionError)


def _items(wires: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if type(wires) is not list:
        raise BadWire(REASON_NOT_ITEMS)
    return [load_map(wire) for wire in wires]


def _items_by_table(wires: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    if type(wires) is not dict:
        raise BadWire(REASON_NOT_ITEMS)
    return {table: _items(items) for table, items in wires.items()}


def _transact_items(answers: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if type(answers) is not list or not all(type(a) is dict for a in answers):
        raise BadWire(REASON_NOT_ITEMS)
    return [{"Item": load_map(a["Item"])} if "Item" in a else {} for a in answers]


def _stream_records(records: list[Any]) -> list[dict[str, Any]]:
    """GetRecords' records as the JSON holds them (as a Lambda event does),
    for :mod:`.streams` to decode naming each record."""
    if type(records) is not list or not all(type(r) is dict for r in records):
        raise BadWire(REASON_NOT_RECORDS)
    return records


# Output shape -> (field, decoder): the fields decoded straight from JSON.
DECODED_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "GetItemOutput": ("Item", load_map),
    "PutItemOutput": ("Attributes", load_map),
    "UpdateItemOutput": ("Attributes", load_map),
    "DeleteItemOutput": ("Attributes", load_map),
    "QueryOutput": ("Items", _items),
    "ScanOutput": ("Items", _items),
    "BatchGetItemOutput": ("Responses", _items_by_table),
    "TransactGetItemsOutput": ("Responses", _transact_items),
    "ExecuteStatementOutput": ("Items", _items),
    "SearchVectorsOutput": ("SearchResults", search_results),
    # DynamoDB Streams (a client on the same session)
    "GetRecordsOutput": ("Records", _stream_records),
}


def crc32_matches(headers: Mapping[str, str], body: bytes) -> bool:
    """Tell whether a body matches its ``x-amz-crc32`` header, if it has one.

    Args:
        headers: The answer's headers.
        body: The answer's body.

    Returns:
        False only when the header is present and differs from the body's CRC32.
    """
    expected = headers.get(CRC32_HEADER)
    if expected is None:
        return True
    text = expected.strip()
    # ASCII digits only, and no longer than a CRC32 can be written: str's
    # isdigit() takes "²", which int() refuses, and int() refuses 4,301 digits.
    if not (text.isascii() and text.isdigit()) or len(text) > CRC32_DIGITS:
        return False
    return int(text) == zlib.crc32(body)


# botocore has no type hints: its classes are Any to mypy.
_JSONParser: Any = JSONParser
_ResponseParserFactory: Any = ResponseParserFactory


class CheckedJSONParser(_JSONParser):  # type: ignore[misc]
    """botocore's JSON parser, refusing success bodies that are not JSON objects."""

    def _do_parse(self, response: dict[str, Any], shape: Any) -> dict[str, Any]:
        if not crc32_matches(response["headers"], response["body"]):
            # botocore's checksum retry sends the request again; the client's
            # after-call check refuses the answer if the last one is damaged.
            return {"ResponseMetadata": {}}
        parsed: dict[str, Any] = super()._do_parse(response, shape)
        return parsed

    def _handle_json_body(self, raw_body: bytes, shape: Any) -> Any:
        operation = _operation(shape)
        if shape is None:
            return self._parse_shape(shape, _json_object(raw_body, operation))
        body, field, decoded = _split_items(raw_body, shape, operation)
        parsed: dict[str, Any] = {}
        if body:  # fields besides the decoded one: checked, then botocore's
            problem = shape_problem(body, shape, "")
            if problem is not None:
                raise ResponseParserError(ERROR_MALFORMED_FIELD % (operation, *problem))
            parsed = self._parse_shape(shape, body)
        if decoded is not None:
            parsed[field] = decoded
        return parsed

    def _do_error_parse(self, response: dict[str, Any], shape: Any) -> Any:
        """botocore's error parsing, with any secret the server echoed
        (AWS quotes the signed headers, session token included, when a
        signature does not match) replaced by ``***``."""
        parsed = super()._do_error_parse(response, shape)
        _redact_messages(parsed["Error"])
        return parsed


def _redact_messages(fields: dict[str, Any]) -> None:
    """Redact secrets in an error's ``message``/``Message``, in place."""
    for name in ("message", "Message"):
        if isinstance(fields.get(name), str):
            fields[name] = redact_secrets(fields[name])


def _operation(shape: Any) -> str:
    """The operation an output shape belongs to (``GetItemOutput``: GetItem)."""
    name = str(getattr(shape, "name", "") or "an operation")
    return name[: -len("Output")] if name.endswith("Output") else name


def _split_items(
    raw_body: bytes, shape: Any, operation: str
) -> tuple[dict[str, Any], str, Any]:
    """The answer without its item field, that field's name, and its items
    as Python values (None when absent): read in one pass where
    :func:`.one_pass.read_item_answer` reads it, else as JSON, then decoded."""
    field, decode = DECODED_FIELDS.get(shape.name, ("", None))
    body = None if decode is None else read_item_answer(raw_body, shape)
    if body is not None:
        return body, field, body.pop(field, None)
    body = _json_object(raw_body, operation)
    if shape.metadata.get("exception"):
        _redact_messages(body)
    decoded = None
    if decode is not None and field in body:
        decoded = _decoded(decode, body.pop(field), operation, field)
    return body, field, decoded


def _json_object(raw_body: bytes, operation: str) -> dict[str, Any]:
    """The body as a JSON object; ResponseParserError if it is not one."""
    try:
        body = read_document(raw_body) if raw_body else None
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise ResponseParserError(ERROR_NOT_JSON_OBJECT % (operation, len(raw_body)))
    return body


def _decoded(
    decode: Callable[[Any], Any], wire: Any, operation: str, field: str
) -> Any:
    """A field decoded by the codec; ResponseParserError naming it if it is
    not DynamoDB JSON (the cause is dropped: it may quote a value)."""
    try:
        return decode(wire)
    except DECODING_ERRORS as error:
        reason = str(error) if isinstance(error, BadWire) else REASON_NOT_ITEMS
    raise ResponseParserError(ERROR_MALFORMED_FIELD % (operation, field, reason))


class CheckedParserFactory(_ResponseParserFactory):  # type: ignore[misc]
    """Gives :class:`CheckedJSONParser` for DynamoDB's ``json`` protocol."""

    def create_parser(self, protocol_name: str) -> Any:
        """Create the parser of a protocol.

        Args:
            protocol_name: botocore's protocol name.

        Returns:
            A :class:`CheckedJSONParser` for ``json``, botocore's parser otherwise.
        """
        if protocol_name == "json":
            return CheckedJSONParser(**self._defaults)
        return super().create_parser(protocol_name)


def refuse_damaged_answer(http_response: Any, model: Any, **kwargs: Any) -> None:
    """botocore ``after-call`` handler: refuse a final answer failing its CRC32.

    Args:
        http_response: The last HTTP response, after botocore's retries.
        model: The operation model.
        **kwargs: The rest of the event's arguments.

    Raises:
        ResponseParserError: If the body does not match ``x-amz-crc32``.
    """
    if http_response is None or http_response.status_code >= 300:
        return
    body = http_response.content
    if not crc32_matches(http_response.headers, body):
        header = http_response.headers.get(CRC32_HEADER)
        raise ResponseParserError(ERROR_CRC32 % (model.name, header, zlib.crc32(body)))


def required(response: Mapping[str, Any], field: str, operation: str) -> Any:
    """Return a field every answer of ``operation`` carries.

    Args:
        response: The parsed answer.
        field: The field, e.g. ``"Count"``.
        operation: The operation, for the message.

    Returns:
        The field's value.

    Raises:
        ResponseParserError: If the answer lacks the field.
    """
    try:
        return response[field]
    except KeyError:
        raise ResponseParserError(ERROR_MISSING_FIELD % (operation, field)) from None
