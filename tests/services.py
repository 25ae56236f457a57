"""One behaviour suite for both services.

``SERVICES_DYNAMODB_SERVICE=async`` makes :func:`build_service` return an
``AsyncDynamoDBService`` behind :class:`Blocking`, which runs each of its
coroutines on an event loop in a background thread and waits for it, so
that every test written against ``DynamoDBService`` runs, unchanged, against
the async service. Without it, :func:`build_service` is ``DynamoDBService``.
"""

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any, TypeVar

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService

SERVICE_VARIABLE = "SERVICES_DYNAMODB_SERVICE"
T = TypeVar("T")


def asynchronous() -> bool:
    """Whether this run tests the async service."""
    return os.environ.get(SERVICE_VARIABLE, "blocking") == "async"


class _Loop:
    """An event loop running in a daemon thread, shared by every service."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        thread.start()

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()


_LOOP: _Loop | None = None


def _loop() -> _Loop:
    global _LOOP
    if _LOOP is None:
        _LOOP = _Loop()
    return _LOOP


class Blocking:
    """The async service, its coroutines awaited: the blocking service's API."""

    def __init__(self, service: AsyncDynamoDBService) -> None:
        self._service = service
        self._runner = _loop()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._service, name)
        if name.startswith("_") or not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            if asyncio.iscoroutine(result):
                return self._runner.run(result)
            if hasattr(result, "__anext__"):
                return self._iterate(result)
            return result

        return call

    def _iterate(self, items: AsyncIterator[Any]) -> Iterator[Any]:
        try:
            while True:
                try:
                    yield self._runner.run(_next(items))
                except StopAsyncIteration:
                    return
        finally:
            self._runner.run(_close(items))


async def _next(items: AsyncIterator[Any]) -> Any:
    return await items.__anext__()


async def _close(items: Any) -> None:
    await items.aclose()


def build_service(
    logger: logging.Logger, config: DynamoDBConfig, awaited: bool | None = None
) -> DynamoDBService:
    """The service under test: blocking, or async behind :class:`Blocking`.

    Args:
        logger: The service's logger.
        config: Its configuration.
        awaited: Async or not; by default as ``SERVICES_DYNAMODB_SERVICE``.

    Returns:
        A connected service (pinged, as the blocking constructor pings).
    """
    if not (asynchronous() if awaited is None else awaited):
        return DynamoDBService(logger, config)
    service = AsyncDynamoDBService(logger, config)
    blocking = Blocking(service)
    blocking._runner.run(service.__aenter__())
    return blocking  # type: ignore[return-value]
