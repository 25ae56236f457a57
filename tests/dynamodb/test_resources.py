"""Bounded resources: threads, connections, table waits; a fork gets its own client."""

import logging
import threading
import time
from typing import Any

import pytest
from botocore.exceptions import WaiterError

from tests.dynamodb.faults import record_params, request_params
from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE


class Concurrency:
    """Counts Scan requests in flight at once (each held for a moment)."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.segments: set[int] = set()
        self._lock = threading.Lock()

    def enter(self, request: Any, **kwargs: Any) -> None:
        with self._lock:
            self.segments.add(request_params(request).get("Segment", -1))
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.01)

    def leave(self, **kwargs: Any) -> None:
        with self._lock:
            self.now -= 1


def watch(service: DynamoDBService) -> Concurrency:
    concurrency = Concurrency()
    events = service._client.meta.events
    events.register("before-send.dynamodb.Scan", concurrency.enter)
    events.register("after-call.dynamodb.Scan", concurrency.leave)
    return concurrency


@pytest.fixture
def narrow(logger: logging.Logger) -> DynamoDBService:
    config = DynamoDBConfig(
        region_name="us-east-1", default_table_name=TABLE, max_pool_connections=3
    )
    service = DynamoDBService(logger, config)
    service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    return service


def test_max_pool_connections_sizes_botocores_pool(narrow: DynamoDBService) -> None:
    assert narrow._client.meta.config.max_pool_connections == 3


def test_parallel_scan_keeps_at_most_max_pool_connections_in_flight(
    narrow: DynamoDBService,
) -> None:
    narrow.batch_write_items([{"pk": str(i), "sk": i} for i in range(200)])
    concurrency = watch(narrow)
    items = narrow.scan(total_segments=40)
    assert sorted(int(item["sk"]) for item in items) == list(range(200))
    assert concurrency.segments == set(range(40))
    assert 2 <= concurrency.most <= 3


def test_leaving_a_parallel_scan_early_never_starts_the_other_segments(
    narrow: DynamoDBService,
) -> None:
    narrow.batch_write_items([{"pk": str(i), "sk": i} for i in range(200)])
    concurrency = watch(narrow)
    stream = narrow.iter_scan(total_segments=1000)
    next(stream)
    stream.close()  # type: ignore[attr-defined]
    assert len(concurrency.segments) <= 6


def test_table_wait_is_bounded_by_the_configured_time(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = DynamoDBConfig(region_name="us-east-1", table_wait_timeout_seconds=3)
    service = DynamoDBService(logger, config)

    def still_creating(parsed: dict[str, Any], **kwargs: Any) -> None:
        parsed["Table"]["TableStatus"] = "CREATING"

    service._client.meta.events.register(
        "after-call.dynamodb.DescribeTable", still_creating
    )
    pauses: list[float] = []
    monkeypatch.setattr("time.sleep", pauses.append)
    with pytest.raises(WaiterError):
        service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    assert sum(pauses) <= 3


def test_a_forked_process_builds_its_own_client(
    service: DynamoDBService, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent_client = service._client
    monkeypatch.setattr("os.getpid", lambda: -1)  # as in a child after fork
    child_client = service._client
    assert child_client is not parent_client
    assert service._client is child_client  # built once per process
    service.put_item({"pk": "a", "sk": 1})
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}


def test_transaction_sends_its_idempotency_token(
    service: DynamoDBService, table: str
) -> None:
    sent = record_params(service._client, "TransactWriteItems")
    actions = [
        {
            "Update": {
                "Key": {"pk": "a", "sk": 1},
                "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": 1},
            }
        }
    ]
    service.transact_write_items(actions, client_request_token="order-42")
    assert sent[0]["ClientRequestToken"] == "order-42"
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1, "n": 1}
