"""Batch rounds: what a round leaves undone is never lost, and a batch pauses
only between rounds, with a backoff that is never zero."""

from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import BatchIncompleteError, DynamoDBService
from services.dynamodb.operations import rounds as _rounds
from tests.dynamodb.faults import (
    UnprocessedInjector,
    fail_request,
    inject_unprocessed_items,
    inject_unprocessed_keys,
)

# Two BatchWriteItem requests of 25; the first hands back a fifth of its
# items (the first five), the second fails before it is sent.
ITEMS = [{"pk": "a", "sk": n} for n in range(50)]
HANDED_BACK = ITEMS[:5]
NOT_SENT = ITEMS[25:]


def sort_keys(items: list[Any]) -> list[int]:
    return sorted(int(item["sk"]) for item in items)


def fail_after_handing_back(service: DynamoDBService) -> BatchIncompleteError:
    """Write ITEMS: the first request hands back HANDED_BACK, the second
    fails; return the error the batch raised."""
    inject_unprocessed_items(service._client, UnprocessedInjector(share=0.2))
    fail_request(service._client, "BatchWriteItem", 2, "InternalServerError")
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_write_items(ITEMS)
    return raised.value


def test_items_handed_back_before_a_request_fails_are_carried_as_unprocessed(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    error = fail_after_handing_back(service)

    assert isinstance(error, ClientError)
    assert sort_keys(error.unprocessed) == sort_keys(HANDED_BACK + NOT_SENT)
    assert "confirmed 20 of 50" in str(error)


def test_resending_what_a_failed_round_left_unprocessed_writes_every_item(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    error = fail_after_handing_back(service)
    assert service.count() == 20

    service.batch_write_items(error.unprocessed)

    assert service.count() == 50


def test_keys_handed_back_before_a_request_fails_are_carried_as_unprocessed(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    keys = [{"pk": "a", "sk": n} for n in range(200)]
    service.batch_write_items(keys)
    inject_unprocessed_keys(service._client, UnprocessedInjector(share=0.1))
    fail_request(service._client, "BatchGetItem", 2, "InternalServerError")

    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_get_items(keys)

    assert sort_keys(raised.value.unprocessed) == sort_keys(keys[:10] + keys[100:])
    assert sort_keys(raised.value.items) == sort_keys(keys[10:100])


def test_a_batch_write_done_in_one_round_never_pauses(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    service.batch_write_items(ITEMS)

    assert service.count() == 50
    assert pauses == []


def test_a_batch_get_done_in_one_round_never_pauses(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    service.batch_write_items(ITEMS)

    assert len(service.batch_get_items(ITEMS)) == 50
    assert pauses == []


def test_a_batch_done_in_its_second_round_pauses_once_before_it(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    injector = UnprocessedInjector(share=0.2)
    inject_unprocessed_items(service._client, injector)

    service.batch_write_items(ITEMS[:10])  # 2 handed back, then 0 of 2

    assert injector.requests == 2
    assert service.count() == 10
    assert len(pauses) == 1


def test_batch_write_rounds_pause_with_a_doubling_backoff_never_zero(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    injector = UnprocessedInjector(0.0, stuck=[{"pk": "a", "sk": 1}])
    inject_unprocessed_items(service._client, injector)

    with pytest.raises(BatchIncompleteError):
        service.batch_write_items(ITEMS[:3])

    assert len(pauses) == _rounds.MAX_ROUNDS - 1
    ceilings = [min(0.05 * 2**n, 1.0) for n in range(len(pauses))]
    assert all(0 < ceiling / 2 <= p <= ceiling for p, ceiling in zip(pauses, ceilings))
