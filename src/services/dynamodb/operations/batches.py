"""Batch operations: write and read any number of items.

Every item or key is checked and converted before the first request, so bad
input writes nothing. Requests DynamoDB hands back unprocessed are resent in
bounded rounds (see :mod:`.rounds`); what is still unconfirmed at the end,
or when a request fails midway, is raised as a
:class:`~services.dynamodb.errors.BatchIncompleteError` that carries it.
"""

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from botocore.parsers import ResponseParserError

from ..codec.answers import ERROR_MALFORMED_FIELD, required
from ..codec.codec import KeyTypes, check_key_types, item_to_wire
from ..codec.load import MALFORMED_ERRORS
from ..codec.wire import Wire
from ..codec.expressions import expression_params
from ..codec.models import ItemOrModel, ItemT, M, as_item, check_model
from .pacing import Bulk, log_pace, paced, start_pacing
from .rounds import MAX_ROUNDS, Outcome, send_in_rounds
from .steps import Call, Steps
from .public import operation
from .tables import TableOperations
from ..codec.values import check_list, checked_options
from ..errors import batch_incomplete

BATCH_WRITE_MAX_ITEMS = 25
BATCH_GET_MAX_KEYS = 100

ERROR_NOT_CONFIRMED = (
    "%s confirmed %d of %d on table %s; %d not confirmed (see .unprocessed)"
)
ERROR_STILL_UNPROCESSED = "still unprocessed after %d rounds" % MAX_ROUNDS
REASON_OTHER_TABLE = "names a table the request did not"
REASON_NOT_SENT = "names an item or key the request did not send"


class Request(NamedTuple):
    """One item or key: as the caller passed it, and as DynamoDB JSON."""

    given: ItemOrModel
    wire: Wire


def key_identity(wire: Wire, names: Any) -> tuple[Any, ...]:
    """A hashable identity of an item's key, equal for equal keys.

    Args:
        wire: The item or key as DynamoDB JSON.
        names: The key attribute names.

    Returns:
        One value per key attribute; numbers compared by value (1 == 1.0).
    """
    identity = []
    for name in names:
        ((tag, value),) = wire[name].items()
        identity.append(Decimal(value) if tag == "N" else value)
    return tuple(identity)


class BatchOperations(TableOperations):
    """Write or read many items with as few requests as DynamoDB allows."""

    @operation
    def batch_write_items(
        self,
        items: Sequence[ItemT],
        table_name: str | None = None,
        *,
        max_write_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Steps[None]:
        """Store any number of items, 25 per request, unprocessed ones resent.

        Every item is checked before anything is written. Items with the same
        key are written once: the last one in the list wins.

        Example:
            >>> service.batch_write_items([{"pk": "c", "sk": n} for n in range(30)])
            >>> service.count(Key("pk").eq("c"))
            30

        Args:
            items: The items to store, key attributes included: dicts or
                pydantic model instances.
            table_name: Target table; defaults to the configured table.
            max_write_units_per_second: Pace the writes to this many write
                capacity units per second (see docs/reference.md, "Bulk
                work"); None for full speed.
            progress: Called after each request with the running count of
                items confirmed written; the last call gives the total. What
                it raises stops the batch (as a ``BatchIncompleteError``).

        Raises:
            TypeError: If an attribute name is not a string, or ``progress``
                is not callable.
            ValueError: If ``items`` is not a list of non-empty dicts, an item
                cannot be stored (unsupported value, number out of range,
                over 400 KB, key attribute missing or of the wrong type), no
                table can be resolved, or ``max_write_units_per_second`` is
                not a positive number. Nothing is written then.
            BatchIncompleteError: If DynamoDB did not confirm every item; its
                ``unprocessed`` lists those items. A subclass of
                ``RuntimeError`` and, when a request failed, of that error's
                class too (e.g. ``ClientError``).
        """
        bulk = Bulk(max_write_units_per_second, progress)
        bulk.checked("max_write_units_per_second")
        table = self._resolve_table(table_name)
        requests = [
            Request(item, item_to_wire(as_item(item), "items[%d]" % index))
            for index, item in enumerate(check_list(items, "items"))
        ]
        if not requests:
            bulk.report(0)
            self._done("Batch wrote 0 items to %s", table)
            return
        unique, key_names = yield from self._last_per_key(table, requests)
        self.log.debug("Batch writing %d items to %s", len(unique), table)
        yield from self._write_all(
            "batch_write_items", table, unique, "PutRequest", bulk, key_names
        )
        self._done(
            "Batch wrote %d items to %s (%d replaced by a later duplicate)",
            len(unique),
            table,
            len(requests) - len(unique),
        )

    @operation
    def batch_delete_items(
        self,
        keys: Sequence[ItemT],
        table_name: str | None = None,
        *,
        max_write_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Steps[None]:
        """Delete any number of items by key, 25 per request.

        Same guarantees as :meth:`batch_write_items`: every key is checked
        before the first request, duplicate keys are deleted once, and
        unprocessed deletes are resent in bounded rounds. Keys with no item
        are no error.

        Example:
            >>> service.batch_delete_items([{"pk": "a", "sk": 1}, {"pk": "a", "sk": 2}])
            >>> service.count(Key("pk").eq("a"))
            0

        Args:
            keys: Full primary keys of the items, or model instances.
            table_name: Target table; defaults to the configured table.
            max_write_units_per_second: As in :meth:`batch_write_items`.
            progress: Called with the running count of deletes confirmed,
                as in :meth:`batch_write_items`.

        Raises:
            TypeError: If ``progress`` is not callable.
            ValueError: If a key is malformed, no table resolves, or
                ``max_write_units_per_second`` is not a positive number;
                nothing is deleted then.
            BatchIncompleteError: If DynamoDB did not confirm every delete;
                its ``unprocessed`` lists those keys (deleting again is safe).
        """
        bulk = Bulk(max_write_units_per_second, progress)
        bulk.checked("max_write_units_per_second")
        table = self._resolve_table(table_name)
        unique = yield from self._unique_keys(table, keys)
        self.log.debug("Batch deleting %d keys from %s", len(unique), table)
        if unique:
            yield from self._write_all(
                "batch_delete_items", table, unique, "DeleteRequest", bulk
            )
        else:
            bulk.report(0)
        self._done("Batch deleted %d keys from %s", len(unique), table)

    def _unique_keys(self, table: str, keys: object) -> Steps[list[Request]]:
        """Check every key, by the table's key schema (asked of DynamoDB if
        not known yet: a batch sends many requests, and a key DynamoDB would
        refuse must stop it before the first); keep the first of equal keys."""
        given = check_list(keys, "keys")
        if given and table not in self._key_schemas:
            yield from self._describe_key_types(table)
        by_key: dict[tuple[Any, ...], Request] = {}
        for index, key in enumerate(given):
            label = "keys[%d]" % index
            wire = self._known_key(key, table, label)
            if wire is None:  # the schema is not known, or refuses the key
                wire = yield from self._key(key, table, label)
            by_key.setdefault(key_identity(wire, sorted(wire)), Request(key, wire))
        return list(by_key.values())

    def _write_all(
        self,
        operation: str,
        table: str,
        requests: list[Request],
        kind: str,
        bulk: Bulk,
        key_names: list[str] | None = None,
    ) -> Steps[None]:
        """Send every write in rounds, paced to the job's budget of write
        units if it has one, telling its progress what is confirmed."""
        pacer = start_pacing(self.log, bulk.budget, operation, table)
        with self._failure_logged(operation, table):
            rounds = send_in_rounds(
                requests,
                BATCH_WRITE_MAX_ITEMS,
                lambda chunk: self._write_chunk(table, chunk, kind, key_names),
                bulk.progress,
            )
            outcome = yield from paced(rounds, pacer)
            if outcome.unconfirmed:
                self._raise_incomplete(operation, table, requests, outcome)
        log_pace(self.log, pacer, operation, table)

    def _last_per_key(
        self, table: str, requests: list[Request]
    ) -> Steps[tuple[list[Request], list[str]]]:
        """Check every item's key; keep the last item per key; return them and
        the key attribute names.

        A key schema remembered from earlier is trusted only when it finds
        every item fine and distinct: if it would refuse or merge items, the
        table may have been recreated since, so DynamoDB is asked again.
        """
        remembered = self._key_schemas.get(table)
        if remembered is not None:
            try:
                unique = _unique_by_key(table, remembered, requests)
                if len(unique) == len(requests):
                    return unique, list(remembered)
            except ValueError:
                pass
        described = yield from self._describe_key_types(table)
        return _unique_by_key(table, described, requests), list(described)

    def _write_chunk(
        self,
        table: str,
        chunk: list[Request],
        kind: str,
        key_names: list[str] | None,
    ) -> Steps[list[Request]]:
        """Send one BatchWriteItem of puts or deletes; return the unprocessed."""
        field = "Item" if kind == "PutRequest" else "Key"

        def identity(wire: Wire) -> tuple[Any, ...]:
            return key_identity(wire, sorted(wire) if key_names is None else key_names)

        writes = [{kind: {field: r.wire}} for r in chunk]
        response = yield Call("BatchWriteItem", {"RequestItems": {table: writes}})
        operation, answer_field = "BatchWriteItem", "UnprocessedItems"
        unprocessed = for_table(
            required(response, answer_field, operation), table, operation, answer_field
        )
        answered = [write.get(kind, {}).get(field) for write in unprocessed or []]
        return sent_requests(chunk, identity, answered, operation, answer_field)

    @operation
    def batch_get_items(
        self,
        keys: Sequence[ItemT],
        table_name: str | None = None,
        *,
        projection_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        consistent_read: bool | None = None,
        model: type[M] | None = None,
    ) -> Steps[list[M]]:
        """Read any number of items by key, 100 keys per request.

        Duplicate keys are read once. Keys DynamoDB returns as
        ``UnprocessedKeys`` are requested again in bounded rounds.

        Example:
            >>> keys = [{"pk": "a", "sk": 1}, {"pk": "b", "sk": 1}]
            >>> sorted(item["pk"] for item in service.batch_get_items(keys))
            ['a', 'b']

        Args:
            keys: Full primary keys of the items, or model instances.
            table_name: Target table; defaults to the configured table.
            projection_expression: Attributes to return.
            expression_attribute_names: Placeholders for attribute names.
            consistent_read: True for strongly consistent reads.
            model: Return instances of this pydantic model, validated.

        Returns:
            The items found, each once, in no particular order; keys with no
            item are left out.

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If a key is malformed, no table can be resolved, or
                an item does not fit ``model``.
            BatchIncompleteError: If some keys were not confirmed read; it
                carries them (``unprocessed``) and the items read (``items``).
                A subclass of ``RuntimeError`` and, when a request failed, of
                that error's class too.
        """
        table = self._resolve_table(table_name)
        check_model(model)
        unique = yield from self._unique_keys(table, keys)
        request = expression_params(
            names=expression_attribute_names, ProjectionExpression=projection_expression
        )
        request.update(checked_options(ConsistentRead=consistent_read))
        self.log.debug("Batch getting %d keys from %s", len(unique), table)
        found: list[dict[str, Any]] = []  # decoded by the service's parser
        with self._failure_logged("batch_get_items", table):
            outcome = yield from send_in_rounds(
                unique,
                BATCH_GET_MAX_KEYS,
                lambda chunk: self._read_chunk(table, chunk, request, found),
            )
            read = self._reader(table, model)
            items = [read(item) for item in found]
            if outcome.unconfirmed:
                self._raise_incomplete("batch_get_items", table, unique, outcome, items)
        self._done("Batch got %d of %d keys from %s", len(items), len(unique), table)
        return items

    def _read_chunk(
        self,
        table: str,
        chunk: list[Request],
        request: dict[str, Any],
        found: list[dict[str, Any]],
    ) -> Steps[list[Request]]:
        """Request one chunk of keys; add found items; return unprocessed keys."""
        operation = "BatchGetItem"
        keys = [r.wire for r in chunk]
        response = yield Call(
            operation, {"RequestItems": {table: {"Keys": keys, **request}}}
        )
        responses = required(response, "Responses", operation)
        found.extend(for_table(responses, table, operation, "Responses") or [])
        unprocessed = response.get("UnprocessedKeys", {})
        left = for_table(unprocessed, table, operation, "UnprocessedKeys") or {}
        if not left.get("Keys"):
            return []
        return sent_requests(
            chunk,
            lambda key: key_identity(key, sorted(key)),
            left["Keys"],
            operation,
            "UnprocessedKeys",
        )

    def _raise_incomplete(
        self,
        operation: str,
        table: str,
        requests: list[Request],
        outcome: Outcome[Request],
        items: list[Any] | None = None,
    ) -> None:
        unconfirmed = outcome.unconfirmed
        done = len(requests) - len(unconfirmed)
        message = ERROR_NOT_CONFIRMED % (
            operation,
            done,
            len(requests),
            table,
            len(unconfirmed),
        )
        if outcome.error is None:
            message += ": " + ERROR_STILL_UNPROCESSED
        raise batch_incomplete(
            message,
            outcome.error,
            operation=operation,
            table_name=table,
            unprocessed=[r.given for r in unconfirmed],
            items=items,
        ) from outcome.error


def for_table(answer: Mapping[str, Any], table: str, operation: str, field: str) -> Any:
    """The part for ``table`` of an answer's per-table field (or None).

    Raises:
        ResponseParserError: If the field names another table: whatever
            DynamoDB meant, it is not an answer to this request.
    """
    if any(name != table for name in answer):
        reason = REASON_OTHER_TABLE
        raise ResponseParserError(ERROR_MALFORMED_FIELD % (operation, field, reason))
    return answer.get(table)


def sent_requests(
    chunk: list[Request],
    identity: Callable[[Wire], tuple[Any, ...]],
    answered: list[Any],
    operation: str,
    field: str,
) -> list[Request]:
    """The requests of ``chunk`` an answer hands back, by key.

    Raises:
        ResponseParserError: If the answer names an item or key that was not
            sent (no values in the message).
    """
    if not answered:  # the usual answer: everything was done
        return []
    by_key = {identity(request.wire): request for request in chunk}
    try:
        return [by_key[identity(wire)] for wire in answered]
    except MALFORMED_ERRORS:
        reason = REASON_NOT_SENT
    raise ResponseParserError(ERROR_MALFORMED_FIELD % (operation, field, reason))


def _unique_by_key(
    table: str, key_types: KeyTypes, requests: list[Request]
) -> list[Request]:
    by_key: dict[tuple[Any, ...], Request] = {}
    for index, request in enumerate(requests):
        check_key_types(request.wire, "items[%d]" % index, table, key_types)
        identity = key_identity(request.wire, key_types)
        by_key.pop(identity, None)  # re-inserted last: in the order of last writes
        by_key[identity] = request
    return list(by_key.values())
