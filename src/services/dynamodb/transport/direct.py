"""The two transports of data-path calls, and the blocking driver.

``transport="botocore"`` calls the botocore client's methods.
``transport="direct"`` runs :class:`.exchange.Exchange`'s steps over the
library's own connection pool (:mod:`.http`), with what botocore would use
for this client: its endpoint (region, ``endpoint_url``,
``AWS_ENDPOINT_URL_DYNAMODB``, FIPS and dual-stack settings), credentials,
CA bundle (``AWS_CA_BUNDLE``, the profile's ``ca_bundle``, certifi) and
proxies (``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY``).
"""

import functools
import ssl
import threading
import time
from collections.abc import Callable, Generator
from importlib import metadata
from typing import Any, Protocol, TypeVar, cast

import botocore.session
from botocore import xform_name
from botocore.httpsession import (
    ProxyConfiguration,
    create_urllib3_context,
    get_cert_path,
)
from botocore.utils import get_environ_proxies

from ..sansio.steps import Sleep, Stepper
from .exchange import Exchange, Step
from .http import ConnectionPool, Route
from .http1 import HttpAnswer
from .tracers import opentelemetry_traces_botocore
from .tracing import CallSpan
from ..dynamodb_models import DynamoDBConfig

T = TypeVar("T")
ERROR_TLS_PROXY = (
    "the proxy for %s is an https:// URL, which the direct transport cannot "
    "use: set DynamoDBConfig(transport='botocore') or use an http:// proxy"
)
DISTRIBUTION = "services-dynamodb"


class Transport(Protocol):
    """Sends one data-path call and returns the parsed answer."""

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an operation (e.g. ``"GetItem"``) with DynamoDB JSON params."""

    def close(self) -> None:
        """Close the transport's connections."""


class BotocoreTransport:
    """Data-path calls through the botocore client's own pipeline, each in
    the library's span unless OpenTelemetry's botocore instrumentation
    makes one."""

    def __init__(self, client: Any) -> None:
        """Args:
        client: The service's botocore client.
        """
        self._client = client
        self._url = client.meta.endpoint_url
        self._region = client.meta.region_name
        self._spans = not opentelemetry_traces_botocore()

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """See :class:`Transport`."""
        method = getattr(self._client, xform_name(operation))
        if not self._spans:
            return cast(dict[str, Any], method(**params))
        span = CallSpan(operation, params, self._url, self._region)
        try:
            result: dict[str, Any] = method(**params)
        except BaseException as error:
            span.failed(error)
            raise
        status = result.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
        span.answered(status, result)
        return result

    def close(self) -> None:
        """See :class:`Transport`."""
        self._client.close()


class DirectTransport:
    """Data-path calls signed and sent by the library (see :mod:`.exchange`)."""

    def __init__(
        self, client: Any, session: botocore.session.Session, config: DynamoDBConfig
    ) -> None:
        """Resolve everything once: endpoint, TLS, proxy, user agent.

        Args:
            client: The service's botocore client (models, hooks, exceptions).
            session: Its session (credentials, CA bundle).
            config: Timeouts and the pool size.

        Raises:
            ValueError: If the proxy is an ``https://`` URL.
        """
        self._exchange, self._routes = exchange_and_routes(client, session, config)
        self._size = config.max_pool_connections
        self._pools: dict[str, ConnectionPool] = {}
        self._lock = threading.Lock()

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """See :class:`Transport`."""
        return drive(self._exchange.call(operation, params), self._send)

    def close(self) -> None:
        """See :class:`Transport`."""
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            pool.close()

    def _send(self, url: str, headers: dict[str, str], body: bytes) -> HttpAnswer:
        pool = self._pools.get(url)
        if pool is None:
            with self._lock:
                pool = self._pools.get(url)
                if pool is None:
                    pool = ConnectionPool(self._routes.route(url), self._size)
                    self._pools[url] = pool
        return pool.send(headers, body)


class Routes:
    """Timeouts, TLS and proxy for each endpoint URL, as botocore resolves
    them (the proxy may differ per host: ``NO_PROXY``)."""

    def __init__(
        self, session: botocore.session.Session, config: DynamoDBConfig
    ) -> None:
        """Args:
        session: The client's session (CA bundle).
        config: Timeouts.
        """
        self._session = session
        self._config = config

    def route(self, url: str) -> Route:
        """The route of an endpoint URL.

        Args:
            url: The URL.

        Returns:
            Its route.

        Raises:
            ValueError: If the proxy is an ``https://`` URL.
        """
        return _route(url, self._session, self._config)


def drive(
    steps: Generator[Step, HttpAnswer | None, T],
    send: Callable[[str, dict[str, str], bytes], HttpAnswer],
) -> T:
    """Run an exchange's steps, blocking: send requests, sleep pauses.

    Args:
        steps: The steps of one call (see :mod:`.exchange`).
        send: Sends a request and returns its answer.

    Returns:
        What the steps return.
    """
    run: Stepper[Step, HttpAnswer, T] = Stepper(steps)
    while (step := run.next()) is not None:
        if isinstance(step, Sleep):
            time.sleep(step.seconds)
            continue
        try:
            run.reply(send(step.url, step.headers, step.body))
        except Exception as error:
            run.fail(error)
    return cast(T, run.result)


def exchange_and_routes(
    client: Any, session: botocore.session.Session, config: DynamoDBConfig
) -> tuple[Exchange, Routes]:
    """What either direct transport (blocking or async) is built from.

    Args:
        client: The service's botocore client (models, hooks, exceptions).
        session: Its session (credentials, CA bundle).
        config: Timeouts.

    Returns:
        The exchange of the client's calls, and the routes to its endpoints.

    Raises:
        ValueError: If the proxy of the client's endpoint is an ``https://``
            URL.
    """
    agent = f"{session.user_agent()} md/{DISTRIBUTION}#{_version()} md/direct"
    # The credentials botocore's own signer reads (refreshed by botocore).
    exchange = Exchange(client, client._request_signer._credentials, agent)
    routes = Routes(session, config)
    routes.route(client.meta.endpoint_url)  # refuse an https proxy now
    return exchange, routes


def _route(
    url: str, session: botocore.session.Session, config: DynamoDBConfig
) -> Route:
    """Timeouts, TLS and proxy for the endpoint, as botocore resolves them."""
    tls = None
    if url.startswith("https:"):
        verify = session.get_config_variable("ca_bundle") or True
        tls = _tls_context(get_cert_path(verify))
    proxies = _proxies(url)
    proxy_url = proxies.proxy_url_for(url)
    if https_proxy(url, proxies):
        raise ValueError(ERROR_TLS_PROXY % url)
    return Route(
        url=url,
        connect_timeout=config.connect_timeout_seconds,
        read_timeout=config.read_timeout_seconds,
        tls=tls,
        proxy_url=proxy_url,
        proxy_headers=proxies.proxy_headers_for(proxy_url) if proxy_url else None,
    )


def https_proxy(url: str, proxies: ProxyConfiguration | None = None) -> bool:
    """Whether the environment's proxy for a URL is an ``https://`` URL,
    which the direct transport cannot use.

    Args:
        url: The endpoint URL.
        proxies: Its proxy settings, if already read.

    Returns:
        True for an ``https://`` proxy.
    """
    proxy_url = (proxies or _proxies(url)).proxy_url_for(url)
    return bool(proxy_url and proxy_url.startswith("https:"))


def _proxies(url: str) -> ProxyConfiguration:
    """The proxy settings botocore reads from the environment for a URL."""
    return ProxyConfiguration(proxies=get_environ_proxies(url))


@functools.lru_cache(maxsize=8)
def _tls_context(ca_bundle: str) -> ssl.SSLContext:
    """The TLS context of a CA bundle, built once per process (reading a
    bundle costs about 25 ms of CPU; a context is safe to share).

    Args:
        ca_bundle: The CA bundle's path, as botocore resolves it.

    Returns:
        A context verifying certificates and host names.
    """
    tls: ssl.SSLContext = create_urllib3_context()
    # urllib3 matches host names itself; http.client needs the context to.
    tls.check_hostname = True
    tls.load_verify_locations(ca_bundle)
    return tls


def _version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # pragma: no cover - source checkout
        return "0"
