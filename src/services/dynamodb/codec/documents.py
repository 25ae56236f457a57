"""The JSON documents of the data path: msgspec's C reader and writer, with
``json``'s answers kept exactly.

Measured per item of a scan page (~1 KB items): ``json.loads`` 3.1 us,
msgspec 1.1 us (orjson 1.3 us); writing a batch: ``json.dumps`` 4.6 us,
msgspec 0.56 us (orjson 0.43 us). msgspec was taken over orjson because it
reads integers of any size as ``int`` (orjson turns those beyond 64 bits
into floats). Whatever msgspec refuses is handed to ``json``, which decides
as it always has, so every document reads and writes as before:

- a lone surrogate (``"\\ud800"``) is read as ``json`` reads it, and a
  string holding one is written with ``json``'s escape;
- ``NaN``, ``Infinity`` and numbers beyond a float's range are read by
  ``json`` (the answer checks then refuse them where a field is not a float);
- a document nested deeper than msgspec's limit goes to ``json``, whose
  ``RecursionError`` the answer checks turn into ``ResponseParserError``;
- duplicate keys keep the last value, in both;
- a document is UTF-8 text, as DynamoDB sends it: bytes that are not (a
  byte order mark, UTF-16 or UTF-32, surrogates encoded in UTF-8) are
  refused with ``UnicodeDecodeError``, where ``json.loads`` of the bytes
  would guess an encoding or let surrogates pass;
- what neither can write raises ``json``'s ``TypeError``.

``tests/dynamodb/test_documents.py`` holds both to the same answers.
"""

import base64
import json
from collections.abc import Callable
from typing import Any

import msgspec

_decode: Callable[[bytes], Any] = msgspec.json.Decoder().decode
_encode: Callable[[Any], bytes] = msgspec.json.Encoder().encode
# What msgspec raises for a document json may still read, or write.
_REFUSED_READ = (msgspec.MsgspecError, RecursionError)
_REFUSED_WRITE = (TypeError, ValueError, OverflowError, msgspec.MsgspecError)


def read_document(body: bytes) -> Any:
    """Read a JSON document, as ``json.loads`` reads its UTF-8 text.

    Args:
        body: The document's bytes.

    Returns:
        The value.

    Raises:
        ValueError: If it is not JSON (``json.JSONDecodeError``) or not
            UTF-8 (``UnicodeDecodeError``).
        RecursionError: If it is nested deeper than Python's stack.
    """
    try:
        return _decode(body)
    except _REFUSED_READ:
        return json.loads(body.decode())


def write_document(value: Any) -> bytes:
    """Write a request as compact JSON.

    The data path's requests are built by the codec: dicts, lists, text,
    integers, booleans, None and blobs (``bytes``, written as base64 by
    both). msgspec writes non-ASCII text as UTF-8 where ``json`` escapes
    it: the same document, fewer bytes. What msgspec refuses (a string with
    a lone surrogate, an integer beyond 64 bits) is written by ``json``.

    Args:
        value: The request.

    Returns:
        The document's bytes.

    Raises:
        TypeError: If neither can write a part of it.
    """
    try:
        return _encode(value)
    except _REFUSED_WRITE:
        return json.dumps(value, default=_blob, separators=(",", ":")).encode()


def _blob(value: object) -> str:
    """What ``json`` cannot write: blobs, as base64 (as msgspec writes them)."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
