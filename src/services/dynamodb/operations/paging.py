"""Page tokens of query and scan results: resuming them.

Pages are followed by :class:`.reads.ReadOperations`; this module turns a
``LastEvaluatedKey`` into a page token and back. A token is meant to
travel through a browser: it is URL-safe (base64url, no padding), it is bound
to the operation, table and index it came from, and, when the configuration
has a ``page_token_secret``, it is signed with HMAC-SHA256 so that an altered
or crafted token is refused. It is not encrypted: it shows the key values of
the last item read.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from pydantic import SecretStr

from ..codec.codec import value_to_wire
from ..codec.wire import Wire

TOKEN_VERSION = 1
MAX_TOKEN_LENGTH = 8192
MAX_KEY_ATTRIBUTES = 4  # table and index keys: two each at most
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")

ERROR_BAD_TOKEN = "next_token is not a page token issued by this library: %s"
ERROR_OTHER_SCOPE = (
    "next_token belongs to another read (%s); it continues only the %s it came from"
)


class TokenScope(NamedTuple):
    """The read a token belongs to."""

    operation: str
    table: str
    index_name: str | None


def encode_token(
    last_key: Wire | None, scope: TokenScope, secret: SecretStr | None
) -> str | None:
    """Turn a ``LastEvaluatedKey`` into a page token.

    Args:
        last_key: The key as DynamoDB JSON, or None after the last page.
        scope: The read the token continues.
        secret: Signing key, or None for unsigned tokens.

    Returns:
        The token, or None when there is no next page.
    """
    if last_key is None:
        return None
    key = {name: _json_value(value) for name, value in last_key.items()}
    payload = json.dumps(
        [TOKEN_VERSION, scope.operation, scope.table, scope.index_name, key],
        separators=(",", ":"),
    ).encode()
    token = _b64(payload)
    if secret is not None:
        token += "." + _b64(_signature(secret, payload))
    return token


def decode_token(token: object, scope: TokenScope, secret: SecretStr | None) -> Wire:
    """Turn a token made by :func:`encode_token` back into a start key.

    Args:
        token: The token a caller sent back.
        scope: The read being continued.
        secret: The signing key tokens were made with, or None.

    Returns:
        The ``ExclusiveStartKey`` to send, as DynamoDB JSON.

    Raises:
        ValueError: If the token was not made by :func:`encode_token` with
            this secret, was altered, or belongs to another read.
    """
    payload = _verified_payload(token, secret)
    try:
        fields = json.loads(payload)
    except (ValueError, RecursionError):
        raise ValueError(ERROR_BAD_TOKEN % "not JSON") from None
    if not isinstance(fields, list) or len(fields) != 5 or fields[0] != TOKEN_VERSION:
        raise ValueError(ERROR_BAD_TOKEN % "unknown layout")
    _, operation, table, index, key = fields
    if TokenScope(operation, table, index) != scope:
        issued = "%s of table %s, index %s" % (operation, table, index)
        raise ValueError(ERROR_OTHER_SCOPE % (issued, scope.operation))
    return _start_key(key)


def _verified_payload(token: object, secret: SecretStr | None) -> bytes:
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        raise ValueError(ERROR_BAD_TOKEN % "not a string of 1 to 8192 characters")
    parts = token.split(".")
    if len(parts) != (1 if secret is None else 2):
        signed = "unsigned" if secret is not None else "signed"
        raise ValueError(ERROR_BAD_TOKEN % ("a %s token" % signed))
    payload = _unb64(parts[0])
    if secret is not None:
        if not hmac.compare_digest(_unb64(parts[1]), _signature(secret, payload)):
            raise ValueError(ERROR_BAD_TOKEN % "its signature does not match")
    return payload


def _start_key(key: object) -> Wire:
    if not isinstance(key, dict) or not 0 < len(key) <= MAX_KEY_ATTRIBUTES:
        raise ValueError(ERROR_BAD_TOKEN % "no key in it")
    start: Wire = {}
    for name, value in key.items():
        if not isinstance(value, dict) or len(value) != 1:
            raise ValueError(ERROR_BAD_TOKEN % "malformed key")
        ((tag, text),) = value.items()
        if not isinstance(text, str) or tag not in ("S", "N", "B"):
            raise ValueError(ERROR_BAD_TOKEN % "malformed key")
        start[name] = _wire_value(tag, text)
    return start


def _wire_value(tag: str, text: str) -> Wire:
    if tag == "S":
        return {"S": text}
    if tag == "B":
        return {"B": _unb64(text)}
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(ERROR_BAD_TOKEN % "malformed number") from None
    return value_to_wire(number, "next_token")


def _json_value(value: Wire) -> Wire:
    ((tag, inner),) = value.items()
    return {tag: _b64(inner)} if tag == "B" else {tag: inner}


def _signature(secret: SecretStr, payload: bytes) -> bytes:
    key = secret.get_secret_value().encode()
    return hmac.new(key, payload, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    if not BASE64URL.fullmatch(text):
        raise ValueError(ERROR_BAD_TOKEN % "not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(ERROR_BAD_TOKEN % "not base64url") from None
