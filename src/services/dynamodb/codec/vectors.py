"""Vector indexes and vector search results, as DynamoDB models them
(``VectorIndexes`` of ``CreateTable``, ``SearchVectors``' answer)."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, get_args

DistanceFunction = Literal["COSINE", "EUCLIDEAN", "DOT_PRODUCT"]
SearchSchemaRole = Literal["HASH", "INLINE_FILTER"]
ProjectionType = Literal["ALL", "KEYS_ONLY", "INCLUDE"]

# IndexName and SearchVectorList as botocore's model (1.44) limits them.
INDEX_NAME = re.compile(r"[a-zA-Z0-9_.-]{3,255}")
MAX_DIMENSIONS = 4096

ERROR_INDEX_NAME = (
    "VectorIndex.name must be 3 to 255 letters, digits, '_', '-' or '.', got %r"
)
ERROR_ATTRIBUTE = "VectorIndex.attribute must be a non-empty string, got %r"
ERROR_DIMENSIONS = (
    "VectorIndex.dimensions must be an integer from 1 to 4096 (the longest "
    "vector a search takes), got %r"
)
ERROR_DISTANCE = "VectorIndex.distance_function must be one of %s, got %r"
ERROR_PROJECTION = (
    "VectorIndex.projection must be None, 'ALL', 'KEYS_ONLY' or a list of "
    "attribute names (INCLUDE), got %r"
)
ERROR_SEARCH_SCHEMA = (
    "VectorIndex.search_schema must map attribute names to 'HASH' or "
    "'INLINE_FILTER', got %r"
)

ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class VectorIndex:
    """A vector index of a table, for ``create_table``, ``update_table`` and
    ``TableSpec``; ``describe_table`` reads them back as the same type.

    Attributes:
        name: The index's name.
        attribute: The attribute holding each item's vector (a list of
            numbers).
        dimensions: How many numbers each vector has.
        distance_function: ``"COSINE"``, ``"EUCLIDEAN"`` or ``"DOT_PRODUCT"``.
        projection: What a search returns of each item: None or ``"ALL"``
            (every attribute), ``"KEYS_ONLY"``, or a sequence of attribute
            names (an ``INCLUDE`` projection of those).
        search_schema: Attributes a search may filter on, each mapped to
            ``"HASH"`` or ``"INLINE_FILTER"``; None for none.
        status: ``"CREATING"``, ``"ACTIVE"``...: set only on a description.

    Raises:
        ValueError: If a field is malformed (named in the message).
    """

    name: str
    attribute: str
    dimensions: int
    distance_function: DistanceFunction = "COSINE"
    projection: str | Sequence[str] | None = None
    search_schema: Mapping[str, SearchSchemaRole] | None = None
    status: str | None = None

    def __post_init__(self) -> None:
        _check_index(self)
        if self.projection is not None and not isinstance(self.projection, str):
            # A tuple, so that equal indexes compare equal and hash.
            object.__setattr__(self, "projection", tuple(self.projection))

    def __hash__(self) -> int:
        """Equal indexes hash equal, a ``search_schema`` mapping included
        (so that a ``TableDescription`` holding them hashes too)."""
        schema = self.search_schema
        return hash(
            (
                self.name,
                self.attribute,
                self.dimensions,
                self.distance_function,
                self.projection,
                None if schema is None else tuple(sorted(schema.items())),
                self.status,
            )
        )

    def to_request(self) -> dict[str, Any]:
        """The index as ``CreateTable``'s ``VectorIndexes`` (and
        ``UpdateTable``'s ``Create`` action) take it.

        Returns:
            The JSON-ready dict.
        """
        request: dict[str, Any] = {
            "IndexName": self.name,
            "VectorAttribute": {"AttributeName": self.attribute},
            "Dimensions": self.dimensions,
            "DistanceFunction": self.distance_function,
            "Projection": _projection(self.projection),
        }
        if self.search_schema:
            request["SearchSchema"] = [
                {"AttributeName": name, "SearchSchemaElementType": role}
                for name, role in self.search_schema.items()
            ]
        return request

    @classmethod
    def from_description(cls, index: Mapping[str, Any]) -> "VectorIndex":
        """The index as ``DescribeTable`` describes it.

        A description is taken as DynamoDB gives it, without the checks a
        new index gets: a field it lacks (an index being deleted may name
        nothing else) is empty, and a value this version does not know (a
        new distance function) is kept.

        Args:
            index: One entry of the description's ``VectorIndexes``.

        Returns:
            The index, with its status.
        """
        projection = index.get("Projection") or {}
        kind = projection.get("ProjectionType", "ALL")
        fields = {
            "name": index.get("IndexName", ""),
            "attribute": (index.get("VectorAttribute") or {}).get("AttributeName", ""),
            "dimensions": int(index.get("Dimensions", 0)),
            "distance_function": index.get("DistanceFunction", "COSINE"),
            "projection": (
                tuple(projection.get("NonKeyAttributes", ()))
                if kind == "INCLUDE"
                else kind
            ),
            "search_schema": {
                part.get("AttributeName", ""): part.get("SearchSchemaElementType", "")
                for part in index.get("SearchSchema", ())
            }
            or None,
            "status": index.get("IndexStatus"),
        }
        described = object.__new__(cls)
        for name, value in fields.items():  # as DynamoDB says: no checks
            object.__setattr__(described, name, value)
        return described


@dataclass(frozen=True)
class SearchResult(Generic[ItemT]):
    """One item a vector search found.

    Attributes:
        item: The item (a dict, or an instance of the ``model`` asked for),
            as the index projects it.
        score: How near it is to the searched vector, as the index's
            distance function measures it.
    """

    item: ItemT
    score: float


def _projection(projection: str | Sequence[str] | None) -> dict[str, Any]:
    if projection is None or isinstance(projection, str):
        return {"ProjectionType": projection or "ALL"}
    return {"ProjectionType": "INCLUDE", "NonKeyAttributes": list(projection)}


def _check_index(index: VectorIndex) -> None:
    """Refuse a malformed index before anything is sent."""
    if not isinstance(index.name, str) or not INDEX_NAME.fullmatch(index.name):
        raise ValueError(ERROR_INDEX_NAME % (index.name,))
    if not isinstance(index.attribute, str) or not index.attribute:
        raise ValueError(ERROR_ATTRIBUTE % (index.attribute,))
    dimensions = index.dimensions
    if isinstance(dimensions, bool) or not isinstance(dimensions, int):
        raise ValueError(ERROR_DIMENSIONS % (dimensions,))
    if not 1 <= dimensions <= MAX_DIMENSIONS:
        raise ValueError(ERROR_DIMENSIONS % (dimensions,))
    if index.distance_function not in get_args(DistanceFunction):
        allowed = ", ".join(get_args(DistanceFunction))
        raise ValueError(ERROR_DISTANCE % (allowed, index.distance_function))
    _check_projection(index.projection)
    schema = index.search_schema
    if schema is not None and (
        not isinstance(schema, Mapping)
        or not all(
            isinstance(name, str) and name and role in get_args(SearchSchemaRole)
            for name, role in schema.items()
        )
    ):
        raise ValueError(ERROR_SEARCH_SCHEMA % (schema,))


def _check_projection(projection: object) -> None:
    if projection is None or projection in ("ALL", "KEYS_ONLY"):
        return
    if isinstance(projection, Sequence) and not isinstance(projection, str):
        if projection and all(isinstance(n, str) and n for n in projection):
            return
    raise ValueError(ERROR_PROJECTION % (projection,))
