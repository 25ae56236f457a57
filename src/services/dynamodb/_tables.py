"""Table operations: exists, list, create, delete, TTL."""

from typing import Any

from ._core import ServiceCore
from .dynamodb_models import check_table_name

TABLE_WAIT_DELAY_SECONDS = 1
TABLE_WAIT_MAX_ATTEMPTS = 300


class TableOperations(ServiceCore):
    """Create, inspect and delete tables."""

    _key_names_cache: dict[str, tuple[str, ...]]

    def table_exists(self, table_name: str) -> bool:
        """Tell whether a table exists.

        Args:
            table_name: The table to look up.

        Returns:
            True if DynamoDB describes the table, False if it answers
            ``ResourceNotFoundException``.

        Raises:
            botocore.exceptions.ClientError: For any other error.
        """
        self.log.debug("Checking whether table %s exists", table_name)
        try:
            self._client.describe_table(TableName=table_name)
        except self._client.exceptions.ResourceNotFoundException:
            self.log.info("Table %s does not exist", table_name)
            return False
        except Exception:
            self.log.exception("Failed to describe table %s", table_name)
            raise
        self.log.info("Table %s exists", table_name)
        return True

    def list_tables(self) -> list[str]:
        """List every table of the account and region, following all pages.

        Returns:
            All table names.

        Raises:
            botocore.exceptions.ClientError: If DynamoDB refuses the call.
        """
        self.log.debug("Listing tables")
        with self._failure_logged("list_tables", "*"):
            paginator = self._client.get_paginator("list_tables")
            names = [
                name for page in paginator.paginate() for name in page["TableNames"]
            ]
        self.log.info("Listed %d tables", len(names))
        return names

    def create_table(
        self,
        table_name: str,
        key_schema: list[dict[str, Any]],
        attribute_definitions: list[dict[str, Any]],
        *,
        global_secondary_indexes: list[dict[str, Any]] | None = None,
        local_secondary_indexes: list[dict[str, Any]] | None = None,
    ) -> None:
        """Create a table and wait until it is ACTIVE.

        Capacity and billing mode come from the configuration; a provisioned
        global secondary index without ``ProvisionedThroughput`` gets the
        configured capacity too.

        Args:
            table_name: Name of the new table (DynamoDB's naming rule applies).
            key_schema: ``KeySchema`` as DynamoDB takes it.
            attribute_definitions: ``AttributeDefinitions`` of every key
                attribute, index keys included.
            global_secondary_indexes: ``GlobalSecondaryIndexes``, if any.
            local_secondary_indexes: ``LocalSecondaryIndexes``, if any.

        Raises:
            ValueError: If the table name breaks DynamoDB's rule.
            botocore.exceptions.ClientError: If DynamoDB refuses the table.
            botocore.exceptions.WaiterError: If it never becomes ACTIVE.
        """
        check_table_name(table_name)
        self.log.debug("Creating table %s with key %s", table_name, key_schema)
        params = self._create_table_params(
            global_secondary_indexes, local_secondary_indexes
        )
        with self._failure_logged("create_table", table_name):
            self._client.create_table(
                TableName=table_name,
                KeySchema=key_schema,  # type: ignore[arg-type]
                AttributeDefinitions=attribute_definitions,  # type: ignore[arg-type]
                **params,
            )
            self._client.get_waiter("table_exists").wait(
                TableName=table_name,
                WaiterConfig={
                    "Delay": TABLE_WAIT_DELAY_SECONDS,
                    "MaxAttempts": TABLE_WAIT_MAX_ATTEMPTS,
                },
            )
        self._key_names_cache[table_name] = tuple(
            str(element["AttributeName"]) for element in key_schema
        )
        self.log.info("Created table %s (%s)", table_name, self.config.billing_mode)

    def _create_table_params(
        self,
        global_indexes: list[dict[str, Any]] | None,
        local_indexes: list[dict[str, Any]] | None,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"BillingMode": self.config.billing_mode}
        provisioned = self.config.billing_mode == "PROVISIONED"
        throughput = {
            "ReadCapacityUnits": self.config.read_capacity_units,
            "WriteCapacityUnits": self.config.write_capacity_units,
        }
        if provisioned:
            params["ProvisionedThroughput"] = throughput
        if global_indexes is not None:
            params["GlobalSecondaryIndexes"] = [
                {"ProvisionedThroughput": throughput, **index} if provisioned else index
                for index in global_indexes
            ]
        if local_indexes is not None:
            params["LocalSecondaryIndexes"] = local_indexes
        return params

    def delete_table(self, table_name: str) -> None:
        """Delete a table and wait until it is gone.

        Args:
            table_name: The table to delete.

        Raises:
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``ResourceNotFoundException`` for an unknown table.
            botocore.exceptions.WaiterError: If the table never disappears.
        """
        self.log.debug("Deleting table %s", table_name)
        with self._failure_logged("delete_table", table_name):
            self._client.delete_table(TableName=table_name)
            self._client.get_waiter("table_not_exists").wait(
                TableName=table_name,
                WaiterConfig={
                    "Delay": TABLE_WAIT_DELAY_SECONDS,
                    "MaxAttempts": TABLE_WAIT_MAX_ATTEMPTS,
                },
            )
        self._key_names_cache.pop(table_name, None)
        self.log.info("Deleted table %s", table_name)

    def enable_ttl(self, attribute_name: str, table_name: str | None = None) -> None:
        """Turn on time to live, expiring items by an epoch-seconds attribute.

        Args:
            attribute_name: The attribute holding each item's expiry time.
            table_name: Target table; defaults to the configured table.

        Raises:
            ValueError: If no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the change.
        """
        table = self._resolve_table(table_name)
        self.log.debug("Enabling TTL on %s by attribute %s", table, attribute_name)
        with self._failure_logged("enable_ttl", table):
            self._client.update_time_to_live(
                TableName=table,
                TimeToLiveSpecification={
                    "Enabled": True,
                    "AttributeName": attribute_name,
                },
            )
        self.log.info("Enabled TTL on %s by attribute %s", table, attribute_name)

    def _key_names(self, table_name: str) -> tuple[str, ...]:
        """Return the table's key attribute names, asking DynamoDB once."""
        names = self._key_names_cache.get(table_name)
        if names is None:
            with self._failure_logged("describe_table", table_name):
                schema = self._client.describe_table(TableName=table_name)["Table"]
            names = tuple(e["AttributeName"] for e in schema["KeySchema"])
            self._key_names_cache[table_name] = names
        return names
