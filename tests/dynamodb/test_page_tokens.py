"""Page tokens a web client may hold: URL-safe, bound to their read, signed."""

import base64
import json
import logging
import random
import string

import pytest
from pydantic import SecretStr

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.operations.paging import TokenScope, decode_token, encode_token

SCOPE = TokenScope("scan", "orders", None)
SECRET = SecretStr("a-signing-key-of-some-length")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_tokens_are_url_safe_for_random_keys() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choices(string.printable, k=rng.randint(1, 40)))
        key = {"pk": {"S": text}, "sk": {"N": str(rng.randint(-(10**9), 10**9))}}
        token = encode_token(key, SCOPE, None)
        assert token is not None
        assert set(token) <= set(string.ascii_letters + string.digits + "-_")
        assert decode_token(token, SCOPE, None) == key


def test_binary_keys_round_trip() -> None:
    key = {"pk": {"B": b"\x00\xff+/="}}
    token = encode_token(key, SCOPE, None)
    assert decode_token(token, SCOPE, None) == key


def test_token_continues_only_the_read_it_came_from() -> None:
    token = encode_token({"pk": {"S": "a"}}, SCOPE, None)
    for other in (
        TokenScope("query", "orders", None),
        TokenScope("scan", "orders-2", None),
        TokenScope("scan", "orders", "by-email"),
    ):
        with pytest.raises(ValueError, match="belongs to another read"):
            decode_token(token, other, None)


def test_signed_token_refuses_any_alteration() -> None:
    token = encode_token({"pk": {"S": "a"}}, SCOPE, SECRET)
    assert token is not None and "." in token
    assert decode_token(token, SCOPE, SECRET) == {"pk": {"S": "a"}}
    payload, signature = token.split(".")
    forged = b64(json.dumps([1, "scan", "orders", None, {"pk": {"S": "b"}}]).encode())
    for altered in (
        forged + "." + signature,
        payload,
        payload + "." + b64(b"x" * 32),
        token + "x",
    ):
        with pytest.raises(ValueError, match="not a page token issued"):
            decode_token(altered, SCOPE, SECRET)
    with pytest.raises(ValueError, match="signature does not match"):
        decode_token(token, SCOPE, SecretStr("another-key-entirely"))


DEEP = "[" * 100_000 + "]" * 100_000
FORGED = {
    "empty": "",
    "not-base64": "abc$%^",
    "padded": b64(b"[1]") + "==",
    "not-json": b64(b"{{{"),
    "deep-nesting": b64(DEEP.encode())[:8000],
    "deep-json": b64(("[" * 3000 + "]" * 3000).encode()),
    "wrong-layout": b64(b'{"a": 1}'),
    "wrong-version": b64(b'[2, "scan", "orders", null, {"pk": {"S": "a"}}]'),
    "no-key": b64(b'[1, "scan", "orders", null, {}]'),
    "key-not-dict": b64(b'[1, "scan", "orders", null, [1]]'),
    "bad-type": b64(b'[1, "scan", "orders", null, {"pk": {"M": "a"}}]'),
    "value-not-string": b64(b'[1, "scan", "orders", null, {"pk": {"S": 1}}]'),
    "bad-number": b64(b'[1, "scan", "orders", null, {"pk": {"N": "1x"}}]'),
    "nan-number": b64(b'[1, "scan", "orders", null, {"pk": {"N": "NaN"}}]'),
    "huge-number": b64(b'[1, "scan", "orders", null, {"pk": {"N": "1E+999"}}]'),
    "bad-binary": b64(b'[1, "scan", "orders", null, {"pk": {"B": "***"}}]'),
    "too-long": "a" * 9000,
}


@pytest.mark.parametrize("token", FORGED.values(), ids=FORGED.keys())
def test_forged_token_is_a_value_error(token: str) -> None:
    with pytest.raises(ValueError, match="next_token"):
        decode_token(token, SCOPE, None)


def test_non_string_token_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a string"):
        decode_token(42, SCOPE, None)


def test_service_tokens_walk_a_scan_and_refuse_a_query(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(7)])
    page = service.scan_page(page_size=3)
    assert page.next_token is not None
    with pytest.raises(ValueError, match="belongs to another read"):
        service.query_page("pk = :p", {":p": "a"}, next_token=page.next_token)
    second = service.scan_page(page_size=3, next_token=page.next_token)
    assert len(second.items) == 3


def test_service_signs_tokens_with_the_configured_secret(
    logger: logging.Logger, table: str, service: DynamoDBService
) -> None:
    signed = DynamoDBService(
        logger,
        DynamoDBConfig(
            region_name="us-east-1",
            default_table_name=table,
            page_token_secret=SECRET.get_secret_value(),
        ),
    )
    signed.batch_write_items([{"pk": "a", "sk": i} for i in range(5)])
    token = signed.scan_page(page_size=2).next_token
    assert token is not None and "." in token
    assert len(signed.scan_page(page_size=2, next_token=token).items) == 2
    with pytest.raises(ValueError, match="unsigned|signed"):
        service.scan_page(next_token=token)
