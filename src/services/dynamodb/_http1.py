"""HTTP/1.1 messages of the direct transport, without I/O.

``http.client`` spends most of a small exchange's CPU on what DynamoDB's
requests do not need: building the request header by header, and parsing
the answer's headers with the ``email`` package. This module writes a
request in one piece and reads an answer from a buffered reader (status
line, headers, a ``Content-Length``, chunked or read-to-close body, ``1xx``
interim answers skipped) with ``http.client``'s limits and exception classes.
``tests/dynamodb/test_http1.py`` shows, for random answers, that it reads
exactly what ``http.client.HTTPResponse`` reads, and decides the same about
keeping the connection open.

:class:`AnswerParser` runs the same reader over bytes as they arrive (the
async transport feeds it from its protocol's callbacks): it replays the
reader over what has arrived until the answer is whole, so both transports
read answers with one piece of code.
"""

import http.client
from collections.abc import Callable
from dataclasses import dataclass

MAX_LINE = 65536
MAX_HEADERS = 100
NO_BODY_STATUSES = frozenset({204, 304})
CONTINUE = 100

Reader = Callable[[int], bytes]


@dataclass(frozen=True)
class HttpAnswer:
    """One HTTP answer, read in full.

    Attributes:
        status: The status code.
        headers: The headers, names as sent.
        body: The body.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def request_bytes(path: str, headers: dict[str, str], body: bytes) -> bytes:
    """A POST request, head and body, ready to send.

    Args:
        path: The request target (a path, or an absolute URL for a proxy).
        headers: The headers (``Host`` included; ``Content-Length`` is added).
        body: The body.

    Returns:
        The request's bytes.
    """
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head = f"POST {path} HTTP/1.1\r\n{lines}Content-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


def read_answer(readline: Reader, read: Reader) -> tuple[HttpAnswer, bool]:
    """Read one answer to a POST.

    Args:
        readline: Reads a line of at most the given length (a buffered
            reader's ``readline``).
        read: Reads up to the given number of bytes (``read``).

    Returns:
        The answer, and whether the connection may carry another request.

    Raises:
        http.client.HTTPException: A subclass naming what is wrong with the
            answer (``RemoteDisconnected``, ``BadStatusLine``, ``LineTooLong``,
            ``IncompleteRead``, ...), as ``http.client`` raises it.
    """
    while True:
        version, status = _status_line(readline)
        headers = _headers(readline)
        if status != CONTINUE:
            break
    # The first of repeated headers counts, as in http.client.
    fields = {name.lower(): value for name, value in reversed(headers)}
    keep_alive = _keeps_alive(version, fields)
    if fields.get("transfer-encoding", "").lower() == "chunked":
        return HttpAnswer(status, headers, _chunked(readline, read)), keep_alive
    if status in NO_BODY_STATUSES or status < 200:
        return HttpAnswer(status, headers, b""), keep_alive
    length = _content_length(fields.get("content-length"))
    if length is None:
        return HttpAnswer(status, headers, _to_close(read)), False
    return HttpAnswer(status, headers, _exactly(read, length)), keep_alive


class _NeedMore(Exception):
    """What has arrived ends before the read asks for ``wanted`` bytes."""

    def __init__(self, wanted: int) -> None:
        super().__init__(wanted)
        self.wanted = wanted


class AnswerParser:
    """One answer read from bytes fed as they arrive, without I/O.

    The reader of :func:`read_answer` (or, with ``head_only``, of a
    ``CONNECT`` answer's status line and headers) is run over what has
    arrived, its reads answered as a buffered reader would answer them: a
    read past the end waits for more bytes, unless the connection is closed,
    when it returns what there is. So the answer, or the exception, is the
    one :func:`read_answer` gives for the same bytes.
    """

    def __init__(self, head_only: bool = False) -> None:
        """Args:
        head_only: Read a status line and headers only (a proxy's answer
            to ``CONNECT``, whose body is the tunnel).
        """
        self._head_only = head_only
        self._data = bytearray()
        self._position = 0
        self._wanted = 1
        self._ended = False

    def feed(self, data: bytes) -> None:
        """Add bytes that arrived."""
        self._data += data

    def feed_eof(self) -> None:
        """Note that the connection is closed: nothing more will arrive."""
        self._ended = True

    def answer(self) -> tuple[HttpAnswer, bool] | None:
        """The answer, if what has arrived completes it.

        Returns:
            The answer and whether the connection may carry another request
            (not if bytes follow the answer), or None until more arrives.

        Raises:
            http.client.HTTPException: As :func:`read_answer`.
        """
        if not self._ended and len(self._data) < self._wanted:
            return None
        self._position = 0
        try:
            if self._head_only:
                answer, keep_alive = _head(self._readline), True
            else:
                answer, keep_alive = read_answer(self._readline, self._read)
        except _NeedMore as more:
            self._wanted = more.wanted
            return None
        return answer, keep_alive and self._position == len(self._data)

    def _readline(self, limit: int) -> bytes:
        data, start = self._data, self._position
        end = data.find(b"\n", start, start + limit)
        if end >= 0:
            stop = end + 1
        elif len(data) - start >= limit or self._ended:
            stop = min(start + limit, len(data))
        else:
            raise _NeedMore(len(data) + 1)
        self._position = stop
        return bytes(data[start:stop])

    def _read(self, size: int) -> bytes:
        data, start = self._data, self._position
        stop = start + size
        if stop > len(data):
            if not self._ended:
                raise _NeedMore(stop)
            stop = len(data)
        self._position = stop
        return bytes(data[start:stop])


def _head(readline: Reader) -> HttpAnswer:
    """A status line and headers (no ``100 Continue`` skipping, no body)."""
    _, status = _status_line(readline)
    return HttpAnswer(status, _headers(readline), b"")


def _status_line(readline: Reader) -> tuple[str, int]:
    line = readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise http.client.LineTooLong("status line")
    if not line:
        raise http.client.RemoteDisconnected(
            "Remote end closed connection without response"
        )
    text = line.decode("latin-1")
    parts = text.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise http.client.BadStatusLine(text)
    try:
        status = int(parts[1])
    except ValueError:
        raise http.client.BadStatusLine(text) from None
    if not 100 <= status <= 999:
        raise http.client.BadStatusLine(text)
    version = parts[0]
    if version not in ("HTTP/1.0", "HTTP/0.9") and not version.startswith("HTTP/1."):
        raise http.client.UnknownProtocol(version)
    return version, status


def _headers(readline: Reader) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while True:
        line = readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return headers
        if len(headers) >= MAX_HEADERS:
            raise http.client.HTTPException(f"got more than {MAX_HEADERS} headers")
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name, value.lstrip(" \t").rstrip("\r\n")))


def _keeps_alive(version: str, fields: dict[str, str]) -> bool:
    """Whether the server keeps the connection open, by ``http.client``'s rules."""
    connection = fields.get("connection", "").lower()
    if version not in ("HTTP/1.0", "HTTP/0.9"):
        return "close" not in connection
    return bool(
        fields.get("keep-alive")
        or "keep-alive" in connection
        or "keep-alive" in fields.get("proxy-connection", "").lower()
    )


def _content_length(value: str | None) -> int | None:
    """The body's length; None (read until closed) if absent or nonsense."""
    try:
        length = int(value) if value else None
    except ValueError:
        return None
    return None if length is None or length < 0 else length


def _exactly(read: Reader, length: int) -> bytes:
    data = read(length)
    if len(data) < length:
        raise http.client.IncompleteRead(data, length - len(data))
    return data


def _to_close(read: Reader) -> bytes:
    parts: list[bytes] = []
    while chunk := read(MAX_LINE):
        parts.append(chunk)
    return b"".join(parts)


def _chunked(readline: Reader, read: Reader) -> bytes:
    parts: list[bytes] = []
    while True:
        line = readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("chunk size")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise http.client.IncompleteRead(b"".join(parts)) from None
        if size == 0:
            break
        parts.append(_exactly(read, size))
        _exactly(read, 2)  # the CRLF after the chunk
    _headers(readline)  # trailers, if any
    return b"".join(parts)
