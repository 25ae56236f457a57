"""Bounded failure and thread safety against the real server, no mocks."""

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import EndpointConnectionError

from integration_tests.server.dynalite_server import free_port
from services.dynamodb import DynamoDBConfig, DynamoDBService

THREADS = 8
OPERATIONS_PER_THREAD = 250


def test_closed_port_fails_the_constructor(logger: logging.Logger) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        aws_access_key_id="integration",
        aws_secret_access_key="integration",
    )
    with pytest.raises(EndpointConnectionError):
        DynamoDBService(logger, config)


def mixed_operations(service: DynamoDBService, worker: int) -> Counter[str]:
    """Run 250 mixed operations; return how many of each were done."""
    done: Counter[str] = Counter()
    own = f"w{worker}"
    for step in range(OPERATIONS_PER_THREAD):
        kind = step % 6
        if kind == 0:
            service.put_item({"pk": own, "sk": step, "v": f"{own}-{step}"})
        elif kind == 1:
            item = service.get_item({"pk": own, "sk": step - 1})
            assert item == {"pk": own, "sk": step - 1, "v": f"{own}-{step - 1}"}
        elif kind == 2:
            service.update_item(
                {"pk": "counter", "sk": 0}, "ADD hits :one", {":one": 1}
            )
        elif kind == 3:
            assert len(service.query("pk = :pk", {":pk": own}, limit=3)) >= 1
        elif kind == 4:
            batch = [{"pk": f"b{worker}", "sk": step * 10 + k} for k in range(5)]
            service.batch_write_items(batch)
        else:
            keys = [{"pk": f"b{worker}", "sk": (step - 1) * 10 + k} for k in range(5)]
            assert len(service.batch_get_items(keys)) == 5
        done[str(kind)] += 1
    return done


def test_one_service_shared_by_8_threads(service: DynamoDBService, table: str) -> None:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(mixed_operations, service, w) for w in range(THREADS)]
        totals: Counter[str] = Counter()
        for future in futures:
            totals += future.result()  # re-raises any exception of a thread
    assert sum(totals.values()) == THREADS * OPERATIONS_PER_THREAD
    counter = service.get_item({"pk": "counter", "sk": 0}, consistent_read=True)
    assert counter is not None and counter["hits"] == totals["2"]
    puts = [
        {"pk": f"w{w}", "sk": s}
        for w in range(THREADS)
        for s in range(0, OPERATIONS_PER_THREAD, 6)
    ]
    batches = [
        {"pk": f"b{w}", "sk": s * 10 + k}
        for w in range(THREADS)
        for s in range(4, OPERATIONS_PER_THREAD, 6)
        for k in range(5)
    ]
    assert len(service.batch_get_items(puts)) == len(puts) == totals["0"]
    assert len(service.batch_get_items(batches)) == len(batches) == totals["4"] * 5
