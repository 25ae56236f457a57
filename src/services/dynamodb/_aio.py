"""The direct transport over aiohttp: the same exchange, awaited.

:class:`AsyncDirectTransport` runs :class:`._exchange.Exchange`'s steps (the
request, signing, ``before-send`` hooks, botocore's retry rules, error
parsing: the very code the blocking transport runs) with aiohttp's
connection pool underneath and ``asyncio.sleep`` for retry pauses. The
pool is bounded by ``max_pool_connections``; timeouts, TLS context and proxy
are the blocking transport's :class:`._http.Route`. aiohttp's failures are
raised as the botocore exceptions the blocking transport raises for the same
failure, so botocore's retry rules and callers' ``except`` clauses see no
difference. Needs the ``async`` extra (``services-dynamodb[async]``).

Credentials that botocore must refresh (temporary credentials near their
expiry, or fetched on first use: SSO, assume role, instance metadata) are
refreshed in a worker thread, so that the refresh never blocks the loop.
"""

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar, cast

import aiohttp
import botocore.session
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
)
from botocore.httpsession import mask_proxy_url

from ._direct import BotocoreTransport, exchange_and_route
from ._exchange import Sleep, Step, Stepper
from ._http import Route
from ._http1 import HttpAnswer
from .dynamodb_models import DynamoDBConfig

T = TypeVar("T")
AsyncSend = Callable[[dict[str, str], bytes], Awaitable[HttpAnswer]]
# aiohttp would add these; botocore sends neither (a compressed answer would
# not match its x-amz-crc32).
SKIPPED_HEADERS = ("Accept", "Accept-Encoding")


async def drive_async(
    steps: Generator[Step, HttpAnswer | None, T], send: AsyncSend
) -> T:
    """Run an exchange's steps on the event loop: send requests, await pauses.

    Args:
        steps: The steps of one call (see :mod:`._exchange`).
        send: Sends a request and returns its answer.

    Returns:
        What the steps return.
    """
    run: Stepper[Step, HttpAnswer, T] = Stepper(steps)
    while (step := run.next()) is not None:
        if isinstance(step, Sleep):
            await asyncio.sleep(step.seconds)
            continue
        try:
            run.reply(await send(step.headers, step.body))
        except Exception as error:
            run.fail(error)
    return cast(T, run.result)


class AsyncBotocoreTransport:
    """Data-path calls through botocore's client, each in a worker thread."""

    def __init__(self, client: Any) -> None:
        """Args:
        client: The service's botocore client.
        """
        self._blocking = BotocoreTransport(client)

    async def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """See :meth:`AsyncDirectTransport.call`."""
        return await asyncio.to_thread(self._blocking.call, operation, params)

    async def close(self) -> None:
        """Nothing to close: the client's pool is closed with the client."""


class AsyncDirectTransport:
    """Data-path calls signed by the library and sent with aiohttp."""

    def __init__(
        self, client: Any, session: botocore.session.Session, config: DynamoDBConfig
    ) -> None:
        """Resolve everything once, as :class:`._direct.DirectTransport`
        does (same arguments, same ``ValueError`` for an ``https://``
        proxy); connect nothing: no loop is needed yet."""
        self._exchange, self._route = exchange_and_route(client, session, config)
        self._credentials = client._request_signer._credentials
        self._size = config.max_pool_connections
        self._http: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an operation (e.g. ``"GetItem"``) with DynamoDB JSON params.

        Args:
            operation: The operation.
            params: Its parameters, DynamoDB JSON (blobs as bytes).

        Returns:
            The parsed answer, items decoded.

        Raises:
            botocore.exceptions.ClientError: As the blocking transport.
            botocore.exceptions.HTTPClientError: As the blocking transport.
        """
        await self._fresh_credentials()
        steps = self._exchange.call(operation, params)
        return await drive_async(steps, self._send)

    async def close(self) -> None:
        """Close the pool's connections; a later call opens new ones."""
        http, self._http = self._http, None
        if http is not None:
            await http.close()

    async def _fresh_credentials(self) -> None:
        """Refresh credentials in a thread when botocore would refresh them."""
        credentials = self._credentials
        needed = getattr(credentials, "refresh_needed", None)
        if needed is not None and needed():
            await asyncio.to_thread(credentials.get_frozen_credentials)

    def _session(self) -> aiohttp.ClientSession:
        """The pool of the running loop (a pool belongs to the loop that
        opened it; one on another loop is left to that loop)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http.closed or self._loop is not loop:
            self._loop = loop
            route = self._route
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._size, ssl=route.tls if route.tls else True
                ),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=route.connect_timeout,
                    sock_read=route.read_timeout,
                ),
                skip_auto_headers=SKIPPED_HEADERS,
                auto_decompress=False,
                trust_env=False,  # the route holds botocore's proxy choice
            )
        return self._http

    async def _send(self, headers: dict[str, str], body: bytes) -> HttpAnswer:
        route = self._route
        try:
            async with self._session().post(
                route.url,
                data=body,
                headers=headers,
                proxy=route.proxy_url,
                proxy_headers=route.proxy_headers,
            ) as answer:
                content = await answer.read()
                fields = [
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in answer.raw_headers
                ]
                return HttpAnswer(answer.status, fields, content)
        except aiohttp.ClientError as error:
            raise botocore_error(error, route) from error
        except asyncio.TimeoutError as error:
            raise ReadTimeoutError(endpoint_url=route.url, error=error) from error


def botocore_error(failure: aiohttp.ClientError, route: Route) -> Exception:
    """The botocore exception for an aiohttp failure, as the blocking
    transport raises for the same failure.

    Args:
        failure: What aiohttp raised.
        route: Where the request went.

    Returns:
        The exception to raise.
    """
    url = route.url
    # botocore's retry rules (and the service's interrupt check) look for a
    # network failure among the standard library's errors: give them one,
    # naming aiohttp's (which stays chained as the cause).
    error = ConnectionError("%s: %s" % (type(failure).__name__, failure))
    if isinstance(failure, aiohttp.ClientProxyConnectionError):
        return ProxyConnectionError(proxy_url=mask_proxy_url(route.proxy_url or ""))
    if isinstance(failure, (aiohttp.ClientSSLError, aiohttp.ClientConnectorSSLError)):
        return SSLError(endpoint_url=url, error=error)
    if isinstance(failure, aiohttp.ConnectionTimeoutError):
        return ConnectTimeoutError(endpoint_url=url, error=error)
    if isinstance(failure, aiohttp.ServerTimeoutError):
        return ReadTimeoutError(endpoint_url=url, error=error)
    if isinstance(failure, aiohttp.ClientConnectorError):
        return EndpointConnectionError(endpoint_url=url, error=error)
    return ConnectionClosedError(endpoint_url=url, error=error)
