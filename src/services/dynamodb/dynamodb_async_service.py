"""The async DynamoDB service: the operations of ``DynamoDBService``, awaited.

Every operation is the same code as the blocking service's (see
:mod:`.operations.steps`): the same argument checks, requests, answer checks, paging,
batch rounds, errors and log lines; only the driver differs
(:mod:`.drivers.asynchronous`). It needs nothing beyond the blocking service's
dependencies: requests go out on asyncio's own connections.
"""

import logging
from types import TracebackType
from typing import Any

from .drivers.asynchronous import AsyncDriver
from .operations.groups import Operations
from .dynamodb_models import DynamoDBConfig


class AsyncDynamoDBService(AsyncDriver, Operations):
    """High-level DynamoDB operations for code on an event loop.

    Every method of :class:`~.dynamodb_service.DynamoDBService` is here with
    the same name, parameters, defaults, errors and log lines, as a
    coroutine (``iter_query`` and ``iter_scan``: async iterators).

    Example:
        >>> async with AsyncDynamoDBService(logger, config) as service:
        ...     await service.put_item({"pk": "a", "n": 1})
        ...     async for item in service.iter_query(Key("pk").eq("a")):
        ...         print(item)
    """

    def __init__(self, logger: logging.Logger, config: DynamoDBConfig) -> None:
        """Build the client and the connection pool; send nothing.

        A constructor cannot await, so unlike the blocking service this one
        does not ping: ``async with`` pings on entry (or ``await
        service.ping()``), and an unreachable endpoint or missing
        credentials show up there.

        Args:
            logger: Logger for every operation of this service.
            config: Connection and table settings.

        Raises:
            TypeError: If ``logger`` is not a ``logging.Logger`` or ``config``
                not a ``DynamoDBConfig``.
        """
        super().__init__(logger, config)

    async def __aenter__(self) -> "AsyncDynamoDBService":
        """Check the connection with :meth:`ping`.

        Returns:
            This service.

        Raises:
            botocore.exceptions.BotoCoreError: If DynamoDB cannot be reached.
            botocore.exceptions.ClientError: If DynamoDB refuses the ping.
        """
        await self._connect()
        return self

    async def __aexit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the connection pool (see :meth:`close`)."""
        await self.close()

    async def close(self) -> None:
        """Close the connection pool and the client; a later call opens new
        connections."""
        transport: Any = self._connection.transport
        await transport.close()
        self._connection.close()
