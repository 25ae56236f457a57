"""pytest fixtures for code that uses :class:`DynamoDBService` (loaded by pytest
through the distribution's ``pytest11`` entry point).

It is a top-level module of its own, outside the ``services`` namespace, so
that an application whose own ``services`` is a regular package cannot hide
it (pytest loads every plugin before any test), and it imports the library
as ``services_dynamodb`` for the same reason. Loading it imports nothing
else: the library (and moto) are imported only when a fixture is used, and a
test run that measures coverage sees them imported.

Example (in your ``conftest.py``)::

    @pytest.fixture
    def dynamodb_tables() -> list[TableSpec]:
        return [TableSpec("orders", "pk", "sk:N")]

    def test_order_is_stored(dynamodb_service: DynamoDBService) -> None:
        ...

"""

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from services_dynamodb import AsyncDynamoDBService, DynamoDBService
    from services_dynamodb.testing import SharedServices, TableSpec

try:  # async fixtures need pytest-asyncio, the most used async test runner
    import pytest_asyncio
except ImportError:  # pragma: no cover - no async tests without it
    pytest_asyncio = None  # type: ignore[assignment]


@pytest.fixture
def dynamodb_tables() -> "list[TableSpec]":
    """The tables ``dynamodb_service`` creates; override it to declare yours.

    Returns:
        No tables.
    """
    return []


@pytest.fixture(scope="session")
def dynamodb_shared_services() -> "SharedServices":
    """The session's services on moto, one per configuration (see
    :class:`services_dynamodb.testing.SharedServices`).

    Returns:
        An empty set of shared services.
    """
    from services_dynamodb.testing import SharedServices

    return SharedServices()


@pytest.fixture
def dynamodb_service(
    dynamodb_tables: "list[TableSpec]", dynamodb_shared_services: "SharedServices"
) -> "Iterator[DynamoDBService]":
    """A service on moto with ``dynamodb_tables`` created and seeded.

    One service serves the whole session (building one is most of a
    fixture's cost); each test gets an empty moto and its tables new.

    Args:
        dynamodb_tables: The tables to create.
        dynamodb_shared_services: The session's services.

    Yields:
        The service; everything it stored is gone after the test.
    """
    with dynamodb_shared_services.fresh(*dynamodb_tables) as service:
        yield service


if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def async_dynamodb_service(
        dynamodb_tables: "list[TableSpec]",
    ) -> "AsyncIterator[AsyncDynamoDBService]":
        """An async service on moto with ``dynamodb_tables`` created and
        seeded, its pool closed after the test (needs pytest-asyncio).

        Args:
            dynamodb_tables: The tables to create.

        Yields:
            The service; everything it stored is gone after the test.
        """
        from services_dynamodb.testing import mock_async_dynamodb_service

        async with mock_async_dynamodb_service(*dynamodb_tables) as service:
            yield service
