"""The two transports of data-path calls, and the blocking driver.

``transport="botocore"`` calls the botocore client's methods.
``transport="direct"`` runs :class:`._exchange.Exchange`'s steps over the
library's own connection pool (:mod:`._http`), with what botocore would use
for this client: its endpoint (region, ``endpoint_url``,
``AWS_ENDPOINT_URL_DYNAMODB``, FIPS and dual-stack settings), credentials,
CA bundle (``AWS_CA_BUNDLE``, the profile's ``ca_bundle``, certifi) and
proxies (``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY``).
"""

import functools
import ssl
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

from ._exchange import Exchange, Sleep, Step, Stepper
from ._http import ConnectionPool, Route
from ._http1 import HttpAnswer
from .dynamodb_models import DynamoDBConfig

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
    """Data-path calls through the botocore client's own pipeline."""

    def __init__(self, client: Any) -> None:
        """Args:
        client: The service's botocore client.
        """
        self._client = client

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """See :class:`Transport`."""
        result: dict[str, Any] = getattr(self._client, xform_name(operation))(**params)
        return result

    def close(self) -> None:
        """See :class:`Transport`."""
        self._client.close()


class DirectTransport:
    """Data-path calls signed and sent by the library (see :mod:`._exchange`)."""

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
        self._exchange, route = exchange_and_route(client, session, config)
        self._pool = ConnectionPool(route, config.max_pool_connections)
        self._models = client.meta.service_model

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """See :class:`Transport`."""
        return drive(self._exchange.call(operation, params), self._pool.send)

    def close(self) -> None:
        """See :class:`Transport`."""
        self._pool.close()


def drive(
    steps: Generator[Step, HttpAnswer | None, T],
    send: Callable[[dict[str, str], bytes], HttpAnswer],
) -> T:
    """Run an exchange's steps, blocking: send requests, sleep pauses.

    Args:
        steps: The steps of one call (see :mod:`._exchange`).
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
            run.reply(send(step.headers, step.body))
        except Exception as error:
            run.fail(error)
    return cast(T, run.result)


def exchange_and_route(
    client: Any, session: botocore.session.Session, config: DynamoDBConfig
) -> tuple[Exchange, Route]:
    """What either direct transport (blocking or async) is built from.

    Args:
        client: The service's botocore client (models, hooks, exceptions).
        session: Its session (credentials, CA bundle).
        config: Timeouts.

    Returns:
        The exchange of the client's calls, and the route to its endpoint.

    Raises:
        ValueError: If the proxy is an ``https://`` URL.
    """
    agent = f"{session.user_agent()} md/{DISTRIBUTION}#{_version()} md/direct"
    # The credentials botocore's own signer reads (refreshed by botocore).
    exchange = Exchange(client, client._request_signer._credentials, agent)
    return exchange, _route(exchange.url, session, config)


def _route(
    url: str, session: botocore.session.Session, config: DynamoDBConfig
) -> Route:
    """Timeouts, TLS and proxy for the endpoint, as botocore resolves them."""
    tls = None
    if url.startswith("https:"):
        verify = session.get_config_variable("ca_bundle") or True
        tls = _tls_context(get_cert_path(verify))
    proxies = ProxyConfiguration(proxies=get_environ_proxies(url))
    proxy_url = proxies.proxy_url_for(url)
    if proxy_url and proxy_url.startswith("https:"):
        raise ValueError(ERROR_TLS_PROXY % url)
    return Route(
        url=url,
        connect_timeout=config.connect_timeout_seconds,
        read_timeout=config.read_timeout_seconds,
        tls=tls,
        proxy_url=proxy_url,
        proxy_headers=proxies.proxy_headers_for(proxy_url) if proxy_url else None,
    )


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
