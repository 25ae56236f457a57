"""The DynamoDB service: one object for table, item, query, scan, batch and
transaction operations, built from an injected logger and configuration."""

import logging
from typing import Any

from ._batches import BatchOperations
from ._items import ItemOperations
from ._queries import QueryOperations
from ._scans import ScanOperations
from ._transactions import TransactionOperations
from .dynamodb_models import DynamoDBConfig

ERROR_ARGUMENT_TYPE = "%s must be a %s, got %s"


class DynamoDBService(
    BatchOperations,
    ItemOperations,
    QueryOperations,
    ScanOperations,
    TransactionOperations,
):
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
        if not isinstance(logger, logging.Logger):
            raise TypeError(
                ERROR_ARGUMENT_TYPE
                % ("logger", "logging.Logger", type(logger).__name__)
            )
        if not isinstance(config, DynamoDBConfig):
            raise TypeError(
                ERROR_ARGUMENT_TYPE
                % ("config", "DynamoDBConfig", type(config).__name__)
            )
        super().__init__(logger, config)
        self.log.info(
            "Initializing DynamoDB connection to region: %s", config.region_name
        )
        self.ping()
        self.log.info("Connected to DynamoDB in region %s", config.region_name)

    @property
    def exceptions(self) -> Any:
        """The client's modeled exceptions, for ``except`` clauses.

        Example:
            >>> try:
            ...     service.put_item(item, condition_expression=Attr("pk").not_exists())
            ... except service.exceptions.ConditionalCheckFailedException:
            ...     pass
        """
        return self._client.exceptions
