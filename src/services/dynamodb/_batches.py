"""Batch operations: write and read any number of items."""

import time
from typing import TYPE_CHECKING, Any, cast

from ._expressions import expression_params
from ._tables import TableOperations
from ._values import check_item, check_key, check_key_value, check_list, key_identity

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import KeysAndAttributesServiceResourceTypeDef

BATCH_GET_MAX_KEYS = 100
BATCH_GET_MAX_ROUNDS = 8
BATCH_GET_FIRST_BACKOFF_SECONDS = 0.05
BATCH_GET_MAX_BACKOFF_SECONDS = 1.0

ERROR_MISSING_KEY_ATTRIBUTE = "%s lacks key attribute %r of table %s"
ERROR_KEYS_NOT_READ = (
    "batch_get_items could not read %d of %d keys from table %s: DynamoDB "
    "still returned them as UnprocessedKeys after %d rounds"
)


class BatchOperations(TableOperations):
    """Write or read many items with as few requests as DynamoDB allows."""

    def batch_write_items(
        self, items: list[dict[str, Any]], table_name: str | None = None
    ) -> None:
        """Store any number of items, 25 per request, unprocessed ones resent.

        Every item is checked before anything is written. Items with the same
        key are written once: the last one in the list wins.

        Args:
            items: The items to store, key attributes included.
            table_name: Target table; defaults to the configured table.

        Raises:
            ValueError: If ``items`` is not a list of non-empty dicts, an item
                lacks a key attribute, or no table can be resolved. Nothing is
                written then.
            botocore.exceptions.ClientError: If DynamoDB refuses a request.
        """
        table = self._resolve_table(table_name)
        checked = [
            check_item(item, "items[%d]" % index)
            for index, item in enumerate(check_list(items, "items"))
        ]
        self.log.debug("Batch writing %d items to %s", len(checked), table)
        unique = self._last_per_key(table, checked) if checked else []
        with self._failure_logged("batch_write_items", table):
            with self._table(table).batch_writer() as writer:
                for item in unique:
                    writer.put_item(Item=item)
        self.log.info(
            "Batch wrote %d items to %s (%d replaced by a later duplicate)",
            len(unique),
            table,
            len(checked) - len(unique),
        )

    def _last_per_key(
        self, table: str, items: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Check every item's key attributes; keep the last item per key."""
        key_names = self._key_names(table)
        by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
        for index, item in enumerate(items):
            label = "items[%d]" % index
            for name in key_names:
                if name not in item:
                    raise ValueError(ERROR_MISSING_KEY_ATTRIBUTE % (label, name, table))
                check_key_value(item[name], name, label)
            identity = tuple(item[name] for name in key_names)
            by_key.pop(identity, None)  # re-inserted last: order of last writes
            by_key[identity] = item
        return list(by_key.values())

    def batch_get_items(
        self,
        keys: list[dict[str, Any]],
        table_name: str | None = None,
        *,
        projection_expression: str | None = None,
        expression_attribute_names: dict[str, str] | None = None,
        consistent_read: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Read any number of items by key, 100 keys per request.

        Duplicate keys are read once. Keys DynamoDB returns as
        ``UnprocessedKeys`` are requested again, with a short growing pause,
        for at most ``BATCH_GET_MAX_ROUNDS`` rounds.

        Args:
            keys: Full primary keys of the items.
            table_name: Target table; defaults to the configured table.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names.
            consistent_read: True for strongly consistent reads.

        Returns:
            The items found, each once, in no particular order; keys with no
            item are left out.

        Raises:
            ValueError: If a key is malformed or no table can be resolved.
            RuntimeError: If keys are still unprocessed after the last round;
                the message says how many.
            botocore.exceptions.ClientError: If DynamoDB refuses a request.
        """
        table = self._resolve_table(table_name)
        checked = [
            check_key(key, "keys[%d]" % index)
            for index, key in enumerate(check_list(keys, "keys"))
        ]
        unique = list({key_identity(key): key for key in checked}.values())
        request = expression_params(
            names=expression_attribute_names, ProjectionExpression=projection_expression
        )
        if consistent_read is not None:
            request["ConsistentRead"] = consistent_read
        self.log.debug("Batch getting %d keys from %s", len(unique), table)
        with self._failure_logged("batch_get_items", table):
            items = self._read_all_keys(table, unique, request)
        self.log.info("Batch got %d of %d keys from %s", len(items), len(unique), table)
        return [self._out(item) for item in items]

    def _read_all_keys(
        self, table: str, keys: list[dict[str, Any]], request: dict[str, Any]
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        pending = keys
        for round_number in range(BATCH_GET_MAX_ROUNDS):
            if round_number:
                time.sleep(
                    min(
                        BATCH_GET_FIRST_BACKOFF_SECONDS * 2 ** (round_number - 1),
                        BATCH_GET_MAX_BACKOFF_SECONDS,
                    )
                )
            pending = self._read_round(table, pending, request, items)
            if not pending:
                return items
        raise RuntimeError(
            ERROR_KEYS_NOT_READ % (len(pending), len(keys), table, BATCH_GET_MAX_ROUNDS)
        )

    def _read_round(
        self,
        table: str,
        keys: list[dict[str, Any]],
        request: dict[str, Any],
        items: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Request every key once; add found items; return unprocessed keys."""
        resource = self._thread_resource()
        unprocessed: list[dict[str, Any]] = []
        for start in range(0, len(keys), BATCH_GET_MAX_KEYS):
            chunk = keys[start : start + BATCH_GET_MAX_KEYS]
            response = resource.batch_get_item(
                RequestItems={
                    table: cast(
                        "KeysAndAttributesServiceResourceTypeDef",
                        {"Keys": chunk, **request},
                    )
                }
            )
            items.extend(response["Responses"].get(table, []))
            left = response.get("UnprocessedKeys", {}).get(table)
            if left:
                unprocessed.extend(left["Keys"])
        if unprocessed:
            self.log.debug(
                "%d keys of %s unprocessed, requesting them again",
                len(unprocessed),
                table,
            )
        return unprocessed
