"""Consumed capacity is summed over every request of an operation and every
call of a block, batch writes included, and asked for in the configured
mode."""

import json
import logging

import pytest

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.faults import inject_answer, record_params
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


@pytest.mark.parametrize(
    "statement, reads",
    [
        ("SELECT * FROM \"orders\" WHERE pk = 'a'", True),
        ("select * from orders", True),
        ("INSERT INTO \"orders\" VALUE {'pk': 'a', 'sk': 1}", False),
        ("DELETE FROM \"orders\" WHERE pk = 'a'", False),  # moto: no UPDATE
    ],
)
def test_a_partiql_select_counts_read_units_and_other_statements_write_units(
    service: DynamoDBService, table: str, statement: str, reads: bool
) -> None:
    # moto reports no capacity for ExecuteStatement; DynamoDB reports a
    # total (CapacityUnits), as here.
    answer = {"Items": [], "ConsumedCapacity": {"TableName": table, "CapacityUnits": 2}}
    inject_answer(service._client, "ExecuteStatement", json.dumps(answer).encode())
    with service.consumed_capacity() as capacity:
        service.execute_statement(statement)

    assert (capacity.read_units, capacity.write_units) == (
        (2.0, 0.0) if reads else (0.0, 2.0)
    )
    assert capacity.by_table == {table: 2.0}
