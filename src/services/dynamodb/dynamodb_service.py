"""The DynamoDB service: one object for table, item, query, scan, batch and
transaction operations, built from an injected logger and configuration."""

import logging
import threading
from typing import Any

import boto3
from botocore.config import Config

from ._batches import BatchOperations
from ._items import ItemOperations
from ._queries import QueryOperations
from ._redaction import redact_from_botocore_logs
from ._scans import ScanOperations
from ._transactions import TransactionOperations
from .dynamodb_models import DynamoDBConfig


class DynamoDBService(
    BatchOperations,
    ItemOperations,
    QueryOperations,
    ScanOperations,
    TransactionOperations,
):
    """High-level DynamoDB operations over one shared botocore client.

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
            botocore.exceptions.BotoCoreError: If DynamoDB cannot be reached
                (e.g. ``EndpointConnectionError``) or no credentials are found.
            botocore.exceptions.ClientError: If DynamoDB refuses the ping.
        """
        self.log = logger
        self.config = config
        self._key_names_cache = {}
        self._per_thread = threading.local()
        self.log.info(
            "Initializing DynamoDB connection to region: %s", config.region_name
        )
        try:
            self._resource = boto3.session.Session().resource(
                "dynamodb", **self._connection_settings()
            )
            self._client = self._resource.meta.client
            self.ping()
        except Exception:
            self.log.exception(
                "Failed to connect to DynamoDB in region %s at %s",
                config.region_name,
                config.endpoint_url or "the AWS endpoint",
            )
            raise
        self.log.info("Connected to DynamoDB in region %s", config.region_name)

    def _connection_settings(self) -> dict[str, Any]:
        config = self.config
        settings: dict[str, Any] = {
            "region_name": config.region_name,
            "endpoint_url": config.endpoint_url,
            "config": Config(
                connect_timeout=config.connect_timeout_seconds,
                read_timeout=config.read_timeout_seconds,
                retries={
                    "total_max_attempts": config.max_attempts,
                    "mode": config.retry_mode,
                },
            ),
        }
        if config.aws_access_key_id is not None:
            settings["aws_access_key_id"] = config.aws_access_key_id
        for name in ("aws_secret_access_key", "aws_session_token"):
            secret = getattr(config, name)
            if secret is not None:
                settings[name] = secret.get_secret_value()
                redact_from_botocore_logs([settings[name]])
        return settings

    def ping(self) -> dict[str, Any]:
        """Check the connection with a one-table ``ListTables`` call.

        Returns:
            The raw boto3 response.

        Raises:
            botocore.exceptions.BotoCoreError: If DynamoDB cannot be reached.
            botocore.exceptions.ClientError: If DynamoDB refuses the call.
        """
        self.log.debug("Pinging DynamoDB")
        with self._failure_logged("ping", "-"):
            response = self._client.list_tables(Limit=1)
        self.log.info("Pinged DynamoDB")
        return dict(response)
