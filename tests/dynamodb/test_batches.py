"""batch_write_items and batch_get_items on moto, with injected faults."""

from collections import Counter

from typing import Any

import pytest

from services.dynamodb import DynamoDBService
from services.dynamodb.operations import rounds as _rounds
from tests.dynamodb.faults import (
    UnprocessedInjector,
    inject_unprocessed_items,
    inject_unprocessed_keys,
    request_params,
)


def request_sizes(service: DynamoDBService, operation: str, field: str) -> list[int]:
    sizes: list[int] = []

    def record(request: Any, **kwargs: object) -> None:
        request_items = request_params(request)["RequestItems"]
        assert isinstance(request_items, dict)
        for request in request_items.values():
            sizes.append(len(request[field] if field else request))

    service._client.meta.events.register(f"before-send.dynamodb.{operation}", record)
    return sizes


def test_batch_write_any_number_in_25s(service: DynamoDBService, table: str) -> None:
    sizes = request_sizes(service, "BatchWriteItem", "")
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(60)])
    assert sizes == [25, 25, 10]
    assert service.count() == 60


def test_batch_write_empty_list_sends_nothing(
    service: DynamoDBService, table: str
) -> None:
    sizes = request_sizes(service, "BatchWriteItem", "")
    service.batch_write_items([])
    assert sizes == []


def test_batch_write_duplicate_keys_last_wins(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items(
        [
            {"pk": "a", "sk": 1, "v": "first"},
            {"pk": "b", "sk": 1},
            {"pk": "a", "sk": 1, "v": "last"},
        ]
    )
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1, "v": "last"}
    assert service.count() == 2


def test_batch_write_item_missing_key_writes_nothing(
    service: DynamoDBService, table: str
) -> None:
    items = [{"pk": "a", "sk": i} for i in range(30)] + [{"pk": "a"}]
    with pytest.raises(ValueError, match=r"items\[30\] lacks key attribute 'sk'"):
        service.batch_write_items(items)
    assert service.count() == 0


def test_batch_get_any_number_in_100s(service: DynamoDBService, table: str) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(150)])
    sizes = request_sizes(service, "BatchGetItem", "Keys")
    items = service.batch_get_items([{"pk": "a", "sk": i} for i in range(150)])
    assert sorted(int(i["sk"]) for i in items) == list(range(150))
    assert sizes == [100, 50]


def test_batch_get_skips_missing_and_dedupes(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(3)])
    keys = [
        {"pk": "a", "sk": 0},
        {"pk": "a", "sk": 0},
        {"pk": "a", "sk": 1},
        {"pk": "zz", "sk": 9},
    ]
    items = service.batch_get_items(keys)
    assert sorted(int(i["sk"]) for i in items) == [0, 1]


def test_batch_get_empty_sends_nothing(service: DynamoDBService, table: str) -> None:
    sizes = request_sizes(service, "BatchGetItem", "Keys")
    assert service.batch_get_items([]) == []
    assert sizes == []


def test_batch_get_projection(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "name": "Ann", "age": 4})
    items = service.batch_get_items(
        [{"pk": "a", "sk": 1}],
        projection_expression="#n",
        expression_attribute_names={"#n": "name"},
        consistent_read=True,
    )
    assert items == [{"name": "Ann"}]


def test_batch_get_recovers_every_unprocessed_key(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(1000)])
    injector = UnprocessedInjector(share=0.3)
    inject_unprocessed_keys(service._client, injector)
    items = service.batch_get_items([{"pk": "a", "sk": i} for i in range(1000)])
    counts = Counter(int(i["sk"]) for i in items)
    assert sorted(counts) == list(range(1000))
    assert set(counts.values()) == {1}
    assert injector.requests > 10  # the fault really held keys back


def test_batch_write_recovers_every_unprocessed_item(
    service: DynamoDBService, table: str
) -> None:
    injector = UnprocessedInjector(share=0.3)
    inject_unprocessed_items(service._client, injector)
    service.batch_write_items([{"pk": "a", "sk": i, "v": i * 2} for i in range(1000)])
    assert injector.requests > 40
    items = service.batch_get_items([{"pk": "a", "sk": i} for i in range(1000)])
    assert sorted((int(i["sk"]), int(i["v"])) for i in items) == [
        (i, i * 2) for i in range(1000)
    ]


def test_batch_get_raises_when_keys_stay_unprocessed(
    service: DynamoDBService, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(10)])
    stuck = [{"pk": "a", "sk": 3}, {"pk": "a", "sk": 7}]
    inject_unprocessed_keys(service._client, UnprocessedInjector(0.0, stuck=stuck))
    with pytest.raises(RuntimeError, match="confirmed 8 of 10 .* 2 not confirmed"):
        service.batch_get_items([{"pk": "a", "sk": i} for i in range(10)])


def test_batch_get_backs_off_between_rounds(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    inject_unprocessed_keys(
        service._client, UnprocessedInjector(0.0, stuck=[{"pk": "a", "sk": 1}])
    )
    with pytest.raises(RuntimeError):
        service.batch_get_items([{"pk": "a", "sk": 1}])
    assert len(pauses) == _rounds.MAX_ROUNDS - 1
    ceilings = [min(0.05 * 2**n, 1.0) for n in range(len(pauses))]
    assert all(c / 2 <= p <= c for p, c in zip(pauses, ceilings))
