"""The direct transport on the event loop: the same exchange, awaited.

:class:`AsyncDirectTransport` runs :class:`._exchange.Exchange`'s steps (the
request, signing, ``before-send`` hooks, botocore's retry rules, error
parsing: the very code the blocking transport runs) with
:class:`._async_http.AsyncConnectionPool` underneath (the blocking
transport's HTTP/1.1 writer and reader on asyncio's connections) and
``asyncio.sleep`` for retry pauses. The pool is bounded by
``max_pool_connections``; timeouts, TLS context, proxy and the botocore
exceptions raised for failures are the blocking transport's.

Credentials that botocore must refresh (temporary credentials near their
expiry, or fetched on first use: SSO, assume role, instance metadata) are
refreshed in a worker thread, so that the refresh never blocks the loop.
"""

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar, cast

import botocore.session

from ._async_http import AsyncConnectionPool
from ._direct import BotocoreTransport, exchange_and_route
from ._exchange import Sleep, Step, Stepper
from ._http1 import HttpAnswer
from .dynamodb_models import DynamoDBConfig

T = TypeVar("T")
AsyncSend = Callable[[dict[str, str], bytes], Awaitable[HttpAnswer]]


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
    """Data-path calls signed by the library and sent on the event loop."""

    def __init__(
        self, client: Any, session: botocore.session.Session, config: DynamoDBConfig
    ) -> None:
        """Resolve everything once, as :class:`._direct.DirectTransport`
        does (same arguments, same ``ValueError`` for an ``https://``
        proxy); connect nothing: no loop is needed yet."""
        self._exchange, self._route = exchange_and_route(client, session, config)
        self._credentials = client._request_signer._credentials
        self._size = config.max_pool_connections
        self._connections: AsyncConnectionPool | None = None
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
        connections, self._connections = self._connections, None
        if connections is not None:
            connections.close()

    async def _fresh_credentials(self) -> None:
        """Refresh credentials in a thread when botocore would refresh them."""
        credentials = self._credentials
        needed = getattr(credentials, "refresh_needed", None)
        if needed is not None and needed():
            await asyncio.to_thread(credentials.get_frozen_credentials)

    def _pool(self) -> AsyncConnectionPool:
        """The pool of the running loop (a pool belongs to the loop that
        opened it; one on another loop is left to that loop)."""
        loop = asyncio.get_running_loop()
        if self._connections is None or self._loop is not loop:
            self._loop = loop
            self._connections = AsyncConnectionPool(self._route, self._size)
        return self._connections

    async def _send(self, headers: dict[str, str], body: bytes) -> HttpAnswer:
        return await self._pool().send(headers, body)
