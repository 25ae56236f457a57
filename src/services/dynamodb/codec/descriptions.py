"""What ``describe_table`` returns: a table's description as typed values.

Read from botocore's ``DescribeTable`` answer (and ``DescribeTimeToLive``'s
and ``DescribeContinuousBackups``', where the server has them), leaving out
what a service team rarely reads (SSE, replicas, restore summaries); ``raw``
keeps the whole answer.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from .settings import recovery_days
from .vectors import VectorIndex

BillingMode = Literal["PROVISIONED", "PAY_PER_REQUEST"]


@dataclass(frozen=True)
class KeyDescription:
    """A primary key (of a table or an index).

    Attributes:
        hash_key: The partition key's name.
        hash_key_type: Its type: ``"S"``, ``"N"`` or ``"B"``.
        range_key: The sort key's name, or None.
        range_key_type: Its type, or None.
    """

    hash_key: str
    hash_key_type: str
    range_key: str | None = None
    range_key_type: str | None = None


@dataclass(frozen=True)
class IndexDescription:
    """A secondary index.

    Attributes:
        name: The index's name.
        key: Its key.
        projection: ``"ALL"``, ``"KEYS_ONLY"`` or ``"INCLUDE"``.
        non_key_attributes: The attributes an ``INCLUDE`` projection adds.
        status: ``"CREATING"``, ``"ACTIVE"``, ``"UPDATING"``, ``"DELETING"``
            (global indexes), or None (local indexes have none).
        backfilling: Whether a new global index is still being filled.
        read_capacity_units: Provisioned reads, or None (on demand, local).
        write_capacity_units: Provisioned writes, or None.
        item_count: Items in the index, as DynamoDB last counted them.
        size_bytes: Its size, as DynamoDB last measured it.
    """

    name: str
    key: KeyDescription
    projection: str
    non_key_attributes: tuple[str, ...] = ()
    status: str | None = None
    backfilling: bool = False
    read_capacity_units: int | None = None
    write_capacity_units: int | None = None
    item_count: int = 0
    size_bytes: int = 0


@dataclass(frozen=True)
class TableDescription:
    """A table, as ``describe_table`` reads it.

    Attributes:
        name: The table's name.
        arn: Its ARN.
        status: ``"CREATING"``, ``"ACTIVE"``, ``"UPDATING"``, ``"DELETING"``...
        key: Its primary key.
        billing_mode: ``"PROVISIONED"`` or ``"PAY_PER_REQUEST"``.
        read_capacity_units: Provisioned reads, or None on demand.
        write_capacity_units: Provisioned writes, or None on demand.
        item_count: Items, as DynamoDB last counted them (about every six
            hours on AWS).
        size_bytes: Size, as DynamoDB last measured it.
        global_indexes: Its global secondary indexes.
        local_indexes: Its local secondary indexes.
        ttl_attribute: The time-to-live attribute, or None.
        ttl_status: ``"ENABLED"``, ``"DISABLED"``, ``"ENABLING"``...; None
            where the server cannot say (it has no ``DescribeTimeToLive``).
        created_at: When the table was created.
        raw: The whole ``DescribeTable`` answer's ``Table``, as botocore
            parsed it.
        deletion_protection: Whether the table refuses ``DeleteTable``.
        table_class: ``"STANDARD"`` or ``"STANDARD_INFREQUENT_ACCESS"``;
            None where the server does not say (DynamoDB leaves it out for
            tables that never changed from ``STANDARD``).
        stream_view_type: What the table's stream records hold
            (``"NEW_IMAGE"``, ``"OLD_IMAGE"``, ``"NEW_AND_OLD_IMAGES"``,
            ``"KEYS_ONLY"``), or None when its stream is off.
        stream_arn: The ARN of its latest stream, or None.
        max_read_request_units: The on-demand maximum of reads per second,
            or None (no maximum).
        max_write_request_units: The on-demand maximum of writes, or None.
        warm_read_units_per_second: Warm throughput of reads, or None where
            the server does not say.
        warm_write_units_per_second: Warm throughput of writes, or None.
        point_in_time_recovery_days: The point-in-time recovery window in
            days, or None when recovery is off (or the server has no
            ``DescribeContinuousBackups``).
        vector_indexes: Its vector indexes, with their status.
    """

    name: str
    arn: str | None
    status: str
    key: KeyDescription
    billing_mode: BillingMode
    read_capacity_units: int | None
    write_capacity_units: int | None
    item_count: int
    size_bytes: int
    global_indexes: tuple[IndexDescription, ...]
    local_indexes: tuple[IndexDescription, ...]
    ttl_attribute: str | None
    ttl_status: str | None
    created_at: datetime | None
    raw: dict[str, Any] = field(repr=False, compare=False)
    deletion_protection: bool = False
    table_class: str | None = None
    stream_view_type: str | None = None
    stream_arn: str | None = None
    max_read_request_units: int | None = None
    max_write_request_units: int | None = None
    warm_read_units_per_second: int | None = None
    warm_write_units_per_second: int | None = None
    point_in_time_recovery_days: int | None = None
    vector_indexes: tuple[VectorIndex, ...] = ()


def table_description(
    table: dict[str, Any],
    ttl: dict[str, Any] | None,
    backups: dict[str, Any] | None = None,
) -> TableDescription:
    """A table's description from botocore's answers.

    Args:
        table: ``DescribeTable``'s ``Table``.
        ttl: ``DescribeTimeToLive``'s ``TimeToLiveDescription``, or None.
        backups: ``DescribeContinuousBackups``'
            ``ContinuousBackupsDescription``, or None.

    Returns:
        The description.
    """
    types = {
        definition["AttributeName"]: definition["AttributeType"]
        for definition in table.get("AttributeDefinitions", [])
    }
    summary = table.get("BillingModeSummary") or {}
    billing: BillingMode = summary.get("BillingMode", "PROVISIONED")
    reads, writes = _capacity(table.get("ProvisionedThroughput"), billing)
    return TableDescription(
        name=table["TableName"],
        arn=table.get("TableArn"),
        status=table.get("TableStatus", "ACTIVE"),
        key=_key(table["KeySchema"], types),
        billing_mode=billing,
        read_capacity_units=reads,
        write_capacity_units=writes,
        item_count=int(table.get("ItemCount", 0)),
        size_bytes=int(table.get("TableSizeBytes", 0)),
        global_indexes=tuple(
            _index(index, types, billing)
            for index in table.get("GlobalSecondaryIndexes", [])
        ),
        local_indexes=tuple(
            _index(index, types, billing)
            for index in table.get("LocalSecondaryIndexes", [])
        ),
        ttl_attribute=(ttl or {}).get("AttributeName"),
        ttl_status=None if ttl is None else ttl.get("TimeToLiveStatus"),
        created_at=table.get("CreationDateTime"),
        raw=table,
        point_in_time_recovery_days=recovery_days(backups),
        **_settings(table),
    )


def _settings(table: dict[str, Any]) -> dict[str, Any]:
    """The settings of :class:`TableDescription` a ``Table`` gives."""
    stream = table.get("StreamSpecification") or {}
    on_demand = table.get("OnDemandThroughput") or {}
    warm = table.get("WarmThroughput") or {}
    return {
        "deletion_protection": bool(table.get("DeletionProtectionEnabled", False)),
        "table_class": (table.get("TableClassSummary") or {}).get("TableClass"),
        "stream_view_type": (
            stream.get("StreamViewType") if stream.get("StreamEnabled") else None
        ),
        "stream_arn": table.get("LatestStreamArn"),
        "max_read_request_units": _maximum(on_demand.get("MaxReadRequestUnits")),
        "max_write_request_units": _maximum(on_demand.get("MaxWriteRequestUnits")),
        "warm_read_units_per_second": warm.get("ReadUnitsPerSecond"),
        "warm_write_units_per_second": warm.get("WriteUnitsPerSecond"),
        "vector_indexes": tuple(
            VectorIndex.from_description(index)
            for index in table.get("VectorIndexes", ())
        ),
    }


def _maximum(units: int | None) -> int | None:
    """An on-demand maximum; None for none (DynamoDB says -1)."""
    return None if units is None or units < 0 else units


def _key(schema: list[dict[str, str]], types: dict[str, str]) -> KeyDescription:
    roles = {part["KeyType"]: part["AttributeName"] for part in schema}
    hash_key, range_key = roles["HASH"], roles.get("RANGE")
    return KeyDescription(
        hash_key=hash_key,
        hash_key_type=types.get(hash_key, "S"),
        range_key=range_key,
        range_key_type=None if range_key is None else types.get(range_key, "S"),
    )


def _index(
    index: dict[str, Any], types: dict[str, str], billing: BillingMode
) -> IndexDescription:
    projection = index.get("Projection", {})
    reads, writes = _capacity(index.get("ProvisionedThroughput"), billing)
    return IndexDescription(
        name=index["IndexName"],
        key=_key(index["KeySchema"], types),
        projection=projection.get("ProjectionType", "ALL"),
        non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
        status=index.get("IndexStatus"),
        backfilling=bool(index.get("Backfilling", False)),
        read_capacity_units=reads,
        write_capacity_units=writes,
        item_count=int(index.get("ItemCount", 0)),
        size_bytes=int(index.get("IndexSizeBytes", 0)),
    )


def _capacity(
    throughput: dict[str, Any] | None, billing: BillingMode
) -> tuple[int | None, int | None]:
    """Provisioned capacity; None on demand (DynamoDB reports zeros there)."""
    if billing == "PAY_PER_REQUEST" or not throughput:
        return None, None
    return throughput.get("ReadCapacityUnits"), throughput.get("WriteCapacityUnits")
