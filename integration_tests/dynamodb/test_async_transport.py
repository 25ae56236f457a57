"""The direct transport on the event loop answers, fails and retries as the
blocking one: the same exchange (request, signing, retry rules, error
parsing) with another HTTP client and driver underneath."""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from integration_tests.server.fault_proxy import RETRY_FAULTS, Fault, FaultProxy
from services.dynamodb import DynamoDBService
from services.dynamodb.transport.aio import AsyncDirectTransport
from services.dynamodb.transport.direct import DirectTransport
from services.dynamodb.operations.steps import Call

KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}
ITEM = {**KEY, "name": {"S": "Ann"}, "blob": {"B": b"\x00\x01"}}


def put(service: DynamoDBService) -> None:
    """Store ITEM in the service's table (through a blocking service)."""
    blocking = DynamoDBService(logging.getLogger("put"), service.config)
    table = service.config.default_table_name
    blocking._perform(Call("PutItem", {"TableName": table, "Item": ITEM}))


def transports(service: DynamoDBService) -> tuple[DirectTransport, Any]:
    """A blocking and an async direct transport on a blocking service's client."""
    connection = DynamoDBService(logging.getLogger("t"), service.config)._connection
    config = service.config
    blocking = DirectTransport(connection.client, connection.session, config)
    return blocking, AsyncDirectTransport(connection.client, connection.session, config)


def outcome(call: Callable[[], Any]) -> Any:
    """A call's answer without its request id, or its error's class and response."""
    try:
        answer = call()
    except ClientError as error:
        response = dict(error.response)
        response.pop("ResponseMetadata")
        return type(error).__name__, response, str(error)
    except Exception as error:
        return type(error).__name__
    answer.pop("ResponseMetadata", None)
    return answer


def on(
    service: DynamoDBService, name: str, operation: str, params: dict[str, Any]
) -> Any:
    """The outcome of one call on the ``"blocking"`` or ``"async"`` transport."""
    blocking, nonblocking = transports(service)
    if name == "blocking":
        return outcome(lambda: blocking.call(operation, dict(params)))

    async def run() -> Any:
        try:
            return await nonblocking.call(operation, dict(params))
        finally:
            await nonblocking.close()

    return outcome(lambda: asyncio.run(run()))


def both(service: DynamoDBService, operation: str, params: dict[str, Any]) -> Any:
    """The outcome of one call on each transport."""
    return tuple(on(service, name, operation, params) for name in NAMES)


NAMES = ("blocking", "async")


CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "put": ("PutItem", {"Item": ITEM}),
    "get": ("GetItem", {"Key": KEY}),
    "get absent": ("GetItem", {"Key": {"pk": {"S": "zz"}, "sk": {"N": "9"}}}),
    "query": (
        "Query",
        {
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "a"}},
        },
    ),
    "failed condition": (
        "PutItem",
        {"Item": ITEM, "ConditionExpression": "attribute_not_exists(pk)"},
    ),
    "bad key": ("GetItem", {"Key": {"nope": {"S": "x"}}}),
}


@pytest.mark.parametrize("operation, params", CALLS.values(), ids=CALLS.keys())
def test_same_answer_or_error_as_the_blocking_transport(
    proxied: DynamoDBService, operation: str, params: dict[str, Any]
) -> None:
    put(proxied)
    params = {"TableName": proxied.config.default_table_name, **params}

    blocking, nonblocking = both(proxied, operation, params)

    assert nonblocking == blocking


def test_a_missing_table_is_the_same_modeled_error(proxied: DynamoDBService) -> None:
    blocking, nonblocking = both(
        proxied, "GetItem", {"TableName": "no-such-table", "Key": KEY}
    )
    assert blocking[0] == "ResourceNotFoundException"
    assert nonblocking == blocking


FAULTS = RETRY_FAULTS
ATTEMPTS = 3


@pytest.mark.parametrize("fault, times", FAULTS.values(), ids=FAULTS.keys())
def test_same_attempts_and_outcome_under_faults(
    proxied: DynamoDBService,
    proxy: FaultProxy,
    logger: logging.Logger,
    fault: Fault,
    times: int,
) -> None:
    put(proxied)
    config = proxied.config.model_copy(
        update={"read_timeout_seconds": 1, "max_attempts": ATTEMPTS}
    )
    service = DynamoDBService(logger, config)
    params = {"TableName": config.default_table_name, "Key": KEY}
    seen = []
    for name in NAMES:
        proxy.reset()
        proxy.stall_seconds = 1.5
        proxy.faults["GetItem"] = fault
        proxy.times["GetItem"] = times
        seen.append((on(service, name, "GetItem", params), proxy.requests["GetItem"]))
    proxy.reset()

    assert seen[1] == seen[0]
    assert seen[0][1] == min(times + 1, ATTEMPTS)


def test_the_pool_is_usable_after_a_cancelled_call(
    proxied: DynamoDBService, proxy: FaultProxy
) -> None:
    put(proxied)
    _, nonblocking = transports(proxied)
    params = {"TableName": proxied.config.default_table_name, "Key": KEY}

    async def run() -> Any:
        proxy.faults["GetItem"] = "stall"
        proxy.times["GetItem"] = 1
        proxy.stall_seconds = 2
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(nonblocking.call("GetItem", dict(params)), 0.3)
        proxy.reset()
        try:
            return await nonblocking.call("GetItem", dict(params))
        finally:
            await nonblocking.close()

    answer = asyncio.run(run())
    assert answer["Item"]["name"] == "Ann"
