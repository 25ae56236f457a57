"""The testing kit: declared tables on moto, as a context manager and fixtures."""

import asyncio
import logging
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from services.dynamodb import AsyncDynamoDBService, DynamoDBService
from services.dynamodb.testing import (
    IndexSpec,
    SharedServices,
    TableSpec,
    mock_async_dynamodb_service,
    mock_dynamodb_service,
)


def test_context_manager_creates_and_seeds_tables() -> None:
    orders = TableSpec("orders", "pk", "sk:N", items=[{"pk": "a", "sk": 1}])
    users = TableSpec("users", "id:B")
    with mock_dynamodb_service(orders, users, numbers_as="native") as service:
        assert sorted(service.list_tables()) == ["orders", "users"]
        assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}
        service.put_item({"id": b"\x01"}, "users")
        assert service.config.default_table_name == "orders"


@pytest.mark.parametrize("spec", ["", "pk:X", ":S"])
def test_bad_key_declaration_is_refused(spec: str) -> None:
    with mock_dynamodb_service() as service:
        with pytest.raises(ValueError, match="a key is 'name' or 'name:TYPE'"):
            TableSpec("orders", spec).create(service)


@pytest.fixture
def dynamodb_tables() -> list[TableSpec]:
    return [TableSpec("events", "pk", "at:N", items=[{"pk": "x", "at": 5}])]


def test_fixtures_give_a_service_with_the_declared_tables(
    dynamodb_service: DynamoDBService,
) -> None:
    assert dynamodb_service.list_tables() == ["events"]
    assert dynamodb_service.count() == 1


def test_async_context_manager_creates_and_seeds_tables() -> None:
    orders = TableSpec("orders", "pk", "sk:N", items=[{"pk": "a", "sk": 1}])

    async def run() -> tuple[object, list[str]]:
        async with mock_async_dynamodb_service(orders) as service:
            return await service.get_item({"pk": "a", "sk": 1}), (
                await service.list_tables()
            )

    found, tables = asyncio.run(run())
    assert found == {"pk": "a", "sk": 1}
    assert tables == ["orders"]


@pytest.mark.asyncio
async def test_async_fixture_gives_a_service_with_the_declared_tables(
    async_dynamodb_service: AsyncDynamoDBService,
) -> None:
    assert isinstance(async_dynamodb_service, AsyncDynamoDBService)
    assert await async_dynamodb_service.list_tables() == ["events"]
    assert await async_dynamodb_service.get_item({"pk": "x", "at": 5}) is not None


ORDERS_WITH_INDEXES = TableSpec(
    "orders",
    "pk",
    "sk:N",
    items=[
        {"pk": "a", "sk": 1, "state": "paid", "total": 5, "note": "n"},
        {"pk": "a", "sk": 2, "state": "open", "total": 9, "note": "m"},
    ],
    global_indexes=[IndexSpec("by_state", "state", "sk:N")],
    local_indexes=[IndexSpec("by_total", "pk", "total:N", projection=["state"])],
)


def test_tables_are_created_with_global_and_local_indexes() -> None:
    with mock_dynamodb_service(ORDERS_WITH_INDEXES) as service:
        paid = service.query(
            "#s = :s",
            {":s": "paid"},
            index_name="by_state",
            expression_attribute_names={"#s": "state"},
        )
        big = service.query(
            "pk = :p AND #t > :t",
            {":p": "a", ":t": 6},
            index_name="by_total",
            expression_attribute_names={"#t": "total"},
        )
        table = service._connection.client.describe_table(TableName="orders")["Table"]

    assert [item["sk"] for item in paid] == [1]
    assert [(item["sk"], item["state"]) for item in big] == [(2, "open")]
    assert "note" not in big[0]  # projected: keys and state only
    local = table["LocalSecondaryIndexes"][0]
    assert local["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["state"],
    }
    assert {
        d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]
    } == {
        "pk": "S",
        "sk": "N",
        "state": "S",
        "total": "N",
    }


BAD_INDEXES = {
    "two key types": TableSpec(
        "orders", "pk", "sk:N", global_indexes=[IndexSpec("g", "sk:S")]
    ),
    "local index on another partition key": TableSpec(
        "orders", "pk", "sk:N", local_indexes=[IndexSpec("l", "other", "total:N")]
    ),
    "local index without a sort key": TableSpec(
        "orders", "pk", "sk:N", local_indexes=[IndexSpec("l", "pk")]
    ),
    "unknown projection": TableSpec(
        "orders", "pk", global_indexes=[IndexSpec("g", "state", projection="SOME")]
    ),
    "empty projection": TableSpec(
        "orders", "pk", global_indexes=[IndexSpec("g", "state", projection=[])]
    ),
}


@pytest.mark.parametrize("spec", BAD_INDEXES.values(), ids=BAD_INDEXES.keys())
def test_a_malformed_index_is_refused_before_the_table_is_made(spec: TableSpec) -> None:
    with mock_dynamodb_service() as service:
        with pytest.raises(ValueError, match="index|key types"):
            spec.create(service)
        assert service.list_tables() == []


def test_shared_services_reuse_one_service_and_give_each_block_new_tables() -> None:
    shared = SharedServices()
    orders = TableSpec("orders", "pk", "sk:N", items=[{"pk": "a", "sk": 1}])

    with shared.fresh(orders) as first:
        first.put_item({"pk": "b", "sk": 2})
        assert first.count() == 2
    with shared.fresh(orders) as second:
        assert second is first
        assert second.count() == 1  # only the declared item
        assert second.get_item({"pk": "b", "sk": 2}) is None
    with shared.fresh(TableSpec("users", "id")) as other:
        assert other is not first  # another default table: another service
        assert other.list_tables() == ["users"]
    with shared.fresh(orders, numbers_as="native") as native:
        assert native is not first
        assert native.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}


def test_the_context_manager_can_be_used_twice_inside_one_mock_aws() -> None:
    orders = TableSpec("orders", "pk", items=[{"pk": "a"}])
    with mock_aws():
        with mock_dynamodb_service(orders) as first:
            first.put_item({"pk": "b"})
            assert first.count() == 2
        with mock_dynamodb_service(orders) as second:
            assert second.list_tables() == ["orders"]
            assert second.count() == 1  # only the declared item


def test_the_async_context_manager_can_be_used_twice_inside_one_mock_aws() -> None:
    orders = TableSpec("orders", "pk", items=[{"pk": "a"}])

    async def block(extra: str) -> int:
        async with mock_async_dynamodb_service(orders) as service:
            await service.put_item({"pk": extra})
            return await service.count()

    with mock_aws():
        assert asyncio.run(block("b")) == 2
        assert asyncio.run(block("c")) == 2  # a new table, not three items


def test_the_context_manager_leaves_tables_it_did_not_create() -> None:
    with mock_aws():
        with mock_dynamodb_service(TableSpec("users", "id")) as outer:
            with mock_dynamodb_service(TableSpec("orders", "pk")):
                pass
            with pytest.raises(ClientError, match="ResourceInUseException"):
                with mock_dynamodb_service(TableSpec("users", "id")):
                    pass
            assert outer.list_tables() == ["users"]


def test_a_table_whose_items_cannot_be_stored_is_not_left_behind() -> None:
    with mock_dynamodb_service() as service:
        spec = TableSpec("orders", "pk", items=[{"other": "a"}])
        with pytest.raises(ValueError, match="pk"):
            spec.create(service)
        assert service.list_tables() == []


def test_without_moto_the_kit_names_the_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['moto'] = None\n"
        "try:\n"
        "    import services.dynamodb.testing\n"
        "except ModuleNotFoundError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert "pip install 'services-dynamodb[testing]'" in done.stdout


def test_a_table_the_block_deleted_itself_is_no_error_on_exit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with mock_aws():
        with caplog.at_level(logging.INFO, logger="services.dynamodb.testing"):
            with mock_dynamodb_service(TableSpec("orders", "pk")) as service:
                service.delete_table("orders")
            with mock_dynamodb_service(TableSpec("orders", "pk")) as again:
                assert again.list_tables() == ["orders"]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
