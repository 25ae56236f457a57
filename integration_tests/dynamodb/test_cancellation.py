"""Cancelling the async service's calls: the cancellation propagates unchanged,
nothing is logged as a failure, and the service stays usable.

A cancelled batch behaves like an interrupted one (README, "Async"): what it
sent before is stored, the caller resends the whole batch.
"""

import asyncio
import logging
from typing import Any

import pytest

from integration_tests.server.fault_proxy import FaultProxy
from services.dynamodb import AsyncDynamoDBService, DynamoDBService

ITEMS = [{"pk": "a", "sk": i} for i in range(60)]


def stall(proxy: FaultProxy, operation: str, after: int) -> None:
    """Let ``after`` requests of ``operation`` through, then stall the next."""
    proxy.reset()
    proxy.stall_seconds = 3
    proxy.faults[operation] = "stall"
    proxy.passes[operation] = after
    proxy.times[operation] = 1


def run(proxied: DynamoDBService, logger: logging.Logger, work: Any) -> Any:
    """Run ``work(service)`` on a fresh async service on the proxied table."""

    async def main() -> Any:
        async with AsyncDynamoDBService(logger, proxied.config) as service:
            return await work(service)

    return asyncio.run(main())


def test_a_call_cancelled_by_a_timeout_raises_it_and_the_service_goes_on(
    proxy: FaultProxy,
    proxied: DynamoDBService,
    logger: logging.Logger,
    caplog: pytest.LogCaptureFixture,
) -> None:
    proxied.put_item({"pk": "a", "sk": 1})
    stall(proxy, "GetItem", 0)

    async def work(service: AsyncDynamoDBService) -> Any:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(service.get_item({"pk": "a", "sk": 1}), 0.3)
        proxy.reset()
        return await service.get_item({"pk": "a", "sk": 1})

    with caplog.at_level(logging.INFO, logger=logger.name):
        found = run(proxied, logger, work)

    assert found == {"pk": "a", "sk": 1}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_cancelled_batch_stored_what_it_sent_and_resending_completes_it(
    proxy: FaultProxy, proxied: DynamoDBService, logger: logging.Logger
) -> None:
    stall(proxy, "BatchWriteItem", 1)

    async def work(service: AsyncDynamoDBService) -> int:
        task = asyncio.ensure_future(service.batch_write_items(ITEMS))
        while proxy.requests["BatchWriteItem"] < 2:
            await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        stored = await service.count()
        proxy.reset()
        await service.batch_write_items(ITEMS)
        return stored

    stored_when_cancelled = run(proxied, logger, work)

    assert stored_when_cancelled == 25  # the first request, not the stalled one
    assert proxied.count() == len(ITEMS)
