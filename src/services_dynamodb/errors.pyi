"""Types of ``services.dynamodb.errors`` under ``services_dynamodb``."""

from services.dynamodb.errors import *  # noqa: F401,F403
