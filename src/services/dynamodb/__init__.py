"""A small, typed DynamoDB service over botocore."""

from typing import TYPE_CHECKING, Any

from .operations.capacity import ConsumedCapacity
from .codec.descriptions import IndexDescription, KeyDescription, TableDescription
from .codec.expressions import Expression
from .codec.models import KeepNone
from .codec.streams import StreamRecord, stream_record, stream_records
from .codec.updates import Path as AttributePath
from .codec.vectors import SearchResult, VectorIndex
from .dynamodb_models import DynamoDBConfig, Page
from .dynamodb_service import DynamoDBService
from .errors import BatchIncompleteError, ThrottlingReason, throttling_reasons

if TYPE_CHECKING:
    from .dynamodb_async_service import AsyncDynamoDBService

    __version__: str

_DISTRIBUTION = "services-dynamodb"


def __getattr__(name: str) -> Any:
    """What a program that does not use it does not import (PEP 562):
    ``AsyncDynamoDBService`` (asyncio and the async transport) and
    ``__version__`` (the installed distribution's metadata), each imported
    when first asked for, then kept."""
    if name == "AsyncDynamoDBService":
        from .dynamodb_async_service import AsyncDynamoDBService

        value: Any = AsyncDynamoDBService
    elif name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version(_DISTRIBUTION)
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            value = "0+unknown"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, those imported on first use included."""
    return sorted({*globals(), *__all__})


__all__ = [
    "AsyncDynamoDBService",
    "AttributePath",
    "BatchIncompleteError",
    "ConsumedCapacity",
    "DynamoDBConfig",
    "DynamoDBService",
    "Expression",
    "IndexDescription",
    "KeepNone",
    "KeyDescription",
    "Page",
    "SearchResult",
    "StreamRecord",
    "TableDescription",
    "ThrottlingReason",
    "VectorIndex",
    "__version__",
    "stream_record",
    "stream_records",
    "throttling_reasons",
]
