"""Typed items: pydantic models in and out of every operation, on moto."""

import logging
import traceback
from decimal import Decimal
from typing import Annotated, Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from services.dynamodb import BatchIncompleteError, DynamoDBService, KeepNone
from services.dynamodb.testing import TableSpec, mock_dynamodb_service
from tests.typed_models import FIELD_VALUES, Address, Everything, Order, order

from .conftest import TABLE
from .faults import UnprocessedInjector, inject_unprocessed_keys


def test_every_field_type_round_trips(service: DynamoDBService, table: str) -> None:
    stored = Everything(pk="a", sk=1)
    service.put_item(stored)
    assert service.get_item({"pk": "a", "sk": 1}, model=Everything) == stored


@pytest.mark.parametrize("field", sorted(FIELD_VALUES))
def test_each_field_type_is_stored_as_documented_and_read_back(
    service: DynamoDBService, table: str, field: str
) -> None:
    value, (attribute, stored_as) = FIELD_VALUES[field]
    written = Everything.model_validate({"pk": "a", "sk": 1, field: value})
    service.put_item(written)
    raw = service.get_item({"pk": "a", "sk": 1})
    assert raw is not None and raw[attribute] == stored_as
    assert service.get_item({"pk": "a", "sk": 1}, model=Everything) == written


def test_none_is_left_out_unless_kept_and_empty_sets_are_left_out(
    service: DynamoDBService, table: str
) -> None:
    service.put_item(Everything(pk="a", sk=1))
    raw = service.get_item({"pk": "a", "sk": 1})
    assert raw is not None
    assert "note" not in raw and "no_tags" not in raw
    assert raw["kept"] is None
    assert raw["address"] == {"city": "Berlin"}
    assert raw["displayName"] == "D" and "display" not in raw


def test_key_is_taken_from_a_model_instance(
    service: DynamoDBService, table: str
) -> None:
    first = order(1)
    service.put_item(first)
    assert service.get_item(first, model=Order) == first
    changed = service.update_attributes(first, set={"total": Decimal("5")})
    assert changed["total"] == Decimal("5")
    service.delete_item(first)
    assert service.get_item(first) is None


def test_reads_return_models(service: DynamoDBService, table: str) -> None:
    orders = [order(sk) for sk in range(5)]
    service.batch_write_items(orders)
    condition = Key("pk").eq("cust#1")
    assert service.query(condition, model=Order) == orders
    assert list(service.iter_query(condition, model=Order)) == orders
    assert sorted(service.scan(model=Order), key=lambda o: o.sk) == orders
    assert sorted(service.iter_scan(model=Order), key=lambda o: o.sk) == orders
    page = service.query_page(condition, page_size=2, model=Order)
    assert page.items == orders[:2] and page.next_token is not None
    scanned = service.scan_page(page_size=5, model=Order)
    assert all(isinstance(item, Order) for item in scanned.items)
    got = service.batch_get_items(orders[:3], model=Order)
    assert sorted(got, key=lambda o: o.sk) == orders[:3]
    missing = order(99)
    assert service.transact_get_items([orders[4], missing], model=Order) == [
        orders[4],
        None,
    ]


def test_writes_return_models(service: DynamoDBService, table: str) -> None:
    first, second = order(1), order(1, total=Decimal("2"))
    assert service.put_item(first, return_values="ALL_OLD", model=Order) is None
    old = service.put_item(second, return_values="ALL_OLD", model=Order)
    assert old == first
    new = service.update_item(
        second,
        "SET #t = :t",
        {":t": Decimal("3")},
        expression_attribute_names={"#t": "total"},
        model=Order,
    )
    assert new == order(1, total=Decimal("3"))
    deleted = service.delete_item(second, return_values="ALL_OLD", model=Order)
    assert deleted == new


def test_transaction_put_and_batch_delete_take_models(
    service: DynamoDBService, table: str
) -> None:
    service.transact_write_items(
        [{"Put": {"Item": order(1)}}, {"Put": {"Item": order(2)}}]
    )
    assert service.count() == 2
    service.batch_delete_items([order(1), order(2)])
    assert service.count() == 0


def test_without_model_nothing_changes(service: DynamoDBService, table: str) -> None:
    service.put_item(order(1))
    item = service.get_item({"pk": "cust#1", "sk": 1})
    assert item == {
        "pk": "cust#1",
        "sk": Decimal("1"),
        "total": Decimal("19.99"),
        "placed_at": "2026-11-29T08:00:00+00:00",
        "tags": {"gift"},
    }


def test_a_row_that_does_not_fit_names_table_key_and_field(
    service: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the traceback is logged at DEBUG
    service.put_item(order(1))
    service.put_item({"pk": "cust#1", "sk": 2, "total": "secret-text"})
    service.put_item(order(3))
    rows = service.iter_query(Key("pk").eq("cust#1"), model=Order)
    assert next(rows) == order(1)
    with pytest.raises(ValueError) as raised:
        next(rows)
    message = str(raised.value)
    assert "{'pk': 'cust#1', 'sk': 2}" in message and TABLE in message
    assert "total: Input should be a valid decimal" in message
    assert "placed_at: Field required" in message
    assert "secret-text" not in message
    assert isinstance(raised.value.__cause__, ValidationError)
    assert "total" in str(raised.value.__cause__)
    assert "secret-text" not in "".join(traceback.format_exception(raised.value))
    ours = [r for r in caplog.records if r.name == service.log.name]
    logged = "".join(caplog.handler.format(record) for record in ours)
    assert "failure in full" in logged and "secret-text" not in logged


def test_key_of_a_bad_row_is_named_when_the_schema_was_not_known(
    logger: logging.Logger, config: Any, table: str
) -> None:
    DynamoDBService(logger, config).put_item({"pk": "x", "sk": 1})
    fresh = DynamoDBService(logger, config)
    with pytest.raises(ValueError, match=r"item \{'pk': 'x', 'sk': 1\} of table"):
        fresh.scan(model=Order)


@pytest.mark.parametrize("model", [dict, "Order", Address(city="x"), int])
def test_a_model_that_is_not_a_pydantic_class_is_refused_before_sending(
    service: DynamoDBService, table: str, model: Any
) -> None:
    with pytest.raises(TypeError, match="model must be a pydantic BaseModel"):
        service.query(Key("pk").eq("a"), model=model)
    with pytest.raises(TypeError, match="model must be a pydantic BaseModel"):
        service.put_item({"pk": "a", "sk": 1}, model=model)
    assert service.count() == 0


def test_partial_return_values_with_a_model_are_refused(
    service: DynamoDBService, table: str
) -> None:
    with pytest.raises(ValueError, match="model= needs a whole item"):
        service.update_item(
            order(1), "SET n = :n", {":n": 1}, return_values="UPDATED_NEW", model=Order
        )
    assert service.count() == 0


def test_a_bad_model_in_a_batch_writes_nothing(
    service: DynamoDBService, table: str
) -> None:
    class Loose(BaseModel):
        pk: str
        sk: int
        value: Any = None

    batch = [Loose(pk="a", sk=i) for i in range(5)]
    batch[3] = Loose(pk="a", sk=3, value=object())
    with pytest.raises(ValueError, match=r"items\[3\]\.value"):
        service.batch_write_items(batch)
    assert service.count() == 0


def test_unconfirmed_models_are_reported_as_passed_with_the_models_read(
    service: DynamoDBService, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    orders = [order(sk) for sk in range(5)]
    service.batch_write_items(orders)
    stuck = [{"pk": "cust#1", "sk": 3}]
    inject_unprocessed_keys(service._client, UnprocessedInjector(0.0, stuck=stuck))
    with pytest.raises(BatchIncompleteError) as raised:
        service.batch_get_items(orders, model=Order)
    assert raised.value.unprocessed == [orders[3]]
    assert sorted(raised.value.items, key=lambda o: o.sk) == orders[:3] + orders[4:]


def test_testing_kit_seeds_models() -> None:
    seeded = TableSpec("orders", "pk", "sk:N", items=[order(1), {"pk": "b", "sk": 2}])
    with mock_dynamodb_service(seeded) as service:
        assert service.get_item(order(1), model=Order) == order(1)
        assert service.count() == 2


def test_a_filter_still_applies(service: DynamoDBService, table: str) -> None:
    service.batch_write_items([order(1), order(2, total=Decimal("50"))])
    big = service.scan(Attr("total").gt(20), model=Order)
    assert [o.sk for o in big] == [2]


finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
    lambda x: x == 0 or 1e-120 < abs(x) < 1e120
)
decimals = st.decimals(
    allow_nan=False,
    allow_infinity=False,
    places=6,
    min_value=-(10**20),
    max_value=10**20,
)


class Sample(BaseModel):
    pk: str
    sk: int
    ratio: float
    total: Decimal
    words: set[str]
    nested: list[Address]


@given(
    ratio=finite_floats,
    total=decimals,
    words=st.sets(st.text(min_size=1, max_size=5), max_size=4),
    cities=st.lists(st.text(max_size=5), max_size=3),
)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_random_models_round_trip(
    service: DynamoDBService,
    table: str,
    ratio: float,
    total: Decimal,
    words: set[str],
    cities: list[str],
) -> None:
    sample = Sample(
        pk="p",
        sk=1,
        ratio=ratio,
        total=total,
        words=words,
        nested=[Address(city=city) for city in cities],
    )
    service.put_item(sample)
    assert service.get_item(sample, model=Sample) == sample


class Node(BaseModel):
    """A model that contains itself."""

    name: str
    label: Annotated[str | None, KeepNone] = None
    children: list["Node"] = []
    by_name: dict[str, "Node"] = {}


class Tree(BaseModel):
    pk: str
    sk: int
    root: Node
    blob: bytes = b""


class Forest(BaseModel):
    """Self-referencing models and no bytes anywhere."""

    pk: str
    sk: int
    root: Node


def test_nested_and_recursive_models_keep_their_kept_nones(
    service: DynamoDBService, table: str
) -> None:
    leaf = Node(name="leaf")
    tree = Tree(
        pk="t",
        sk=1,
        root=Node(name="root", children=[leaf], by_name={"leaf": leaf}),
        blob=b"\x01",
    )
    service.put_item(tree)
    raw = service.get_item(tree)
    assert raw is not None
    assert raw["root"]["label"] is None
    assert raw["root"]["children"][0]["label"] is None
    assert raw["root"]["by_name"]["leaf"]["label"] is None
    assert service.get_item(tree, model=Tree) == tree
    forest = Forest(pk="f", sk=1, root=Node(name="a", children=[Node(name="b")]))
    service.put_item(forest)
    assert service.get_item(forest, model=Forest) == forest
    assert repr(KeepNone) == "KeepNone"


def test_a_bad_row_stops_the_stream_after_the_rows_before_it(
    logger: logging.Logger, config: Any, service: DynamoDBService, table: str
) -> None:
    service.put_item(order(1))
    service.put_item({"pk": "cust#1", "sk": 2})
    service.put_item(order(3))
    rows = DynamoDBService(logger, config).iter_query(
        Key("pk").eq("cust#1"), model=Order
    )
    assert next(rows) == order(1)
    with pytest.raises(ValueError, match=r"item \{'pk': 'cust#1', 'sk': 2\} of table"):
        next(rows)


def test_key_of_a_bad_row_is_unknown_when_the_table_is_gone(
    logger: logging.Logger, config: Any
) -> None:
    service = DynamoDBService(logger, config)
    name_key = service._key_text("no-such-table")
    assert name_key({"pk": "cust#1", "sk": 2}) == "(key unknown)"


class Blobs(BaseModel):
    """Bytes only inside other types, and no ``Any`` field."""

    pk: str
    sk: int
    maybe: bytes | None = None
    blobs: set[bytes] = set()
    nested: list[dict[str, bytes]] = []


def test_bytes_inside_other_types_round_trip(
    service: DynamoDBService, table: str
) -> None:
    stored = Blobs(pk="b", sk=1, maybe=b"\x00", blobs={b"x"}, nested=[{"k": b"y"}])
    service.put_item(stored)
    assert service.get_item(stored, model=Blobs) == stored
