"""Types of ``services.dynamodb.dynamodb_async_service`` under ``services_dynamodb``."""

from services.dynamodb.dynamodb_async_service import *  # noqa: F401,F403
