"""Reading a table's description: ``DescribeTable``, with
``DescribeTimeToLive`` and ``DescribeContinuousBackups`` where the server
has them."""

from typing import Any

from botocore.exceptions import ClientError

from ..codec.descriptions import TableDescription, table_description
from .core import error_code
from .public import operation
from .steps import Call, Steps
from .tables import TableOperations

UNKNOWN_OPERATION = "UnknownOperationException"


class TableDescriptions(TableOperations):
    """Describe a table."""

    @operation
    def describe_table(self, table_name: str | None = None) -> Steps[TableDescription]:
        """Describe a table: key, indexes and their status, billing, item
        count, size, time to live, and its settings (deletion protection,
        table class, stream, on-demand maximum, warm throughput,
        point-in-time recovery window, vector indexes).

        Example:
            >>> table = service.describe_table()
            >>> table.status, table.key.hash_key, table.key.range_key
            ('ACTIVE', 'pk', 'sk')
            >>> table.deletion_protection, table.point_in_time_recovery_days
            (False, None)

        Args:
            table_name: The table; defaults to the configured table.

        Returns:
            The description (``raw`` holds botocore's whole answer).

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``ResourceNotFoundException`` for an unknown table.
        """
        table = self._resolve_table(table_name)
        self.log.debug("Describing table %s", table)
        with self._failure_logged("describe_table", table):
            described = yield from self._described(table)
        self.log.info(
            "Described table %s: %s, %d items",
            table,
            described.status,
            described.item_count,
        )
        return described

    def _described(self, table: str) -> Steps[TableDescription]:
        answer = yield Call("DescribeTable", {"TableName": table}, table_operation=True)
        self._remember_described(table, answer)
        ttl = yield from self._optional("DescribeTimeToLive", table)
        backups = yield from self._optional("DescribeContinuousBackups", table)
        return table_description(
            answer["Table"],
            ttl.get("TimeToLiveDescription"),
            backups.get("ContinuousBackupsDescription"),
        )

    def _optional(self, operation_name: str, table: str) -> Steps[dict[str, Any]]:
        """A describing call some servers do not have (dynalite): their
        ``UnknownOperationException`` reads as an empty answer."""
        try:
            answer = yield Call(
                operation_name, {"TableName": table}, table_operation=True
            )
        except ClientError as error:
            if error_code(error) != UNKNOWN_OPERATION:
                raise
            return {}
        return dict(answer)
