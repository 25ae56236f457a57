"""More of DynamoDB's write API: old values, updates without strings, batch deletes."""

from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr

from services.dynamodb import BatchIncompleteError, DynamoDBService
from tests.dynamodb.faults import UnprocessedInjector, inject_unprocessed_items

KEY = {"pk": "a", "sk": 1}


def test_put_item_returns_the_item_it_replaced(
    service: DynamoDBService, table: str
) -> None:
    assert service.put_item({**KEY, "v": 1}, return_values="ALL_OLD") is None
    assert service.put_item({**KEY, "v": 2}, return_values="ALL_OLD") == {**KEY, "v": 1}
    assert service.put_item({**KEY, "v": 3}) is None


def test_delete_item_returns_the_item_it_deleted(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({**KEY, "v": 1})
    assert service.delete_item(KEY, return_values="ALL_OLD") == {**KEY, "v": 1}
    assert service.delete_item(KEY, return_values="ALL_OLD") is None


@pytest.mark.parametrize(
    "return_values, expected",
    [
        ("ALL_NEW", {**KEY, "v": 2, "w": 0}),
        ("UPDATED_NEW", {"v": 2}),
        ("ALL_OLD", {**KEY, "v": 1, "w": 0}),
        ("UPDATED_OLD", {"v": 1}),
        ("NONE", {}),
    ],
)
def test_update_item_returns_what_return_values_asks_for(
    service: DynamoDBService, table: str, return_values: Any, expected: dict[str, Any]
) -> None:
    service.put_item({**KEY, "v": 1, "w": 0})
    result = service.update_item(
        KEY, "SET v = :v", {":v": 2}, return_values=return_values
    )
    assert result == expected


def test_update_item_without_values_removes(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({**KEY, "v": 1})
    assert service.update_item(KEY, "REMOVE v") == KEY


def test_update_attributes_with_reserved_words_nested_paths_and_sets(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({**KEY, "name": "Ann", "address": {"zip": "1"}, "tags": ["x"]})
    result = service.update_attributes(
        KEY,
        set={"status": "active", ("address", "zip"): "10115", ("tags", 0): "y"},
        remove=["name"],
        add={"logins": 1, "roles": {"admin"}},
    )
    assert result == {
        **KEY,
        "status": "active",
        "address": {"zip": "10115"},
        "tags": ["y"],
        "logins": 1,
        "roles": {"admin"},
    }
    result = service.update_attributes(
        KEY, delete={"roles": {"admin"}}, add={"logins": 2}
    )
    assert result["logins"] == 3 and "roles" not in result


def test_update_attributes_with_dotted_and_spaced_names(
    service: DynamoDBService, table: str
) -> None:
    result = service.update_attributes(KEY, set={"a.b": 1, "with space": 2})
    assert result == {**KEY, "a.b": 1, "with space": 2}


def test_update_attributes_condition_object_and_string(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({**KEY, "version": 1})
    service.update_attributes(
        KEY, set={"version": 2}, condition_expression=Attr("version").eq(1)
    )
    with pytest.raises(service.exceptions.ConditionalCheckFailedException):
        service.update_attributes(
            KEY,
            set={"version": 3},
            condition_expression="#v = :seen",
            expression_attribute_names={"#v": "version"},
            expression_attribute_values={":seen": 1},
        )
    assert service.get_item(KEY) == {**KEY, "version": 2}


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        ({}, ValueError, "needs at least one of set, remove, add or delete"),
        ({"set": {}}, ValueError, "needs at least one"),
        ({"set": {("a", "b"): None, (): 1}}, ValueError, "attribute path"),
        ({"set": {(0, "a"): 1}}, ValueError, "starting with a string"),
        ({"remove": "name"}, TypeError, "remove must be a list"),
        ({"set": [("a", 1)]}, TypeError, "set must be a dict"),
        ({"set": {"v": float("nan")}}, ValueError, "cannot be stored"),
        ({"set": {"v": 1}, "return_values": "ALL"}, ValueError, "return_values"),
    ],
)
def test_update_attributes_refuses_bad_input_and_writes_nothing(
    service: DynamoDBService,
    table: str,
    arguments: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        service.update_attributes(KEY, **arguments)
    assert service.get_item(KEY) is None


def test_batch_delete_items_deletes_any_number_once(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(60)])
    keys = [{"pk": "a", "sk": i} for i in range(50)] + [{"pk": "a", "sk": 0}]
    service.batch_delete_items(keys + [{"pk": "nobody", "sk": 1}])
    assert sorted(int(i["sk"]) for i in service.scan()) == list(range(50, 60))


def test_batch_delete_items_resends_unprocessed_and_reports_the_stuck(
    service: DynamoDBService, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(40)])
    injector = UnprocessedInjector(
        0.3, stuck=[{"pk": "a", "sk": 7}], kind="DeleteRequest"
    )
    inject_unprocessed_items(service._client, injector)
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_delete_items([{"pk": "a", "sk": i} for i in range(40)])
    assert raised.value.unprocessed == [{"pk": "a", "sk": 7}]
    assert [int(i["sk"]) for i in service.scan()] == [7]


def test_batch_delete_items_with_a_bad_key_deletes_nothing(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(40)])
    keys: list[dict[str, Any]] = [{"pk": "a", "sk": i} for i in range(40)]
    keys[30] = {"pk": "a", "sk": "thirty"}
    with pytest.raises(ValueError, match=r"keys\[30\]\.sk must be of DynamoDB type N"):
        service.batch_delete_items(keys)
    assert service.count() == 40
