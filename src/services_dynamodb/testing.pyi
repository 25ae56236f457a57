"""Types of ``services.dynamodb.testing`` under ``services_dynamodb``."""

from services.dynamodb.testing import *  # noqa: F401,F403
