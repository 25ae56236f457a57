"""Tables declared in a line each: keys, indexes and items."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .. import VectorIndex
from ..dynamodb_service import DynamoDBService

KEY_TYPES = ("S", "N", "B")
PROJECTIONS = ("ALL", "KEYS_ONLY")

ERROR_KEY_SPEC = "a key is 'name' or 'name:TYPE' with TYPE one of S, N, B; got %r"
ERROR_KEY_TYPES = "attribute %r is declared as two key types: %s and %s"
ERROR_LOCAL_HASH = (
    "local index %r must share the table's partition key %r and have a sort key"
)
ERROR_PROJECTION = (
    "index %r: projection is 'ALL', 'KEYS_ONLY' or a list of attribute names"
)


@dataclass(frozen=True)
class IndexSpec:
    """A secondary index of a :class:`TableSpec`.

    Attributes:
        name: The index's name.
        hash_key: Its partition key, ``"gsi_pk"`` or ``"gsi_pk:N"``; for a
            local index, the table's partition key.
        range_key: Its sort key in the same form, or None (a local index
            needs one).
        projection: ``"ALL"``, ``"KEYS_ONLY"``, or the names of the
            non-key attributes to include.
    """

    name: str
    hash_key: str
    range_key: str | None = None
    projection: str | Sequence[str] = "ALL"

    def keys(self) -> list[tuple[str, str, str]]:
        """The index's key attributes as (name, type, ``HASH``/``RANGE``).

        Raises:
            ValueError: If a key is not ``name`` or ``name:TYPE``.
        """
        return _keys(self.hash_key, self.range_key)

    def definition(self) -> dict[str, Any]:
        """The index as ``CreateTable`` takes it (no throughput: the service
        adds the configured one to provisioned tables).

        Raises:
            ValueError: If a key or the projection is malformed.
        """
        return {
            "IndexName": self.name,
            "KeySchema": _schema(self.keys()),
            "Projection": self._projection(),
        }

    def _projection(self) -> dict[str, Any]:
        projection = self.projection
        if isinstance(projection, str):
            if projection not in PROJECTIONS:
                raise ValueError(ERROR_PROJECTION % self.name)
            return {"ProjectionType": projection}
        names = list(projection)
        if not names or not all(isinstance(name, str) for name in names):
            raise ValueError(ERROR_PROJECTION % self.name)
        return {"ProjectionType": "INCLUDE", "NonKeyAttributes": names}


@dataclass(frozen=True)
class TableSpec:
    """A table to create on moto.

    Attributes:
        name: The table's name.
        hash_key: The partition key, ``"pk"`` (a string) or ``"pk:N"``.
        range_key: The sort key in the same form, or None.
        items: Items to store once the table exists, as ``put_item`` takes
            them: dicts or pydantic model instances.
        global_indexes: Global secondary indexes.
        local_indexes: Local secondary indexes.
        deletion_protection, tags, table_class, stream_view_type,
        max_read_request_units, max_write_request_units,
        warm_read_units_per_second, warm_write_units_per_second,
        resource_policy, point_in_time_recovery_days, vector_indexes:
            The table's settings, as ``create_table`` takes them (the kit
            turns deletion protection off again to delete the table).
    """

    name: str
    hash_key: str
    range_key: str | None = None
    items: Sequence[Mapping[str, Any] | BaseModel] = field(default_factory=tuple)
    global_indexes: Sequence[IndexSpec] = ()
    local_indexes: Sequence[IndexSpec] = ()
    deletion_protection: bool = False
    tags: Mapping[str, str] | None = None
    table_class: str | None = None
    stream_view_type: str | None = None
    max_read_request_units: int | None = None
    max_write_request_units: int | None = None
    warm_read_units_per_second: int | None = None
    warm_write_units_per_second: int | None = None
    resource_policy: str | Mapping[str, Any] | None = None
    point_in_time_recovery_days: int | None = None
    vector_indexes: Sequence[VectorIndex] | None = None

    def create(self, service: DynamoDBService) -> None:
        """Create the table with its indexes and store its items (the table
        is deleted again if its items cannot be stored).

        Args:
            service: The service to create it with.

        Raises:
            ValueError: If a key is not ``name`` or ``name:TYPE``, an
                attribute is given two types, a local index does not share
                the table's partition key, a projection is malformed, or an
                item cannot be stored.
            botocore.exceptions.ClientError: If DynamoDB refuses the table
                (``ResourceInUseException`` if it exists) or its items.
        """
        keys = _keys(self.hash_key, self.range_key)
        for index in self.local_indexes:
            hash_key, *rest = index.keys()
            if hash_key[:2] != keys[0][:2] or not rest:
                raise ValueError(ERROR_LOCAL_HASH % (index.name, keys[0][0]))
        indexes = [*self.global_indexes, *self.local_indexes]
        service.create_table(
            self.name,
            _schema(keys),
            _definitions(keys + [key for index in indexes for key in index.keys()]),
            global_secondary_indexes=self._definitions_of(self.global_indexes),
            local_secondary_indexes=self._definitions_of(self.local_indexes),
            **self._settings(),
        )
        if self.items:
            try:
                service.batch_write_items(
                    [_item(item) for item in self.items], self.name
                )
            except BaseException:
                if self.deletion_protection is True:
                    service.update_table(self.name, deletion_protection=False)
                service.delete_table(self.name)  # no half-seeded table is left
                raise

    def _settings(self) -> dict[str, Any]:
        """The settings ``create_table`` takes after ``*``."""
        names = (
            "deletion_protection",
            "tags",
            "table_class",
            "stream_view_type",
            "max_read_request_units",
            "max_write_request_units",
            "warm_read_units_per_second",
            "warm_write_units_per_second",
            "resource_policy",
            "point_in_time_recovery_days",
            "vector_indexes",
        )
        return {name: getattr(self, name) for name in names}

    @staticmethod
    def _definitions_of(indexes: Sequence[IndexSpec]) -> list[dict[str, Any]] | None:
        return [index.definition() for index in indexes] or None


def _keys(hash_key: str, range_key: str | None) -> list[tuple[str, str, str]]:
    specs = [(hash_key, "HASH")] + ([(range_key, "RANGE")] if range_key else [])
    return [(*_parse_key(spec), role) for spec, role in specs]


def _parse_key(spec: str) -> tuple[str, str]:
    name, _, kind = spec.partition(":")
    kind = kind or "S"
    if not name or kind not in KEY_TYPES:
        raise ValueError(ERROR_KEY_SPEC % spec)
    return name, kind


def _schema(keys: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"AttributeName": name, "KeyType": role} for name, _, role in keys]


def _definitions(keys: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    """One definition per key attribute, whichever keys it serves."""
    types: dict[str, str] = {}
    for name, kind, _ in keys:
        if types.setdefault(name, kind) != kind:
            raise ValueError(ERROR_KEY_TYPES % (name, types[name], kind))
    return [
        {"AttributeName": name, "AttributeType": kind} for name, kind in types.items()
    ]


def _item(item: Mapping[str, Any] | BaseModel) -> dict[str, Any] | BaseModel:
    return item if isinstance(item, BaseModel) else dict(item)
