"""Single-item operations: put, get, update, delete.

Arguments shared by these methods:

- ``table_name``: target table; None means the configured default.
- ``condition_expression``: write only if this holds, as a string with its
  placeholders or a ``boto3.dynamodb.conditions`` object; a failed condition
  raises ``ConditionalCheckFailedException``.
- ``expression_attribute_names`` / ``expression_attribute_values``: the
  ``#name`` and ``:value`` placeholders of the expressions, values as Python
  values (floats stored exactly as ``Decimal(str(x))``).
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, get_args

from ..codec.answers import required
from ..codec.codec import item_to_wire
from .conditions import found_item_attached, on_failure_params
from .core import ServiceCore
from ..codec.expressions import Expression, expression_params
from ..codec.models import ItemOrModel, M, as_item, check_model
from .steps import Call, Steps
from .public import operation
from ..codec.updates import AddPath, DeletePath, Path, SetPath, UpdateBuilder
from ..codec.values import checked_options

OldValues = Literal["NONE", "ALL_OLD"]
UpdateValues = Literal["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]

ERROR_NO_UPDATE = (
    "update_expression must be a non-empty string such as 'SET #n = :v'; an "
    "update without one would store an item holding only its key"
)
ERROR_RETURN_VALUES = "return_values must be one of %s, got %r"
ERROR_PARTIAL_MODEL = (
    "model= needs a whole item: return_values must be ALL_NEW or ALL_OLD, got %r"
)


def _check_return_values(value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(ERROR_RETURN_VALUES % (", ".join(allowed), value))


class ItemOperations(ServiceCore):
    """Write, read, change and remove one item at a time."""

    @operation
    def put_item(
        self,
        item: ItemOrModel,
        table_name: str | None = None,
        *,
        condition_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        return_values: OldValues = "NONE",
        return_values_on_condition_check_failure: OldValues = "NONE",
        model: type[M] | None = None,
    ) -> Steps[M | None]:
        """Store an item, replacing any item with the same key.

        Example:
            >>> service.put_item({"pk": "c", "sk": 1, "state": "open", "qty": 2})
            >>> old = service.put_item({"pk": "a", "sk": 1}, return_values="ALL_OLD")
            >>> old["state"]
            'open'

        Args:
            item: The item, key attributes included; a dict or a pydantic
                model instance (stored as docs/reference.md, "Typed items" says).
            table_name: See the module docstring.
            condition_expression: e.g. ``Attr("pk").not_exists()``.
            expression_attribute_names: See the module docstring.
            expression_attribute_values: See the module docstring.
            return_values: ``"ALL_OLD"`` to return the item it replaced.
            return_values_on_condition_check_failure: ``"ALL_OLD"``: a
                failed condition's exception carries the item as it is
                (``error.item``, decoded; see :mod:`.conditions`).
            model: Return the replaced item as this pydantic model.

        Returns:
            None; with ``return_values="ALL_OLD"``, the replaced item or None.

        Raises:
            TypeError: If an attribute name is not a string, or ``model`` is
                not a pydantic model class.
            ValueError: If the item cannot be stored (see docs/failures.md, "Bad
                input"), a placeholder is not supplied, or no table resolves.
            botocore.exceptions.ClientError: If DynamoDB refuses the write,
                e.g. ``ConditionalCheckFailedException``.
        """
        table = self._resolve_table(table_name)
        checked = item_to_wire(as_item(item), "item")
        _check_return_values(return_values, ("NONE", "ALL_OLD"))
        check_model(model)
        yield from self._check_item_key(table, checked, "item")
        params = _old_values_params(
            expression_attribute_names,
            expression_attribute_values,
            condition_expression,
            return_values,
            return_values_on_condition_check_failure,
        )
        self.log.debug("Putting item into %s (%d attributes)", table, len(checked))
        with self._write_failures("put_item", table, model):
            response = yield Call(
                "PutItem", {"TableName": table, "Item": checked, **params}
            )
        self._done("Put item into %s", table)
        return self._old_item(response, return_values, table, model)

    @operation
    def get_item(
        self,
        key: ItemOrModel,
        table_name: str | None = None,
        *,
        projection_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        consistent_read: bool | None = None,
        model: type[M] | None = None,
    ) -> Steps[M | None]:
        """Read an item by its key.

        Example:
            >>> service.get_item({"pk": "a", "sk": 1})["state"]
            'open'
            >>> service.get_item({"pk": "a", "sk": 9}) is None
            True

        Args:
            key: The full primary key, or a model instance holding it.
            table_name: See the module docstring.
            projection_expression: Attributes to return, e.g. ``"pk, #n"``.
            expression_attribute_names: See the module docstring.
            consistent_read: True for a strongly consistent read.
            model: Return the item as this pydantic model.

        Returns:
            The item (a dict, or a ``model`` instance), or None if there is
            none with this key.

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If the key is empty or malformed, no table resolves,
                or the item does not fit ``model`` (see docs/reference.md, "Typed
                items").
            botocore.exceptions.ClientError: If DynamoDB refuses the read.
        """
        table = self._resolve_table(table_name)
        check_model(model)
        checked = yield from self._key(key, table)
        params = expression_params(
            names=expression_attribute_names,
            ProjectionExpression=projection_expression,
        )
        params.update(checked_options(ConsistentRead=consistent_read))
        self.log.debug("Getting item from %s by key %s", table, list(checked))
        with self._failure_logged("get_item", table):
            response = yield Call(
                "GetItem", {"TableName": table, "Key": checked, **params}
            )
        item = response.get("Item")
        self._done("Got item from %s: %s", table, "found" if item else "none")
        return None if item is None else self._out_as(item, table, model)

    @operation
    def update_item(
        self,
        key: ItemOrModel,
        update_expression: str,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        *,
        expression_attribute_names: Mapping[str, str] | None = None,
        condition_expression: Expression | None = None,
        return_values: UpdateValues = "ALL_NEW",
        return_values_on_condition_check_failure: OldValues = "NONE",
        model: type[M] | None = None,
    ) -> Steps[M]:
        """Change an item (creating it if absent) and return its attributes.

        Example:
            >>> service.update_item(
            ...     {"pk": "a", "sk": 1}, "SET #s = :s", {":s": "shipped"},
            ...     expression_attribute_names={"#s": "state"},
            ... )["state"]
            'shipped'

        Args:
            key: The full primary key, or a model instance holding it.
            update_expression: e.g. ``"SET #s = :s ADD hits :one"``.
            expression_attribute_values: See the module docstring; None when
                the expression uses none (``"REMOVE x"``).
            table_name: See the module docstring.
            expression_attribute_names: See the module docstring; needed for
                reserved words such as ``status`` or ``name``.
            condition_expression: See the module docstring.
            return_values: Which attributes to return: ``"ALL_NEW"`` (all,
                after the update), ``"UPDATED_NEW"``, ``"ALL_OLD"``,
                ``"UPDATED_OLD"`` or ``"NONE"``.
            return_values_on_condition_check_failure: As for :meth:`put_item`.
            model: Return the item as this pydantic model (with
                ``"ALL_NEW"`` or ``"ALL_OLD"``, the whole item).

        Returns:
            The attributes ``return_values`` asks for; ``{}`` for none.

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If the key is malformed, the expression empty, a
                placeholder not supplied, no table resolves, or the item does
                not fit ``model``.
            botocore.exceptions.ClientError: If DynamoDB refuses the update,
                e.g. ``ConditionalCheckFailedException``.
        """
        if not isinstance(update_expression, str) or not update_expression.strip():
            raise ValueError(ERROR_NO_UPDATE)
        return (
            yield from self._update(
                key,
                table_name,
                return_values,
                model,
                on_failure=return_values_on_condition_check_failure,
                names=expression_attribute_names,
                values=expression_attribute_values,
                UpdateExpression=update_expression,
                ConditionExpression=condition_expression,
            )
        )

    @operation
    def update_attributes(
        self,
        key: ItemOrModel,
        set: Mapping[SetPath, Any] | None = None,
        remove: Sequence[Path] | None = None,
        add: Mapping[AddPath, Any] | None = None,
        delete: Mapping[DeletePath, Any] | None = None,
        table_name: str | None = None,
        *,
        condition_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        return_values: UpdateValues = "ALL_NEW",
        return_values_on_condition_check_failure: OldValues = "NONE",
        model: type[M] | None = None,
    ) -> Steps[M]:
        """Change an item with an update written as dicts and lists.

        Every attribute name and value gets a generated placeholder, so
        reserved words and odd names need nothing special. A path is a name,
        or a tuple for a nested one: ``("address", "zip")``, ``("tags", 0)``.

        Example:
            >>> service.update_attributes(
            ...     {"pk": "a", "sk": 1},
            ...     set={"state": "shipped", "address": {"zip": "10115"}},
            ...     remove=["note"],
            ...     add={"qty": 1, "tags": {"gift"}},
            ... )["qty"]
            Decimal('4')

        Args:
            key: The full primary key, or a model instance holding it.
            set: Path to new value.
            remove: Paths to remove.
            add: Path to a number to add, or a set of members to add.
            delete: Path to a set of members to take out.
            table_name: See the module docstring.
            condition_expression: See the module docstring; its own
                placeholders go in the two arguments below.
            expression_attribute_names: Placeholders of the condition.
            expression_attribute_values: Placeholders of the condition.
            return_values: As in :meth:`update_item`.
            return_values_on_condition_check_failure: As for :meth:`put_item`.
            model: As in :meth:`update_item`.

        Returns:
            The attributes ``return_values`` asks for; ``{}`` for none.

        Raises:
            TypeError: If an action has the wrong type.
            ValueError: If no action names an attribute, a path is malformed,
                a value cannot be stored, or as :meth:`update_item`.
            botocore.exceptions.ClientError: As :meth:`update_item`.
        """
        builder = UpdateBuilder()
        expression = builder.build(set, remove, add, delete)
        return (
            yield from self._update(
                key,
                table_name,
                return_values,
                model,
                on_failure=return_values_on_condition_check_failure,
                names={**(expression_attribute_names or {}), **builder.names},
                values={**(expression_attribute_values or {}), **builder.values},
                UpdateExpression=expression,
                ConditionExpression=condition_expression,
            )
        )

    def _update(
        self,
        key: ItemOrModel,
        table_name: str | None,
        return_values: UpdateValues,
        model: type[M] | None,
        *,
        on_failure: OldValues,
        names: Mapping[str, str] | None,
        values: Mapping[str, Any] | None,
        **expressions: Expression | None,
    ) -> Steps[M]:
        table = self._resolve_table(table_name)
        check_model(model)
        checked = yield from self._key(key, table)
        _check_return_values(return_values, get_args(UpdateValues))
        if model is not None and return_values not in ("ALL_NEW", "ALL_OLD"):
            raise ValueError(ERROR_PARTIAL_MODEL % (return_values,))
        params = expression_params(names=names, values=values, **expressions)
        params.update(on_failure_params(on_failure))
        self.log.debug("Updating item in %s by key %s", table, list(checked))
        with self._write_failures("update_item", table, model):
            response = yield Call(
                "UpdateItem",
                {
                    "TableName": table,
                    "Key": checked,
                    "ReturnValues": return_values,
                    **params,
                },
            )
            if return_values == "ALL_NEW":
                required(response, "Attributes", "UpdateItem")
        self._done("Updated item in %s", table)
        return self._out_as(response.get("Attributes", {}), table, model)

    @operation
    def delete_item(
        self,
        key: ItemOrModel,
        table_name: str | None = None,
        *,
        condition_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        return_values: OldValues = "NONE",
        return_values_on_condition_check_failure: OldValues = "NONE",
        model: type[M] | None = None,
    ) -> Steps[M | None]:
        """Delete an item by its key (no error if it does not exist).

        Example:
            >>> service.delete_item(
            ...     {"pk": "a", "sk": 1}, condition_expression=Attr("state").eq("open")
            ... )

        Args:
            key: The full primary key, or a model instance holding it
                (``service.delete_item(order)``).
            table_name: See the module docstring.
            condition_expression: See the module docstring.
            expression_attribute_names: See the module docstring.
            expression_attribute_values: See the module docstring.
            return_values: ``"ALL_OLD"`` to return the deleted item.
            return_values_on_condition_check_failure: As for :meth:`put_item`.
            model: Return the deleted item as this pydantic model.

        Returns:
            None; with ``return_values="ALL_OLD"``, the deleted item or None.

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If the key is malformed, a placeholder is not
                supplied, or no table resolves.
            botocore.exceptions.ClientError: If DynamoDB refuses the delete,
                e.g. ``ConditionalCheckFailedException``.
        """
        table = self._resolve_table(table_name)
        check_model(model)
        checked = yield from self._key(key, table)
        _check_return_values(return_values, ("NONE", "ALL_OLD"))
        params = _old_values_params(
            expression_attribute_names,
            expression_attribute_values,
            condition_expression,
            return_values,
            return_values_on_condition_check_failure,
        )
        self.log.debug("Deleting item from %s by key %s", table, list(checked))
        with self._write_failures("delete_item", table, model):
            response = yield Call(
                "DeleteItem", {"TableName": table, "Key": checked, **params}
            )
        self._done("Deleted item from %s", table)
        return self._old_item(response, return_values, table, model)

    @contextmanager
    def _write_failures(
        self, operation: str, table: str, model: type[M] | None
    ) -> Iterator[None]:
        """A write's failure logged once; a failed condition's exception
        given the item found, read as this call reads items (see
        :mod:`.conditions`)."""
        with (
            self._failure_logged(operation, table),
            found_item_attached(lambda item: self._out_as(item, table, model)),
        ):
            yield

    def _old_item(
        self,
        response: dict[str, Any],
        return_values: OldValues,
        table: str,
        model: type[M] | None,
    ) -> M | None:
        old = response.get("Attributes")
        if return_values == "NONE" or not old:
            return None
        return self._out_as(old, table, model)


def _old_values_params(
    names: Mapping[str, str] | None,
    values: Mapping[str, Any] | None,
    condition: Expression | None,
    return_values: OldValues,
    on_failure: OldValues,
) -> dict[str, Any]:
    """The expression and return-value parameters of a put or a delete."""
    params = expression_params(
        names=names, values=values, ConditionExpression=condition
    )
    params.update(on_failure_params(on_failure))
    if return_values != "NONE":
        params["ReturnValues"] = return_values
    return params
