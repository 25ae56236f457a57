"""A small, typed DynamoDB service over botocore."""

from ._expressions import Expression
from .dynamodb_models import DynamoDBConfig, Page
from .dynamodb_service import DynamoDBService
from .errors import BatchIncompleteError

__all__ = [
    "BatchIncompleteError",
    "DynamoDBConfig",
    "DynamoDBService",
    "Expression",
    "Page",
]
