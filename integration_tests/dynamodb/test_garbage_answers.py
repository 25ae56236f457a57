"""No success without a real DynamoDB answer, through a proxy that damages them."""

import logging

import pytest
from botocore.parsers import ResponseParserError

from integration_tests.server.fault_proxy import Fault, FaultProxy
from services.dynamodb import BatchIncompleteError, DynamoDBConfig, DynamoDBService

KEY = {"pk": "a", "sk": 1}
ITEM = {**KEY, "name": "Ann"}
FAULTS: list[Fault] = ["html", "garbage", "empty", "truncated", "crc32"]


@pytest.mark.parametrize("fault", FAULTS)
def test_get_item_raises_on_a_damaged_answer_then_reads_correctly(
    proxy: FaultProxy, proxied: DynamoDBService, fault: Fault
) -> None:
    proxied.put_item(ITEM)
    proxy.faults["GetItem"] = fault
    damaged_before = proxy.damaged
    with pytest.raises(ResponseParserError):
        proxied.get_item(KEY)
    assert proxy.damaged > damaged_before
    del proxy.faults["GetItem"]
    assert proxied.get_item(KEY) == {"pk": "a", "sk": 1, "name": "Ann"}


@pytest.mark.parametrize("fault", FAULTS)
def test_query_raises_on_a_damaged_answer_instead_of_returning_nothing(
    proxy: FaultProxy, proxied: DynamoDBService, fault: Fault
) -> None:
    proxied.put_item(ITEM)
    proxy.faults["Query"] = fault
    with pytest.raises(ResponseParserError):
        proxied.query("pk = :p", {":p": "a"})
    del proxy.faults["Query"]
    assert proxied.query("pk = :p", {":p": "a"}) == [
        {"pk": "a", "sk": 1, "name": "Ann"}
    ]


def test_constructor_ping_refuses_an_html_answer(
    proxy: FaultProxy, base_config: DynamoDBConfig, logger: logging.Logger
) -> None:
    proxy.faults["ListTables"] = "html"
    config = base_config.model_copy(update={"endpoint_url": proxy.url})
    try:
        with pytest.raises(ResponseParserError):
            DynamoDBService(logger, config)
    finally:
        proxy.faults.clear()


def test_batch_write_against_a_server_that_never_processes_stops_and_says_so(
    proxy: FaultProxy, proxied: DynamoDBService
) -> None:
    proxy.faults["BatchWriteItem"] = "unprocessed"
    items = [{"pk": "a", "sk": i} for i in range(30)]
    with pytest.raises(BatchIncompleteError) as raised:
        proxied.batch_write_items(items)
    assert proxy.damaged == 2 * 8  # two requests a round, eight rounds
    assert sorted(raised.value.unprocessed, key=lambda i: i["sk"]) == items
    del proxy.faults["BatchWriteItem"]
    proxied.batch_write_items(raised.value.unprocessed)
    assert proxied.count() == 30


def test_batch_get_against_a_server_that_never_processes_stops_and_says_so(
    proxy: FaultProxy, proxied: DynamoDBService
) -> None:
    proxied.put_item(ITEM)
    proxy.faults["BatchGetItem"] = "unprocessed"
    with pytest.raises(BatchIncompleteError) as raised:
        proxied.batch_get_items([KEY])
    assert raised.value.unprocessed == [KEY]
    assert raised.value.items == []
