"""A small, typed DynamoDB service over boto3."""

from .dynamodb_models import DynamoDBConfig, Page
from .dynamodb_service import DynamoDBService

__all__ = ["DynamoDBConfig", "DynamoDBService", "Page"]
