"""The library beside the other Python DynamoDB libraries, on the same workloads.

For each workload, a plain boto3 ``Table``, this library (with dicts, and with
pydantic models: ``model=PeerItem`` on reads, model instances on writes),
PynamoDB and aiodynamo (over aiohttp) do the same work against the same
server, round by round with the order rotated; the table gives each one's
client CPU (this process's CPU time) as a ratio to boto3's, medians. Needs
the ``bench`` extra.

    .venv/bin/python benchmarks/peers.py [--rounds 5] [--quick]
"""

import argparse
import asyncio
import datetime
import gc
import logging
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import boto3
from aiodynamo.client import Client as AioClient
from aiodynamo.credentials import Key as AioKey
from aiodynamo.credentials import StaticCredentials
from aiodynamo.expressions import HashKey
from aiodynamo.http.aiohttp import AIOHTTP
from aiodynamo.models import BatchGetRequest, BatchWriteRequest
from pydantic import BaseModel
from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model
from yarl import URL

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from integration_tests.server.dynalite_server import DynaliteServer  # noqa: E402
from services.dynamodb import DynamoDBConfig, DynamoDBService  # noqa: E402

RESULTS = ROOT / "benchmarks" / "peers.md"
TABLE = "peers"
SECRET = "bench"
SIDES = ("boto3", "library", "library, model=", "PynamoDB", "aiodynamo")
Work = dict[str, Callable[[], object]]


class Row(Model):
    """PynamoDB's model of the benchmark's items."""

    class Meta:
        table_name = TABLE
        region = "us-east-1"
        aws_access_key_id = SECRET
        aws_secret_access_key = SECRET

    pk = UnicodeAttribute(hash_key=True)
    sk = NumberAttribute(range_key=True)
    name = UnicodeAttribute()
    n = NumberAttribute()
    pad = UnicodeAttribute()
    m = MapAttribute()  # type: ignore[var-annotated,no-untyped-call]


class PeerItem(BaseModel):
    """The library's typed form of the benchmark's items."""

    pk: str
    sk: int
    name: str
    n: int
    pad: str
    m: dict[str, int]


def item(i: int) -> dict[str, Any]:
    """About 1 KB, 6 attributes, one a map of 10 numbers."""
    return {
        "pk": "p%d" % (i % 2),
        "sk": i,
        "name": "name-%d" % i,
        "n": i * 3,
        "pad": "x" * 800,
        "m": {"k%d" % j: j for j in range(10)},
    }


class Peers:
    """Every side's objects on one server, and the workloads."""

    def __init__(self, endpoint: str, items: int, calls: int) -> None:
        self.items, self.calls = items, calls
        log = logging.getLogger("bench.peers")
        log.addHandler(logging.NullHandler())
        log.propagate = False
        self.service = DynamoDBService(
            log,
            DynamoDBConfig(
                region_name="us-east-1",
                endpoint_url=endpoint,
                aws_access_key_id=SECRET,
                aws_secret_access_key=SECRET,
                billing_mode="PAY_PER_REQUEST",
                default_table_name=TABLE,
            ),
        )
        self.table: Any = boto3.resource(
            "dynamodb",
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id=SECRET,
            aws_secret_access_key=SECRET,
        ).Table(TABLE)
        setattr(Row.Meta, "host", endpoint)  # the server is known only now
        self.loop = asyncio.new_event_loop()
        self.http = self.loop.run_until_complete(self._session())
        self.aio = AioClient(
            AIOHTTP(self.http),
            StaticCredentials(AioKey(SECRET, SECRET)),
            "us-east-1",
            URL(endpoint),
            numeric_type=Decimal,
        )

    async def _session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def close(self) -> None:
        self.loop.run_until_complete(self.http.close())
        self.loop.close()

    def aio_run(self, work: Callable[[], Awaitable[object]]) -> Callable[[], object]:
        return lambda: self.loop.run_until_complete(work())

    def workloads(self) -> dict[str, Work]:
        return {
            "full scan, %d x ~1 KB" % self.items: self._scans(),
            "query, one partition of %d" % (self.items // 2): self._queries(),
            "batch get, %d keys" % (self.items // 2): self._batch_gets(),
            "batch write, %d items" % (self.items // 2): self._batch_writes(),
            "%d get_item" % self.calls: self._gets(),
            "%d put_item" % self.calls: self._puts(),
        }

    def _scans(self) -> Work:
        async def aio() -> int:
            return len([row async for row in self.aio.scan(TABLE)])

        return {
            "boto3": lambda: _pages(self.table.scan),
            "library": lambda: self.service.scan(),
            "library, model=": lambda: self.service.scan(model=PeerItem),
            "PynamoDB": lambda: list(Row.scan()),
            "aiodynamo": self.aio_run(aio),
        }

    def _queries(self) -> Work:
        from boto3.dynamodb.conditions import Key

        async def aio() -> int:
            rows = self.aio.query(TABLE, HashKey("pk", "p0"))
            return len([row async for row in rows])

        return {
            "boto3": lambda: _pages(
                self.table.query, KeyConditionExpression=Key("pk").eq("p0")
            ),
            "library": lambda: self.service.query(Key("pk").eq("p0")),
            "library, model=": lambda: self.service.query(
                Key("pk").eq("p0"), model=PeerItem
            ),
            "PynamoDB": lambda: list(Row.query("p0")),
            "aiodynamo": self.aio_run(aio),
        }

    def _batch_gets(self) -> Work:
        keys = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(0, self.items, 2)]

        def plain() -> int:
            client = self.table.meta.client
            found = 0
            for start in range(0, len(keys), 100):
                request = {TABLE: {"Keys": keys[start : start + 100]}}
                found += len(client.batch_get_item(RequestItems=request)["Responses"])
            return found

        async def aio() -> int:
            found = 0
            for start in range(0, len(keys), 100):
                request = BatchGetRequest(keys=keys[start : start + 100])
                response = await self.aio.batch_get({TABLE: request})
                found += len(response.items.get(TABLE, []))
            return found

        pairs = [(key["pk"], key["sk"]) for key in keys]
        return {
            "boto3": plain,
            "library": lambda: self.service.batch_get_items(keys),
            "library, model=": lambda: self.service.batch_get_items(
                keys, model=PeerItem
            ),
            "PynamoDB": lambda: list(Row.batch_get(pairs)),
            "aiodynamo": self.aio_run(aio),
        }

    def _batch_writes(self) -> Work:
        rows = [{**item(i), "pk": "w"} for i in range(self.items // 2)]
        models = [PeerItem.model_validate(row) for row in rows]

        def plain() -> None:
            with self.table.batch_writer() as writer:
                for row in rows:
                    writer.put_item(Item=row)

        def pynamodb() -> None:
            with Row.batch_write() as batch:
                for row in rows:
                    batch.save(Row(**row))

        async def aio() -> None:
            for start in range(0, len(rows), 25):
                chunk = rows[start : start + 25]
                await self.aio.batch_write(
                    {TABLE: BatchWriteRequest(items_to_put=chunk)}
                )

        return {
            "boto3": plain,
            "library": lambda: self.service.batch_write_items(rows),
            "library, model=": lambda: self.service.batch_write_items(models),
            "PynamoDB": pynamodb,
            "aiodynamo": self.aio_run(aio),
        }

    def _gets(self) -> Work:
        keys = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(self.calls)]

        async def aio() -> None:
            for key in keys:
                await self.aio.get_item(TABLE, key)

        return {
            "boto3": lambda: [self.table.get_item(Key=key) for key in keys],
            "library": lambda: [self.service.get_item(key) for key in keys],
            "library, model=": lambda: [
                self.service.get_item(key, model=PeerItem) for key in keys
            ],
            "PynamoDB": lambda: [Row.get(key["pk"], key["sk"]) for key in keys],
            "aiodynamo": self.aio_run(aio),
        }

    def _puts(self) -> Work:
        rows = [{**item(i), "pk": "u"} for i in range(self.calls)]
        models = [PeerItem.model_validate(row) for row in rows]

        async def aio() -> None:
            for row in rows:
                await self.aio.put_item(TABLE, row)

        return {
            "boto3": lambda: [self.table.put_item(Item=row) for row in rows],
            "library": lambda: [self.service.put_item(row) for row in rows],
            "library, model=": lambda: [self.service.put_item(m) for m in models],
            "PynamoDB": lambda: [Row(**row).save() for row in rows],
            "aiodynamo": self.aio_run(aio),
        }


def _pages(read: Callable[..., Any], **params: Any) -> int:
    count = 0
    while True:
        page = read(**params)
        count += len(page["Items"])
        if "LastEvaluatedKey" not in page:
            return count
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def measure(work: Work, rounds: int) -> dict[str, float]:
    """Median client CPU per side, the order of sides rotated each round.

    Each run starts from a collected heap, so that no side pays for the
    garbage of the one before it (the collector stays on during the run: its
    cost for a side's own objects is part of that side's cost).
    """
    cpu: dict[str, list[float]] = {side: [] for side in SIDES}
    for round_number in range(rounds):
        turn = round_number % len(SIDES)
        order = SIDES[turn:] + SIDES[:turn]
        for side in order:
            gc.collect()
            start = time.process_time()
            work[side]()
            cpu[side].append(time.process_time() - start)
    return {side: statistics.median(times) for side, times in cpu.items()}


def report(rows: list[tuple[str, dict[str, float]]], rounds: int) -> str:
    lines = [
        "# Client CPU beside the other Python DynamoDB libraries",
        "",
        "- date: %s UTC"
        % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "- %d CPUs, dynalite on loopback, %d rounds per row, order rotated; "
        "medians of this process's CPU time, as a ratio to plain boto3's "
        "(lower is better)" % (os.cpu_count() or 0, rounds),
        "",
        "| workload | boto3 CPU | " + " | ".join(SIDES[1:]) + " |",
        "|---|---|" + "---|" * (len(SIDES) - 1),
    ]
    for name, medians in rows:
        base = medians["boto3"]
        ratios = " | ".join("%.2f" % (medians[side] / base) for side in SIDES[1:])
        lines.append("| %s | %.3f s | %s |" % (name, base, ratios))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a fifth of the work")
    args = parser.parse_args()
    items, calls = (1000, 100) if args.quick else (5000, 500)
    server = DynaliteServer(create_table_ms=0, delete_table_ms=0)
    endpoint = server.start()
    try:
        peers = Peers(endpoint, items, calls)
        peers.service.create_table(
            TABLE,
            [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
        )
        peers.service.batch_write_items([item(i) for i in range(items)])
        rows = []
        for name, work in peers.workloads().items():
            rows.append((name, measure(work, args.rounds)))
            print(report(rows[-1:], args.rounds).splitlines()[-1], flush=True)
        peers.close()
    finally:
        server.stop()
    text = report(rows, args.rounds)
    RESULTS.write_text(text)
    print("\n" + text)


if __name__ == "__main__":
    main()
