"""The direct transport's HTTP/1.1 reader reads what ``http.client`` reads."""

import http.client
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.dynamodb._http1 import (
    NO_BODY_STATUSES,
    AnswerParser,
    HttpAnswer,
    read_answer,
    request_bytes,
)

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


def by_parser(
    raw: bytes, cuts: list[int], close: bool = True
) -> tuple[HttpAnswer, bool] | None:
    """What :class:`AnswerParser` reads from ``raw`` fed in pieces of the
    given sizes (the rest at once), asked after each piece, then (if
    ``close``) after the connection is closed."""
    parser = AnswerParser()
    start = 0
    for size in cuts + [len(raw)]:
        parser.feed(raw[start : start + size])
        start += size
        answer = parser.answer()
        if answer is not None:
            # Bytes still to come spoil the connection (the async transport
            # closes a connection that gets bytes after its answer).
            return answer[0], answer[1] and start >= len(raw)
    if close:
        parser.feed_eof()
        return parser.answer()
    return None


def by_http1_to_the_end(raw: bytes) -> tuple[HttpAnswer, bool]:
    """:func:`by_http1`, the connection kept only if no bytes follow."""
    reader = io.BufferedReader(io.BytesIO(raw))
    answer, keep_alive = read_answer(reader.readline, reader.read)
    return answer, keep_alive and not reader.read()


def outcome(read: Callable[[], tuple[HttpAnswer, bool] | None]) -> object:
    """What a read returns, or the class and text of what it raises."""
    try:
        return read()
    except http.client.HTTPException as error:
        return type(error), str(error)


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


@dataclass(frozen=True)
class RandomAnswer:
    """An answer's bytes, and whether its body ends only with the connection."""

    raw: bytes
    read_to_close: bool


@st.composite
def answers(draw: st.DrawFn) -> RandomAnswer:
    """Answers of every framing, with and without interim answers."""
    status = draw(st.sampled_from([200, 204, 304, 400, 413, 500, 503, 101]))
    framing = draw(BODY_FRAMING)
    raw = answer_bytes(
        draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0"])),
        status,
        draw(HEADERS),
        draw(CONNECTION),
        framing,
        draw(st.binary(max_size=3000)),
        draw(st.integers(1, 700)),
        draw(st.booleans()),
    )
    no_body = status in NO_BODY_STATUSES or status < 200
    return RandomAnswer(raw, framing in ("close", "bad-length") and not no_body)


@settings(max_examples=400, deadline=None)
@given(answer=answers())
def test_reads_what_http_client_reads(answer: RandomAnswer) -> None:
    assert by_http1(answer.raw) == by_http_client(answer.raw)


@settings(max_examples=300, deadline=None)
@given(
    answer=answers(),
    cuts=st.lists(st.integers(1, 300), max_size=12),
    cut_short=st.integers(0, 40),
)
def test_bytes_fed_as_they_arrive_read_as_a_buffered_reader_reads_them(
    answer: RandomAnswer, cuts: list[int], cut_short: int
) -> None:
    raw = answer.raw[: len(answer.raw) - cut_short]  # closed early, now and then

    expected = outcome(lambda: by_http1_to_the_end(raw))
    assert outcome(lambda: by_parser(raw, cuts)) == expected
    if cut_short or answer.read_to_close:
        return  # nothing to check before the connection is closed
    if isinstance(expected, tuple) and isinstance(expected[0], HttpAnswer):
        # Framed: the answer is whole once its last byte is in.
        assert by_parser(raw, cuts, close=False) == expected


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    ],
    ids=["length", "chunked", "interim"],
)
def test_an_answer_is_whole_when_its_last_byte_arrives(raw: bytes) -> None:
    expected = by_http1_to_the_end(raw)
    for cut in range(1, len(raw)):
        assert by_parser(raw, [cut], close=False) == expected, cut


def test_bytes_after_the_answer_spoil_the_connection() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    assert by_parser(raw, []) == (
        HttpAnswer(200, [("Content-Length", "2")], b"ok"),
        True,
    )
    assert by_parser(raw + b"HTTP/1.1 200", [len(raw) + 3]) == (
        HttpAnswer(200, [("Content-Length", "2")], b"ok"),
        False,
    )


def test_a_connect_answer_is_its_head_only() -> None:
    parser = AnswerParser(head_only=True)
    parser.feed(b"HTTP/1.0 200 Connection established\r\nX-A: 1\r\n")
    assert parser.answer() is None
    parser.feed(b"\r\n\x16\x03")  # the tunnel's first bytes follow

    assert parser.answer() == (HttpAnswer(200, [("X-A", "1")], b""), False)


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
