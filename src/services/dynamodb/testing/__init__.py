"""A ready :class:`DynamoDBService` on moto, for your own unit tests.

Needs the ``testing`` extra (``pip install services-dynamodb[testing]``),
which brings moto. Declare tables in a line each, optionally with items:

Example:
    >>> from services.dynamodb.testing import TableSpec, mock_dynamodb_service
    >>> orders = TableSpec("orders", "pk", "sk:N", items=[{"pk": "a", "sk": 1}])
    >>> with mock_dynamodb_service(orders) as service:
    ...     assert service.get_item({"pk": "a", "sk": 1}) is not None

:func:`mock_async_dynamodb_service` is the same for
:class:`AsyncDynamoDBService` (``async with``).

The pytest plugin (``services_dynamodb_pytest_plugin``, installed with the
package) offers the same as fixtures:
override ``dynamodb_tables`` to declare your tables and take
``dynamodb_service``, or ``async_dynamodb_service`` in async tests (with
pytest-asyncio installed).
"""

import logging
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from moto import mock_aws
from pydantic import BaseModel

from ..dynamodb_async_service import AsyncDynamoDBService
from ..dynamodb_models import DynamoDBConfig
from ..dynamodb_service import DynamoDBService

KEY_TYPES = ("S", "N", "B")
TEST_REGION = "us-east-1"
TEST_CREDENTIAL = "testing"

ERROR_KEY_SPEC = "a key is 'name' or 'name:TYPE' with TYPE one of S, N, B; got %r"

__all__ = ["TableSpec", "mock_async_dynamodb_service", "mock_dynamodb_service"]


@dataclass(frozen=True)
class TableSpec:
    """A table to create on moto.

    Attributes:
        name: The table's name.
        hash_key: The partition key, ``"pk"`` (a string) or ``"pk:N"``.
        range_key: The sort key in the same form, or None.
        items: Items to store once the table exists, as ``put_item`` takes
            them: dicts or pydantic model instances.
    """

    name: str
    hash_key: str
    range_key: str | None = None
    items: Sequence[Mapping[str, Any] | BaseModel] = field(default_factory=tuple)

    def create(self, service: DynamoDBService) -> None:
        """Create the table and store its items.

        Args:
            service: The service to create it with.

        Raises:
            ValueError: If a key is not ``name`` or ``name:TYPE``.
        """
        keys = [(self.hash_key, "HASH")]
        if self.range_key is not None:
            keys.append((self.range_key, "RANGE"))
        parsed = [(*_parse_key(spec), role) for spec, role in keys]
        service.create_table(
            self.name,
            [{"AttributeName": name, "KeyType": role} for name, _, role in parsed],
            [
                {"AttributeName": name, "AttributeType": kind}
                for name, kind, _ in parsed
            ],
        )
        if self.items:
            service.batch_write_items([_item(item) for item in self.items], self.name)


@contextmanager
def mock_dynamodb_service(
    *tables: TableSpec,
    logger: logging.Logger | None = None,
    **config: Any,
) -> Iterator[DynamoDBService]:
    """Yield a service on moto, with ``tables`` created and seeded.

    The first table is the service's default table. Nothing leaves the
    process: moto answers every request.

    Args:
        *tables: The tables to create.
        logger: The service's logger; ``services.dynamodb.testing`` by default.
        **config: More :class:`DynamoDBConfig` fields (region and dummy
            credentials are set for you).

    Yields:
        The ready service.
    """
    with mock_aws():
        service = DynamoDBService(
            logger or logging.getLogger(__name__), _settings(tables, config)
        )
        for table in tables:
            table.create(service)
        yield service


@asynccontextmanager
async def mock_async_dynamodb_service(
    *tables: TableSpec,
    logger: logging.Logger | None = None,
    **config: Any,
) -> AsyncIterator[AsyncDynamoDBService]:
    """Yield an :class:`AsyncDynamoDBService` on moto, with ``tables``
    created and seeded; its connection pool is closed on exit.

    The same as :func:`mock_dynamodb_service`, for async code: moto answers
    the async service's requests in-process too.

    Example:
        >>> async with mock_async_dynamodb_service(orders) as service:
        ...     assert await service.get_item({"pk": "a", "sk": 1}) is not None

    Args:
        *tables: The tables to create.
        logger: The service's logger; ``services.dynamodb.testing`` by default.
        **config: More :class:`DynamoDBConfig` fields.

    Yields:
        The ready service.
    """
    with mock_dynamodb_service(*tables, logger=logger, **config) as seeded:
        async with AsyncDynamoDBService(seeded.log, seeded.config) as service:
            yield service


def _settings(tables: Sequence[TableSpec], config: dict[str, Any]) -> DynamoDBConfig:
    """The configuration of a test service: moto's region, dummy credentials,
    the first table as the default one, and the caller's fields."""
    settings: dict[str, Any] = {
        "region_name": TEST_REGION,
        "aws_access_key_id": TEST_CREDENTIAL,
        "aws_secret_access_key": TEST_CREDENTIAL,
    }
    if tables:
        settings["default_table_name"] = tables[0].name
    return DynamoDBConfig(**{**settings, **config})


def _parse_key(spec: str) -> tuple[str, str]:
    name, _, kind = spec.partition(":")
    kind = kind or "S"
    if not name or kind not in KEY_TYPES:
        raise ValueError(ERROR_KEY_SPEC % spec)
    return name, kind


def _item(item: Mapping[str, Any] | BaseModel) -> dict[str, Any] | BaseModel:
    return item if isinstance(item, BaseModel) else dict(item)
