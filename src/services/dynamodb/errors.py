"""The one error the library adds: a batch it could not complete.

Everything else the library raises is botocore's own exception, unchanged, or
a ``ValueError``/``TypeError`` for bad input seen before anything is sent.
"""

from typing import Any


class BatchIncompleteError(RuntimeError):
    """A batch stopped before DynamoDB confirmed all of it.

    Raised when DynamoDB kept handing requests back as unprocessed for every
    round the library allows, or when a request failed midway. In the second
    case the botocore error that stopped the batch is the ``__cause__``, and
    the raised object is also an instance of that error's class, so an
    ``except ClientError`` (or ``except service.exceptions.X``) written for
    the failure still catches it.

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
    """

    operation: str
    table_name: str
    unprocessed: list[Any]
    items: list[Any]

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


_COMBINED_CLASSES: dict[type[Exception], type[BatchIncompleteError]] = {}


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
        A :class:`BatchIncompleteError`; with a cause, an instance of a class
        derived from both it and the cause's class, holding the cause's state
        (``response``, ``operation_name``, ...).
    """
    if cause is None:
        return BatchIncompleteError(
            message,
            operation=operation,
            table_name=table_name,
            unprocessed=unprocessed,
            items=items,
        )
    combined = _combined_class(type(cause))
    error = combined.__new__(combined)
    error.__dict__.update(cause.__dict__)
    error.args = ("%s: %s" % (message, cause),)
    _fill(error, operation, table_name, unprocessed, items)
    return error


def _combined_class(cause_class: type[Exception]) -> type[BatchIncompleteError]:
    combined = _COMBINED_CLASSES.get(cause_class)
    if combined is None:
        name = "BatchIncompleteError(%s)" % cause_class.__name__
        try:
            combined = type(
                name, (BatchIncompleteError, cause_class), {"__module__": __name__}
            )
        except TypeError:  # pragma: no cover - a class that cannot be combined
            combined = BatchIncompleteError
        _COMBINED_CLASSES[cause_class] = combined
    return combined


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
