"""Paced bulk work and progress on the services (moto, pauses recorded, never
slept): the budgets and callbacks checked before anything is sent, the
pauses a budget asks for, the progress counts, a callback that stops a job,
and the consumed capacity block's sums left as they were."""

import math
from collections.abc import Callable
from typing import Any

import pytest

from services.dynamodb import DynamoDBService
from services.dynamodb.errors import BatchIncompleteError

READS: dict[str, Callable[..., Any]] = {
    "scan": lambda service, **options: service.scan(**options),
    "iter_scan": lambda service, **options: list(service.iter_scan(**options)),
    "parallel scan": lambda service, **options: service.scan(
        total_segments=3, **options
    ),
    "one segment": lambda service, **options: list(
        service.iter_scan(segment=0, total_segments=1, **options)
    ),
    "query": lambda service, **options: service.query(
        "pk = :p", {":p": "a"}, **options
    ),
    "iter_query": lambda service, **options: list(
        service.iter_query("pk = :p", {":p": "a"}, **options)
    ),
    "count": lambda service, **options: service.count(**options),
}
WRITES: dict[str, Callable[..., Any]] = {
    "batch_write_items": lambda service, **options: service.batch_write_items(
        [{"pk": "a", "sk": n} for n in range(60)], **options
    ),
    "batch_delete_items": lambda service, **options: service.batch_delete_items(
        [{"pk": "a", "sk": n} for n in range(60)], **options
    ),
}
BAD_BUDGETS = [0, -5, 0.0, math.inf, math.nan, True, "10", None.__class__]


def fill(service: DynamoDBService, count: int = 60) -> None:
    service.batch_write_items([{"pk": "a", "sk": n} for n in range(count)])


@pytest.mark.parametrize("budget", BAD_BUDGETS)
@pytest.mark.parametrize("name", sorted(READS))
def test_a_read_budget_that_is_not_a_positive_number_is_refused_before_sending(
    service: DynamoDBService, name: str, budget: object
) -> None:
    # no table: anything sent would fail with ResourceNotFoundException
    with pytest.raises(ValueError, match="max_read_units_per_second"):
        READS[name](service, max_read_units_per_second=budget)


@pytest.mark.parametrize("budget", BAD_BUDGETS)
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_budget_that_is_not_a_positive_number_is_refused_before_sending(
    service: DynamoDBService, name: str, budget: object
) -> None:
    with pytest.raises(ValueError, match="max_write_units_per_second"):
        WRITES[name](service, max_write_units_per_second=budget)


@pytest.mark.parametrize("name", sorted(READS) + sorted(WRITES))
def test_a_progress_that_is_not_callable_is_refused_before_sending(
    service: DynamoDBService, name: str
) -> None:
    call = READS.get(name) or WRITES[name]
    with pytest.raises(TypeError, match="progress"):
        call(service, progress="a bar")


@pytest.mark.parametrize("name", sorted(READS))
def test_read_progress_rises_and_ends_at_the_total(
    service: DynamoDBService, table: str, name: str
) -> None:
    fill(service)
    counts: list[int] = []
    result = READS[name](
        service, max_read_units_per_second=1000, progress=counts.append
    )
    total = result if isinstance(result, int) else len(result)
    assert counts and counts == sorted(counts)
    assert counts[-1] == total and total > 0


@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_progress_counts_confirmed_items_per_request(
    service: DynamoDBService, table: str, name: str
) -> None:
    fill(service)
    counts: list[int] = []
    WRITES[name](service, progress=counts.append)
    assert counts == [25, 50, 60]


def test_an_empty_batch_reports_zero(service: DynamoDBService, table: str) -> None:
    counts: list[int] = []
    service.batch_write_items([], progress=counts.append)
    assert counts == [0]


def test_a_progress_that_raises_stops_a_batch_with_the_rest_unconfirmed(
    service: DynamoDBService, table: str
) -> None:
    def stop_after_two_requests(count: int) -> None:
        if count >= 50:
            raise RuntimeError("stopped by the caller")

    items = [{"pk": "a", "sk": n} for n in range(100)]
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_write_items(items, progress=stop_after_two_requests)
    assert raised.value.unprocessed == items[50:]
    assert isinstance(raised.value.__cause__, RuntimeError)
    assert service.count() == 50


def test_a_progress_that_raises_stops_a_read(
    service: DynamoDBService, table: str
) -> None:
    fill(service)

    def stop(count: int) -> None:
        raise KeyError("stopped")

    with pytest.raises(KeyError):
        service.scan(progress=stop)


def test_a_paced_batch_write_pauses_for_its_budget(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    # moto reports one write unit per request: 4 requests at 1 unit a second
    with service.consumed_capacity() as used:
        service.batch_write_items(
            [{"pk": "a", "sk": n} for n in range(100)], max_write_units_per_second=1
        )
    assert used.write_units == 4.0
    assert sum(pauses) >= used.write_units / 1 - 1 - 1e-6


def test_a_paced_scan_pauses_for_its_budget(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    fill(service)
    with service.consumed_capacity() as used:
        service.scan(total_segments=4, max_read_units_per_second=0.5)
    assert used.read_units > 1.0
    assert sum(pauses) >= used.read_units / 0.5 - 1 - 1e-6


def test_unpaced_work_never_pauses(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    fill(service, 100)
    service.scan(total_segments=4)
    assert pauses == []


def test_pacing_leaves_a_capacity_blocks_sums_as_they_were(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    fill(service)
    with service.consumed_capacity() as unpaced:
        service.scan()
        service.count()
    with service.consumed_capacity() as paced:
        service.scan(max_read_units_per_second=100)
        service.count(max_read_units_per_second=100)
    assert paced.read_units == unpaced.read_units > 0
    assert paced.by_table == unpaced.by_table


def test_a_paced_job_logs_its_pace(
    service: DynamoDBService, table: str, captured: Any
) -> None:
    service.batch_write_items([{"pk": "a", "sk": 1}], max_write_units_per_second=10)
    messages = [message for level, message in captured.records if level == 20]
    paced = [m for m in messages if "Paced batch_write_items" in m]
    assert len(paced) == 1 and "units per second" in paced[0]
