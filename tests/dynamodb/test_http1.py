"""The direct transport's HTTP/1.1 reader reads what ``http.client`` reads."""

import http.client
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dynamodb._http1 import HttpAnswer, read_answer, request_bytes

TOKEN = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"),
    min_size=1,
    max_size=20,
)
VALUE = st.text(
    st.characters(min_codepoint=33, max_codepoint=126), min_size=0, max_size=30
)
HEADERS = st.lists(
    st.tuples(TOKEN, VALUE).filter(
        lambda h: h[0].lower()
        not in ("content-length", "transfer-encoding", "connection", "keep-alive")
    ),
    max_size=8,
)
BODY_FRAMING = st.sampled_from(["length", "chunked", "close", "bad-length"])
CONNECTION = st.sampled_from([None, "close", "keep-alive", "Keep-Alive", "upgrade"])


class FakeSocket:
    """What ``http.client.HTTPResponse`` reads from: a file of fixed bytes."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(io.BytesIO(self.raw))


def by_http_client(raw: bytes) -> tuple[HttpAnswer, bool]:
    response = http.client.HTTPResponse(FakeSocket(raw), method="POST")  # type: ignore
    response.begin()
    body = response.read()
    answer = HttpAnswer(response.status, response.getheaders(), body)
    return answer, not response.will_close


def by_http1(raw: bytes) -> tuple[HttpAnswer, bool]:
    reader = io.BufferedReader(io.BytesIO(raw))
    return read_answer(reader.readline, reader.read)


def chunks(body: bytes, size: int) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    encoded = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts)
    return encoded + b"0\r\n\r\n"


def answer_bytes(
    version: str,
    status: int,
    headers: list[tuple[str, str]],
    connection: str | None,
    framing: str,
    body: bytes,
    chunk_size: int,
    interim: bool,
) -> bytes:
    lines = [f"{version} {status} Reason phrase"]
    lines += [f"{name}: {value}" for name, value in headers]
    if connection is not None:
        lines.append(f"Connection: {connection}")
    if framing == "length":
        lines.append(f"Content-Length: {len(body)}")
    elif framing == "chunked":
        lines.append("Transfer-Encoding: chunked")
    elif framing == "bad-length":
        lines.append("Content-Length: twelve")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    if interim:
        head = b"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n" + head
    return head + (chunks(body, chunk_size) if framing == "chunked" else body)


@settings(max_examples=400, deadline=None)
@given(
    version=st.sampled_from(["HTTP/1.1", "HTTP/1.0"]),
    status=st.sampled_from([200, 204, 304, 400, 413, 500, 503, 101]),
    headers=HEADERS,
    connection=CONNECTION,
    framing=BODY_FRAMING,
    body=st.binary(max_size=3000),
    chunk_size=st.integers(1, 700),
    interim=st.booleans(),
)
def test_reads_what_http_client_reads(
    version: str,
    status: int,
    headers: list[tuple[str, str]],
    connection: str | None,
    framing: str,
    body: bytes,
    chunk_size: int,
    interim: bool,
) -> None:
    raw = answer_bytes(
        version, status, headers, connection, framing, body, chunk_size, interim
    )

    assert by_http1(raw) == by_http_client(raw)


BROKEN = {
    "nothing": b"",
    "not http": b"SMTP ready\r\n\r\n",
    "bad status": b"HTTP/1.1 2x0 OK\r\n\r\n",
    "short body": b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
    "bad chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n",
    "cut chunk": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
    "long line": b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
    "many headers": b"HTTP/1.1 200 OK\r\n" + b"X: 1\r\n" * 101 + b"\r\n",
}


@pytest.mark.parametrize("raw", BROKEN.values(), ids=BROKEN.keys())
def test_broken_answers_raise_what_http_client_raises(raw: bytes) -> None:
    with pytest.raises(http.client.HTTPException) as expected:
        by_http_client(raw)

    with pytest.raises(http.client.HTTPException) as raised:
        by_http1(raw)

    assert type(raised.value) is type(expected.value)


def test_request_bytes_are_one_post_with_its_length() -> None:
    raw = request_bytes("/", {"Host": "h:1", "X-Amz-Target": "T"}, b'{"a":1}')

    assert raw == (
        b"POST / HTTP/1.1\r\nHost: h:1\r\nX-Amz-Target: T\r\n"
        b"Content-Length: 7\r\n\r\n"
        b'{"a":1}'
    )
