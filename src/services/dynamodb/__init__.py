"""A small, typed DynamoDB service over botocore."""

from importlib.metadata import PackageNotFoundError, version

from ._expressions import Expression
from ._models import KeepNone
from ._updates import Path as AttributePath
from .dynamodb_models import DynamoDBConfig, Page
from .dynamodb_service import DynamoDBService
from .errors import BatchIncompleteError

try:
    __version__ = version("services-dynamodb")
except PackageNotFoundError:  # pragma: no cover - run from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AttributePath",
    "BatchIncompleteError",
    "DynamoDBConfig",
    "DynamoDBService",
    "Expression",
    "KeepNone",
    "Page",
    "__version__",
]
