"""The pace achieved by a paced batch write and a paced parallel scan on dynalite.

Prints, for each job, the capacity units consumed by the end of each
progress call (seconds since the start, units so far) and the rate over
the job (units per second, overall and after the first second). Asserts
nothing; the integration tests (test_bulk_pacing.py) assert the bounds.
"""

import argparse
import logging
import time
from pathlib import Path
import sys
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KEY_SCHEMA = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
]


def report(name: str, budget: float, marks: list[tuple[float, float]]) -> None:
    """Print the running units over time and the rates."""
    print("%s, budget %.0f units per second:" % (name, budget))
    for at, units in marks:
        print("  %6.2f s  %7.1f units" % (at, units))
    elapsed, units = marks[-1]
    print(
        "  overall %.1f units/s (the first second's burst included)" % (units / elapsed)
    )
    later = [(at, used) for at, used in marks if at >= 1.0]
    if len(later) > 1 and later[-1][0] > later[0][0]:
        (start, before), (end, after) = later[0], later[-1]
        rate = (after - before) / (end - start)
        print("  from %.2f s to %.2f s: %.1f units/s" % (start, end, rate))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write-budget", type=float, default=100.0)
    parser.add_argument("--read-budget", type=float, default=200.0)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from services.dynamodb import DynamoDBConfig, DynamoDBService
    from services.dynamodb.operations.capacity import current

    def units(kind: str) -> float:
        """The running operation's units so far (its sum while it runs)."""
        usage = current()
        return 0.0 if usage is None else float(getattr(usage, kind))

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
        config = DynamoDBConfig(**settings, default_table_name="pace")
        service = DynamoDBService(logging.getLogger("bench"), config)
        service.create_table("pace", KEY_SCHEMA, ATTRIBUTES)
        items = [{"pk": "p%d" % n, "sk": n, "pad": "x" * 900} for n in range(300)]
        marks: list[tuple[float, float]] = []
        with service.consumed_capacity():
            started = time.monotonic()
            service.batch_write_items(
                items,
                max_write_units_per_second=args.write_budget,
                progress=lambda n: marks.append(
                    (time.monotonic() - started, units("write_units"))
                ),
            )
        report("batch_write_items of 300 items", args.write_budget, marks)
        big = [{"pk": "b%d" % n, "sk": n, "pad": "y" * 100_000} for n in range(60)]
        service.batch_write_items(big)
        marks = []
        with service.consumed_capacity():
            started = time.monotonic()
            service.scan(
                total_segments=3,
                max_read_units_per_second=args.read_budget,
                progress=lambda n: marks.append(
                    (time.monotonic() - started, units("read_units"))
                ),
            )
        report("scan of 3 segments (6 MB)", args.read_budget, marks)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
