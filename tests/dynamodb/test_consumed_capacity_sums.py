"""Consumed capacity is summed over every request of an operation and every
call of a block, batch writes included, and asked for in the configured
mode."""

import logging

import pytest

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.faults import record_params
from tests.services import build_service

ONE_REQUEST = [{"pk": "a", "sk": n} for n in range(25)]
TWO_REQUESTS = [{"pk": "b", "sk": n} for n in range(50)]


def test_an_operation_of_several_requests_sums_their_capacity(
    service: DynamoDBService, table: str
) -> None:
    with service.consumed_capacity() as one:
        service.batch_write_items(ONE_REQUEST)
    with service.consumed_capacity() as two:
        service.batch_write_items(TWO_REQUESTS)

    assert one.write_units > 0
    assert two.write_units == 2 * one.write_units
    assert two.by_table == {table: 2 * one.write_units}


def test_a_block_sums_the_capacity_of_each_of_its_calls(
    service: DynamoDBService, table: str
) -> None:
    with service.consumed_capacity() as one:
        service.put_item({"pk": "a", "sk": 0})
    with service.consumed_capacity() as three:
        for n in range(1, 4):
            service.put_item({"pk": "a", "sk": n})

    assert one.write_units > 0
    assert three.write_units == 3 * one.write_units
    assert three.by_table == {table: 3 * one.write_units}


def test_a_batch_write_asks_for_and_counts_its_consumed_capacity(
    service: DynamoDBService, table: str
) -> None:
    sent = record_params(service._client, "BatchWriteItem")
    with service.consumed_capacity() as capacity:
        service.batch_write_items(TWO_REQUESTS)

    assert [params.get("ReturnConsumedCapacity") for params in sent] == ["TOTAL"] * 2
    assert capacity.write_units > 0


@pytest.mark.parametrize("block", [False, True], ids=["configured", "in-a-block"])
def test_indexes_is_asked_for_as_indexes(
    logger: logging.Logger, config: DynamoDBConfig, table: str, block: bool
) -> None:
    metered = build_service(
        logger, config.model_copy(update={"return_consumed_capacity": "INDEXES"})
    )
    sent = record_params(metered._client, "PutItem")
    if block:
        with metered.consumed_capacity():
            metered.put_item({"pk": "a", "sk": 1})
    else:
        metered.put_item({"pk": "a", "sk": 1})

    assert [params.get("ReturnConsumedCapacity") for params in sent] == ["INDEXES"]
