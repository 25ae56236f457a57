"""The rows of the benchmark: each the library's call and plain boto3's."""

import gc
import multiprocessing
import logging
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config

from benchmarks.cold_start import BOTO3, PHASES, cold_starts
from services.dynamodb import DynamoDBConfig, DynamoDBService

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
BOTO_CONFIG = Config(
    connect_timeout=5,
    read_timeout=30,
    retries={"total_max_attempts": 3, "mode": "standard"},
)
KEY_SCHEMA: Any = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES: Any = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
]
# About 1 KB items, a common size: a 1 MB page then holds ~1,000 of them.
ITEM_PAD_BYTES = 1000
TimedRow = tuple[str, str, Callable[[], object], Callable[[], object]]
PROCESSES = 4


@dataclass(frozen=True)
class Sizes:
    """How much work each row does."""

    calls: int = 2000
    query_items: int = 1000
    scan_items: int = 20_000
    full_scan_items: int = 10_000
    batch_write: int = 10_000
    batch_get: int = 5000
    cold_starts: int = 10
    big_scan_items: int = 100_000

    @classmethod
    def quick(cls) -> "Sizes":
        return cls(200, 1000, 2000, 1000, 1000, 500, 3, 10_000)


class Bench:
    """The service and the plain boto3 objects, with their request counters."""

    def __init__(self, endpoint: str, sizes: Sizes) -> None:
        self.endpoint = endpoint
        self.sizes = sizes
        logger = logging.getLogger("bench.library")
        logger.setLevel(logging.INFO)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        self.config = DynamoDBConfig(
            region_name="us-east-1",
            endpoint_url=endpoint,
            billing_mode="PAY_PER_REQUEST",
            aws_access_key_id=CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=CREDENTIALS["aws_secret_access_key"],
        )
        self.service = DynamoDBService(logger, self.config)
        self.resource: Any = boto3.session.Session().resource(
            "dynamodb",
            region_name="us-east-1",
            endpoint_url=endpoint,
            config=BOTO_CONFIG,
            aws_access_key_id=CREDENTIALS["aws_access_key_id"],
            aws_secret_access_key=CREDENTIALS["aws_secret_access_key"],
        )
        self.requests = {"library": 0, "boto3": 0}
        self._count(self.service._client, "library")
        self._count(self.resource.meta.client, "boto3")
        self.tables: list[str] = []

    def _count(self, client: Any, side: str) -> None:
        def count(**kwargs: Any) -> None:
            self.requests[side] += 1

        client.meta.events.register("before-send.dynamodb", count)

    def new_table(self, items: Iterator[dict[str, Any]] | None = None) -> str:
        name = f"bench-{uuid.uuid4().hex[:10]}"
        self.service.create_table(name, KEY_SCHEMA, ATTRIBUTES)
        self.tables.append(name)
        if items is not None:
            with self.resource.Table(name).batch_writer() as writer:
                for item in items:
                    writer.put_item(Item=item)
        return name

    def close(self) -> None:
        for name in self.tables:
            self.service.delete_table(name)

    def timed_rows(self) -> Iterator[TimedRow]:
        yield from self._item_rows()
        yield from self._read_rows()
        yield from self._full_scan_row()
        yield from self._batch_rows()

    def _item_rows(self) -> Iterator[TimedRow]:
        n = self.sizes.calls
        table_name = self.new_table()
        table = self.resource.Table(table_name)
        svc = self.service

        def keys(side: str) -> Iterator[dict[str, Any]]:
            return ({"pk": f"{side}#{i}", "sk": i} for i in range(n))

        size = f"{n} calls"
        yield (
            "put_item",
            size,
            lambda: each(
                lambda k: svc.put_item({**k, "v": "x"}, table_name), keys("lib")
            ),
            lambda: each(lambda k: table.put_item(Item={**k, "v": "x"}), keys("raw")),
        )
        yield (
            "get_item",
            size,
            lambda: [svc.get_item(k, table_name) for k in keys("lib")],
            lambda: [table.get_item(Key=k).get("Item") for k in keys("raw")],
        )
        update = "SET v = :v"
        yield (
            "update_item",
            size,
            lambda: [
                svc.update_item(k, update, {":v": 1}, table_name) for k in keys("lib")
            ],
            lambda: [
                table.update_item(
                    Key=k,
                    UpdateExpression=update,
                    ExpressionAttributeValues={":v": 1},
                    ReturnValues="ALL_NEW",
                )["Attributes"]
                for k in keys("raw")
            ],
        )
        yield (
            "delete_item",
            size,
            lambda: each(lambda k: svc.delete_item(k, table_name), keys("lib")),
            lambda: each(lambda k: table.delete_item(Key=k), keys("raw")),
        )

    def _read_rows(self) -> Iterator[TimedRow]:
        sizes, svc = self.sizes, self.service
        pad = "q" * 3000  # 1,000 such items take several 1 MB pages
        query_table = self.new_table(
            {"pk": "a", "sk": i, "pad": pad} for i in range(sizes.query_items)
        )
        plain_query = self.resource.Table(query_table).query
        yield (
            "query (several pages)",
            f"{sizes.query_items} items",
            lambda: svc.query("pk = :pk", {":pk": "a"}, query_table),
            lambda: plain_pages(plain_query, KeyConditionExpression=Key("pk").eq("a")),
        )
        scan_table = self.new_table(
            {"pk": f"p{i % 100}", "sk": i, "grp": i % 10}
            for i in range(sizes.scan_items)
        )
        plain_scan = self.resource.Table(scan_table).scan
        size = f"10% of {sizes.scan_items}"
        yield (
            "scan with filter",
            size,
            lambda: svc.scan("grp = :g", {":g": 0}, scan_table),
            lambda: plain_pages(plain_scan, FilterExpression=Attr("grp").eq(0)),
        )
        yield (
            "scan(limit=50) with filter",
            size,
            lambda: svc.scan("grp = :g", {":g": 0}, scan_table, limit=50),
            lambda: plain_pages(plain_scan, 50, FilterExpression=Attr("grp").eq(0)),
        )

    def _full_scan_row(self) -> Iterator[TimedRow]:
        count = self.sizes.full_scan_items
        table_name = self.new_table(
            {"pk": f"p{i % 100}", "sk": i, "n": i, "pad": "f" * ITEM_PAD_BYTES}
            for i in range(count)
        )
        svc, plain_scan = self.service, self.resource.Table(table_name).scan
        yield (
            "full scan, ~1 KB items",
            f"{count} items",
            lambda: svc.scan(table_name=table_name),
            lambda: plain_pages(plain_scan),
        )

    def _batch_rows(self) -> Iterator[TimedRow]:
        sizes, svc = self.sizes, self.service
        table_name = self.new_table()
        table = self.resource.Table(table_name)
        items = [{"pk": "b", "sk": i, "v": "x" * 20} for i in range(sizes.batch_write)]

        def plain_write() -> None:
            with table.batch_writer() as writer:
                for item in items:
                    writer.put_item(Item=item)

        yield (
            "batch_write_items",
            f"{sizes.batch_write} items",
            lambda: svc.batch_write_items(items, table_name),
            plain_write,
        )
        keys = [{"pk": "b", "sk": i} for i in range(sizes.batch_get)]
        yield (
            "batch_get_items",
            f"{sizes.batch_get} keys",
            lambda: svc.batch_get_items(keys, table_name),
            lambda: plain_batch_get(self.resource, table_name, keys),
        )

    def special_rows(self, rounds: int) -> Iterator[tuple[Any, ...]]:
        yield from self._cold_start_rows()
        big_table = self.new_table(
            {"pk": f"p{i % 1000}", "sk": i, "pad": "m" * ITEM_PAD_BYTES}
            for i in range(self.sizes.big_scan_items)
        )
        yield self._memory_row(big_table)
        yield self._parallel_row(big_table, rounds)
        yield self._process_row(big_table, rounds)

    def _cold_start_rows(self) -> Iterator[tuple[Any, ...]]:
        """Fresh processes, alternating: each phase's CPU (import; construct,
        the library's ping included; first get_item), then the whole
        process's, the library's beside a boto3 client's."""
        table = self.new_table()
        sides = ("library", BOTO3)
        medians = cold_starts(self.endpoint, table, sides, self.sizes.cold_starts)
        library, plain = medians["library"], medians[BOTO3]
        for phase in PHASES:
            name = "whole process" if phase == "total" else phase
            yield (
                f"cold start, {name} (CPU; boto3: a client)",
                f"{self.sizes.cold_starts} processes",
                library[phase],
                plain[phase],
                "%d (%d client)" % (library["requests"], library["clients"]),
                "%d (%d client)" % (plain["requests"], plain["clients"]),
            )

    def _memory_row(self, table_name: str) -> tuple[Any, ...]:
        svc = self.service

        def streamed() -> None:
            for _ in svc.iter_scan(table_name=table_name):
                pass

        stream_peak, stream_requests = peak_megabytes(streamed, self.requests)
        list_peak, list_requests = peak_megabytes(
            lambda: svc.scan(table_name=table_name), self.requests
        )
        return (
            "peak memory: iter_scan vs scan",
            f"{self.sizes.big_scan_items} items",
            stream_peak,
            list_peak,
            stream_requests,
            list_requests,
            "MB",
        )

    def _process_row(self, table_name: str, rounds: int) -> tuple[Any, ...]:
        svc, table = self.service, self.resource.Table(table_name)
        fork = multiprocessing.get_context("fork")

        def processes() -> int:
            FORKED.update(service=svc, table=table_name)
            with ProcessPoolExecutor(PROCESSES, mp_context=fork) as pool:
                return sum(pool.map(_count_segment, range(PROCESSES)))

        def sequential() -> int:
            return len(plain_pages(table.scan))

        times: dict[str, list[float]] = {"processes": [], "sequential": []}
        for _ in range(max(rounds // 2, 2)):
            for name, run in (("processes", processes), ("sequential", sequential)):
                start = time.perf_counter()
                assert run() == self.sizes.big_scan_items
                times[name].append(time.perf_counter() - start)
        return (
            "iter_scan(segment=i, total_segments=4) in 4 processes vs boto3 scan",
            f"{self.sizes.big_scan_items} items",
            statistics.median(times["processes"]),
            statistics.median(times["sequential"]),
            "-",
            "-",
        )

    def _parallel_row(self, table_name: str, rounds: int) -> tuple[Any, ...]:
        svc, table = self.service, self.resource.Table(table_name)

        def parallel() -> int:
            return sum(
                1 for _ in svc.iter_scan(table_name=table_name, total_segments=4)
            )

        def sequential() -> int:
            return len(plain_pages(table.scan))

        times: dict[str, list[float]] = {"parallel": [], "sequential": []}
        for _ in range(max(rounds // 2, 2)):
            for name, run in (("parallel", parallel), ("sequential", sequential)):
                start = time.perf_counter()
                assert run() == self.sizes.big_scan_items
                times[name].append(time.perf_counter() - start)
        return (
            "iter_scan(total_segments=4) vs sequential boto3 scan",
            f"{self.sizes.big_scan_items} items",
            statistics.median(times["parallel"]),
            statistics.median(times["sequential"]),
            "-",
            "-",
        )


# What forked worker processes share with the parent (set before they fork).
FORKED: dict[str, Any] = {}


def _count_segment(segment: int) -> int:
    """One process's share of a scan spread over processes."""
    service: DynamoDBService = FORKED["service"]
    return sum(
        1
        for _ in service.iter_scan(
            table_name=FORKED["table"], segment=segment, total_segments=PROCESSES
        )
    )


def each(
    call: Callable[[dict[str, Any]], object], keys: Iterator[dict[str, Any]]
) -> None:
    """Call ``call`` once per key."""
    for key in keys:
        call(key)


def plain_pages(
    operation: Callable[..., Any], limit: int = 0, **params: Any
) -> list[dict[str, Any]]:
    """The plain boto3 loop over LastEvaluatedKey, as an application writes it."""
    items: list[dict[str, Any]] = []
    while True:
        response = operation(**params)
        items.extend(response["Items"])
        if limit and len(items) >= limit:
            return items[:limit]
        if "LastEvaluatedKey" not in response:
            return items
        params["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def plain_batch_get(
    resource: Any, table: str, keys: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Plain boto3 batch get: 100 keys a request, unprocessed keys resent."""
    items: list[dict[str, Any]] = []
    for start in range(0, len(keys), 100):
        request: dict[str, Any] = {table: {"Keys": keys[start : start + 100]}}
        while request:
            response = resource.batch_get_item(RequestItems=request)
            items.extend(response["Responses"].get(table, []))
            request = response.get("UnprocessedKeys") or {}
    return items


def peak_megabytes(
    run: Callable[[], object], requests: dict[str, int]
) -> tuple[float, int]:
    """Peak traced memory of ``run`` in MB, and the requests it sent."""
    gc.collect()
    before = requests["library"]
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6, requests["library"] - before
