"""The async direct transport's keep-alive connections, on asyncio's own.

Each connection is an :class:`asyncio.Protocol` that writes a request made by
:mod:`.http1` and feeds the answer's bytes, as they arrive, to
:class:`.http1.AnswerParser`: the blocking transport's request writer and
answer reader, so both transports read the same bytes the same way.
Connecting (TCP, a proxy's ``CONNECT`` tunnel, TLS with host-name checks)
is asyncio's ``create_connection`` and ``start_tls``. Timeouts, TLS context
and proxy are the blocking transport's :class:`.http.Route`; failures are
raised as the same botocore exceptions (:func:`.http.connect_failure`,
:func:`.http.exchange_failure`).

Measured per get_item against dynalite (``benchmarks/async_peers.py``): an
aiohttp ``ClientSession`` costs about 260 us of CPU on top of the blocking
transport's call, this about 60 us.
"""

import asyncio
import http.client
from urllib.parse import urlsplit

from .http import Route, connect_failure, exchange_failure, request_writer
from .http1 import AnswerParser, HttpAnswer

ERROR_TUNNEL = "Tunnel connection failed: %d"


class _Link(asyncio.Protocol):
    """One connection: sends a request, then collects its answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._parser: AnswerParser | None = None
        self._waiter: asyncio.Future[tuple[HttpAnswer, bool]] | None = None
        self._arrived = 0.0
        self._clock = asyncio.get_running_loop().time

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._parser is None or self._waiter is None or self._waiter.done():
            self.close()  # bytes nobody asked for: the link is spoiled
            return
        self._arrived = self._clock()
        self._parser.feed(data)
        self._settle()

    def eof_received(self) -> bool:
        self._ended()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended()

    def close(self) -> None:
        """Close the connection (at once; nothing is waiting on it)."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def exchange(
        self, request: bytes, read_timeout: float, head_only: bool = False
    ) -> tuple[HttpAnswer, bool]:
        """Send a request and wait for its answer.

        Args:
            request: The request's bytes.
            read_timeout: The most seconds to wait for the next bytes.
            head_only: Read a status line and headers only (``CONNECT``).

        Returns:
            The answer, and whether the link may carry another request.

        Raises:
            TimeoutError: If nothing arrived for ``read_timeout`` seconds.
            http.client.HTTPException: As :func:`.http1.read_answer`.
            ConnectionError: If the connection was closed before sending.
        """
        assert self.transport is not None
        if self.closed:
            raise http.client.RemoteDisconnected("connection closed while idle")
        loop = asyncio.get_running_loop()
        self._parser = AnswerParser(head_only)
        waiter: asyncio.Future[tuple[HttpAnswer, bool]] = loop.create_future()
        self._waiter = waiter
        self._arrived = self._clock()
        watch = loop.call_at(self._arrived + read_timeout, self._watch, read_timeout)
        try:
            self.transport.write(request)
            return await waiter
        finally:
            watch.cancel()
            self._parser = self._waiter = None

    def _ended(self) -> None:
        self.closed = True
        if self._parser is not None:
            self._parser.feed_eof()
            self._settle()

    def _settle(self) -> None:
        waiter, parser = self._waiter, self._parser
        if waiter is None or parser is None or waiter.done():
            return
        try:
            answer = parser.answer()
        except http.client.HTTPException as error:
            waiter.set_exception(error)
            return
        if answer is not None:
            waiter.set_result(answer)

    def _watch(self, read_timeout: float) -> None:
        """Fail the wait if nothing arrived for ``read_timeout`` seconds."""
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        if self._clock() - self._arrived >= read_timeout:
            waiter.set_exception(TimeoutError("no answer in %s s" % read_timeout))
            return
        asyncio.get_running_loop().call_at(
            self._arrived + read_timeout, self._watch, read_timeout
        )


class AsyncConnectionPool:
    """At most ``size`` open connections to one endpoint, on one event loop."""

    def __init__(self, route: Route, size: int) -> None:
        """Prepare the pool (nothing is connected). Build it on the loop
        that will use it: its semaphore and connections belong to that loop.

        Args:
            route: As for the blocking :class:`.http.ConnectionPool`.
            size: The most connections open at once; more tasks wait.
        """
        self._route = route
        self._write = request_writer(route)
        self._slots = asyncio.Semaphore(size)
        self._closed = False
        self._idle: list[_Link] = []

    async def send(self, headers: dict[str, str], body: bytes) -> HttpAnswer:
        """POST a body and read the whole answer: the arguments, answer and
        exceptions of the blocking :meth:`.http.ConnectionPool.send`. A
        send that is cancelled closes its connection (its answer may still
        be on the way) and frees its place in the pool."""
        request = self._write(headers, body)
        async with self._slots:
            link = self._take() or await self._connect()
            try:
                answer, reusable = await link.exchange(
                    request, self._route.read_timeout
                )
            except (OSError, http.client.HTTPException) as error:
                link.close()
                raise exchange_failure(self._route.url, error) from error
            except BaseException:  # cancelled: the answer is still coming
                link.close()
                raise
            if reusable and not self._closed:
                self._idle.append(link)
            else:
                link.close()
            return answer

    def close(self) -> None:
        """Close the idle connections, and the others when their call ends."""
        self._closed = True
        idle, self._idle = self._idle, []
        for link in idle:
            link.close()

    def _take(self) -> _Link | None:
        """An idle connection the server has not closed, if any."""
        while self._idle:
            link = self._idle.pop()
            if not link.closed:
                return link
            link.close()
        return None

    async def _connect(self) -> _Link:
        route = self._route
        try:
            return await asyncio.wait_for(self._open(), route.connect_timeout)
        except asyncio.TimeoutError as error:
            timeout = TimeoutError("no connection in %s s" % route.connect_timeout)
            raise connect_failure(route, timeout) from error
        except (OSError, http.client.HTTPException) as error:
            raise connect_failure(route, error) from error

    async def _open(self) -> _Link:
        """Connect to the endpoint, through the proxy's tunnel if any."""
        route, loop = self._route, asyncio.get_running_loop()
        endpoint = urlsplit(route.url)
        target = urlsplit(route.proxy_url) if route.proxy_url else endpoint
        tunnel = route.tls is not None and route.proxy_url is not None
        _, link = await loop.create_connection(
            _Link,
            target.hostname or "",
            target.port or (443 if target.scheme == "https" else 80),
            ssl=None if tunnel else route.tls,
        )
        try:
            if tunnel:
                await self._tunnel(link, endpoint.hostname or "", endpoint.port)
        except BaseException:
            link.close()
            raise
        return link

    async def _tunnel(self, link: _Link, host: str, port: int | None) -> None:
        """Open a ``CONNECT`` tunnel through the proxy, then TLS inside it."""
        route, loop = self._route, asyncio.get_running_loop()
        authority = "%s:%d" % (host if ":" not in host else "[%s]" % host, port or 443)
        lines = "".join(
            "%s: %s\r\n" % item for item in (route.proxy_headers or {}).items()
        )
        request = "CONNECT %s HTTP/1.0\r\n%s\r\n" % (authority, lines)
        answer, _ = await link.exchange(
            request.encode("latin-1"), route.connect_timeout, head_only=True
        )
        if answer.status != 200:
            raise OSError(ERROR_TUNNEL % answer.status)
        assert link.transport is not None and route.tls is not None
        secured = await loop.start_tls(
            link.transport, link, route.tls, server_hostname=host
        )
        assert secured is not None  # typed optional; asyncio returns the transport
        link.transport = secured
