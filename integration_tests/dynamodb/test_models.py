"""Typed items on a real server: pydantic models in and out of every operation."""

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ValidationError

from services.dynamodb import DynamoDBService
from tests.typed_models import FIELD_VALUES, Everything, Order, order

from .conftest import ServerFeatures


def test_every_field_type_round_trips(service: DynamoDBService, table: str) -> None:
    written = [Everything(pk="all", sk=0)] + [
        Everything.model_validate({"pk": "one", "sk": index, field: value})
        for index, (field, (value, _)) in enumerate(sorted(FIELD_VALUES.items()))
    ]
    service.batch_write_items(written)
    for model in written:
        assert service.get_item(model, model=Everything) == model
    for index, (field, (_, (attribute, stored))) in enumerate(
        sorted(FIELD_VALUES.items())
    ):
        raw = service.get_item({"pk": "one", "sk": index})
        assert raw is not None and raw[attribute] == stored, field


def test_reads_return_models(
    service: DynamoDBService, table: str, server_features: ServerFeatures
) -> None:
    orders = [order(sk) for sk in range(6)]
    service.batch_write_items(orders)
    condition = Key("pk").eq("cust#1")
    assert service.query(condition, model=Order) == orders
    assert list(service.iter_query(condition, model=Order)) == orders
    first = service.query_page(condition, page_size=4, model=Order)
    rest = service.query_page(
        condition, page_size=4, next_token=first.next_token, model=Order
    )
    assert first.items + rest.items == orders
    assert sorted(service.scan(model=Order, total_segments=3), key=_sk) == orders
    halves = [
        list(service.iter_scan(model=Order, segment=i, total_segments=2))
        for i in range(2)
    ]
    assert sorted(halves[0] + halves[1], key=_sk) == orders
    assert service.scan_page(page_size=6, model=Order).items != []
    assert sorted(service.batch_get_items(orders, model=Order), key=_sk) == orders
    if server_features.transactions:
        got = service.transact_get_items([orders[0], order(99)], model=Order)
        assert got == [orders[0], None]


def test_writes_take_and_return_models(service: DynamoDBService, table: str) -> None:
    first, second = order(1), order(1, total=Decimal("2.5"))
    service.put_item(first)
    assert service.put_item(second, return_values="ALL_OLD", model=Order) == first
    changed = service.update_attributes(
        second, set={"total": Decimal("3")}, model=Order
    )
    assert changed == order(1, total=Decimal("3"))
    assert service.delete_item(second, return_values="ALL_OLD", model=Order) == changed
    assert service.get_item(second) is None


def test_transaction_put_and_batch_delete_take_models(
    service: DynamoDBService, table: str, server_features: ServerFeatures
) -> None:
    if server_features.transactions:
        service.transact_write_items([{"Put": {"Item": order(1)}}])
        assert service.get_item(order(1), model=Order) == order(1)
    service.batch_write_items([order(2), order(3)])
    service.batch_delete_items([order(1), order(2), order(3)])
    assert service.count() == 0


def test_a_row_that_does_not_fit_stops_the_stream_at_that_row(
    service: DynamoDBService, table: str
) -> None:
    bad_row = {"pk": "cust#1", "sk": 2, "total": "not a number"}
    rows_to_write: list[dict[str, Any] | BaseModel] = [order(1), bad_row, order(3)]
    service.batch_write_items(rows_to_write)
    rows = service.iter_query(Key("pk").eq("cust#1"), model=Order)
    assert next(rows) == order(1)
    with pytest.raises(ValueError, match=r"item \{'pk': 'cust#1', 'sk': 2\}") as bad:
        next(rows)
    assert table in str(bad.value) and "total: Input should be a valid decimal" in str(
        bad.value
    )
    assert "not a number" not in str(bad.value)
    assert isinstance(bad.value.__cause__, ValidationError)


def _sk(item: Order) -> int:
    return item.sk
