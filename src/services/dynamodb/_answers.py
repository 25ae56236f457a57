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
codec (:mod:`._wire`), which is where the client's time went: botocore's walk
of every attribute by its shape model, then boto3's second walk. Those
fields come back as Python items; the rest of the answer (``Count``,
``LastEvaluatedKey``, ``UnprocessedKeys``, ...) is parsed by botocore.
"""

import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from botocore.parsers import JSONParser, ResponseParserError, ResponseParserFactory

from ._wire import load_map

CRC32_HEADER = "x-amz-crc32"

ERROR_NOT_JSON_OBJECT = (
    "DynamoDB's answer is not a JSON object (%d bytes, starting %r); nothing "
    "can be taken from it"
)
ERROR_CRC32 = (
    "DynamoDB's answer to %s does not match its x-amz-crc32 checksum "
    "(header %s, body %d): it was damaged or cut short"
)
ERROR_MISSING_FIELD = "DynamoDB's answer to %s has no %r field"


_item = load_map


def _items(wires: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [load_map(wire) for wire in wires]


def _items_by_table(wires: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {table: _items(items) for table, items in wires.items()}


def _transact_items(answers: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"Item": _item(a["Item"])} if "Item" in a else {} for a in answers]


# Output shape -> (field, decoder): the fields decoded straight from JSON.
DECODED_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "GetItemOutput": ("Item", _item),
    "PutItemOutput": ("Attributes", _item),
    "UpdateItemOutput": ("Attributes", _item),
    "DeleteItemOutput": ("Attributes", _item),
    "QueryOutput": ("Items", _items),
    "ScanOutput": ("Items", _items),
    "BatchGetItemOutput": ("Responses", _items_by_table),
    "TransactGetItemsOutput": ("Responses", _transact_items),
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
    return expected.strip().isdigit() and int(expected) == zlib.crc32(body)


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
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ResponseParserError(
                ERROR_NOT_JSON_OBJECT % (len(raw_body), raw_body[:40])
            )
        decoded = DECODED_FIELDS.get(getattr(shape, "name", ""))
        if decoded is None or decoded[0] not in body:
            return self._parse_shape(shape, body)
        field, decode = decoded
        items = body.pop(field)
        parsed = self._parse_shape(shape, body)
        parsed[field] = decode(items)
        return parsed


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
