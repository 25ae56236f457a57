"""The direct transport's one blocking place: HTTP/1.1 keep-alive connections.

The standard library's ``http.client`` was measured against urllib3's
``PoolManager`` under the same signing and parsing: a get_item costs 0.25
of boto3's client CPU on ``http.client`` and 0.38-0.41 on urllib3, whose
per-request bookkeeping (retries object, timeouts object, header dicts,
response wrapper) does nothing DynamoDB's small JSON requests need. So
this module keeps a bounded pool of ``http.client`` connections, and maps
its failures to the exceptions botocore raises for the same failure
(``ConnectTimeoutError``, ``ReadTimeoutError``, ``EndpointConnectionError``,
``ConnectionClosedError``, ``SSLError``, ``ProxyConnectionError``), so that
botocore's retry rules and the callers' ``except`` clauses see no difference.
"""

import http.client
import select
import ssl
import threading
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

HttpConnection = http.client.HTTPConnection


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
        self._idle: list[HttpConnection] = []
        self._lock = threading.Lock()
        endpoint = urlsplit(route.url)
        self._path = endpoint.path or "/"
        self._proxy_headers: dict[str, str] = {}
        if route.proxy_url is not None and endpoint.scheme == "http":
            # A plain-HTTP proxy is sent the absolute URL, as botocore does.
            self._path = route.url if endpoint.path else route.url + "/"
            self._proxy_headers = route.proxy_headers or {}

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
            connection = self._take()
            try:
                answer, reusable = self._exchange(connection, headers, body)
            except BaseException:
                connection.close()
                raise
            if reusable:
                with self._lock:
                    self._idle.append(connection)
            else:
                connection.close()
            return answer

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self) -> HttpConnection:
        """An idle connection still open, or a new one."""
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                return self._connect()
            if not _dropped(connection):
                return connection
            connection.close()

    def _connect(self) -> HttpConnection:
        route = self._route
        connection = _new_connection(route)
        try:
            connection.connect()
        except ssl.SSLError as error:
            raise SSLError(endpoint_url=route.url, error=error) from error
        except TimeoutError as error:
            raise ConnectTimeoutError(endpoint_url=route.url, error=error) from error
        except OSError as error:
            if route.proxy_url is not None:
                masked = mask_proxy_url(route.proxy_url)
                raise ProxyConnectionError(proxy_url=masked, error=error) from error
            raise EndpointConnectionError(
                endpoint_url=route.url, error=error
            ) from error
        assert connection.sock is not None
        connection.sock.settimeout(route.read_timeout)
        return connection

    def _exchange(
        self, connection: HttpConnection, headers: dict[str, str], body: bytes
    ) -> tuple[HttpAnswer, bool]:
        url = self._route.url
        try:
            connection.putrequest(
                "POST", self._path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in headers.items():
                connection.putheader(name, value)
            for name, value in self._proxy_headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            answer = HttpAnswer(response.status, response.getheaders(), response.read())
        except TimeoutError as error:
            raise ReadTimeoutError(endpoint_url=url, error=error) from error
        except (OSError, http.client.HTTPException) as error:
            raise ConnectionClosedError(endpoint_url=url, error=error) from error
        return answer, not response.will_close


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


def _dropped(connection: HttpConnection) -> bool:
    """Tell whether the server closed an idle connection (it is readable)."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
