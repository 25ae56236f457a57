"""Reading a table's description, and changing a table: billing mode,
provisioned capacity, a global secondary or vector index added or deleted,
and the settings of :mod:`..codec.settings`."""

from collections.abc import Mapping, Sequence
from typing import Any, get_args

from ..codec.descriptions import BillingMode, TableDescription
from ..codec.settings import Settings, check_recovery_days, vector_index_updates
from ..codec.vectors import VectorIndex
from .steps import INDEXES_ACTIVE, Call, Steps
from .public import operation
from .table_descriptions import TableDescriptions

ERROR_NO_CHANGE = (
    "update_table needs a change: billing_mode, read_capacity_units, "
    "write_capacity_units, add_global_index, delete_global_index, "
    "deletion_protection, table_class, stream_enabled, stream_view_type, "
    "max_read_request_units, max_write_request_units, "
    "warm_read_units_per_second, warm_write_units_per_second, "
    "point_in_time_recovery_days, add_vector_index or delete_vector_index"
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


class TableChanges(TableDescriptions):
    """Change a table's billing, capacity, indexes and settings."""

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
        deletion_protection: bool | None = None,
        table_class: str | None = None,
        stream_enabled: bool | None = None,
        stream_view_type: str | None = None,
        max_read_request_units: int | None = None,
        max_write_request_units: int | None = None,
        warm_read_units_per_second: int | None = None,
        warm_write_units_per_second: int | None = None,
        point_in_time_recovery_days: int | None = None,
        add_vector_index: VectorIndex | None = None,
        delete_vector_index: str | None = None,
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
            deletion_protection: Turn deletion protection on or off.
            table_class: ``"STANDARD"`` or ``"STANDARD_INFREQUENT_ACCESS"``.
            stream_enabled: False turns the stream off; True turns it on
                with ``stream_view_type``. None: unchanged, unless a
                ``stream_view_type`` is given, which turns it on.
            stream_view_type: What stream records hold: ``"NEW_IMAGE"``,
                ``"OLD_IMAGE"``, ``"NEW_AND_OLD_IMAGES"``, ``"KEYS_ONLY"``.
            max_read_request_units: New on-demand maximum of reads per
                second (``-1``: none).
            max_write_request_units: New on-demand maximum of writes.
            warm_read_units_per_second: Warm throughput of reads to have.
            warm_write_units_per_second: Warm throughput of writes.
            point_in_time_recovery_days: The recovery window, 1 to 35 days,
                set once the table is ACTIVE; 0 turns recovery off.
            add_vector_index: A vector index to add.
            delete_vector_index: The name of a vector index to delete.

        Returns:
            The table's description once it and its indexes are ACTIVE.

        Raises:
            TypeError: If a flag is not a bool, a throughput or window not
                an integer, or ``add_vector_index`` not a ``VectorIndex``.
            ValueError: If no change is given, or a value is malformed (a
                capacity that is not a positive integer, capacity on an
                on-demand table, two index changes at once, a window
                outside 0 to 35, an unknown table class or view type, a
                stream turned on without a view type), before anything is
                sent; the message names the parameter.
            botocore.exceptions.ParamValidationError: If the index or the
                definitions do not fit DynamoDB's model.
            botocore.exceptions.ClientError: If DynamoDB refuses the change.
            botocore.exceptions.WaiterError: If the table or an index is not
                ACTIVE in time.
        """
        table = self._resolve_table(table_name)
        settings = Settings(
            deletion_protection=deletion_protection,
            table_class=table_class,
            stream_enabled=_stream_enabled(stream_enabled, stream_view_type),
            stream_view_type=stream_view_type,
            max_read_request_units=max_read_request_units,
            max_write_request_units=max_write_request_units,
            warm_read_units_per_second=warm_read_units_per_second,
            warm_write_units_per_second=warm_write_units_per_second,
        )
        check_recovery_days(point_in_time_recovery_days, minimum=0)
        vectors = vector_index_updates(add_vector_index, delete_vector_index)
        _check_change(
            billing_mode,
            {
                "read_capacity_units": read_capacity_units,
                "write_capacity_units": write_capacity_units,
            },
            add_global_index,
            delete_global_index,
            settings.changes()
            or bool(vectors)
            or point_in_time_recovery_days is not None,
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
            request.update(settings.request())
            if vectors:
                request["VectorIndexUpdates"] = vectors
            described = yield from self._changed(request, point_in_time_recovery_days)
        self.log.info("Updated table %s (%s)", table, described.billing_mode)
        return described

    def _changed(
        self, request: dict[str, Any], recovery_days: int | None
    ) -> Steps[TableDescription]:
        """Send the change and wait until the table and its indexes are
        ACTIVE (no ``UpdateTable`` when only the recovery window changes),
        set the recovery window, and describe the table."""
        table = request["TableName"]
        if len(request) > 1 or recovery_days is None:
            request = self._validated("UpdateTable", request)
            yield Call("UpdateTable", request, table_operation=True)
            yield self._wait(INDEXES_ACTIVE, table)
        if recovery_days is not None:
            yield from self._recovery_set(table, recovery_days)
        return (yield from self._described(table))

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
        return request

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
    other_changes: bool,
) -> None:
    """Refuse a malformed change before anything is sent (``other_changes``:
    whether a setting of :mod:`..codec.settings` changes)."""
    if billing_mode is None and add_index is None and delete_index is None:
        if all(value is None for value in capacities.values()):
            if not other_changes:
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


def _stream_enabled(enabled: bool | None, view_type: str | None) -> bool | None:
    """A view type alone turns the stream on; otherwise as given."""
    if enabled is None and view_type is not None:
        return True
    return enabled
