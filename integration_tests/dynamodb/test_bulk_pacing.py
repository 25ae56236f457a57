"""Bulk work on a real server: paced batch writes and scans keep to their
budget of capacity units (dynalite reports what each request consumed),
the segments of a parallel scan share one budget, the async service is
paced too, progress counts rise to the total, and throttling slows a paced
job down instead of failing it.

A pacer lets a job spend one second's budget at once, then the budget per
second: a job of ``units`` at ``budget`` per second takes at least
``units / budget - 1`` seconds, however fast the server answers. Only such
lower bounds on elapsed time are asserted (sleeping is guaranteed; speed on
a shared machine is not), with the units measured by the server.
"""

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from integration_tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from integration_tests.server.fault_proxy import FaultProxy
from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.errors import BatchIncompleteError
from services.dynamodb.operations.capacity import current
from tests.services import build_service

SLACK_SECONDS = 0.05  # clock granularity and float rounding


def small_items(count: int, prefix: str = "w") -> list[dict[str, Any]]:
    """Items of about 900 bytes: one write unit each."""
    return [{"pk": prefix, "sk": n, "pad": "x" * 900} for n in range(count)]


def timed(job: Callable[[], object]) -> tuple[float, object]:
    started = time.monotonic()
    result = job()
    return time.monotonic() - started, result


def least_seconds(units: float, budget: float) -> float:
    """The shortest a paced job of ``units`` may take (a one-second burst)."""
    return units / budget - 1.0 - SLACK_SECONDS


def test_a_paced_batch_write_keeps_to_its_budget_and_unpaced_is_much_faster(
    service: DynamoDBService, table: str
) -> None:
    unpaced, _ = timed(lambda: service.batch_write_items(small_items(300, "u")))
    with service.consumed_capacity() as used:
        paced, _ = timed(
            lambda: service.batch_write_items(
                small_items(300), max_write_units_per_second=100
            )
        )

    assert used.write_units >= 290  # about 300 write units, as the server said
    assert paced >= least_seconds(used.write_units, 100) >= 1.8
    assert unpaced < paced / 2


def test_a_paced_parallel_scan_shares_one_budget_across_its_segments(
    service: DynamoDBService, table: str
) -> None:
    # 6 MB: pages of 1 MB (about 128 read units each), two or three per segment
    service.batch_write_items(
        [{"pk": "s%d" % n, "sk": n, "pad": "y" * 100_000} for n in range(60)]
    )
    marks: list[tuple[float, float]] = []  # (seconds, units read so far)
    started = time.monotonic()

    def mark(count: int) -> None:
        usage = current()  # the scan's own sum, as its pages come in
        assert usage is not None
        marks.append((time.monotonic() - started, usage.read_units))

    with service.consumed_capacity() as used:
        elapsed, items = timed(
            lambda: service.scan(
                total_segments=3, max_read_units_per_second=200, progress=mark
            )
        )

    assert isinstance(items, list) and len(items) == 60
    assert used.read_units >= 700
    # one budget for all: never more than the burst and the budget since
    for seconds, units in marks:
        assert units <= 200 * (1 + seconds), (seconds, units)
    assert elapsed >= least_seconds(used.read_units, 200) >= 2.4


def test_the_async_service_is_paced_too(
    logger: logging.Logger, base_config: DynamoDBConfig, table: str
) -> None:
    config = base_config.model_copy(update={"default_table_name": table})
    awaited = build_service(logger, config, awaited=True)
    with awaited.consumed_capacity() as used:
        elapsed, _ = timed(
            lambda: awaited.batch_write_items(
                small_items(200), max_write_units_per_second=100
            )
        )

    assert used.write_units >= 190
    assert elapsed >= least_seconds(used.write_units, 100) >= 0.8


def test_progress_counts_rise_and_end_at_the_total(
    service: DynamoDBService, table: str
) -> None:
    written: list[int] = []
    read: list[int] = []
    counted: list[int] = []
    service.batch_write_items(
        small_items(120), max_write_units_per_second=1000, progress=written.append
    )
    items = service.scan(max_read_units_per_second=1000, progress=read.append)
    total = service.count(progress=counted.append)

    for counts, end in ((written, 120), (read, len(items)), (counted, total)):
        assert counts == sorted(counts) and counts[-1] == end
    assert len(written) == 5  # one call per request of 25
    assert total == 120


def test_a_progress_that_raises_stops_a_batch_and_reports_what_is_unconfirmed(
    service: DynamoDBService, table: str
) -> None:
    def stop_at_50(count: int) -> None:
        if count >= 50:
            raise KeyboardInterruptLike("stopped")

    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_write_items(small_items(100), progress=stop_at_50)

    assert isinstance(raised.value.__cause__, KeyboardInterruptLike)
    assert len(raised.value.unprocessed) == 50
    assert service.count() == 50


class KeyboardInterruptLike(Exception):
    """What a caller's progress bar raises to stop a job."""


@pytest.fixture
def throttled(
    proxy: FaultProxy,
    base_config: DynamoDBConfig,
    table_name: str,
    logger: logging.Logger,
) -> Iterator[DynamoDBService]:
    """A service through the fault proxy, one attempt per request (the
    transport retries nothing, so every throttling answer reaches the job)."""
    proxy.reset()
    config = base_config.model_copy(
        update={
            "endpoint_url": proxy.url,
            "default_table_name": table_name,
            "max_attempts": 1,
        }
    )
    service = build_service(logger, config)
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    yield service
    proxy.reset()
    service.delete_table(table_name)


def test_throttling_slows_a_paced_job_down_instead_of_failing_it(
    throttled: DynamoDBService, proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    proxy.faults["BatchWriteItem"] = "throttle"
    proxy.passes["BatchWriteItem"] = 1
    proxy.times["BatchWriteItem"] = 3
    caplog.set_level(logging.INFO)

    elapsed, _ = timed(
        lambda: throttled.batch_write_items(
            small_items(75), max_write_units_per_second=100
        )
    )

    assert throttled.count() == 75
    assert proxy.damaged == 3
    assert "throttled 3 times" in caplog.text
    # 75 units at 100 per second fit in the burst; three throttling answers
    # lower the rate to about a third (botocore's cubic), which then grows
    # back: the rest takes well over a second.
    assert elapsed >= 1.5


def test_the_same_throttling_fails_an_unpaced_job(
    throttled: DynamoDBService, proxy: FaultProxy
) -> None:
    proxy.faults["BatchWriteItem"] = "throttle"
    proxy.passes["BatchWriteItem"] = 1
    proxy.times["BatchWriteItem"] = 3

    with pytest.raises(BatchIncompleteError):
        throttled.batch_write_items(small_items(75))
