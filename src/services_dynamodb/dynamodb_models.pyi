"""Types of ``services.dynamodb.dynamodb_models`` under ``services_dynamodb``."""

from services.dynamodb.dynamodb_models import *  # noqa: F401,F403
