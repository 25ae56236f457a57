"""mypy --strict sees the types of model= reads: Order in, Order out."""

import textwrap
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]

CLIENT_CODE = textwrap.dedent("""
    import logging
    from datetime import datetime
    from decimal import Decimal

    from boto3.dynamodb.conditions import Key
    from pydantic import BaseModel

    from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService


    class Order(BaseModel):
        pk: str
        sk: int
        total: Decimal
        placed_at: datetime


    config = DynamoDBConfig(region_name="us-east-1")
    service = DynamoDBService(logging.getLogger(), config)
    orders: list[Order] = service.query(Key("pk").eq("a"), model=Order)
    reveal_type(service.query(Key("pk").eq("a"), model=Order))
    reveal_type(service.query(Key("pk").eq("a")))
    reveal_type(service.get_item({"pk": "a", "sk": 1}, model=Order))
    reveal_type(service.get_item(orders[0]))
    reveal_type(service.scan_page(model=Order))
    reveal_type(next(service.iter_scan(model=Order)))
    reveal_type(service.batch_get_items(orders, model=Order))
    reveal_type(service.transact_get_items(orders, model=Order))
    changed = service.update_attributes(orders[0], set={"n": 1}, model=Order)
    reveal_type(changed)
    reveal_type(service.update_item({"pk": "a", "sk": 1}, "SET n = :n", {":n": 1}))
    service.batch_write_items(orders)
    orders[0].totl


    async def on_the_loop() -> None:
        async with AsyncDynamoDBService(logging.getLogger(), config) as aservice:
            reveal_type(await aservice.query(Key("pk").eq("a"), model=Order))
            reveal_type(await aservice.query(Key("pk").eq("a")))
            reveal_type(await aservice.get_item({"pk": "a", "sk": 1}, model=Order))
            reveal_type(await aservice.get_item({"pk": "a", "sk": 1}))
            reveal_type(aservice.iter_query(Key("pk").eq("a"), model=Order))
            reveal_type(aservice.iter_query(Key("pk").eq("a")))
            async for order in aservice.iter_query(Key("pk").eq("a"), model=Order):
                reveal_type(order)
    """)


# Ordinary application code: items and keys as TypedDicts or Mappings,
# update actions as plain dicts and lists, batches as tuples.
ORDINARY_CODE = textwrap.dedent("""
    import logging
    from collections.abc import Mapping
    from typing import Any, TypedDict

    from services.dynamodb import DynamoDBConfig, DynamoDBService


    class OrderItem(TypedDict):
        pk: str
        sk: int
        state: str


    def store(
        service: DynamoDBService, order: OrderItem, key: Mapping[str, Any]
    ) -> None:
        service.put_item(order)
        service.batch_write_items([order, order])
        service.batch_write_items((order,))
        service.get_item(key)
        service.delete_item(key)
        service.batch_get_items([key])
        service.batch_delete_items((key,))
        service.transact_get_items([key])
        values: Mapping[str, Any] = {":s": "paid"}
        names: Mapping[str, str] = {"#s": "state"}
        service.update_item(
            key, "SET #s = :s", values, expression_attribute_names=names
        )
        setting: dict[str, Any] = {"state": "paid"}
        removing: list[str] = ["note"]
        service.update_attributes(key, set=setting, remove=removing)
        service.update_attributes(key, set={("tags", 0): "x"}, add={"n": 1})
        service.update_attributes(key, set={"a": 1, ("tags", 0): "x"})
        actions: list[Mapping[str, Any]] = [{"Put": {"Item": order}}]
        service.transact_write_items(actions)
        service.query("pk = :p", values)
        service.scan(
            expression_attribute_values=values, expression_attribute_names=names
        )


    store(
        DynamoDBService(logging.getLogger(), DynamoDBConfig(region_name="us-east-1")),
        OrderItem(pk="a", sk=1, state="placed"),
        {"pk": "a", "sk": 1},
    )
    """)


def mypy_strict(code: str, folder: Path) -> list[str]:
    """mypy --strict's notes and errors about ``code``, without file names."""
    client = folder / "client.py"
    client.write_text(code)
    stdout, stderr, _ = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(client),
        ]
    )
    assert not stderr
    # Older mypy releases spell builtins in full: "builtins.list[...]".
    return [
        line.split(": ", 1)[1].replace("builtins" + ".", "")
        for line in stdout.splitlines()
    ]


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return mypy_strict(CLIENT_CODE, tmp_path_factory.mktemp("typing"))


def test_ordinary_application_code_is_accepted(tmp_path: Path) -> None:
    assert mypy_strict(ORDINARY_CODE, tmp_path) == []


@pytest.mark.parametrize(
    "revealed",
    [
        'Revealed type is "list[client.Order]"',
        'Revealed type is "list[dict[str, Any]]"',
        'Revealed type is "client.Order | None"',
        'Revealed type is "dict[str, Any] | None"',
        'Revealed type is "services.dynamodb.dynamodb_models.Page[client.Order]"',
        'Revealed type is "client.Order"',
        'Revealed type is "list[client.Order | None]"',
        'Revealed type is "dict[str, Any]"',
        'Revealed type is "typing.AsyncIterator[client.Order]"',
        'Revealed type is "typing.AsyncIterator[dict[str, Any]]"',
    ],
)
def test_reads_are_typed_by_their_model(mypy_report: list[str], revealed: str) -> None:
    assert "note: " + revealed in mypy_report


def test_a_wrong_attribute_of_a_returned_model_is_a_type_error(
    mypy_report: list[str],
) -> None:
    errors = [line for line in mypy_report if line.startswith("error:")]
    assert errors == [
        'error: "Order" has no attribute "totl"; maybe "total"?  [attr-defined]'
    ]


def test_every_read_of_both_services_is_typed_in_order(
    mypy_report: list[str],
) -> None:
    notes = [line[len("note: ") :] for line in mypy_report if line.startswith("note:")]
    blocking = [
        "list[client.Order]",
        "list[dict[str, Any]]",
        "client.Order | None",
        "dict[str, Any] | None",
        "services.dynamodb.dynamodb_models.Page[client.Order]",
        "client.Order",
        "list[client.Order]",
        "list[client.Order | None]",
        "client.Order",
        "dict[str, Any]",
    ]
    awaited = [
        "list[client.Order]",
        "list[dict[str, Any]]",
        "client.Order | None",
        "dict[str, Any] | None",
        "typing.AsyncIterator[client.Order]",
        "typing.AsyncIterator[dict[str, Any]]",
        "client.Order",
    ]
    expected = [f'Revealed type is "{name}"' for name in blocking + awaited]
    assert notes == expected
