"""The direct transport on the event loop: the same exchange, awaited.

:class:`AsyncDirectTransport` runs :class:`.exchange.Exchange`'s steps (the
request, signing, ``before-send`` hooks, botocore's retry rules, error
parsing: the very code the blocking transport runs) with
:class:`.async_http.AsyncConnectionPool` underneath (the blocking
transport's HTTP/1.1 writer and reader on asyncio's connections) and
``asyncio.sleep`` for retry pauses. The pool is bounded by
``max_pool_connections``; timeouts, TLS context, proxy and the botocore
exceptions raised for failures are the blocking transport's.

Credentials that botocore must refresh (temporary credentials near their
expiry, or fetched on first use: SSO, assume role, instance metadata) are
refreshed in a worker thread, so that the refresh never blocks the loop.
"""

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar, cast

import botocore.session
from botocore.credentials import ReadOnlyCredentials

from .async_http import AsyncConnectionPool
from .direct import BotocoreTransport, exchange_and_routes
from ..sansio.steps import Sleep, Stepper
from .exchange import Step
from .http1 import HttpAnswer
from ..dynamodb_models import DynamoDBConfig

T = TypeVar("T")
AsyncSend = Callable[[str, dict[str, str], bytes], Awaitable[HttpAnswer]]


async def drive_async(
    steps: Generator[Step, HttpAnswer | None, T], send: AsyncSend
) -> T:
    """Run an exchange's steps on the event loop: send requests, await pauses.

    Args:
        steps: The steps of one call (see :mod:`.exchange`).
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
            run.reply(await send(step.url, step.headers, step.body))
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
    """Data-path calls signed by the library and sent on the event loop."""

    def __init__(
        self, client: Any, session: botocore.session.Session, config: DynamoDBConfig
    ) -> None:
        """Resolve everything once, as :class:`.direct.DirectTransport`
        does (same arguments, same ``ValueError`` for an ``https://``
        proxy); connect nothing: no loop is needed yet."""
        self._exchange, self._routes = exchange_and_routes(client, session, config)
        self._credentials = client._request_signer._credentials
        self._size = config.max_pool_connections
        # Each loop's pools, per endpoint URL: a connection belongs to the
        # loop that opened it; a loop's pools go when the loop does.
        self._pools: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, AsyncConnectionPool]
        ] = weakref.WeakKeyDictionary()

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
        credentials = await self._frozen_credentials()
        steps = self._exchange.call(operation, params, credentials)
        return await drive_async(steps, self._send)

    async def close(self) -> None:
        """Close the running loop's connections; a later call opens new ones."""
        pools = self._pools.pop(asyncio.get_running_loop(), {})
        for pool in pools.values():
            pool.close()

    async def _frozen_credentials(self) -> ReadOnlyCredentials | None:
        """The credentials of a call, read in a worker thread whenever
        botocore may refresh them (its advisory window included), so that
        a refresh never blocks the loop."""
        credentials = self._credentials
        if credentials is None:
            return None  # the exchange raises NoCredentialsError
        needed = getattr(credentials, "refresh_needed", None)
        if needed is not None and needed():
            frozen = await asyncio.to_thread(credentials.get_frozen_credentials)
        else:
            frozen = credentials.get_frozen_credentials()
        return cast(ReadOnlyCredentials, frozen)

    def _pool(self, url: str) -> AsyncConnectionPool:
        """The pool of a URL on the running loop (each loop keeps its own:
        a service shared by loops in several threads opens at most
        ``max_pool_connections`` per loop and endpoint)."""
        pools = self._pools.setdefault(asyncio.get_running_loop(), {})
        pool = pools.get(url)
        if pool is None:
            pool = AsyncConnectionPool(self._routes.route(url), self._size)
            pools[url] = pool
        return pool

    async def _send(self, url: str, headers: dict[str, str], body: bytes) -> HttpAnswer:
        return await self._pool(url).send(headers, body)
