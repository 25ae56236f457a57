"""The direct transport's one blocking place: keep-alive connections.

Connections are opened by ``http.client`` (TCP, the proxy's ``CONNECT``
tunnel, TLS with host-name checks) and then carry requests written by
:mod:`.http1` and answers read from ``recv`` by its llhttp parser. A
connection goes back to the pool only when its answer ended at the last
byte received and the server keeps it open. Measured per get_item against dynalite:
``http.client``'s own request and answer handling costs 155 us of CPU,
this 60 us; urllib3's ``PoolManager`` costs more than ``http.client``.
Failures are raised as the exceptions botocore raises for the same failure
(``ConnectTimeoutError``, ``ReadTimeoutError``, ``EndpointConnectionError``,
``ConnectionClosedError``, ``SSLError``, ``ProxyConnectionError``), so that
botocore's retry rules and the callers' ``except`` clauses see no difference.
"""

import functools
import http.client
import select
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
)
from botocore.httpsession import mask_proxy_url

from .http1 import AnswerParser, HttpAnswer, request_bytes
from .signing import request_path

HttpConnection = http.client.HTTPConnection
RequestWriter = Callable[[dict[str, str], bytes], bytes]
RECEIVE_SIZE = 65536


class _Link:
    """An open connection and its socket."""

    def __init__(self, connection: HttpConnection) -> None:
        assert connection.sock is not None
        self.connection = connection
        self.sock = connection.sock

    def close(self) -> None:
        self.connection.close()

    def read_answer(self) -> tuple[HttpAnswer, bool]:
        """Read one answer, and whether the connection may be reused."""
        parser = AnswerParser()
        while (answer := parser.answer()) is None:
            data = self.sock.recv(RECEIVE_SIZE)
            if data:
                parser.feed(data)
            else:
                parser.feed_eof()
        return answer


@dataclass(frozen=True)
class Route:
    """Where a pool's connections go, and how.

    Attributes:
        url: The endpoint URL.
        connect_timeout: Seconds to wait for a connection (and TLS handshake).
        read_timeout: Seconds to wait for each read of an answer.
        tls: The TLS context for ``https`` endpoints.
        proxy_url: The proxy's URL, or None.
        proxy_headers: Headers for the proxy (``Proxy-Authorization``).
    """

    url: str
    connect_timeout: float
    read_timeout: float
    tls: ssl.SSLContext | None = None
    proxy_url: str | None = None
    proxy_headers: dict[str, str] | None = None


class ConnectionPool:
    """At most ``size`` open connections to one endpoint, shared by threads."""

    def __init__(self, route: Route, size: int) -> None:
        """Prepare the pool (nothing is connected).

        Args:
            route: The endpoint, timeouts, TLS and proxy.
            size: The most connections open at once; more callers wait.
        """
        self._route = route
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Link] = []
        self._lock = threading.Lock()
        self._write = request_writer(route)

    def send(self, headers: dict[str, str], body: bytes) -> HttpAnswer:
        """POST a body and read the whole answer.

        Args:
            headers: The request's headers (``Host`` included).
            body: The request's body.

        Returns:
            The answer.

        Raises:
            botocore.exceptions.HTTPClientError: A subclass naming what failed
                (connecting, TLS, the proxy, a timeout, a closed connection).
        """
        with self._slots:
            link = self._take()
            try:
                answer, reusable = self._exchange(link, headers, body)
            except BaseException:
                link.close()
                raise
            if reusable:
                with self._lock:
                    self._idle.append(link)
            else:
                link.close()
            return answer

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for link in idle:
            link.close()

    def _take(self) -> _Link:
        """An idle connection still open, or a new one."""
        while True:
            with self._lock:
                link = self._idle.pop() if self._idle else None
            if link is None:
                return self._connect()
            if not _dropped(link):
                return link
            link.close()

    def _connect(self) -> _Link:
        route = self._route
        connection = _new_connection(route)
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as error:
            raise connect_failure(route, error) from error
        link = _Link(connection)
        link.sock.settimeout(route.read_timeout)
        return link

    def _exchange(
        self, link: _Link, headers: dict[str, str], body: bytes
    ) -> tuple[HttpAnswer, bool]:
        url = self._route.url
        try:
            try:
                link.sock.sendall(self._write(headers, body))
            except OSError as unsent:
                return _early_answer(link, unsent)
            return link.read_answer()
        except (OSError, http.client.HTTPException) as error:
            raise exchange_failure(url, error) from error


def _early_answer(link: _Link, unsent: OSError) -> tuple[HttpAnswer, bool]:
    """The answer a server sent before it stopped reading the request (an
    early error, such as a request too large), as botocore reads it; else
    what stopped the request.

    Raises:
        OSError: ``unsent``, when no answer came before the connection ended.
    """
    try:
        answer, _ = link.read_answer()
    except (OSError, http.client.HTTPException):
        raise unsent from None
    return answer, False


def request_writer(route: Route) -> RequestWriter:
    """How the requests of a route are written.

    Args:
        route: The route.

    Returns:
        A function of headers and body giving the request's bytes: a POST to
        the endpoint's path or, through a plain-HTTP proxy, to the absolute
        URL (as botocore sends it) with the proxy's headers.
    """
    endpoint = urlsplit(route.url)
    if route.proxy_url is None or endpoint.scheme != "http":
        return functools.partial(request_bytes, origin_form(route.url))
    target = endpoint._replace(path=endpoint.path or "/", fragment="").geturl()
    extra = route.proxy_headers or {}
    return lambda headers, body: request_bytes(target, {**headers, **extra}, body)


def origin_form(url: str) -> str:
    """The request target of a URL sent to its origin: path and query.

    Args:
        url: The endpoint URL.

    Returns:
        E.g. ``"/"`` or ``"/prefix?tenant=a"``.
    """
    path, query = request_path(url), urlsplit(url).query
    return f"{path}?{query}" if query else path


def connect_failure(
    route: Route, error: OSError | http.client.HTTPException
) -> Exception:
    """The botocore exception for a connection that could not be opened.

    Args:
        route: Where the connection went.
        error: What opening it raised.

    Returns:
        ``SSLError``, ``ConnectTimeoutError``, ``ProxyConnectionError`` or
        ``EndpointConnectionError``, as botocore raises for the same failure.
    """
    if isinstance(error, ssl.SSLError):
        return SSLError(endpoint_url=route.url, error=error)
    if isinstance(error, TimeoutError):
        return ConnectTimeoutError(endpoint_url=route.url, error=error)
    if isinstance(error, http.client.HTTPException):
        # A proxy's answer to CONNECT that is not HTTP: as urllib3 reports it.
        return ConnectionClosedError(endpoint_url=route.url, error=error)
    if route.proxy_url is not None:
        masked = mask_proxy_url(route.proxy_url)
        return ProxyConnectionError(proxy_url=masked, error=error)
    return EndpointConnectionError(endpoint_url=route.url, error=error)


def exchange_failure(url: str, error: OSError | http.client.HTTPException) -> Exception:
    """The botocore exception for a request or answer cut short.

    Args:
        url: The endpoint.
        error: What sending or reading raised.

    Returns:
        ``ReadTimeoutError`` for a timeout, else ``ConnectionClosedError``.
    """
    if isinstance(error, TimeoutError):
        return ReadTimeoutError(endpoint_url=url, error=error)
    return ConnectionClosedError(endpoint_url=url, error=error)


def _new_connection(route: Route) -> HttpConnection:
    """An unconnected ``http.client`` connection for the route."""
    endpoint = urlsplit(route.url)
    target = urlsplit(route.proxy_url) if route.proxy_url else endpoint
    host, port = target.hostname or "", target.port
    if endpoint.scheme == "https":
        connection: HttpConnection = http.client.HTTPSConnection(
            host, port, timeout=route.connect_timeout, context=route.tls
        )
        if route.proxy_url is not None:
            connection.set_tunnel(
                endpoint.hostname or "", endpoint.port, route.proxy_headers
            )
        return connection
    return http.client.HTTPConnection(host, port, timeout=route.connect_timeout)


def _dropped(link: _Link) -> bool:
    """Tell whether the server closed an idle connection (it is readable)."""
    try:
        return bool(select.select([link.sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
