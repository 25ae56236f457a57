"""Table operations: exists, list, create, delete."""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

from ..codec.answers import required
from ..codec.settings import (
    Settings,
    check_flag,
    check_recovery_days,
    created_extras,
    recovery_specification,
)
from ..codec.vectors import VectorIndex
from ..sansio.steps import Sleep
from .core import ServiceCore, error_code
from .steps import AllPages, Call, Steps, Wait
from .public import operation
from ..dynamodb_models import check_table_name

TABLE_WAIT_DELAY_SECONDS = 1
# What UpdateContinuousBackups answers while a new table's backups are enabled.
BACKUPS_NOT_READY = "ContinuousBackupsUnavailableException"
LOG_CREATED_WITHOUT_RECOVERY = (
    "Table %s was created and is ACTIVE, but point-in-time recovery could not "
    "be turned on"
)

ERROR_DEFINITIONS = "%s must be a list of dicts as DynamoDB takes them, got %r"
ERROR_UNDEFINED_KEY = "key attribute %r has no entry in attribute_definitions"


class TableOperations(ServiceCore):
    """Create, inspect and delete tables."""

    @operation
    def ping(self) -> Steps[dict[str, Any]]:
        """Check the connection with a one-table ``ListTables`` call.

        Example:
            >>> service.ping()["TableNames"]
            ['orders']

        Returns:
            The raw botocore response.

        Raises:
            botocore.exceptions.BotoCoreError: If DynamoDB cannot be reached.
            botocore.exceptions.ClientError: If DynamoDB refuses the call.
            botocore.parsers.ResponseParserError: If the answer is not DynamoDB's.
        """
        return (yield from self._pinged())

    @operation
    def _connect(self) -> Steps[None]:
        """Log the connection, check it with :meth:`ping`, log the outcome."""
        region = self._connection.region
        self.log.info("Initializing DynamoDB connection to region: %s", region)
        yield from self._pinged()
        self.log.info("Connected to DynamoDB in region %s", region)

    def _pinged(self) -> Steps[dict[str, Any]]:
        self.log.debug("Pinging DynamoDB")
        with self._failure_logged("ping", "-"):
            response = yield Call("ListTables", {"Limit": 1})
            required(response, "TableNames", "ListTables")
        self.log.info("Pinged DynamoDB")
        return dict(response)

    @operation
    def table_exists(self, table_name: str) -> Steps[bool]:
        """Tell whether a table exists.

        Example:
            >>> service.table_exists("orders"), service.table_exists("customers")
            (True, False)

        Args:
            table_name: The table to look up.

        Returns:
            True if DynamoDB describes the table, False if it answers
            ``ResourceNotFoundException``.

        Raises:
            TypeError: If ``table_name`` is not a string.
            ValueError: If ``table_name`` breaks DynamoDB's naming rule.
            botocore.exceptions.ClientError: For any other error.
        """
        check_table_name(table_name)
        self.log.debug("Checking whether table %s exists", table_name)
        with self._failure_logged("describe_table", table_name):
            try:
                answer = yield Call(
                    "DescribeTable", {"TableName": table_name}, table_operation=True
                )
            except self._client.exceptions.ResourceNotFoundException:
                # The answer asked for, not a failure: no ERROR line.
                self._key_schemas.pop(table_name, None)
                self.log.info("Table %s does not exist", table_name)
                return False
        self._remember_described(table_name, answer)
        self.log.info("Table %s exists", table_name)
        return True

    @operation
    def list_tables(self) -> Steps[list[str]]:
        """List every table of the account and region, following all pages.

        Example:
            >>> service.list_tables()
            ['orders']

        Returns:
            All table names.

        Raises:
            botocore.exceptions.ClientError: If DynamoDB refuses the call.
        """
        self.log.debug("Listing tables")
        with self._failure_logged("list_tables", "*"):
            pages = yield AllPages("ListTables", {})
            names = [
                name
                for page in pages
                for name in required(page, "TableNames", "ListTables")
            ]
        self.log.info("Listed %d tables", len(names))
        return names

    @operation
    def create_table(
        self,
        table_name: str,
        key_schema: list[dict[str, Any]],
        attribute_definitions: list[dict[str, Any]],
        *,
        global_secondary_indexes: list[dict[str, Any]] | None = None,
        local_secondary_indexes: list[dict[str, Any]] | None = None,
        deletion_protection: bool = False,
        tags: Mapping[str, str] | None = None,
        table_class: str | None = None,
        stream_view_type: str | None = None,
        max_read_request_units: int | None = None,
        max_write_request_units: int | None = None,
        warm_read_units_per_second: int | None = None,
        warm_write_units_per_second: int | None = None,
        resource_policy: str | Mapping[str, Any] | None = None,
        point_in_time_recovery_days: int | None = None,
        vector_indexes: Sequence[VectorIndex] | None = None,
    ) -> Steps[None]:
        """Create a table and wait until it is ACTIVE.

        Capacity and billing mode come from the configuration; a provisioned
        global secondary index without ``ProvisionedThroughput`` gets the
        configured capacity too. The settings after ``*`` are left to
        DynamoDB's defaults when not given.

        Example:
            >>> service.create_table(
            ...     "customers", [{"AttributeName": "id", "KeyType": "HASH"}],
            ...     [{"AttributeName": "id", "AttributeType": "S"}],
            ...     deletion_protection=True, tags={"team": "billing"},
            ...     stream_view_type="NEW_AND_OLD_IMAGES",
            ...     point_in_time_recovery_days=7,
            ... )

        Args:
            table_name: Name of the new table (DynamoDB's naming rule applies).
            key_schema: ``KeySchema`` as DynamoDB takes it.
            attribute_definitions: ``AttributeDefinitions`` of every key
                attribute, index keys included.
            global_secondary_indexes: ``GlobalSecondaryIndexes``, if any.
            local_secondary_indexes: ``LocalSecondaryIndexes``, if any.
            deletion_protection: Refuse ``DeleteTable`` until turned off.
            tags: Tags of the table (key to value).
            table_class: ``"STANDARD"`` or ``"STANDARD_INFREQUENT_ACCESS"``.
            stream_view_type: Turn the table's stream on, with records
                holding ``"NEW_IMAGE"``, ``"OLD_IMAGE"``,
                ``"NEW_AND_OLD_IMAGES"`` or ``"KEYS_ONLY"``.
            max_read_request_units: On-demand maximum of reads per second
                (``-1``: none).
            max_write_request_units: On-demand maximum of writes per second.
            warm_read_units_per_second: Warm throughput of reads to have
                ready.
            warm_write_units_per_second: Warm throughput of writes.
            resource_policy: A resource-based policy: a JSON document, or a
                mapping sent as one.
            point_in_time_recovery_days: Turn point-in-time recovery on once
                the table is ACTIVE, with this window (1 to 35 days).
            vector_indexes: Vector indexes of the table.

        Raises:
            TypeError: If the table name is not a string, a tag not a string,
                a flag not a bool, a throughput or window not an integer, or
                ``vector_indexes`` not a sequence of ``VectorIndex``.
            ValueError: If the table name breaks DynamoDB's rule, a schema,
                definition or index is not a list of dicts, a throughput is
                below 1, the window outside 1 to 35, or a table class or
                view type unknown (the message names the parameter).
            botocore.exceptions.ClientError: If DynamoDB refuses the table.
            botocore.exceptions.WaiterError: If it is not ACTIVE within
                ``config.table_wait_timeout_seconds``.

        If point-in-time recovery cannot be turned on (asked again while
        DynamoDB answers ``ContinuousBackupsUnavailableException``, within
        ``config.table_wait_timeout_seconds``), the table exists and is
        ACTIVE: its error is raised after a WARNING line saying so.
        """
        check_table_name(table_name)
        for label, definitions in (
            ("key_schema", key_schema),
            ("attribute_definitions", attribute_definitions),
            ("global_secondary_indexes", global_secondary_indexes or []),
            ("local_secondary_indexes", local_secondary_indexes or []),
        ):
            _check_definitions(label, definitions)
        settings = Settings(
            deletion_protection=True if deletion_protection is True else None,
            table_class=table_class,
            stream_enabled=None if stream_view_type is None else True,
            stream_view_type=stream_view_type,
            max_read_request_units=max_read_request_units,
            max_write_request_units=max_write_request_units,
            warm_read_units_per_second=warm_read_units_per_second,
            warm_write_units_per_second=warm_write_units_per_second,
        )
        check_flag("deletion_protection", deletion_protection)
        check_recovery_days(point_in_time_recovery_days, minimum=1)
        self.log.debug("Creating table %s with key %s", table_name, key_schema)
        params = self._create_table_params(
            global_secondary_indexes, local_secondary_indexes
        )
        params.update(settings.request())
        params.update(created_extras(tags, resource_policy, vector_indexes))
        request = self._validated(
            "CreateTable",
            {
                "TableName": table_name,
                "KeySchema": key_schema,
                "AttributeDefinitions": attribute_definitions,
                **params,
            },
        )
        with self._failure_logged("create_table", table_name):
            yield Call("CreateTable", request, table_operation=True)
            yield self._wait("table_exists", table_name)
            if point_in_time_recovery_days is not None:
                yield from self._recovery_on(table_name, point_in_time_recovery_days)
        self._remember_key_schema(table_name, key_schema, attribute_definitions)
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

    @operation
    def delete_table(self, table_name: str) -> Steps[None]:
        """Delete a table and wait until it is gone.

        Example:
            >>> service.delete_table("orders")
            >>> service.table_exists("orders")
            False

        Args:
            table_name: The table to delete.

        Raises:
            TypeError: If the table name is not a string.
            ValueError: If the table name breaks DynamoDB's rule.
            botocore.exceptions.ClientError: If DynamoDB refuses, e.g.
                ``ResourceNotFoundException`` for an unknown table.
            botocore.exceptions.WaiterError: If the table is not gone within
                ``config.table_wait_timeout_seconds``.
        """
        check_table_name(table_name)
        self.log.debug("Deleting table %s", table_name)
        self._key_schemas.pop(table_name, None)
        with self._failure_logged("delete_table", table_name):
            yield Call("DeleteTable", {"TableName": table_name}, table_operation=True)
            yield self._wait("table_not_exists", table_name)
        self.log.info("Deleted table %s", table_name)

    def _recovery_on(self, table: str, days: int) -> Steps[None]:
        """Turn recovery on for a table just created; if that fails, say
        that the table exists, then raise."""
        try:
            yield from self._recovery_set(table, days)
        except Exception:
            self.log.warning(LOG_CREATED_WITHOUT_RECOVERY, table)
            raise

    def _recovery_set(self, table: str, days: int) -> Steps[None]:
        """Set the point-in-time recovery window (0: turn recovery off)."""
        request = self._validated(
            "UpdateContinuousBackups",
            {
                "TableName": table,
                "PointInTimeRecoverySpecification": recovery_specification(days),
            },
        )
        attempts = self._wait_attempts()
        for attempt in range(1, attempts + 1):
            try:
                yield Call("UpdateContinuousBackups", request, table_operation=True)
                return
            except ClientError as error:
                # A new table's backups are still being enabled: wait for it,
                # as for the table, within the configured time.
                if error_code(error) != BACKUPS_NOT_READY or attempt == attempts:
                    raise
            yield Sleep(TABLE_WAIT_DELAY_SECONDS)

    def _wait_attempts(self) -> int:
        """How many polls, once a second, fit in the configured table wait."""
        return math.ceil(
            self.config.table_wait_timeout_seconds / TABLE_WAIT_DELAY_SECONDS
        )

    def _wait(self, waiter_name: str, table_name: str) -> Wait:
        """Poll with botocore's waiter, once a second, for the configured time."""
        attempts = self._wait_attempts()
        return Wait(
            waiter_name, {"TableName": table_name}, TABLE_WAIT_DELAY_SECONDS, attempts
        )


def _check_definitions(label: str, definitions: object) -> None:
    if not isinstance(definitions, list) or not all(
        isinstance(definition, dict) for definition in definitions
    ):
        raise ValueError(ERROR_DEFINITIONS % (label, definitions))
