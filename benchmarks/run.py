"""Measure the library against plain boto3 in one run, on one server.

Each row runs the library's call and the equivalent plain boto3 code in the
same process, interleaved (A B A B ...), for several rounds, and reports the
medians, their ratio and the requests each sent. Nothing here asserts a time.

    make bench                          # starts dynalite on a free port
    DYNAMODB_ENDPOINT_URL=... make bench
    .venv/bin/python benchmarks/run.py --rounds 3 --quick
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import boto3
import botocore

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.workloads import Bench, Sizes  # noqa: E402
from integration_tests.server.dynalite_server import DynaliteServer  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"


@dataclass
class Row:
    """One line of the results table."""

    operation: str
    size: str
    library: float
    boto3: float
    library_requests: int | str
    boto3_requests: int | str
    unit: str = "s"
    cpu_ratio: float | None = None

    def cells(self) -> list[str]:
        ratio = self.library / self.boto3 if self.boto3 else float("nan")
        fmt = "%.3f" if self.unit == "s" else "%.1f"
        return [
            self.operation,
            self.size,
            (fmt % self.library) + " " + self.unit,
            (fmt % self.boto3) + " " + self.unit,
            "%.2f" % ratio,
            "-" if self.cpu_ratio is None else "%.2f" % self.cpu_ratio,
            str(self.library_requests),
            str(self.boto3_requests),
        ]


HEADER = [
    "operation",
    "work",
    "library median",
    "boto3 median",
    "library/boto3",
    "client CPU library/boto3",
    "library requests",
    "boto3 requests",
]


MIN_SECONDS_PER_SIDE = 2.0


@dataclass
class Timing:
    """Medians of one side: wall seconds and this process's CPU seconds."""

    wall: list[float]
    cpu: list[float]

    def run(self, call: Callable[[], object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)


def interleaved(
    rounds: int, library: Callable[[], object], plain: Callable[[], object]
) -> tuple[Timing, Timing]:
    """Run A B B A A B ... and return the timings of each side.

    Short rows run more rounds, until each side has had MIN_SECONDS_PER_SIDE.
    """
    library_timing, plain_timing = Timing([], []), Timing([], [])
    sides = [(library, library_timing), (plain, plain_timing)]
    while (
        len(library_timing.wall) < rounds
        or sum(library_timing.wall) < MIN_SECONDS_PER_SIDE
    ):
        sides.reverse()  # A B, B A, A B, ...: neither side always goes first
        for call, timing in sides:
            timing.run(call)
    return library_timing, plain_timing


def table_text(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine_text(endpoint: str, rounds: int) -> str:
    return (
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}, boto3 {boto3.__version__}, "
        f"botocore {botocore.__version__}\n"
        f"- server: {endpoint} (dynalite unless DYNAMODB_ENDPOINT_URL was set)\n"
        "- client CPU: this process's CPU time (the server runs in another "
        "process), the library's own cost without network or server noise\n"
        f"- rounds per row: at least {rounds}, and at least "
        f"{MIN_SECONDS_PER_SIDE:.0f} s per side; interleaved library/boto3, "
        "alternating which goes first; medians\n"
    )


def run_all(endpoint: str, rounds: int, sizes: Sizes) -> list[Row]:
    bench = Bench(endpoint, sizes)
    rows: list[Row] = []
    try:
        for name, size, library, plain in bench.timed_rows():
            bench.requests.update(library=0, boto3=0)
            lib, raw = interleaved(rounds, library, plain)
            done = len(lib.wall)
            lib_requests = bench.requests["library"] // done
            plain_requests = bench.requests["boto3"] // done
            median = statistics.median
            rows.append(
                Row(
                    name,
                    size,
                    median(lib.wall),
                    median(raw.wall),
                    lib_requests,
                    plain_requests,
                    cpu_ratio=median(lib.cpu) / median(raw.cpu),
                )
            )
            print("  " + " | ".join(rows[-1].cells()), flush=True)
        for row in bench.special_rows(rounds):
            rows.append(Row(*row))
            print("  " + " | ".join(rows[-1].cells()), flush=True)
    finally:
        bench.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a tenth of the work")
    parser.add_argument("--no-write", action="store_true", help="keep results.md")
    args = parser.parse_args()
    sizes = Sizes.quick() if args.quick else Sizes()
    endpoint = os.environ.get("DYNAMODB_ENDPOINT_URL")
    server = None if endpoint else DynaliteServer(create_table_ms=0, delete_table_ms=0)
    try:
        endpoint = endpoint or server.start()  # type: ignore[union-attr]
        print(f"benchmarking against {endpoint}, {args.rounds} rounds", flush=True)
        rows = run_all(endpoint, args.rounds, sizes)
    finally:
        if server is not None:
            server.stop()
    report = (
        "# Benchmark: services.dynamodb vs plain boto3\n\n"
        + machine_text(endpoint, args.rounds)
        + "\n"
        + table_text(rows)
        + "\n"
    )
    print("\n" + report)
    if not args.no_write:
        RESULTS.write_text(report)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
