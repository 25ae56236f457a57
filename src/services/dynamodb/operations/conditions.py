"""What a failed condition found: the item, on the exception that says so.

With ``return_values_on_condition_check_failure="ALL_OLD"``, DynamoDB
answers a failed condition of a put, update or delete with the item as it
is now. botocore keeps it in the exception's ``response["Item"]`` as
DynamoDB JSON; the service also gives the exception an ``item`` attribute,
decoded as reads decode items (a dict, or the call's ``model=``), None when
there is no such item or the server did not send it.
"""

from base64 import b64encode
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from .core import error_code
from ..codec.load import load_map

FAILED_CONDITION = "ConditionalCheckFailedException"
ON_FAILURE_VALUES = ("NONE", "ALL_OLD")
ERROR_ON_FAILURE = (
    "return_values_on_condition_check_failure must be 'NONE' or 'ALL_OLD', got %r"
)


def on_failure_params(wanted: object) -> dict[str, str]:
    """The request parameter for ``return_values_on_condition_check_failure``.

    Args:
        wanted: ``"NONE"`` or ``"ALL_OLD"``.

    Returns:
        ``ReturnValuesOnConditionCheckFailure``, or nothing for ``"NONE"``.

    Raises:
        ValueError: If ``wanted`` is neither.
    """
    if wanted not in ON_FAILURE_VALUES:
        raise ValueError(ERROR_ON_FAILURE % (wanted,))
    if wanted == "NONE":
        return {}
    return {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}


@contextmanager
def found_item_attached(read: Callable[[dict[str, Any]], Any]) -> Iterator[None]:
    """Give a failed condition's exception raised in the block an ``item``.

    Args:
        read: Turns a decoded item into what the call returns (numbers as
            configured, or the ``model=``).

    Yields:
        Nothing; the exception is re-raised, with its ``item``.
    """
    try:
        yield
    except ClientError as error:
        if error_code(error) == FAILED_CONDITION:
            found = error.response.get("Item")
            item = read(load_map(_as_json(found))) if found else None
            setattr(error, "item", item)
        raise


def _as_json(value: Any) -> Any:
    """botocore's parsed DynamoDB JSON as ``json.loads`` gives it: binaries
    as base64 text, the rest unchanged."""
    if isinstance(value, (bytes, bytearray)):
        return b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {name: _as_json(part) for name, part in value.items()}
    if isinstance(value, list):
        return [_as_json(part) for part in value]
    return value
