"""Single-item operations on moto."""

from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBService


def test_put_then_get_returns_the_item(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "name": "Ann", "tags": ["x"]})
    assert service.get_item({"pk": "a", "sk": 1}) == {
        "pk": "a",
        "sk": Decimal(1),
        "name": "Ann",
        "tags": ["x"],
    }


def test_get_missing_item_returns_none(service: DynamoDBService, table: str) -> None:
    assert service.get_item({"pk": "nobody", "sk": 0}) is None


def test_put_replaces_item_with_same_key(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "v": "old", "gone": True})
    service.put_item({"pk": "a", "sk": 1, "v": "new"})
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1, "v": "new"}


def test_explicit_table_name_overrides_default(
    service: DynamoDBService, table: str
) -> None:
    service.create_table(
        "other",
        [{"AttributeName": "id", "KeyType": "HASH"}],
        [{"AttributeName": "id", "AttributeType": "S"}],
    )
    service.put_item({"id": "x"}, table_name="other")
    assert service.get_item({"id": "x"}, table_name="other") == {"id": "x"}
    assert service.scan() == []


def test_update_returns_all_new_attributes(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "keep": "k"})
    updated = service.update_item(
        {"pk": "a", "sk": 1}, "SET v = :v ADD hits :one", {":v": "x", ":one": 1}
    )
    assert updated == {"pk": "a", "sk": 1, "keep": "k", "v": "x", "hits": 1}


def test_update_with_reserved_word_names(service: DynamoDBService, table: str) -> None:
    updated = service.update_item(
        {"pk": "a", "sk": 1},
        "SET #s = :s, #n = :n",
        {":s": "open", ":n": "Ann"},
        expression_attribute_names={"#s": "status", "#n": "name"},
    )
    assert updated["status"] == "open" and updated["name"] == "Ann"


def test_update_without_values(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "stale": 1})
    assert service.update_item({"pk": "a", "sk": 1}, "REMOVE stale", None) == {
        "pk": "a",
        "sk": 1,
    }


def test_delete_removes_item(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1})
    service.delete_item({"pk": "a", "sk": 1})
    assert service.get_item({"pk": "a", "sk": 1}) is None


def test_delete_missing_item_is_not_an_error(
    service: DynamoDBService, table: str
) -> None:
    service.delete_item({"pk": "nobody", "sk": 0})
    assert service.scan() == []


def test_create_if_absent_refuses_second_put(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(
        {"pk": "a", "sk": 1, "v": 1}, condition_expression="attribute_not_exists(pk)"
    )
    with pytest.raises(ClientError) as error:
        service.put_item(
            {"pk": "a", "sk": 1, "v": 2}, condition_expression=Attr("pk").not_exists()
        )
    assert error.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1, "v": 1}


def test_optimistic_lock_lets_exactly_one_writer_win(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "version": 1})
    outcomes = []
    for writer in ("first", "second"):
        try:
            service.update_item(
                {"pk": "a", "sk": 1},
                "SET version = :next, writer = :w",
                {":next": 2, ":w": writer, ":seen": 1},
                condition_expression="version = :seen",
            )
            outcomes.append(writer)
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert outcomes == ["first"]
    assert service.get_item({"pk": "a", "sk": 1}) == {
        "pk": "a",
        "sk": 1,
        "version": 2,
        "writer": "first",
    }


def test_conditional_delete_refused(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    with pytest.raises(ClientError, match="ConditionalCheckFailed"):
        service.delete_item(
            {"pk": "a", "sk": 1},
            condition_expression="#st = :closed",
            expression_attribute_names={"#st": "state"},
            expression_attribute_values={":closed": "closed"},
        )
    assert service.get_item({"pk": "a", "sk": 1}) is not None


def test_get_item_projection_and_consistent_read(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "name": "Ann", "age": 3})
    item = service.get_item(
        {"pk": "a", "sk": 1},
        projection_expression="#n",
        expression_attribute_names={"#n": "name"},
        consistent_read=True,
    )
    assert item == {"name": "Ann"}


@pytest.mark.parametrize(
    "value, stored",
    [
        (0.1, Decimal("0.1")),
        (1e-130, Decimal("1E-130")),
        (9.99e125, Decimal("9.99E+125")),
        ({"m": [1.5, {"x": 2.25}]}, {"m": [Decimal("1.5"), {"x": Decimal("2.25")}]}),
    ],
)
def test_floats_round_trip_exactly(
    service: DynamoDBService, table: str, value: object, stored: object
) -> None:
    service.put_item({"pk": "f", "sk": 1, "v": value})
    item = service.get_item({"pk": "f", "sk": 1})
    assert item is not None and item["v"] == stored


def test_float_in_update_values(service: DynamoDBService, table: str) -> None:
    updated = service.update_item({"pk": "a", "sk": 1}, "SET price = :p", {":p": 9.95})
    assert updated["price"] == Decimal("9.95")
