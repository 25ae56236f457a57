"""BatchIncompleteError: whatever stopped the batch, it is caught, carries
what is unconfirmed, and survives pickling."""

import pickle
from typing import Any

import boto3
import pytest
import urllib3.exceptions
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    SSLError,
)

from services.dynamodb import BatchIncompleteError, DynamoDBService
from services.dynamodb.errors import batch_incomplete

UNPROCESSED = [{"pk": "a", "sk": 2}]
READ = [{"pk": "a", "sk": 1}]


class LocalCause(Exception):
    """An error class pickle finds by name."""


def urllib3_timeout() -> Exception:
    """urllib3's read timeout, as botocore wraps it (no pool: none is open)."""
    pool: Any = None
    return urllib3.exceptions.ReadTimeoutError(pool, "/", "read timed out")


def network_causes() -> dict[str, Exception]:
    timeout = urllib3_timeout()
    return {
        "read-timeout": ReadTimeoutError(endpoint_url="http://h", error=timeout),
        "connect-timeout": ConnectTimeoutError(endpoint_url="http://h"),
        "ssl": SSLError(endpoint_url="http://h", error=OSError("bad certificate")),
        "endpoint": EndpointConnectionError(endpoint_url="http://h"),
        "timeout": TimeoutError("timed out"),
        "reset": ConnectionResetError(104, "Connection reset by peer"),
        "client-error": ClientError(
            {"Error": {"Code": "InternalServerError", "Message": "m"}}, "BatchGetItem"
        ),
        "local": LocalCause("stopped"),
        "key-error": KeyError("k"),
    }


def incomplete(cause: Exception | None) -> BatchIncompleteError:
    return batch_incomplete(
        "batch_get_items confirmed 1 of 2 on table orders",
        cause,
        operation="batch_get_items",
        table_name="orders",
        unprocessed=UNPROCESSED,
        items=READ,
    )


CAUSES = network_causes()


@pytest.mark.parametrize("cause", CAUSES.values(), ids=CAUSES.keys())
def test_a_batch_stopped_by_any_error_is_both_that_error_and_incomplete(
    cause: Exception,
) -> None:
    error = incomplete(cause)
    assert isinstance(error, BatchIncompleteError) and isinstance(error, RuntimeError)
    assert isinstance(error, type(cause))
    assert error.cause is cause and error.__cause__ is cause
    assert error.unprocessed == UNPROCESSED and error.items == READ
    assert str(error).startswith("batch_get_items confirmed 1 of 2 on table orders: ")


@pytest.mark.parametrize("cause", [None, *CAUSES.values()], ids=["none", *CAUSES])
def test_batch_incomplete_error_round_trips_through_pickle(
    cause: Exception | None,
) -> None:
    error = incomplete(cause)
    loaded = pickle.loads(pickle.dumps(error))
    assert type(loaded) is type(error)
    assert str(loaded) == str(error)
    assert (loaded.operation, loaded.table_name) == ("batch_get_items", "orders")
    assert loaded.unprocessed == UNPROCESSED and loaded.items == READ
    assert type(loaded.cause) is type(cause) and loaded.__cause__ is loaded.cause
    assert str(loaded.cause) == str(cause)


def test_a_modeled_cause_comes_back_as_botocore_pickles_it() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    modeled = client.exceptions.ProvisionedThroughputExceededException
    response: Any = {"Error": {"Code": "ProvisionedThroughputExceededException"}}
    error = incomplete(modeled(response, "BatchWriteItem"))
    loaded = pickle.loads(pickle.dumps(error))
    assert isinstance(loaded, BatchIncompleteError) and isinstance(loaded, ClientError)
    assert loaded.response == response and loaded.unprocessed == UNPROCESSED
    assert type(loaded.cause) is ClientError  # botocore's own pickling rule


def test_a_cause_that_cannot_be_pickled_is_named_instead() -> None:
    class Unpicklable(Exception):
        pass

    loaded = pickle.loads(pickle.dumps(incomplete(Unpicklable("gone"))))
    assert isinstance(loaded, BatchIncompleteError)
    assert isinstance(loaded.cause, RuntimeError)
    assert "Unpicklable (could not be pickled): gone" == str(loaded.cause)
    assert loaded.unprocessed == UNPROCESSED


def time_out_from(client: Any, operation: str, request_number: int) -> None:
    """From the ``request_number``-th ``operation`` request on, time out
    (raised where botocore sends, so its retries see it)."""
    calls: list[int] = []

    def time_out(**kwargs: Any) -> None:
        calls.append(1)
        if len(calls) >= request_number:
            raise ReadTimeoutError(endpoint_url="http://moto", error=urllib3_timeout())

    client.meta.events.register_first(f"before-send.dynamodb.{operation}", time_out)


def test_batch_write_stopped_by_a_timeout_carries_the_unconfirmed_items(
    service: DynamoDBService, table: str
) -> None:
    items = [{"pk": "a", "sk": i} for i in range(100)]
    time_out_from(service._client, "BatchWriteItem", 3)
    with pytest.raises(ReadTimeoutError) as raised:
        service.batch_write_items(items)
    error = raised.value
    assert isinstance(error, BatchIncompleteError)
    assert error.unprocessed == items[50:]
    assert isinstance(error.__cause__, ReadTimeoutError)


def test_batch_get_stopped_by_a_timeout_keeps_what_it_read(
    service: DynamoDBService, table: str
) -> None:
    keys = [{"pk": "a", "sk": i} for i in range(150)]
    service.batch_write_items(keys)
    time_out_from(service._client, "BatchGetItem", 2)
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_get_items(keys)
    assert isinstance(raised.value, ReadTimeoutError)
    assert len(raised.value.items) == 100 and raised.value.unprocessed == keys[100:]
