"""The testing kit: declared tables on moto, as a context manager and fixtures."""

import asyncio

import pytest

from services.dynamodb import AsyncDynamoDBService, DynamoDBService
from services.dynamodb.testing import (
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
