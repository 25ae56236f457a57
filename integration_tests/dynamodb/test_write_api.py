"""Old values, updates written as dicts, and batch deletes on a real server."""

from boto3.dynamodb.conditions import Attr

import pytest

from services.dynamodb import DynamoDBService

KEY = {"pk": "u1", "sk": 0}


def test_update_attributes_with_reserved_words_nested_paths_and_a_condition(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({**KEY, "name": "Ann", "year": 1990, "address": {"zip": "1"}})
    result = service.update_attributes(
        KEY,
        set={"status": "active", ("address", "zip"): "10115", "year": 1991},
        remove=["name"],
        add={"logins": 1, "roles": {"admin"}},
        condition_expression=Attr("year").eq(1990),
    )
    assert result == {
        **KEY,
        "status": "active",
        "year": 1991,
        "address": {"zip": "10115"},
        "logins": 1,
        "roles": {"admin"},
    }
    with pytest.raises(service.exceptions.ConditionalCheckFailedException):
        service.update_attributes(
            KEY, set={"status": "x"}, condition_expression=Attr("year").eq(1990)
        )
    assert service.get_item(KEY) == result


def test_put_and_delete_return_old_items(service: DynamoDBService, table: str) -> None:
    assert service.put_item({**KEY, "v": 1}, return_values="ALL_OLD") is None
    assert service.put_item({**KEY, "v": 2}, return_values="ALL_OLD") == {**KEY, "v": 1}
    assert service.update_item(KEY, "REMOVE v", return_values="UPDATED_OLD") == {"v": 2}
    assert service.delete_item(KEY, return_values="ALL_OLD") == KEY


def test_batch_delete_items(service: DynamoDBService, table: str) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(60)])
    service.batch_delete_items([{"pk": "a", "sk": i} for i in range(55)] * 2)
    assert sorted(int(i["sk"]) for i in service.scan()) == list(range(55, 60))
