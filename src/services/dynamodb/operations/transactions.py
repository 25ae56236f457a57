"""All-or-nothing writes and reads across items (and tables)."""

from collections.abc import Mapping, Sequence
from typing import Any

from ..codec.answers import required
from ..codec.codec import item_to_wire
from .core import ServiceCore
from ..codec.expressions import expression_params
from ..codec.models import ItemT, M, as_item, check_model
from .steps import Call, Steps
from .public import operation
from ..codec.values import check_list

MAX_TRANSACTION_ACTIONS = 100
ACTION_KINDS = ("Put", "Update", "Delete", "ConditionCheck")
EXPRESSION_FIELDS = ("ConditionExpression", "UpdateExpression")
PASSED_THROUGH_FIELDS = ("ReturnValuesOnConditionCheckFailure",)

ERROR_TRANSACTION_SIZE = "a transaction takes 1 to 100 actions, got %d"
ERROR_ACTION_SHAPE = (
    "actions[%d] must be a dict with exactly one of Put, Update, Delete, "
    "ConditionCheck, got %s"
)
ERROR_ACTION_FIELD = "actions[%d] (%s) needs %r"
ERROR_ACTION_FIELD_TYPE = "actions[%d] (%s): %r must be a string"
ERROR_UNKNOWN_FIELDS = "actions[%d] (%s) has unknown fields: %s"
ERROR_REQUEST_TOKEN = (
    "client_request_token must be a string of 1 to 36 characters, got %r"
)

REQUIRED_FIELDS = {
    "Put": ("Item",),
    "Update": ("Key", "UpdateExpression"),
    "Delete": ("Key",),
    "ConditionCheck": ("Key", "ConditionExpression"),
}
KNOWN_FIELDS = {
    "TableName",
    "Item",
    "Key",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    *EXPRESSION_FIELDS,
    *PASSED_THROUGH_FIELDS,
}


class TransactionOperations(ServiceCore):
    """DynamoDB transactions with the plain-dict items of the rest of the API."""

    @operation
    def transact_write_items(
        self,
        actions: Sequence[Mapping[str, Any]],
        *,
        client_request_token: str | None = None,
    ) -> Steps[None]:
        """Apply up to 100 writes atomically: all of them or none.

        Each action is DynamoDB's own shape with plain Python values, e.g.
        ``{"Put": {"Item": {...}}}`` (the item a dict or a pydantic model
        instance; a ``Key`` may be a model instance too), ``{"Update": {"Key": {...},
        "UpdateExpression": "ADD n :one", "ExpressionAttributeValues":
        {":one": 1}}}``, ``{"Delete": {"Key": {...}}}`` or
        ``{"ConditionCheck": {"Key": {...}, "ConditionExpression":
        Attr("state").eq("open")}}``. ``TableName`` defaults to the configured
        table.

        Example:
            >>> service.transact_write_items([
            ...     {"Put": {"Item": {"pk": "c", "sk": 1, "state": "open"}}},
            ...     {"Delete": {"Key": {"pk": "a", "sk": 1}}},
            ... ])

        Args:
            actions: The writes, 1 to 100 of them.
            client_request_token: DynamoDB's idempotency token (1 to 36
                characters): a transaction sent again with the same token
                within 10 minutes is applied once. botocore resends a request
                whose answer was lost, so give one whenever applying twice
                would be wrong (an ``ADD`` counter, a transfer).

        Raises:
            ValueError: If an action is malformed or the token is not 1 to 36
                characters; nothing is sent then.
            botocore.exceptions.ClientError: ``TransactionCanceledException``
                (with its ``CancellationReasons``) when a condition fails or
                the transaction conflicts; nothing of it is stored.
        """
        check_list(actions, "actions")
        if not 1 <= len(actions) <= MAX_TRANSACTION_ACTIONS:
            raise ValueError(ERROR_TRANSACTION_SIZE % len(actions))
        request = []
        for index, action in enumerate(actions):
            request.append((yield from self._transact_action(index, action)))
        tables = sorted({body["TableName"] for a in request for body in a.values()})
        token: dict[str, str] = {}
        if client_request_token is not None:
            if not isinstance(client_request_token, str) or not (
                1 <= len(client_request_token) <= 36
            ):
                raise ValueError(ERROR_REQUEST_TOKEN % (client_request_token,))
            token["ClientRequestToken"] = client_request_token
        self.log.debug("Writing a transaction of %d actions", len(request))
        with self._failure_logged("transact_write_items", ", ".join(tables)):
            yield Call("TransactWriteItems", {"TransactItems": request, **token})
        self._done("Wrote a transaction of %d actions to %s", len(request), tables)

    def _transact_action(self, index: int, action: object) -> Steps[dict[str, Any]]:
        if not isinstance(action, Mapping) or len(action) != 1:
            raise ValueError(ERROR_ACTION_SHAPE % (index, _shape(action)))
        ((kind, body),) = action.items()
        if kind not in ACTION_KINDS or not isinstance(body, Mapping):
            raise ValueError(ERROR_ACTION_SHAPE % (index, _shape(action)))
        for field in REQUIRED_FIELDS[kind]:
            if field not in body:
                raise ValueError(ERROR_ACTION_FIELD % (index, kind, field))
        unknown = sorted(set(body) - KNOWN_FIELDS)
        if unknown:
            raise ValueError(ERROR_UNKNOWN_FIELDS % (index, kind, ", ".join(unknown)))
        label = "actions[%d]" % index
        table = self._resolve_table(body.get("TableName"))
        checked: dict[str, Any] = {"TableName": table}
        if "Item" in body:
            checked["Item"] = item_to_wire(as_item(body["Item"]), label + " Item")
        if "Key" in body:
            checked["Key"] = yield from self._key(body["Key"], table, label + " Key")
        checked.update(
            expression_params(
                names=body.get("ExpressionAttributeNames"),
                values=body.get("ExpressionAttributeValues"),
                **{field: body.get(field) for field in EXPRESSION_FIELDS},
            )
        )
        for field in PASSED_THROUGH_FIELDS:
            if field in body:
                if not isinstance(body[field], str):
                    raise ValueError(ERROR_ACTION_FIELD_TYPE % (index, kind, field))
                checked[field] = body[field]
        return {kind: checked}

    @operation
    def transact_get_items(
        self,
        keys: Sequence[ItemT],
        table_name: str | None = None,
        *,
        projection_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        model: type[M] | None = None,
    ) -> Steps[list[M | None]]:
        """Read up to 100 items as one consistent snapshot.

        Example:
            >>> keys = [{"pk": "a", "sk": 1}, {"pk": "a", "sk": 9}]
            >>> found, missing = service.transact_get_items(keys)
            >>> found["state"], missing
            ('open', None)

        Args:
            keys: Full primary keys (or model instances), 1 to 100 of them.
            table_name: Target table; defaults to the configured table.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names.
            model: Return instances of this pydantic model, validated.

        Returns:
            One entry per key, in the order of ``keys``: the item, or None.

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If a key is malformed, there are not 1 to 100 keys,
                or an item does not fit ``model``.
            botocore.exceptions.ClientError: e.g. ``TransactionCanceledException``
                when a write to these items is in progress.
        """
        table = self._resolve_table(table_name)
        check_model(model)
        check_list(keys, "keys")
        if not 1 <= len(keys) <= MAX_TRANSACTION_ACTIONS:
            raise ValueError(ERROR_TRANSACTION_SIZE % len(keys))
        extra = expression_params(
            names=expression_attribute_names, ProjectionExpression=projection_expression
        )
        request = []
        for index, key in enumerate(keys):
            wire = yield from self._key(key, table, "keys[%d]" % index)
            request.append({"Get": {"TableName": table, "Key": wire, **extra}})
        self.log.debug("Reading a transaction of %d keys from %s", len(keys), table)
        with self._failure_logged("transact_get_items", table):
            response = yield Call("TransactGetItems", {"TransactItems": request})
            answers = required(response, "Responses", "TransactGetItems")
        items = [answer.get("Item") for answer in answers]
        found = sum(item is not None for item in items)
        self._done(
            "Read a transaction from %s: %d of %d found", table, found, len(keys)
        )
        read = self._reader(table, model)
        return [None if item is None else read(item) for item in items]


def _shape(action: object) -> str:
    """What a malformed action is, by its keys or type: never its values."""
    if isinstance(action, Mapping):
        return "a %s with keys %s" % (
            type(action).__name__,
            sorted(str(key) for key in action),
        )
    return "a %s" % type(action).__name__
