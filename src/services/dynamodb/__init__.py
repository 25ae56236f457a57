"""A small, typed DynamoDB service over botocore."""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from .operations.capacity import ConsumedCapacity
from .codec.descriptions import IndexDescription, KeyDescription, TableDescription
from .codec.expressions import Expression
from .codec.models import KeepNone
from .codec.updates import Path as AttributePath
from .dynamodb_models import DynamoDBConfig, Page
from .dynamodb_service import DynamoDBService
from .errors import BatchIncompleteError

if TYPE_CHECKING:
    from .dynamodb_async_service import AsyncDynamoDBService

try:
    __version__ = version("services-dynamodb")
except PackageNotFoundError:  # pragma: no cover - run from a source tree
    __version__ = "0+unknown"


def __getattr__(name: str) -> Any:
    """``AsyncDynamoDBService``, imported when first asked for: programs that
    do not use it do not import asyncio for it."""
    if name == "AsyncDynamoDBService":
        from .dynamodb_async_service import AsyncDynamoDBService

        return AsyncDynamoDBService
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "TableDescription",
    "__version__",
]
