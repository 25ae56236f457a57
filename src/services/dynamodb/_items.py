"""Single-item operations: put, get, update, delete."""

from typing import Any

from ._answers import required
from ._codec import item_to_wire
from ._core import ServiceCore
from ._expressions import Expression, expression_params

ERROR_NO_UPDATE = (
    "update_expression must be a non-empty string such as 'SET #n = :v'; an "
    "update without one would store an item holding only its key"
)


class ItemOperations(ServiceCore):
    """Write, read, change and remove one item at a time."""

    def put_item(
        self,
        item: dict[str, Any],
        table_name: str | None = None,
        *,
        condition_expression: Expression | None = None,
        expression_attribute_names: dict[str, str] | None = None,
        expression_attribute_values: dict[str, Any] | None = None,
    ) -> None:
        """Store an item, replacing any item with the same key.

        Args:
            item: The item, key attributes included. Floats are stored exactly
                as ``Decimal(str(x))``.
            table_name: Target table; defaults to the configured table.
            condition_expression: Write only if this holds, e.g.
                ``"attribute_not_exists(pk)"`` or ``Attr("pk").not_exists()``.
            expression_attribute_names: Placeholders for attribute names.
            expression_attribute_values: Placeholders for values.

        Raises:
            ValueError: If the item is not a non-empty dict, holds NaN or
                infinity, an expression placeholder is not supplied, or no
                table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the write,
                e.g. ``ConditionalCheckFailedException``.
        """
        table = self._resolve_table(table_name)
        checked = item_to_wire(item, "item")
        params = expression_params(
            names=expression_attribute_names,
            values=expression_attribute_values,
            ConditionExpression=condition_expression,
        )
        self.log.debug("Putting item into %s (%d attributes)", table, len(checked))
        with self._failure_logged("put_item", table):
            self._client.put_item(TableName=table, Item=checked, **params)
        self.log.info("Put item into %s", table)

    def get_item(
        self,
        key: dict[str, Any],
        table_name: str | None = None,
        *,
        projection_expression: str | None = None,
        expression_attribute_names: dict[str, str] | None = None,
        consistent_read: bool | None = None,
    ) -> dict[str, Any] | None:
        """Read an item by its key.

        Args:
            key: The full primary key.
            table_name: Target table; defaults to the configured table.
            projection_expression: Attributes to return, e.g. ``"pk, #n"``.
            expression_attribute_names: Placeholders for attribute names.
            consistent_read: True for a strongly consistent read.

        Returns:
            The item, or None if there is none with this key.

        Raises:
            ValueError: If the key is empty or malformed, or no table is named
                and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the read.
        """
        table = self._resolve_table(table_name)
        checked = self._key(key, table)
        params = expression_params(
            names=expression_attribute_names,
            ProjectionExpression=projection_expression,
        )
        if consistent_read is not None:
            params["ConsistentRead"] = consistent_read
        self.log.debug("Getting item from %s by key %s", table, list(checked))
        with self._failure_logged("get_item", table):
            response = self._client.get_item(TableName=table, Key=checked, **params)
        item = response.get("Item")
        self.log.info("Got item from %s: %s", table, "found" if item else "none")
        return None if item is None else self._out(item)

    def update_item(
        self,
        key: dict[str, Any],
        update_expression: str,
        expression_attribute_values: dict[str, Any] | None,
        table_name: str | None = None,
        *,
        expression_attribute_names: dict[str, str] | None = None,
        condition_expression: Expression | None = None,
    ) -> dict[str, Any]:
        """Change an item (creating it if absent) and return it as it is now.

        Args:
            key: The full primary key.
            update_expression: e.g. ``"SET #s = :s ADD hits :one"``.
            expression_attribute_values: Placeholders for values (None or
                empty when the expression uses none).
            table_name: Target table; defaults to the configured table.
            expression_attribute_names: Placeholders for attribute names,
                needed for reserved words such as ``status`` or ``name``.
            condition_expression: Update only if this holds.

        Returns:
            All attributes of the item after the update.

        Raises:
            ValueError: If the key is empty or malformed, a placeholder is not
                supplied, or no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the update,
                e.g. ``ConditionalCheckFailedException``.
        """
        table = self._resolve_table(table_name)
        checked = self._key(key, table)
        if not isinstance(update_expression, str) or not update_expression.strip():
            raise ValueError(ERROR_NO_UPDATE)
        params = expression_params(
            names=expression_attribute_names,
            values=expression_attribute_values,
            UpdateExpression=update_expression,
            ConditionExpression=condition_expression,
        )
        self.log.debug("Updating item in %s by key %s", table, list(checked))
        with self._failure_logged("update_item", table):
            response = self._client.update_item(
                TableName=table, Key=checked, ReturnValues="ALL_NEW", **params
            )
            attributes = required(response, "Attributes", "UpdateItem")
        self.log.info("Updated item in %s", table)
        return self._out(attributes)

    def delete_item(
        self,
        key: dict[str, Any],
        table_name: str | None = None,
        *,
        condition_expression: Expression | None = None,
        expression_attribute_names: dict[str, str] | None = None,
        expression_attribute_values: dict[str, Any] | None = None,
    ) -> None:
        """Delete an item by its key (no error if it does not exist).

        Args:
            key: The full primary key.
            table_name: Target table; defaults to the configured table.
            condition_expression: Delete only if this holds.
            expression_attribute_names: Placeholders for attribute names.
            expression_attribute_values: Placeholders for values.

        Raises:
            ValueError: If the key is empty or malformed, a placeholder is not
                supplied, or no table is named and no default is configured.
            botocore.exceptions.ClientError: If DynamoDB refuses the delete,
                e.g. ``ConditionalCheckFailedException``.
        """
        table = self._resolve_table(table_name)
        checked = self._key(key, table)
        params = expression_params(
            names=expression_attribute_names,
            values=expression_attribute_values,
            ConditionExpression=condition_expression,
        )
        self.log.debug("Deleting item from %s by key %s", table, list(checked))
        with self._failure_logged("delete_item", table):
            self._client.delete_item(TableName=table, Key=checked, **params)
        self.log.info("Deleted item from %s", table)
