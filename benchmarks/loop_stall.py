"""How long a scan keeps an event loop from running anything else.

A ticker task wakes every millisecond and records the longest gap between
its wake-ups while one scan of 3,000 items of ~1 KB runs: the blocking
service called straight from a coroutine, the blocking service in
``asyncio.to_thread``, and ``AsyncDynamoDBService``. Medians of 5 runs,
dynalite on loopback.

    .venv/bin/python benchmarks/loop_stall.py
"""

import asyncio
import logging
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from integration_tests.server.dynalite_server import DynaliteServer  # noqa: E402
from services.dynamodb import (  # noqa: E402
    AsyncDynamoDBService,
    DynamoDBConfig,
    DynamoDBService,
)

ITEMS = 3000
RUNS = 5
TABLE = "stall"


async def longest_stall(work: Callable[[], Awaitable[Any]]) -> float:
    """Seconds of the longest gap between a 1 ms ticker's wake-ups during ``work``."""
    gaps: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.ensure_future(ticker())
    await asyncio.sleep(0.01)
    await work()
    running = False
    await task
    return max(gaps)


async def measure(config: DynamoDBConfig) -> dict[str, float]:
    log = logging.getLogger("stall")
    blocking = DynamoDBService(log, config)
    async with AsyncDynamoDBService(log, config) as service:

        async def straight() -> Any:
            return blocking.scan()

        async def threaded() -> Any:
            return await asyncio.to_thread(blocking.scan)

        async def awaited() -> Any:
            return await service.scan()

        sides = {"blocking, called": straight, "blocking, to_thread": threaded}
        sides["async service"] = awaited
        stalls: dict[str, list[float]] = {name: [] for name in sides}
        for _ in range(RUNS):
            for name, work in sides.items():
                stalls[name].append(await longest_stall(work))
    return {name: statistics.median(values) for name, values in stalls.items()}


def main() -> None:
    server = DynaliteServer(create_table_ms=0, delete_table_ms=0)
    endpoint = server.start()
    try:
        config = DynamoDBConfig(
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            billing_mode="PAY_PER_REQUEST",
            default_table_name=TABLE,
        )
        setup = DynamoDBService(logging.getLogger("stall"), config)
        setup.create_table(
            TABLE,
            [{"AttributeName": "pk", "KeyType": "HASH"}],
            [{"AttributeName": "pk", "AttributeType": "S"}],
        )
        setup.batch_write_items(
            [{"pk": "p%d" % i, "pad": "x" * 1000} for i in range(ITEMS)]
        )
        medians = asyncio.run(measure(config))
    finally:
        server.stop()
    print(
        "| scan of %d items of ~1 KB, called from a coroutine | longest loop stall |"
        % ITEMS
    )
    print("|---|---|")
    for name, seconds in medians.items():
        print("| %s | %.1f ms |" % (name, seconds * 1000))


if __name__ == "__main__":
    main()
