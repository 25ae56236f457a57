"""Consumed capacity: asked for when configured or inside a
consumed_capacity() block, in each call's INFO line, summed for the caller."""

import asyncio
import logging
import re
from typing import Any

import pytest

from services.dynamodb import ConsumedCapacity, DynamoDBConfig, DynamoDBService
from tests.services import build_service

CONSUMED = "capacity units)"


@pytest.fixture
def metered(logger: logging.Logger, config: DynamoDBConfig) -> DynamoDBService:
    return build_service(
        logger, config.model_copy(update={"return_consumed_capacity": "TOTAL"})
    )


def info_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]


def figures(line: str) -> tuple[float, float]:
    """The (read, write) units a completion line reports."""
    found = re.search(r"consumed ([0-9.]+) read, ([0-9.]+) write capacity units", line)
    assert found is not None, line
    return float(found.group(1)), float(found.group(2))


def test_each_completion_line_says_what_dynamodb_reported(
    metered: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    metered.put_item({"pk": "a", "sk": 1})
    metered.get_item({"pk": "a", "sk": 1})

    put_line, get_line = [line for line in info_lines(caplog) if CONSUMED in line]
    client = metered.botocore_client()
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    put = client.put_item(TableName=table, Item=key, ReturnConsumedCapacity="TOTAL")
    got = client.get_item(TableName=table, Key=key, ReturnConsumedCapacity="TOTAL")
    assert put_line.startswith("Put item into orders (consumed")
    assert figures(put_line) == (0.0, put["ConsumedCapacity"]["CapacityUnits"])
    assert get_line.startswith("Got item from orders: found (consumed")
    assert figures(get_line) == (got["ConsumedCapacity"]["CapacityUnits"], 0.0)


def test_without_asking_nothing_is_asked_or_shown(
    service: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    service.put_item({"pk": "a", "sk": 1})

    assert "Put item into orders" in info_lines(caplog)
    assert not any(CONSUMED in line for line in info_lines(caplog))


def test_a_block_sums_its_calls_for_the_caller(
    service: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    service.put_item({"pk": "before", "sk": 0})
    caplog.set_level(logging.INFO)
    with service.consumed_capacity() as capacity:
        service.put_item({"pk": "a", "sk": 1})
        service.batch_write_items([{"pk": "a", "sk": n} for n in range(2, 5)])
        service.get_item({"pk": "a", "sk": 1})
        service.query("pk = :p", {":p": "a"})
    lines = [figures(line) for line in info_lines(caplog) if CONSUMED in line]
    service.put_item({"pk": "after", "sk": 0})

    assert isinstance(capacity, ConsumedCapacity)
    assert len(lines) == 4  # each call in the block, and only those
    assert capacity.read_units == sum(reads for reads, _ in lines) > 0
    assert capacity.write_units == sum(writes for _, writes in lines) > 0
    assert capacity.by_table == {"orders": capacity.read_units + capacity.write_units}


def test_blocks_nest_and_count_parallel_scan_segments(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "p%d" % n, "sk": n} for n in range(6)])
    with service.consumed_capacity() as outer:
        with service.consumed_capacity() as inner:
            found = service.scan(total_segments=3)
        with service.consumed_capacity() as get:
            service.get_item({"pk": "p0", "sk": 0})

    assert len(found) == 6
    assert inner.read_units > 0 and inner.write_units == 0
    assert outer.read_units == inner.read_units + get.read_units


def test_an_async_block_counts_the_tasks_it_starts(
    logger: logging.Logger, config: DynamoDBConfig
) -> None:
    from services.dynamodb.testing import TableSpec, mock_async_dynamodb_service

    async def run() -> Any:
        spec = TableSpec("orders", "pk", "sk:N")
        async with mock_async_dynamodb_service(spec) as service:
            with service.consumed_capacity() as one:
                await service.put_item({"pk": "a", "sk": 0})
            with service.consumed_capacity() as capacity:
                await asyncio.gather(
                    *(service.put_item({"pk": "a", "sk": n}) for n in range(3))
                )
            await service.put_item({"pk": "a", "sk": 9})
            return one, capacity

    one, three = asyncio.run(run())
    assert three.write_units == 3 * one.write_units > 0
