"""The async service beside the other async Python DynamoDB clients.

The same workloads for ``AsyncDynamoDBService``, aiodynamo (aiohttp) and
pydynox's async client (its Rust core), interleaved round by round with the
order rotated, each run from a collected heap, against one dynalite; with
this library's blocking service and a plain boto3 ``Table`` as references.
Client CPU (this process's, every thread) as a ratio to boto3's, medians;
the concurrent row (1,000 get_items, 64 in flight) gives wall and CPU times
of the async sides, boto3 having no concurrency of its own. aioboto3 is left
out: its aiobotocore pins botocore to a narrow range, which would move the
botocore this project tests with.

    .venv/bin/python benchmarks/async_peers.py [--rounds 5] [--quick]
"""

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from boto3.dynamodb.conditions import Key

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.peer_sides import (  # noqa: E402
    TABLE,
    AioSide,
    Boto3Side,
    LibrarySide,
    PydynoxClient,
    PydynoxSide,
)
from benchmarks.peers import item, load, timings, workload_size  # noqa: E402
from integration_tests.server.dynalite_server import DynaliteServer  # noqa: E402
from services.dynamodb import AsyncDynamoDBService  # noqa: E402

Run = Callable[[], Awaitable[object]]
IN_FLIGHT = 64


class AsyncSides:
    """The async sides' workloads, as coroutines to run on one loop."""

    def __init__(self, endpoint: str, library: LibrarySide) -> None:
        # aiodynamo as the peers benchmark builds it; its loop runs every side.
        self.aiodynamo = AioSide(endpoint)
        self.loop, self.aio = self.aiodynamo.loop, self.aiodynamo.aio
        self.service = AsyncDynamoDBService(library.service.log, library.service.config)
        # pydynox's client as the peers benchmark builds it (its async calls).
        self.pydynox: Any = None
        if PydynoxClient is not None:
            self.pydynox = PydynoxSide(endpoint).client

    def close(self) -> None:
        self.loop.run_until_complete(self.service.close())
        self.aiodynamo.close()

    def blocking(self, run: Run) -> Callable[[], object]:
        return lambda: self.loop.run_until_complete(run())

    def gets(self, keys: list[dict[str, Any]]) -> dict[str, Run]:
        async def library() -> None:
            for key in keys:
                await self.service.get_item(key)

        async def aio() -> None:
            for key in keys:
                await self.aio.get_item(TABLE, key)

        async def pydynox() -> None:
            for key in keys:
                await self.pydynox.get_item(TABLE, key)

        return self._sides(library, aio, pydynox)

    def puts(self, rows: list[dict[str, Any]]) -> dict[str, Run]:
        async def library() -> None:
            for row in rows:
                await self.service.put_item(row)

        async def aio() -> None:
            for row in rows:
                await self.aio.put_item(TABLE, row)

        async def pydynox() -> None:
            for row in rows:
                await self.pydynox.put_item(TABLE, row)

        return self._sides(library, aio, pydynox)

    def queries(self, pk: str) -> dict[str, Run]:
        async def library() -> int:
            return len(await self.service.query(Key("pk").eq(pk)))

        async def aio() -> int:
            return await self.aiodynamo.queried(pk)

        async def pydynox() -> int:
            rows = self.pydynox.query(
                TABLE,
                "#pk = :pk",
                expression_attribute_names={"#pk": "pk"},
                expression_attribute_values={":pk": pk},
            )
            return len([row async for row in rows])

        return self._sides(library, aio, pydynox)

    def batch_gets(self, keys: list[dict[str, Any]]) -> dict[str, Run]:
        async def library() -> int:
            return len(await self.service.batch_get_items(keys))

        async def aio() -> int:
            return await self.aiodynamo.batch_found(keys)

        async def pydynox() -> int:
            return len(await self.pydynox.batch_get(TABLE, keys))

        return self._sides(library, aio, pydynox)

    def concurrent_gets(self, keys: list[dict[str, Any]]) -> dict[str, Run]:
        def bounded(get: Callable[[dict[str, Any]], Awaitable[object]]) -> Run:
            async def run() -> None:
                gate = asyncio.Semaphore(IN_FLIGHT)

                async def one(key: dict[str, Any]) -> None:
                    async with gate:
                        await get(key)

                await asyncio.gather(*(one(key) for key in keys))

            return run

        return self._sides(
            bounded(self.service.get_item),
            bounded(lambda key: self.aio.get_item(TABLE, key)),
            bounded(lambda key: self.pydynox.get_item(TABLE, key)),
        )

    def _sides(self, library: Run, aio: Run, pydynox: Run) -> dict[str, Run]:
        sides = {"library async": library, "aiodynamo": aio}
        if self.pydynox is not None:
            sides["pydynox async"] = pydynox
        return sides


def rows(
    sides: AsyncSides, boto3: Boto3Side, blocking: LibrarySide, items: int, calls: int
) -> dict[str, dict[str, Callable[[], object]]]:
    keys = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(calls)]
    puts = [{**item(i), "pk": "u"} for i in range(calls)]
    batch = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(0, items, 2)]
    plans = {
        "%d get_item" % calls: (sides.gets(keys), boto3.get(keys), blocking.get(keys)),
        "%d put_item" % calls: (sides.puts(puts), boto3.put(puts), blocking.put(puts)),
        "query, one partition of %d"
        % (items // 2): (sides.queries("p0"), boto3.query("p0"), blocking.query("p0")),
        "batch get, %d keys"
        % len(batch): (
            sides.batch_gets(batch),
            boto3.batch_get(batch),
            blocking.batch_get(batch),
        ),
    }
    table: dict[str, dict[str, Callable[[], object]]] = {}
    for name, (async_work, plain, library) in plans.items():
        work = {"boto3": plain, "library (blocking)": library}
        work.update({label: sides.blocking(run) for label, run in async_work.items()})
        table[name] = work
    return table


def main() -> None:
    rounds, items, calls, _ = workload_size(__doc__)
    server = DynaliteServer(create_table_ms=0, delete_table_ms=0)
    endpoint = server.start()
    try:
        blocking = LibrarySide(endpoint, "direct")
        load({"library": blocking}, items)
        sides = AsyncSides(endpoint, blocking)
        boto3 = Boto3Side(endpoint)
        print("| workload | boto3 CPU | ratios to boto3's CPU |")
        for name, work in rows(sides, boto3, blocking, items, calls).items():
            medians = timings(work, rounds)
            base = medians["boto3"][0]
            ratios = ", ".join(
                "%s %.2f" % (label, cpu / base)
                for label, (cpu, _) in medians.items()
                if label != "boto3"
            )
            print("| %s | %.3f s | %s |" % (name, base, ratios), flush=True)
        concurrent = [{"pk": "p%d" % (i % 2), "sk": i % items} for i in range(1000)]
        work = {
            label: sides.blocking(run)
            for label, run in sides.concurrent_gets(concurrent).items()
        }
        for label, (cpu, wall) in timings(work, rounds).items():
            print(
                "| 1000 get_item, %d in flight: %s | wall %.3f s | CPU %.3f s |"
                % (IN_FLIGHT, label, wall, cpu),
                flush=True,
            )
        sides.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
