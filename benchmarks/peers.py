"""The library beside the other Python DynamoDB libraries, on the same workloads.

For each workload, a plain boto3 ``Table``, this library (on its direct
transport, on its botocore transport, and with pydantic models: ``model=``
on reads, model instances on writes), PynamoDB, aiodynamo (over aiohttp) and
pydynox (sync calls into its Rust core) do the same work against the same
server, round by round with the order rotated; the table gives each one's
client CPU (this process's CPU time, every thread) as a ratio to boto3's,
medians. The cold start rows run each side in fresh interpreters (see
``benchmarks/cold_start.py``) and compare the CPU of each phase (import,
construct, first get_item) and of the whole process to a boto3 client's. Needs
the ``bench`` extra (pydynox only on Python 3.11 and later).

    .venv/bin/python benchmarks/peers.py [--rounds 5] [--quick]
"""

import argparse
import datetime
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.cold_start import BOTO3, PHASES, cold_starts  # noqa: E402
from benchmarks.peer_sides import TABLE, sides  # noqa: E402
from integration_tests.server.dynalite_server import DynaliteServer  # noqa: E402

RESULTS = ROOT / "benchmarks" / "peers.md"
LARGE_HEAP_RESULTS = ROOT / "benchmarks" / "peers-large-heap.md"
# The large-heap variant: this many live objects, as a real application
# holds, and no collection between sides, so that each side pays what its
# garbage costs the collector on such a heap.
LARGE_HEAP_OBJECTS = 1_000_000
COLD_SIDES = (BOTO3, "library", "library (botocore)", "aiodynamo", "pydynox")
Work = dict[str, Callable[[], object]]


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


def workloads(every: dict[str, Any], items: int, calls: int) -> dict[str, Work]:
    """Each workload's call on every side, by the workload's name."""
    keys = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(0, items, 2)]
    written = [{**item(i), "pk": "w"} for i in range(items // 2)]
    single = [{"pk": "p%d" % (i % 2), "sk": i} for i in range(calls)]
    puts = [{**item(i), "pk": "u"} for i in range(calls)]
    gone = [{"pk": "u", "sk": i} for i in range(calls)]
    plans: dict[str, Callable[[Any], Callable[[], object]]] = {
        "full scan, %d x ~1 KB" % items: lambda side: side.scan(),
        "query, one partition of %d" % (items // 2): lambda side: side.query("p0"),
        "batch get, %d keys" % len(keys): lambda side: side.batch_get(keys),
        "batch write, %d items" % len(written): lambda side: side.batch_write(written),
        "%d get_item" % calls: lambda side: side.get(single),
        "%d put_item" % calls: lambda side: side.put(puts),
        "%d update_item" % calls: lambda side: side.update(single),
        "%d delete_item" % calls: lambda side: side.delete(gone),
    }
    return {
        name: {label: plan(side) for label, side in every.items()}
        for name, plan in plans.items()
    }


def timings(
    work: Work, rounds: int, collect: bool = True
) -> dict[str, tuple[float, float]]:
    """Median client CPU and wall time per side, the order of sides rotated
    each round.

    Each run starts from a collected heap, so that no side pays for the
    garbage of the one before it (the collector stays on during the run: its
    cost for a side's own objects is part of that side's cost); without
    ``collect``, as in the large-heap variant, no run starts from one.
    """
    labels = list(work)
    cpu: dict[str, list[float]] = {label: [] for label in labels}
    wall: dict[str, list[float]] = {label: [] for label in labels}
    for round_number in range(rounds):
        turn = round_number % len(labels)
        for label in labels[turn:] + labels[:turn]:
            if collect:
                gc.collect()
            started, ticked = time.process_time(), time.perf_counter()
            work[label]()
            cpu[label].append(time.process_time() - started)
            wall[label].append(time.perf_counter() - ticked)
    return {
        label: (statistics.median(cpu[label]), statistics.median(wall[label]))
        for label in labels
    }


def measure(work: Work, rounds: int, collect: bool = True) -> dict[str, float]:
    """Median client CPU per side (see :func:`timings`)."""
    medians = timings(work, rounds, collect)
    return {label: cpu for label, (cpu, _) in medians.items()}


def workload_size(description: str | None) -> tuple[int, int, int, bool]:
    """The command line's rounds, the items and calls of the workloads, and
    whether to run the large-heap variant."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a fifth of the work")
    parser.add_argument(
        "--large-heap",
        action="store_true",
        help="%d live objects, no collection between sides" % LARGE_HEAP_OBJECTS,
    )
    args = parser.parse_args()
    items, calls = (1000, 100) if args.quick else (5000, 500)
    return args.rounds, items, calls, args.large_heap


def cold_rows(endpoint: str, rounds: int) -> list[tuple[str, dict[str, float]]]:
    """The cold start rows: each phase, then the whole process, per side."""
    medians = cold_starts(endpoint, TABLE, COLD_SIDES, rounds)
    rows = []
    for phase in PHASES:
        row = {side: figures[phase] for side, figures in medians.items()}
        row["boto3"] = row.pop(BOTO3)
        name = "whole process" if phase == "total" else phase
        rows.append(("cold start, %s (boto3: a client)" % name, row))
    return rows


def report(rows: list[tuple[str, dict[str, float]]], labels: list[str]) -> str:
    """The markdown table: each side's median as a ratio to boto3's."""
    lines = [
        "| workload | boto3 CPU | " + " | ".join(labels[1:]) + " |",
        "|---|---|" + "---|" * (len(labels) - 1),
    ]
    for name, medians in rows:
        base = medians[labels[0]]
        ratios = " | ".join(
            "%.2f" % (medians[label] / base) if label in medians else "-"
            for label in labels[1:]
        )
        lines.append("| %s | %.3f s | %s |" % (name, base, ratios))
    return "\n".join(lines) + "\n"


def heading(rounds: int, large_heap: bool = False) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")
    variant = (
        "- large heap: %d live objects in the process, no collection between "
        "sides\n" % LARGE_HEAP_OBJECTS
        if large_heap
        else ""
    )
    return (
        "# Client CPU beside the other Python DynamoDB libraries\n\n"
        "- date: %s UTC, Python %s\n"
        "- %d CPUs, dynalite on loopback, %d rounds per row, order rotated; "
        "medians of this process's CPU time, as a ratio to plain boto3's "
        "(lower is better); cold start: fresh interpreters, sides alternating, "
        "the CPU of each phase (import; construct, the library's ping "
        "included; first get_item) and of the whole process (start-up "
        "included) as a ratio to a boto3 client's\n"
        % (now, sys.version.split()[0], os.cpu_count() or 0, rounds)
        + variant
        + "\n"
    )


def load(every: dict[str, Any], items: int) -> None:
    service = every["library"].service
    key_schema = [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    attributes = [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
    ]
    service.create_table(TABLE, key_schema, attributes)
    service.batch_write_items([item(i) for i in range(items)])


def main() -> None:
    rounds, items, calls, large_heap = workload_size(__doc__)
    # Kept alive to the end: what a real application's heap holds.
    heap = [{"n": n} for n in range(LARGE_HEAP_OBJECTS)] if large_heap else []
    server = DynaliteServer(create_table_ms=0, delete_table_ms=0)
    endpoint = server.start()
    try:
        every = sides(endpoint)
        labels = list(every)
        load(every, items)
        rows = []
        for name, work in workloads(every, items, calls).items():
            rows.append((name, measure(work, rounds, collect=not large_heap)))
            print(report(rows[-1:], labels).splitlines()[-1], flush=True)
        every["aiodynamo"].close()
        for row in [] if large_heap else cold_rows(endpoint, rounds):
            rows.append(row)
            print(report(rows[-1:], labels).splitlines()[-1], flush=True)
    finally:
        server.stop()
    text = heading(rounds, large_heap) + report(rows, labels)
    (LARGE_HEAP_RESULTS if large_heap else RESULTS).write_text(text)
    del heap
    print("\n" + text)


if __name__ == "__main__":
    main()
