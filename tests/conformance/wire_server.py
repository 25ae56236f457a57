"""A raw-socket HTTP/1.1 server on loopback whose answers are scripted byte
by byte, and a proxy scripted the same way.

Each request the server reads is answered by a *script*: a sequence of
actions (:class:`Send` these exact bytes, :class:`Trickle` them in pieces,
:class:`Pause`, :class:`Close`, :class:`Reset`, :class:`Hold` the line
silent, :class:`Tunnel` to another server, or :class:`Reply` with bytes made
from the request). A script is taken, for each request, from:

1. :attr:`WireServer.auto`, by the request's DynamoDB operation (the
   service's ``ListTables`` ping is answered there, so that it takes nothing
   from a test's scripts);
2. else the queue filled by :meth:`WireServer.answer`, in order;
3. else :attr:`WireServer.default`;
4. else a ``599`` answer saying that no script was left, and a close.

The server records every request it read (raw bytes, method, target,
headers, body and the connection it came on), the connections it accepted,
and the most connections open at once. It can also stop accepting
(:meth:`WireServer.refuse`: the port refuses connections) or leave its
accept queue full (:meth:`WireServer.stall`: connections time out), so that
connect-phase failures are deterministic on loopback.

:class:`WireServer` is also the proxy: a ``CONNECT`` request is a request
like any other, answered by a script (``407``, ``502``, garbage, or
:class:`Tunnel`); a plain-HTTP proxy sees absolute-form requests and answers
them itself.
"""

import json
import select
import socket
import ssl
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from typing_extensions import Self

from integration_tests.server.tls_front import server_context

HOST = "127.0.0.1"
BUFFER = 65536
MAX_HEAD = 65536
# How often blocked threads look at the stop flag.
TICK = 0.02
JSON_TYPE = "application/x-amz-json-1.0"
REASONS = {
    100: "Continue",
    103: "Early Hints",
    200: "OK",
    400: "Bad Request",
    407: "Proxy Authentication Required",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    599: "No Script",
}
TUNNEL_OPEN = b"HTTP/1.1 200 Connection established\r\n\r\n"


@dataclass(frozen=True)
class Request:
    """One request as the server read it.

    Attributes:
        raw: The bytes read: head and body.
        method: The method, e.g. ``"POST"`` or ``"CONNECT"``.
        target: The request target: a path, an absolute URL (to a plain-HTTP
            proxy) or ``host:port`` (``CONNECT``).
        version: The HTTP version, e.g. ``"HTTP/1.1"``.
        headers: The headers, names as sent, in order.
        body: The body (as long as its ``Content-Length`` says).
        connection: Which accepted connection it came on (1 for the first).
    """

    raw: bytes
    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    connection: int

    def header(self, name: str) -> str | None:
        """The value of a header, by case-insensitive name.

        Args:
            name: The header's name.

        Returns:
            Its first value, or None when it is absent.
        """
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    @property
    def operation(self) -> str | None:
        """The DynamoDB operation (``X-Amz-Target``'s last part), if any."""
        target = self.header("X-Amz-Target")
        return None if target is None else target.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Send:
    """Send these exact bytes at once.

    Attributes:
        data: The bytes.
    """

    data: bytes


@dataclass(frozen=True)
class Trickle:
    """Send bytes in pieces, pausing between them.

    Attributes:
        data: The bytes.
        piece: The bytes per piece.
        delay: Seconds between pieces.
    """

    data: bytes
    piece: int = 1
    delay: float = 0.001


@dataclass(frozen=True)
class Reply:
    """Send bytes made from the request (e.g. by a stateful fake).

    Attributes:
        make: Gives the bytes to send for the request.
    """

    make: Callable[[Request], bytes]


@dataclass(frozen=True)
class Pause:
    """Wait (cut short if the server stops).

    Attributes:
        seconds: How long.
    """

    seconds: float


@dataclass(frozen=True)
class Close:
    """Close the connection (a FIN); the script ends here."""


@dataclass(frozen=True)
class Reset:
    """Reset the connection (``SO_LINGER`` 0, an RST); the script ends."""


@dataclass(frozen=True)
class Hold:
    """Send nothing more; wait until the client closes the connection (a
    read timeout, on the client's side) or the server stops."""


@dataclass(frozen=True)
class Tunnel:
    """Answer a ``CONNECT`` with ``reply`` and relay bytes both ways until
    either side closes.

    Attributes:
        upstream: Where to relay to; None for the request's own target.
        reply: What to answer first.
    """

    upstream: tuple[str, int] | None = None
    reply: bytes = TUNNEL_OPEN


Action = Send | Trickle | Reply | Pause | Close | Reset | Hold | Tunnel
Script = Sequence[Action]


class _Ended(Exception):
    """The connection is over (closed by either side, or the server stops)."""


def http_answer(
    status: int,
    headers: Sequence[tuple[str, str]] = (),
    body: bytes = b"",
    length: bool = True,
    reason: str | None = None,
) -> bytes:
    """The bytes of an HTTP/1.1 answer.

    Args:
        status: The status code.
        headers: Its headers, in order.
        body: Its body, as sent (already chunked, if chunked).
        length: Add ``Content-Length`` (the body's length).
        reason: The reason phrase; by default the usual one.

    Returns:
        Status line, headers and body.
    """
    phrase = REASONS.get(status, "Status") if reason is None else reason
    lines = [f"HTTP/1.1 {status} {phrase}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def dynamodb_headers(
    body: bytes, crc32: int | None = None, extra: Sequence[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """The headers DynamoDB sends with a JSON body.

    Args:
        body: The body (its CRC32 goes in ``x-amz-crc32``).
        crc32: Send this checksum instead of the body's.
        extra: More headers, after these.

    Returns:
        ``x-amzn-RequestId``, ``x-amz-crc32``, ``Content-Type`` and ``extra``.
    """
    checksum = zlib.crc32(body) if crc32 is None else crc32
    return [
        ("x-amzn-RequestId", "CONFORMANCE0000000000000000000000000000000000000000"),
        ("x-amz-crc32", str(checksum)),
        ("Content-Type", JSON_TYPE),
        *extra,
    ]


def dynamodb_answer(
    payload: dict[str, Any],
    status: int = 200,
    crc32: int | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A DynamoDB answer: JSON body, ``Content-Length`` and DynamoDB's headers.

    Args:
        payload: The JSON body, e.g. ``{"Item": {"pk": {"S": "a"}}}``.
        status: The status code.
        crc32: Send this ``x-amz-crc32`` instead of the body's.
        extra: More headers (e.g. ``("Connection", "close")``).

    Returns:
        The answer's bytes.
    """
    body = json.dumps(payload, separators=(",", ":")).encode()
    return http_answer(status, dynamodb_headers(body, crc32, extra), body)


def dynamodb_error(status: int, error_type: str, message: str = "failed") -> bytes:
    """A DynamoDB error answer.

    Args:
        status: The status code, e.g. 400.
        error_type: The ``__type``, e.g.
            ``"com.amazonaws.dynamodb.v20120810#ThrottlingException"``.
        message: The message.

    Returns:
        The answer's bytes.
    """
    return dynamodb_answer({"__type": error_type, "message": message}, status)


def chunked(body: bytes, pieces: int, trailer: Sequence[tuple[str, str]] = ()) -> bytes:
    """A body in ``chunked`` transfer coding.

    Args:
        body: The body.
        pieces: How many chunks to cut it in (at least 1).
        trailer: Trailer fields after the last chunk.

    Returns:
        The chunks, the last (empty) chunk, the trailer and the final CRLF.
    """
    size = max(1, -(-len(body) // pieces))
    chunks = [body[start : start + size] for start in range(0, len(body), size)]
    out = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    fields = "".join(f"{name}: {value}\r\n" for name, value in trailer)
    return out + b"0\r\n" + fields.encode("latin-1") + b"\r\n"


class WireServer:
    """A scripted HTTP/1.1 server (or proxy) on ``127.0.0.1``, in threads.

    Example:
        >>> with WireServer() as server:
        ...     server.answer([Send(dynamodb_answer({})), Close()])
        ...     ...  # a client calls server.url
        ...     assert len(server.requests) == 1
    """

    def __init__(
        self, tls: ssl.SSLContext | None = None, ping: Script | None = None
    ) -> None:
        """Listen on a free port of ``127.0.0.1`` (nothing is accepted until
        :meth:`start`).

        Args:
            tls: Serve HTTPS with this server context (a TLS handshake on
                each accepted connection); None for plain HTTP.
            ping: The script of ``ListTables`` requests; by default an
                empty table list, the connection kept open.
        """
        self.tls = tls
        self.auto: dict[str, Script] = {
            "ListTables": (
                (Send(dynamodb_answer({"TableNames": []})),) if ping is None else ping
            )
        }
        self.default: Script | None = None
        self._scripts: deque[Script] = deque()
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._accepting = True
        self._accept_lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._fillers: list[socket.socket] = []
        self.connections = 0
        self.handshake_failures = 0
        self.open_now = 0
        self.most_open = 0
        self._listener = socket.create_server((HOST, 0), backlog=128)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` (``https`` when serving TLS)."""
        scheme = "http" if self.tls is None else "https"
        return f"{scheme}://{HOST}:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)``."""
        return HOST, self.port

    @property
    def requests(self) -> list[Request]:
        """Every request read so far, in order (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, operation: str) -> list[Request]:
        """The requests of one DynamoDB operation (e.g. ``"GetItem"``).

        Args:
            operation: The operation.

        Returns:
            Those requests, in order.
        """
        return [one for one in self.requests if one.operation == operation]

    def answer(self, *scripts: Script) -> None:
        """Queue scripts for the next requests (after :attr:`auto`).

        Args:
            *scripts: One script per request, in order.
        """
        with self._lock:
            self._scripts.extend(scripts)

    def start(self) -> Self:
        """Start accepting connections in a daemon thread.

        Returns:
            This server.
        """
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        """Stop: close the listener and every connection, and wait for the
        threads (each closes its own socket)."""
        self._stop.set()
        with self._accept_lock:
            self._accepting = False
            self._listener.close()
        for filler in self._fillers:
            filler.close()
        for thread in list(self._threads):
            thread.join(timeout=2)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def refuse(self) -> None:
        """Close the listening socket: connections to the port are refused
        (connections already accepted go on)."""
        with self._accept_lock:
            self._accepting = False
            self._listener.close()

    def stall(self) -> None:
        """Stop accepting and fill the accept queue: Linux then drops each
        new ``SYN``, so that connecting times out (deterministically, on
        loopback).

        Raises:
            RuntimeError: If the queue could not be filled.
        """
        with self._accept_lock:
            self._accepting = False
        self._listener.listen(0)
        for _ in range(8):
            filler = socket.socket()
            filler.settimeout(0.05)
            try:
                filler.connect(self.address)
            except OSError:
                filler.close()
                return
            self._fillers.append(filler)
        raise RuntimeError("the accept queue would not fill")

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            if not self._accepting:
                self._stop.wait(TICK)
                continue
            try:
                ready, _, _ = select.select([self._listener], [], [], TICK)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            with self._accept_lock:
                if not self._accepting:
                    continue
                try:
                    client, _ = self._listener.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    return
            with self._lock:
                self.connections += 1
                number = self.connections
            self._spawn(self._serve, client, number)

    def _serve(self, client: socket.socket, number: int) -> None:
        client.setblocking(True)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock: socket.socket = client
        with self._lock:
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            if self.tls is not None:
                client.settimeout(2)
                try:
                    sock = self.tls.wrap_socket(client, server_side=True)
                except (OSError, ssl.SSLError):
                    with self._lock:
                        self.handshake_failures += 1
                    return
            sock.settimeout(TICK)
            self._converse(sock, number)
        except _Ended:
            pass
        finally:
            with self._lock:
                self.open_now -= 1
            _close_quietly(sock)

    def _converse(self, sock: socket.socket, number: int) -> None:
        """Read requests and run their scripts until the connection ends."""
        buffer = bytearray()
        while True:
            request = self._read_request(sock, buffer, number)
            with self._lock:
                self._requests.append(request)
                script = self._script_for(request)
            for action in script:
                if self._act(sock, action, request, buffer):
                    raise _Ended

    def _script_for(self, request: Request) -> Script:
        """The script of a request (the lock is held)."""
        operation = request.operation
        if operation is not None and operation in self.auto:
            return self.auto[operation]
        if self._scripts:
            return self._scripts.popleft()
        if self.default is not None:
            return self.default
        note = b"no script left for this request"
        return (Send(http_answer(599, [("Connection", "close")], note)), Close())

    def _act(
        self, sock: socket.socket, action: Action, request: Request, buffer: bytearray
    ) -> bool:
        """Do one action; True when it ended the connection."""
        if isinstance(action, Send):
            self._send(sock, action.data)
        elif isinstance(action, Reply):
            self._send(sock, action.make(request))
        elif isinstance(action, Trickle):
            for start in range(0, len(action.data), action.piece):
                self._send(sock, action.data[start : start + action.piece])
                if self._stop.wait(action.delay):
                    return True
        elif isinstance(action, Pause):
            return self._stop.wait(action.seconds)
        elif isinstance(action, Close):
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            return True
        elif isinstance(action, Reset):
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            return True
        elif isinstance(action, Hold):
            self._hold(sock)
            return True
        else:
            self._tunnel(sock, action, request, buffer)
            return True
        return False

    def _send(self, sock: socket.socket, data: bytes) -> None:
        sock.settimeout(None)
        try:
            sock.sendall(data)
        except OSError as error:
            raise _Ended from error
        finally:
            sock.settimeout(TICK)

    def _receive(self, sock: socket.socket) -> bytes:
        """The next bytes the client sent; raises :class:`_Ended` once the
        connection is closed or the server stops."""
        while not self._stop.is_set():
            try:
                data = sock.recv(BUFFER)
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            except OSError as error:
                raise _Ended from error
            if not data:
                raise _Ended
            return data
        raise _Ended

    def _read_request(
        self, sock: socket.socket, buffer: bytearray, number: int
    ) -> Request:
        """Read one request from ``buffer`` and the socket (the bytes after
        it stay in ``buffer``)."""
        while b"\r\n\r\n" not in buffer:
            if len(buffer) > MAX_HEAD:
                raise _Ended
            buffer += self._receive(sock)
        end = buffer.index(b"\r\n\r\n") + 4
        head = bytes(buffer[:end]).decode("latin-1")
        lines = head[:-4].split("\r\n")
        method, target, version = (lines[0].split(" ", 2) + ["", ""])[:3]
        headers = tuple(
            (name.strip(), value.strip())
            for name, _, value in (line.partition(":") for line in lines[1:])
        )
        length = 0
        for name, value in headers:
            if name.lower() == "content-length" and value.isdigit():
                length = int(value)
        while len(buffer) < end + length:
            buffer += self._receive(sock)
        raw = bytes(buffer[: end + length])
        del buffer[: end + length]
        return Request(raw, method, target, version, headers, raw[end:], number)

    def _hold(self, sock: socket.socket) -> None:
        """Wait, reading and dropping anything, until the client closes."""
        try:
            while True:
                self._receive(sock)
        except _Ended:
            return

    def _tunnel(
        self, sock: socket.socket, action: Tunnel, request: Request, buffer: bytearray
    ) -> None:
        """Open the tunnel, send its first answer, relay until either closes."""
        if action.upstream is not None:
            upstream_address = action.upstream
        else:
            host, _, port = request.target.rpartition(":")
            upstream_address = (host.strip("[]"), int(port))
        try:
            upstream = socket.create_connection(upstream_address, timeout=2)
        except OSError:
            self._send(sock, http_answer(502, [("Connection", "close")]))
            return
        try:
            self._send(sock, action.reply)
            upstream.settimeout(None)
            if buffer:
                upstream.sendall(bytes(buffer))
                buffer.clear()
            self._relay(sock, upstream)
        finally:
            _close_quietly(upstream)

    def _relay(self, one: socket.socket, other: socket.socket) -> None:
        sock = {one.fileno(): (one, other), other.fileno(): (other, one)}
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([one, other], [], [], TICK)
            except (OSError, ValueError):
                return
            for source in ready:
                origin, target = sock[source.fileno()]
                try:
                    data = origin.recv(BUFFER)
                except (socket.timeout, BlockingIOError):
                    continue
                except OSError:
                    return
                if not data:
                    return
                try:
                    target.sendall(data)
                except OSError:
                    return


class WireProxy(WireServer):
    """A proxy on ``127.0.0.1``: by default each request is a ``CONNECT``
    tunnelled to its target; scripts answer otherwise (``407``, ``502``,
    garbage), and a plain-HTTP proxy's absolute-form requests are answered
    by scripts like a server's.

    Example:
        >>> with WireProxy() as proxy:
        ...     proxy.default = (Send(http_answer(407)), Close())
    """

    def __init__(self) -> None:
        """Listen on a free port (plain HTTP); tunnel by default."""
        super().__init__()
        self.default = (Tunnel(),)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, for ``HTTPS_PROXY``/``HTTP_PROXY``."""
        return f"http://{HOST}:{self.port}"

    @property
    def connect_requests(self) -> list[Request]:
        """The ``CONNECT`` requests read so far, in order."""
        return [one for one in self.requests if one.method == "CONNECT"]


def _close_quietly(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass


@dataclass(frozen=True)
class TlsFiles:
    """A throwaway CA and a server context whose certificate it signed.

    Attributes:
        ca_file: The CA's certificate (PEM), for ``AWS_CA_BUNDLE``.
        context: A server context for ``127.0.0.1`` and ``localhost``.
    """

    ca_file: Path
    context: ssl.SSLContext


def make_tls(directory: Path) -> TlsFiles:
    """Make a CA and a certificate it signs for ``127.0.0.1``/``localhost``
    (integration_tests/server/tls_front.py's, with the IP address too).

    Args:
        directory: Where to write the CA's and the server's PEM files.

    Returns:
        The CA file and the server context.
    """
    ca_file = directory / "ca.pem"
    context = server_context(directory, ca_file, addresses=[HOST])
    return TlsFiles(ca_file, context)


def wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Poll a condition until it holds or the time is up.

    Args:
        condition: What to wait for.
        timeout: The most seconds to wait.

    Returns:
        Whether it held.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def lines_of(requests: Sequence[Request]) -> Iterator[str]:
    """The request lines of requests, for assertion messages.

    Args:
        requests: The requests.

    Yields:
        ``"<connection> <method> <target> <operation>"`` per request.
    """
    for one in requests:
        yield f"{one.connection} {one.method} {one.target} {one.operation or ''}"
