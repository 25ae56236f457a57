"""Items, keys and options given as any mapping or sequence, not only as
dicts and lists: what ordinary typed code passes (TypedDicts are dicts;
read-only mappings and tuples are not)."""

from types import MappingProxyType
from typing import Any

import pytest

from services.dynamodb import DynamoDBService


def frozen(values: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(values)


def test_items_and_keys_as_read_only_mappings(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(frozen({"pk": "a", "sk": 1, "name": "Ann"}))
    key = frozen({"pk": "a", "sk": 1})

    assert service.get_item(key) == {"pk": "a", "sk": 1, "name": "Ann"}
    changed = service.update_attributes(
        key, set=frozen({"name": "Bo"}), remove=("missing",)
    )
    assert changed == {"pk": "a", "sk": 1, "name": "Bo"}
    values = frozen({":p": "a"})
    assert service.query("pk = :p", values) == [changed]
    service.delete_item(key)
    assert service.get_item(key) is None


def test_batches_as_tuples(service: DynamoDBService, table: str) -> None:
    items = tuple(frozen({"pk": "b", "sk": n}) for n in range(3))

    service.batch_write_items(items)

    keys = ({"pk": "b", "sk": 0}, frozen({"pk": "b", "sk": 2}))
    assert sorted(item["sk"] for item in service.batch_get_items(keys)) == [0, 2]
    service.batch_delete_items(keys)
    assert service.count("pk = :p", {":p": "b"}) == 1


def test_transactions_of_mappings(service: DynamoDBService, table: str) -> None:
    put = frozen({"Put": frozen({"Item": frozen({"pk": "t", "sk": 1})})})

    service.transact_write_items((put,))

    assert service.transact_get_items((frozen({"pk": "t", "sk": 1}),)) == [
        {"pk": "t", "sk": 1}
    ]


@pytest.mark.parametrize("batch", ["pk", b"pk", {"pk": "a", "sk": 1}])
def test_a_string_or_a_single_item_is_not_a_batch(
    service: DynamoDBService, table: str, batch: Any
) -> None:
    with pytest.raises(ValueError, match="items must be a list"):
        service.batch_write_items(batch)
