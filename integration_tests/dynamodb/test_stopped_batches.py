"""Whatever stops a batch, the caller learns what is unconfirmed; interrupts
pass unchanged; the error crosses a process boundary. Through the fault proxy
on the real server, no mocks."""

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from integration_tests.server.fault_proxy import FaultProxy
from services.dynamodb import BatchIncompleteError, DynamoDBConfig, DynamoDBService

ITEMS = [{"pk": "a", "sk": i, "v": "x%d" % i} for i in range(100)]
KEYS = [{"pk": "a", "sk": i} for i in range(100)]


class Stop(Exception):
    """What an application's signal handler raises (a timeout, a shutdown)."""


@pytest.fixture
def stalling(
    proxy: FaultProxy, proxied: DynamoDBService, logger: logging.Logger
) -> DynamoDBService:
    """A service on the proxied table that gives up on an answer after 1 s."""
    config = proxied.config.model_copy(
        update={"read_timeout_seconds": 1, "max_attempts": 2}
    )
    proxy.stall_seconds = 2.5
    return DynamoDBService(logger, config)


def stall_from(proxy: FaultProxy, operation: str, request_number: int) -> None:
    """Make the proxy hold the ``request_number``-th ``operation`` and later."""
    proxy.requests.clear()
    proxy.passes[operation] = request_number - 1
    proxy.faults[operation] = "stall"


def test_batch_write_stopped_by_a_read_timeout_carries_the_unconfirmed_items(
    proxy: FaultProxy, proxied: DynamoDBService, stalling: DynamoDBService
) -> None:
    stall_from(proxy, "BatchWriteItem", 3)
    with pytest.raises(BatchIncompleteError) as raised:
        stalling.batch_write_items(ITEMS)
    error = raised.value
    assert isinstance(error, ReadTimeoutError)
    assert isinstance(error.__cause__, ReadTimeoutError)
    assert error.unprocessed == ITEMS[50:]
    assert "confirmed 50 of 100" in str(error)
    proxy.reset()
    assert proxied.count() == 50
    proxied.batch_write_items(error.unprocessed)
    assert proxied.count() == 100


def test_batch_delete_stopped_by_a_read_timeout_carries_the_unconfirmed_keys(
    proxy: FaultProxy, proxied: DynamoDBService, stalling: DynamoDBService
) -> None:
    proxied.batch_write_items(ITEMS)
    stall_from(proxy, "BatchWriteItem", 3)
    with pytest.raises(ReadTimeoutError) as raised:
        stalling.batch_delete_items(KEYS)
    error = raised.value
    assert isinstance(error, BatchIncompleteError)
    assert error.unprocessed == KEYS[50:]
    proxy.reset()
    assert proxied.count() == 50


def test_batch_get_stopped_by_a_read_timeout_keeps_the_items_already_read(
    proxy: FaultProxy, proxied: DynamoDBService, stalling: DynamoDBService
) -> None:
    items = [{"pk": "a", "sk": i} for i in range(250)]
    proxied.batch_write_items(items)
    stall_from(proxy, "BatchGetItem", 2)
    with pytest.raises(BatchIncompleteError) as raised:
        stalling.batch_get_items(items)
    error = raised.value
    assert isinstance(error, ReadTimeoutError)
    assert sorted(int(item["sk"]) for item in error.items) == list(range(100))
    assert error.unprocessed == items[100:]


def write_in_a_worker(config: DynamoDBConfig) -> None:
    """Run in a worker process: a batch write that will not complete."""
    DynamoDBService(logging.getLogger("worker"), config).batch_write_items(ITEMS)


def raised_in_a_worker(config: DynamoDBConfig) -> BaseException:
    """What a ProcessPoolExecutor's parent receives from the worker."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(write_in_a_worker, config)
        error = future.exception(timeout=60)
    assert error is not None
    return error


def test_a_batch_stopped_by_a_timeout_in_a_worker_process_reaches_the_parent(
    proxy: FaultProxy, stalling: DynamoDBService
) -> None:
    stall_from(proxy, "BatchWriteItem", 3)
    error = raised_in_a_worker(stalling.config)
    assert type(error).__name__ == "BatchIncompleteError(ReadTimeoutError)"
    assert isinstance(error, BatchIncompleteError)
    assert isinstance(error, ReadTimeoutError)
    assert error.unprocessed == ITEMS[50:]
    assert error.operation == "batch_write_items"
    assert "confirmed 50 of 100" in str(error)
    assert isinstance(error.cause, ReadTimeoutError)


def test_a_batch_left_unprocessed_in_a_worker_process_reaches_the_parent(
    proxy: FaultProxy, proxied: DynamoDBService
) -> None:
    proxy.faults["BatchWriteItem"] = "unprocessed"
    error = raised_in_a_worker(proxied.config)
    assert type(error) is BatchIncompleteError
    assert sorted(error.unprocessed, key=lambda item: int(item["sk"])) == ITEMS
    assert "still unprocessed after 8 rounds" in str(error)
    assert error.cause is None


def interrupted(
    proxy: FaultProxy, error: BaseException, call: Callable[[], object]
) -> BaseException:
    """Run ``call``; when the proxy stalls it, a SIGUSR1 handler raises
    ``error`` in the main thread (where the call waits on the network).
    Return what the call raised."""

    def handler(signum: int, frame: Any) -> None:
        raise error

    main = threading.main_thread().ident
    assert main is not None
    proxy.on_fault = lambda: signal.pthread_kill(main, signal.SIGUSR1)
    previous = signal.signal(signal.SIGUSR1, handler)
    try:
        with pytest.raises(type(error)) as raised:
            call()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    return raised.value


def test_an_interrupted_batch_raises_the_interrupt_and_resent_stores_each_item_once(
    proxy: FaultProxy, proxied: DynamoDBService, logger: logging.Logger
) -> None:
    # A signal handler interrupts the blocking service's thread (see below).
    blocking = DynamoDBService(logger, proxied.config)
    stall_from(proxy, "BatchWriteItem", 3)
    raised = interrupted(
        proxy, KeyboardInterrupt(), lambda: blocking.batch_write_items(ITEMS)
    )
    assert type(raised) is KeyboardInterrupt
    proxy.reset()
    assert proxied.count() == 50  # what was sent before the interrupt
    proxied.batch_write_items(ITEMS)  # the whole batch again, on the same pool
    stored = proxied.scan(consistent_read=True)
    assert sorted(stored, key=lambda item: int(item["sk"])) == ITEMS


def test_an_exception_raised_by_a_signal_handler_is_raised_as_itself_not_retried(
    proxy: FaultProxy, proxied: DynamoDBService, logger: logging.Logger
) -> None:
    # Not the async service behind the test harness: there the call runs on
    # a loop in another thread, which the signal does not stop, so its retry
    # after the stall could be counted (test_cancellation.py covers async).
    blocking = DynamoDBService(logger, proxied.config)
    stall_from(proxy, "PutItem", 1)
    raised = interrupted(
        proxy, Stop("shutting down"), lambda: blocking.put_item(ITEMS[0])
    )
    assert type(raised) is Stop
    assert proxy.requests["PutItem"] == 1


def test_a_batch_stopped_by_a_signal_handler_says_what_is_unconfirmed(
    proxy: FaultProxy, proxied: DynamoDBService, logger: logging.Logger
) -> None:
    # A signal handler interrupts the blocking service's thread; the async
    # service's counterpart is cancellation (test_cancellation.py).
    blocking = DynamoDBService(logger, proxied.config)
    stall_from(proxy, "BatchWriteItem", 2)
    raised = interrupted(
        proxy, Stop("shutting down"), lambda: blocking.batch_write_items(ITEMS)
    )
    assert isinstance(raised, BatchIncompleteError)
    assert raised.unprocessed == ITEMS[25:]
    assert proxy.requests["BatchWriteItem"] == 2
