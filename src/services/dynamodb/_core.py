"""State and helpers shared by every group of service operations."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .dynamodb_models import DynamoDBConfig
from ._values import from_dynamo

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import DynamoDBServiceResource, Table

ERROR_NO_TABLE = (
    "no table name given and no default configured: pass table_name=... to the "
    "call or set DynamoDBConfig(default_table_name=...)"
)


class ServiceCore:
    """What every operation group needs: logger, config, client, tables.

    The botocore client is shared by all threads (clients are thread-safe).
    boto3 resources are not, so each thread builds its own resource over the
    shared client, and its own ``Table`` objects, cached by table name.
    """

    log: logging.Logger
    config: DynamoDBConfig
    _resource: "DynamoDBServiceResource"
    _client: "DynamoDBClient"
    _per_thread: threading.local

    def _resolve_table(self, table_name: str | None) -> str:
        """Return ``table_name``, or the configured default when it is None.

        Args:
            table_name: The table a caller named, or None.

        Returns:
            The table name to use.

        Raises:
            ValueError: If no table is named and no default is configured.
        """
        if table_name is not None:
            return table_name
        if self.config.default_table_name is None:
            raise ValueError(ERROR_NO_TABLE)
        return self.config.default_table_name

    def _thread_resource(self) -> "DynamoDBServiceResource":
        """Return this thread's boto3 resource, built over the shared client."""
        resource: "DynamoDBServiceResource | None" = getattr(
            self._per_thread, "resource", None
        )
        if resource is None:
            resource_class: Any = type(self._resource)
            resource = self._per_thread.resource = resource_class(client=self._client)
            self._per_thread.tables = {}
        return resource

    def _table(self, table_name: str) -> "Table":
        """Return this thread's ``Table`` object for ``table_name``."""
        resource = self._thread_resource()
        tables: dict[str, "Table"] = self._per_thread.tables
        table = tables.get(table_name)
        if table is None:
            table = tables[table_name] = resource.Table(table_name)
        return table

    def _out(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.config.numbers_as == "decimal":
            return item
        converted: dict[str, Any] = from_dynamo(item, self.config.numbers_as)
        return converted

    @contextmanager
    def _failure_logged(self, operation: str, table_name: str) -> Iterator[None]:
        try:
            yield
        except Exception:
            self.log.exception("DynamoDB %s failed on table %s", operation, table_name)
            raise
