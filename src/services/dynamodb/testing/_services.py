"""Services on moto: one per block, or one per configuration for a session."""

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from ..dynamodb_async_service import AsyncDynamoDBService
from ..dynamodb_models import DynamoDBConfig
from ..dynamodb_service import DynamoDBService
from ._tables import TableSpec

TEST_REGION = "us-east-1"
TEST_CREDENTIAL = "testing"
LOGGER_NAME = "services.dynamodb.testing"
ERROR_NO_MOTO = (
    "services.dynamodb.testing needs moto, which the 'testing' extra "
    "installs: pip install 'services-dynamodb[testing]'"
)

try:
    from moto import mock_aws
except ModuleNotFoundError as missing:
    if missing.name != "moto":
        raise
    raise ModuleNotFoundError(ERROR_NO_MOTO, name="moto") from missing


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
        The ready service; the tables it created are deleted after the
        block, so that the block can be used again inside a test's own
        ``mock_aws``.
    """
    with mock_aws():
        service = DynamoDBService(
            logger or logging.getLogger(LOGGER_NAME), kit_config(tables, config)
        )
        with _block_tables(service, tables):
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


class SharedServices:
    """Services on moto built once per configuration, with new tables for
    every block that uses one.

    Building a service costs most of a test fixture's time (about 80 ms of
    CPU: botocore's client); a fresh moto with a few tables, a few ms. So a
    session keeps one service per configuration, and each :meth:`fresh`
    block starts an empty moto and creates its tables again: every test sees
    only its own tables and items, as with :func:`mock_dynamodb_service`.
    The ``dynamodb_service`` fixture runs on one of these for the session.

    Example:
        >>> shared = SharedServices()
        >>> with shared.fresh(orders) as service:
        ...     service.put_item({"pk": "a", "sk": 1})
        >>> with shared.fresh(orders) as service:  # the same service, empty
        ...     assert service.get_item({"pk": "a", "sk": 1}) is None
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        """Args:
        logger: The services' logger; ``services.dynamodb.testing`` by default.
        """
        self._logger = logger or logging.getLogger(LOGGER_NAME)
        self._services: dict[DynamoDBConfig, DynamoDBService] = {}

    @contextmanager
    def fresh(self, *tables: TableSpec, **config: Any) -> Iterator[DynamoDBService]:
        """Yield the service of this configuration on an empty moto, with
        ``tables`` created and seeded (the first is the default table).

        Args:
            *tables: The tables to create.
            **config: More :class:`DynamoDBConfig` fields.

        Yields:
            The ready service; its tables, and what it stored in them, are
            gone after the block.
        """
        settings = kit_config(tables, config)
        with mock_aws():
            service = self._services.get(settings)
            if service is None:
                service = DynamoDBService(self._logger, settings)
                self._services[settings] = service
            with _block_tables(service, tables):
                yield service


@contextmanager
def _block_tables(
    service: DynamoDBService, tables: Sequence[TableSpec]
) -> Iterator[None]:
    """Create and seed a block's tables; on exit, delete those it created
    (a table that already existed is left as it was)."""
    created: list[TableSpec] = []
    try:
        for table in tables:
            table.create(service)
            created.append(table)
        yield
    finally:
        _drop(service, created)


def _drop(service: DynamoDBService, tables: Sequence[TableSpec]) -> None:
    """Delete a block's tables: inside a mock that was already running (a
    test's own ``mock_aws``), the next block's moto would not be empty.
    Deletion protection (of the spec, or turned on in the block) is turned
    off first."""
    client = service.botocore_client()
    for table in tables:
        try:
            described = client.describe_table(TableName=table.name)["Table"]
        except client.exceptions.ResourceNotFoundException:
            continue  # the block deleted it
        if described.get("DeletionProtectionEnabled") is True:
            service.update_table(table.name, deletion_protection=False)
        service.delete_table(table.name)


def kit_config(tables: Sequence[TableSpec], config: dict[str, Any]) -> DynamoDBConfig:
    """The configuration of a test service: moto's region, dummy credentials,
    the first table as the default one, and the caller's fields.

    Args:
        tables: The tables the service will have.
        config: More :class:`DynamoDBConfig` fields.

    Returns:
        The configuration.
    """
    settings: dict[str, Any] = {
        "region_name": TEST_REGION,
        "aws_access_key_id": TEST_CREDENTIAL,
        "aws_secret_access_key": TEST_CREDENTIAL,
    }
    if tables:
        settings["default_table_name"] = tables[0].name
    return DynamoDBConfig(**{**settings, **config})
