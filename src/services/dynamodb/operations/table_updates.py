"""Reading a table's description, and changing a table: billing mode,
provisioned capacity, a global secondary index added or deleted."""

from collections.abc import Mapping, Sequence
from typing import Any, get_args

from botocore.exceptions import ClientError

from .core import error_code
from ..codec.descriptions import BillingMode, TableDescription, table_description
from .steps import INDEXES_ACTIVE, Call, Steps
from .public import operation
from .tables import TableOperations

ERROR_NO_CHANGE = (
    "update_table needs a change: billing_mode, read_capacity_units, "
    "write_capacity_units, add_global_index or delete_global_index"
)
ERROR_BILLING_MODE = "billing_mode must be 'PROVISIONED' or 'PAY_PER_REQUEST', got %r"
ERROR_CAPACITY = "%s must be a positive integer, got %r"
ERROR_CAPACITY_ON_DEMAND = (
    "read_capacity_units and write_capacity_units apply to PROVISIONED tables; "
    "this change leaves the table PAY_PER_REQUEST"
)
ERROR_TWO_INDEX_CHANGES = (
    "DynamoDB takes one global secondary index change per update: add or delete"
)
ERROR_INDEX_SHAPE = (
    "add_global_index must be a dict with IndexName, KeySchema and Projection, "
    "as DynamoDB takes a global secondary index"
)
ERROR_INDEX_NAME = "delete_global_index must be an index name, got %r"
UNKNOWN_OPERATION = "UnknownOperationException"


class TableChanges(TableOperations):
    """Describe a table; change its billing, capacity and global indexes."""

    @operation
    def describe_table(self, table_name: str | None = None) -> Steps[TableDescription]:
        """Describe a table: key, indexes and their status, billing, item
        count, size and time to live.

        Example:
            >>> table = service.describe_table()
            >>> table.status, table.key.hash_key, table.key.range_key
            ('ACTIVE', 'pk', 'sk')

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

    @operation
    def update_table(
        self,
        table_name: str | None = None,
        *,
        billing_mode: BillingMode | None = None,
        read_capacity_units: int | None = None,
        write_capacity_units: int | None = None,
        add_global_index: Mapping[str, Any] | None = None,
        attribute_definitions: Sequence[Mapping[str, Any]] | None = None,
        delete_global_index: str | None = None,
    ) -> Steps[TableDescription]:
        """Change a table, then wait until it and its indexes are ACTIVE
        (within ``config.table_wait_timeout_seconds``, as ``create_table``).

        Example:
            >>> service.update_table(
            ...     add_global_index={
            ...         "IndexName": "by_state",
            ...         "KeySchema": [{"AttributeName": "state", "KeyType": "HASH"}],
            ...         "Projection": {"ProjectionType": "ALL"},
            ...     },
            ...     attribute_definitions=[
            ...         {"AttributeName": "state", "AttributeType": "S"}
            ...     ],
            ... ).global_indexes[0].name
            'by_state'

        Args:
            table_name: The table; defaults to the configured table.
            billing_mode: ``"PROVISIONED"`` or ``"PAY_PER_REQUEST"``.
            read_capacity_units: New provisioned reads (the other figure is
                kept; switching to PROVISIONED without figures takes the
                configured ones).
            write_capacity_units: New provisioned writes.
            add_global_index: A global secondary index as DynamoDB takes it
                (``IndexName``, ``KeySchema``, ``Projection``; on a
                provisioned table without ``ProvisionedThroughput``, the
                configured capacity).
            attribute_definitions: Definitions of the new index's key
                attributes.
            delete_global_index: The name of a global index to delete.

        Returns:
            The table's description once it and its indexes are ACTIVE.

        Raises:
            ValueError: If no change is given, or a value is malformed (a
                capacity that is not a positive integer, capacity on an
                on-demand table, two index changes at once), before
                anything is sent.
            botocore.exceptions.ParamValidationError: If the index or the
                definitions do not fit DynamoDB's model.
            botocore.exceptions.ClientError: If DynamoDB refuses the change.
            botocore.exceptions.WaiterError: If the table or an index is not
                ACTIVE in time.
        """
        table = self._resolve_table(table_name)
        _check_change(
            billing_mode,
            {
                "read_capacity_units": read_capacity_units,
                "write_capacity_units": write_capacity_units,
            },
            add_global_index,
            delete_global_index,
        )
        self.log.debug("Updating table %s", table)
        with self._failure_logged("update_table", table):
            current = yield from self._described(table)
            request = self._update_request(
                current,
                billing_mode or current.billing_mode,
                (read_capacity_units, write_capacity_units),
                add_global_index,
                attribute_definitions,
                delete_global_index,
            )
            yield Call("UpdateTable", request, table_operation=True)
            yield self._wait(INDEXES_ACTIVE, table)
            described = yield from self._described(table)
        self.log.info("Updated table %s (%s)", table, described.billing_mode)
        return described

    def _described(self, table: str) -> Steps[TableDescription]:
        answer = yield Call("DescribeTable", {"TableName": table}, table_operation=True)
        self._remember_described(table, answer)
        try:
            ttl = yield Call(
                "DescribeTimeToLive", {"TableName": table}, table_operation=True
            )
        except ClientError as error:
            if error_code(error) != UNKNOWN_OPERATION:
                raise
            ttl = {}  # the server has no time to live (dynalite)
        return table_description(answer["Table"], ttl.get("TimeToLiveDescription"))

    def _update_request(
        self,
        current: TableDescription,
        billing: BillingMode,
        capacity: tuple[int | None, int | None],
        add_index: Mapping[str, Any] | None,
        definitions: Sequence[Mapping[str, Any]] | None,
        delete_index: str | None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": current.name}
        if billing != current.billing_mode:
            request["BillingMode"] = billing
        throughput = self._throughput(current, billing, capacity)
        if throughput is not None and (
            billing != current.billing_mode or any(capacity)
        ):
            request["ProvisionedThroughput"] = throughput
        index_updates: list[dict[str, Any]] = []
        if billing != current.billing_mode and throughput is not None:
            # Turning provisioned, every global index needs its capacity too.
            index_updates += [
                {"Update": {"IndexName": index.name, **self._provisioned()}}
                for index in current.global_indexes
                if index.name != delete_index
            ]
        if add_index is not None:
            index = dict(add_index)
            if throughput is not None:
                index.setdefault("ProvisionedThroughput", self._configured())
            index_updates.append({"Create": index})
            request["AttributeDefinitions"] = _merged(current, definitions or [])
        if delete_index is not None:
            index_updates.append({"Delete": {"IndexName": delete_index}})
        if index_updates:
            request["GlobalSecondaryIndexUpdates"] = index_updates
        return self._validated("UpdateTable", request)

    def _throughput(
        self,
        current: TableDescription,
        billing: BillingMode,
        capacity: tuple[int | None, int | None],
    ) -> dict[str, int] | None:
        """The provisioned throughput after the change; None on demand."""
        if billing == "PAY_PER_REQUEST":
            if any(value is not None for value in capacity):
                raise ValueError(ERROR_CAPACITY_ON_DEMAND)
            return None
        configured = self._configured()
        reads, writes = capacity
        return {
            "ReadCapacityUnits": reads
            or current.read_capacity_units
            or configured["ReadCapacityUnits"],
            "WriteCapacityUnits": writes
            or current.write_capacity_units
            or configured["WriteCapacityUnits"],
        }

    def _provisioned(self) -> dict[str, Any]:
        return {"ProvisionedThroughput": self._configured()}

    def _configured(self) -> dict[str, int]:
        return {
            "ReadCapacityUnits": self.config.read_capacity_units,
            "WriteCapacityUnits": self.config.write_capacity_units,
        }


def _merged(
    current: TableDescription, new: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The table's attribute definitions with the new index's: DynamoDB
    takes either, and some servers (moto) keep only what an update sends."""
    merged = {d["AttributeName"]: dict(d) for d in current.raw["AttributeDefinitions"]}
    for definition in new:
        merged[definition.get("AttributeName")] = dict(definition)
    return list(merged.values())


def _check_change(
    billing_mode: object,
    capacities: dict[str, object],
    add_index: object,
    delete_index: object,
) -> None:
    """Refuse a malformed change before anything is sent."""
    if billing_mode is None and add_index is None and delete_index is None:
        if all(value is None for value in capacities.values()):
            raise ValueError(ERROR_NO_CHANGE)
    if billing_mode is not None and billing_mode not in get_args(BillingMode):
        raise ValueError(ERROR_BILLING_MODE % (billing_mode,))
    for label, value in capacities.items():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(ERROR_CAPACITY % (label, value))
    if add_index is not None and delete_index is not None:
        raise ValueError(ERROR_TWO_INDEX_CHANGES)
    if add_index is not None and (
        not isinstance(add_index, Mapping)
        or not {"IndexName", "KeySchema", "Projection"} <= set(add_index)
    ):
        raise ValueError(ERROR_INDEX_SHAPE)
    if delete_index is not None and (
        not isinstance(delete_index, str) or not delete_index
    ):
        raise ValueError(ERROR_INDEX_NAME % (delete_index,))
