"""The DynamoDB service: one object for table, item, query, scan, batch and
transaction operations, built from an injected logger and configuration."""

import logging

from .drivers.blocking import BlockingDriver
from .operations.groups import Operations
from .dynamodb_models import DynamoDBConfig


class DynamoDBService(BlockingDriver, Operations):
    """High-level DynamoDB operations over one botocore client.

    Example:
        >>> config = DynamoDBConfig(region_name="us-east-1")
        >>> service = DynamoDBService(logging.getLogger("app"), config)
        >>> service.put_item({"pk": "a", "n": 1}, table_name="orders")
    """

    def __init__(self, logger: logging.Logger, config: DynamoDBConfig) -> None:
        """Connect to DynamoDB and check the connection with :meth:`ping`.

        Args:
            logger: Logger for every operation of this service.
            config: Connection and table settings.

        Raises:
            TypeError: If ``logger`` is not a ``logging.Logger`` or ``config``
                not a ``DynamoDBConfig``.
            botocore.exceptions.BotoCoreError: If DynamoDB cannot be reached
                (e.g. ``EndpointConnectionError``) or no credentials are found.
            botocore.exceptions.ClientError: If DynamoDB refuses the ping.
        """
        super().__init__(logger, config)
        self._connect()
