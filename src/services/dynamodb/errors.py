"""The one error the library adds: a batch it could not complete; and why
DynamoDB throttled a request (:func:`throttling_reasons`).

Everything else the library raises is botocore's own exception, unchanged, or
a ``ValueError``/``TypeError`` for bad input seen before anything is sent.
"""

import pickle
import re
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

ERROR_CAUSE_NOT_PICKLABLE = "%s (could not be pickled): %s"
# ``ThrottlingException`` names the field in camel case, the others not.
THROTTLING_FIELDS = ("ThrottlingReasons", "throttlingReasons")
_REASON_PARTS = re.compile(r"^(Table|Index)(Read|Write)(\w+)$")


@dataclass(frozen=True)
class ThrottlingReason:
    """Why DynamoDB throttled a request, as its error answer says.

    Throttling errors (``ThrottlingException``,
    ``ProvisionedThroughputExceededException``, ``RequestLimitExceeded``)
    carry these; :func:`throttling_reasons` reads them, and the service sets
    them as the error's ``throttling_reasons`` where it logs the failure.

    Example:
        >>> reason = ThrottlingReason(
        ...     "TableReadProvisionedThroughputExceeded",
        ...     "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
        ... )
        >>> reason.resource_type, reason.operation_type, reason.limit_type
        ('Table', 'Read', 'ProvisionedThroughputExceeded')

    Attributes:
        reason: DynamoDB's code, resource type + operation type + limit
            type, e.g. ``"IndexWriteAccountLimitExceeded"``.
        resource: The ARN of the table or index throttled, or None.
    """

    reason: str
    resource: str | None = None

    @property
    def resource_type(self) -> str | None:
        """``"Table"`` or ``"Index"``; None for a code of another form."""
        return self._part(1)

    @property
    def operation_type(self) -> str | None:
        """``"Read"`` or ``"Write"``; None for a code of another form."""
        return self._part(2)

    @property
    def limit_type(self) -> str | None:
        """``"ProvisionedThroughputExceeded"``, ``"AccountLimitExceeded"``,
        ``"KeyRangeThroughputExceeded"``, ``"MaxOnDemandThroughputExceeded"``
        ...; None for a code of another form."""
        return self._part(3)

    def _part(self, number: int) -> str | None:
        match = _REASON_PARTS.match(self.reason)
        return None if match is None else match.group(number)


def throttling_reasons(error: BaseException) -> tuple[ThrottlingReason, ...]:
    """Why DynamoDB throttled the request that raised ``error``.

    Read from botocore's parsed error answer (``error.response``), as
    DynamoDB's model names the field, on either transport.

    Example:
        >>> reason = {"reason": "TableWriteKeyRangeThroughputExceeded"}
        >>> error = ClientError(
        ...     {"Error": {"Code": "ThrottlingException"},
        ...      "throttlingReasons": [reason]},
        ...     "PutItem",
        ... )
        >>> [reason.limit_type for reason in throttling_reasons(error)]
        ['KeyRangeThroughputExceeded']

    Args:
        error: Any exception.

    Returns:
        The reasons, in DynamoDB's order; empty for an error that is not a
        ``ClientError`` or whose answer gives none.
    """
    if not isinstance(error, ClientError):
        return ()
    entries: object = None
    for field in THROTTLING_FIELDS:
        entries = error.response.get(field)
        if entries is not None:
            break
    if not isinstance(entries, list):
        return ()
    return tuple(
        ThrottlingReason(
            entry["reason"],
            entry["resource"] if isinstance(entry.get("resource"), str) else None,
        )
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("reason"), str)
    )


class BatchIncompleteError(RuntimeError):
    """A batch stopped before DynamoDB confirmed all of it.

    Raised when DynamoDB kept handing requests back as unprocessed for every
    round the library allows, or when anything stopped the batch midway (an
    error answer, a timeout, a lost connection, a damaged answer). In the
    second case that error is the ``__cause__``, and the raised object is
    also an instance of the cause's class wherever Python can combine the
    two classes, so an ``except ClientError`` (or ``except
    service.exceptions.X``, ``except ReadTimeoutError``) written for the
    failure still catches it. ``except BatchIncompleteError`` always does.

    It survives pickling (a ``ProcessPoolExecutor`` worker can raise it):
    class, message, ``unprocessed``, ``items`` and ``cause``. A modeled
    botocore exception as cause comes back as a plain ``ClientError``, as
    botocore pickles it, with the same ``response``. (``concurrent.futures``
    sets ``__cause__`` to the worker's traceback; ``cause`` keeps the error.)

    Attributes:
        operation: ``batch_write_items``, ``batch_get_items`` or
            ``batch_delete_items``.
        table_name: The table.
        unprocessed: What DynamoDB did not confirm, as the caller passed it:
            items not confirmed written, or keys not confirmed read or deleted.
            Some may have been applied; writing them (or deleting them) again
            is safe, as puts and deletes by key are idempotent.
        items: Items read before the batch stopped (``batch_get_items``): dicts,
            or instances of its ``model=``.
        cause: The error that stopped the batch (also its ``__cause__``), or
            None when DynamoDB kept handing requests back.
    """

    operation: str
    table_name: str
    unprocessed: list[Any]
    items: list[Any]
    cause: BaseException | None = None

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        table_name: str,
        unprocessed: list[Any],
        items: list[Any] | None = None,
    ) -> None:
        """Describe the incomplete batch.

        Args:
            message: What happened, with counts and no attribute values.
            operation: The batch operation.
            table_name: The table.
            unprocessed: What DynamoDB did not confirm, as the caller passed it.
            items: Items read before the batch stopped, if it reads.
        """
        super().__init__(message)
        _fill(self, operation, table_name, unprocessed, items)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the message, the fields and the cause, rebuilt on load."""
        fields = (self.operation, self.table_name, self.unprocessed, self.items)
        return _rebuild, (str(self.args[0]), _portable(self.cause), fields)

    def __str__(self) -> str:
        """The message (a combined class keeps this, not the cause's own)."""
        return str(self.args[0])


_COMBINED_CLASSES: dict[type[BaseException], type[BatchIncompleteError]] = {}


def batch_incomplete(
    message: str,
    cause: Exception | None,
    *,
    operation: str,
    table_name: str,
    unprocessed: list[Any],
    items: list[Any] | None = None,
) -> BatchIncompleteError:
    """Build the error for an incomplete batch, of the cause's class too.

    Args:
        message: What happened, with counts and no attribute values.
        cause: The error that stopped the batch, or None when DynamoDB kept
            returning unprocessed requests.
        operation: The batch operation.
        table_name: The table.
        unprocessed: What DynamoDB did not confirm, as the caller passed it.
        items: Items read before the batch stopped, if it reads.

    Returns:
        A :class:`BatchIncompleteError` whose ``__cause__`` is ``cause``;
        with a cause whose class can be combined with it, an instance of a
        class derived from both, holding the cause's state (``response``,
        ``operation_name``, ...).
    """
    text = message if cause is None else "%s: %s" % (message, _describe(cause))
    fields = (operation, table_name, unprocessed, items)
    return _rebuild(text, cause, fields)


def _rebuild(
    text: str, cause: BaseException | None, fields: tuple[Any, ...]
) -> BatchIncompleteError:
    error = _combined(text, cause)
    if error is None:
        error = BatchIncompleteError(
            text,
            operation=fields[0],
            table_name=fields[1],
            unprocessed=fields[2],
            items=fields[3],
        )
    else:
        _fill(error, *fields)
    error.cause = error.__cause__ = cause
    return error


def _combined(text: str, cause: BaseException | None) -> BatchIncompleteError | None:
    """An instance of the cause's class and ours, or None if none can be made."""
    if cause is None:
        return None
    combined = _combined_class(type(cause))
    if combined is BatchIncompleteError:
        return None
    error = combined.__new__(combined)
    error.__dict__.update(cause.__dict__)
    error.args = (text,)
    return error


def _combined_class(cause_class: type[BaseException]) -> type[BatchIncompleteError]:
    """A class derived from the cause's class and ours (cached), or ours alone.

    The cause's class comes first: its instance layout (``OSError``'s, for
    timeouts and lost connections) is the one an instance needs.
    """
    combined = _COMBINED_CLASSES.get(cause_class)
    if combined is not None:
        return combined
    namespace = {
        "__module__": __name__,
        "__reduce__": BatchIncompleteError.__reduce__,
        "__str__": BatchIncompleteError.__str__,
    }
    name = "BatchIncompleteError(%s)" % cause_class.__name__
    combined = BatchIncompleteError
    orders = (cause_class, BatchIncompleteError), (BatchIncompleteError, cause_class)
    for bases in orders:
        try:
            candidate: type[BatchIncompleteError] = type(name, bases, namespace)
            candidate.__new__(candidate)
        except TypeError:  # layouts or method orders that cannot be combined
            continue
        combined = candidate
        break
    _COMBINED_CLASSES[cause_class] = combined
    return combined


def _describe(cause: BaseException) -> str:
    """The cause's own message, or its class name when it has none."""
    return str(cause) or type(cause).__name__


def _portable(cause: BaseException | None) -> BaseException | None:
    """The cause, or a ``RuntimeError`` naming it if it cannot be pickled."""
    if cause is None:
        return None
    try:
        pickle.dumps(cause)
    except Exception:
        return RuntimeError(ERROR_CAUSE_NOT_PICKLABLE % (type(cause).__name__, cause))
    return cause


def _fill(
    error: BatchIncompleteError,
    operation: str,
    table_name: str,
    unprocessed: list[Any],
    items: list[Any] | None,
) -> None:
    error.operation = operation
    error.table_name = table_name
    error.unprocessed = unprocessed
    error.items = [] if items is None else items
