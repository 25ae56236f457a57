"""HTTP/1.1 messages of the direct transport, without I/O.

A request is written in one piece (:func:`request_bytes`). An answer is
parsed by llhttp, the C parser of Node.js, aiohttp's client and uvicorn,
through ``httptools``: :class:`AnswerParser` is fed bytes as they arrive, by
the blocking pool from ``recv`` and by the async pool from its protocol's
callbacks, so both transports read answers with one parser, linear in the
bytes, with llhttp's strict framing (conflicting ``Content-Length`` and
``Transfer-Encoding``, bad chunk sizes and stray bytes are refused).

What the parser adds to llhttp: interim ``1xx`` answers are skipped (RFC 9110
section 15.2; not ``101``), ``http.client``'s limits on lines and headers
hold, failures are ``http.client`` exceptions (which the pools raise as
botocore's), and a connection is reusable only when the answer ended at the
last byte received: bytes after an answer (a second answer, a stray
``CRLF``) spoil the connection, so the next call never reads them.
"""

import http.client
from dataclasses import dataclass

import httptools

MAX_LINE = 65536
MAX_HEADERS = 100
# The most bytes fed without llhttp reporting progress (a field line longer
# than http.client's limit): llhttp keeps a field that has not ended in
# memory, copied as it grows.
MAX_HEAD = MAX_LINE
# The most bytes of an answer's fields (head and trailers): as many lines as
# http.client takes.
MAX_FIELDS = MAX_LINE * MAX_HEADERS
SWITCHING_PROTOCOLS = 101
HTTP1 = b"HTTP/1."
ERROR_NO_ANSWER = "Remote end closed connection without response"
ERROR_TOO_MANY_HEADERS = "got more than %d headers" % MAX_HEADERS
ERROR_FRAMING = "invalid HTTP answer: %s"


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


def request_bytes(target: str, headers: dict[str, str], body: bytes) -> bytes:
    """A POST request, head and body, ready to send.

    Args:
        target: The request target (a path and query, or an absolute URL
            for a proxy).
        headers: The headers (``Host`` included; ``Content-Length`` is added).
        body: The body.

    Returns:
        The request's bytes.
    """
    lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    head = f"POST {target} HTTP/1.1\r\n{lines}Content-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


class AnswerParser:
    """One answer read from bytes fed as they arrive, without I/O."""

    def __init__(self, head_only: bool = False) -> None:
        """Args:
        head_only: Read a status line and headers only (a proxy's answer
            to ``CONNECT``, whose body is the tunnel).
        """
        self._llhttp = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self._status = 0
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: list[bytes] = []
        self._prefix = b""  # the first bytes, until they show "HTTP/1."
        self._quiet = 0  # bytes fed since llhttp last reported progress
        self._field_bytes = 0
        self._head_done = False
        self._keep_alive = False
        self._answer: HttpAnswer | None = None
        self._reusable = False
        self._failure: http.client.HTTPException | None = None

    def feed(self, data: bytes) -> None:
        """Add bytes that arrived.

        Args:
            data: The bytes.
        """
        if not data:
            return
        if self._answer is not None or self._failure is not None:
            self._reusable = False  # bytes after the answer
            return
        if len(self._prefix) < len(HTTP1):
            self._check_prefix(data)
        # llhttp keeps a field that has not ended in memory, copied as it
        # grows: refuse more than MAX_HEAD bytes without progress.
        if self._quiet > MAX_HEAD:
            self._failure = http.client.LineTooLong("header line")
        if self._failure is not None:
            return
        view = memoryview(data)
        self._quiet += len(view)
        # The last byte alone: the answer ends at the last byte received
        # exactly when llhttp completes it on that byte.
        if len(view) > 1 and (self._run(view[:-1]) or self._failure is not None):
            self._reusable = False
            return
        self._run(view[-1:])

    def feed_eof(self) -> None:
        """Note that the connection is closed: nothing more will arrive."""
        if self._answer is None and self._failure is None:
            if self._head_done and not self._framed():
                self._finish()
            elif not self._prefix:
                self._failure = http.client.RemoteDisconnected(ERROR_NO_ANSWER)
            else:
                self._failure = http.client.IncompleteRead(b"".join(self._body))
        self._reusable = False

    def answer(self) -> tuple[HttpAnswer, bool] | None:
        """The answer, if what has arrived completes it.

        Returns:
            The answer and whether the connection may carry another request
            (the server keeps it open and no byte followed the answer), or
            None until more arrives.

        Raises:
            http.client.HTTPException: A subclass naming what is wrong with
                the answer (``RemoteDisconnected``, ``BadStatusLine``,
                ``LineTooLong``, ``IncompleteRead``, ...).
        """
        if self._answer is not None:
            return self._answer, self._reusable
        if self._failure is not None:
            raise self._failure
        return None

    def _check_prefix(self, data: bytes) -> None:
        """An answer starts with ``HTTP/1.`` (no blank line, no other
        protocol llhttp knows: ``RTSP/``, ``ICE/``), as http.client asks."""
        self._prefix += data[: len(HTTP1) - len(self._prefix)]
        if not HTTP1.startswith(self._prefix):
            line = bytes(self._prefix).decode("latin-1")
            self._failure = http.client.BadStatusLine(line)

    def _run(self, data: memoryview) -> bool:
        """Feed llhttp; tell whether the answer is complete."""
        try:
            self._llhttp.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            if not isinstance(error.__context__, http.client.HTTPException):
                raise
            self._failure = error.__context__
        except httptools.HttpParserUpgrade:
            self._failure = http.client.BadStatusLine("upgrade")
        except httptools.HttpParserError as error:
            if self._answer is None:  # else: bytes after the answer
                self._failure = _refused(error)
        return self._answer is not None

    def _framed(self) -> bool:
        """Whether the head gives the body's end (else: until closed)."""
        for name, value in self._headers:
            name = name.lower()
            if name == b"content-length" or (
                name == b"transfer-encoding" and b"chunked" in value.lower()
            ):
                return True
        return False

    def _finish(self) -> None:
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in self._headers
        ]
        self._answer = HttpAnswer(self._status, headers, b"".join(self._body))
        self._reusable = self._keep_alive and not self._head_only

    # llhttp's callbacks (httptools calls them by name). After the answer,
    # bytes that follow it are parsed as another message: ignored.

    def on_message_begin(self) -> None:
        if self._answer is None:
            self._headers, self._body, self._head_done = [], [], False
            self._field_bytes = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._quiet = 0
        size = len(name) + len(value)
        self._field_bytes += size
        if size > MAX_LINE or self._field_bytes > MAX_FIELDS:
            raise http.client.LineTooLong("header line")
        if not self._head_done:
            self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self._answer is not None:
            return
        self._quiet = 0
        if len(self._headers) > MAX_HEADERS:
            raise http.client.HTTPException(ERROR_TOO_MANY_HEADERS)
        self._status = self._llhttp.get_status_code()
        if self._status < 100 or self._status == SWITCHING_PROTOCOLS:
            # A status http.client refuses, or a switch nobody asked for.
            raise http.client.BadStatusLine(str(self._status))
        self._keep_alive = self._llhttp.should_keep_alive()
        self._head_done = True
        if self._head_only and not self._interim():
            self._finish()

    def on_chunk_header(self) -> None:
        self._quiet = 0

    def on_body(self, body: bytes) -> None:
        self._quiet = 0
        if self._answer is None:
            self._body.append(body)

    def on_message_complete(self) -> None:
        if self._answer is not None:
            return
        if self._interim():
            self._head_done = False  # the real answer follows
            return
        self._finish()

    def _interim(self) -> bool:
        return 100 <= self._status < 200


def _refused(error: httptools.HttpParserError) -> http.client.HTTPException:
    """``http.client``'s exception for an answer llhttp refused."""
    if isinstance(error, httptools.HttpParserInvalidStatusError):
        return http.client.BadStatusLine(str(error))
    return http.client.HTTPException(ERROR_FRAMING % error)
