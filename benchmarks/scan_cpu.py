"""Client CPU of a full scan, the library against a plain boto3 Table.

The peers benchmark's full-scan workload alone (5,000 items of ~1 KB,
dynalite on loopback), for comparing two versions of the library quickly:
``--src`` names the ``src`` folder to import the library from, e.g. a
``git worktree`` of an older commit. Prints the median CPU of each side and
their ratio; asserts nothing.
"""

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ITEMS = 5000
ROOT = Path(__file__).resolve().parent.parent


def measure(sides: dict[str, Callable[[], int]], rounds: int) -> dict[str, float]:
    """Median process CPU per side, alternating which side goes first."""
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    for number in range(rounds):
        order = list(sides) if number % 2 else list(reversed(sides))
        for side in order:
            started = time.process_time()
            assert sides[side]() == ITEMS
            cpu[side].append(time.process_time() - started)
    return {side: statistics.median(times) for side, times in cpu.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--src", type=Path, default=Path(__file__).parent.parent / "src"
    )
    args = parser.parse_args()
    # The library first, from --src; then the peers benchmark's workload
    # (which puts this checkout's src on the path, too late to matter).
    sys.path[:0] = [str(args.src.resolve()), str(ROOT)]
    import boto3

    from services.dynamodb import DynamoDBConfig, DynamoDBService

    from benchmarks.peer_sides import TABLE, pages
    from benchmarks.peers import item
    from benchmarks.workloads import ATTRIBUTES, KEY_SCHEMA
    from integration_tests.server.dynalite_server import DynaliteServer

    server = DynaliteServer(create_table_ms=0, delete_table_ms=0)
    endpoint = server.start()
    try:
        settings: dict[str, Any] = {
            "region_name": "us-east-1",
            "endpoint_url": endpoint,
            "aws_access_key_id": "bench",
            "aws_secret_access_key": "bench",
        }
        config = DynamoDBConfig(**settings, default_table_name=TABLE)
        service = DynamoDBService(logging.getLogger("bench"), config)
        service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
        service.batch_write_items([item(i) for i in range(ITEMS)])
        table = boto3.resource("dynamodb", **settings).Table(TABLE)

        sides = {
            "boto3": lambda: pages(table.scan),
            "library": lambda: len(service.scan()),
        }
        medians = measure(sides, args.rounds)
    finally:
        server.stop()
    library_folder = Path(sys.modules["services.dynamodb"].__file__ or "?").parent
    print(
        "full scan, %d x ~1 KB (library from %s): "
        "library %.3f s, boto3 %.3f s, ratio %.3f"
        % (
            ITEMS,
            library_folder,
            medians["library"],
            medians["boto3"],
            medians["library"] / medians["boto3"],
        )
    )


if __name__ == "__main__":
    main()
