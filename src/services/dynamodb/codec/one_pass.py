"""Item-bearing answers read in one pass: msgspec reads the JSON and hands
each attribute's DynamoDB JSON to the codec's loader (:mod:`.load`) as it
goes, so the items come out as Python values without a second walk of a
DynamoDB-JSON tree kept alive beside them.

Why: reading the whole answer first and the items after built every
``{"S": ...}`` wrapper of a page and kept them until the page was done, twice
the allocations, so the cyclic garbage collector ran about twice as often
and walked the application's whole heap each time. Here a wrapper lives
only until its attribute is loaded. Measured on a 1,000-item page of ~1 KB
items: 9.4 us per item before, 6.3 us after.

msgspec calls a decode hook for a type it does not know and checks what the
hook returns with ``isinstance``; :class:`Loaded` is such a type, one that
every value is an instance of, so the hook may return what the loader gives
(``str``, ``Decimal``, ``dict``...).

The fast reader takes only answers it reads in full. Anything it refuses (a
malformed value, a lone surrogate, JSON nested too deep, bytes that are not
UTF-8) returns None, and the caller reads the answer as before
(:func:`.documents.read_document`, then the loaders), which decides as it
always has: every error and its message stay what they were.
``tests/dynamodb/test_one_pass.py`` holds the two readers to the same items.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypedDict

import msgspec

from .load import MALFORMED_ERRORS, load


class _EveryValue(type):
    """A metaclass whose classes count every object as an instance."""

    def __instancecheck__(cls, instance: object) -> bool:
        return True


class Loaded(metaclass=_EveryValue):
    """What msgspec hands to the codec: an attribute's DynamoDB JSON, decoded
    by :func:`.load.load` into the Python value it stands for."""


def _load_attribute(kind: type, wire: Any) -> Any:
    """msgspec's decode hook: the only type it asks about is :class:`Loaded`."""
    return load(wire)


Item = dict[str, Loaded]


class _TransactAnswer(TypedDict, total=False):
    Item: Item


class _SearchResult(TypedDict):
    """One of ``SearchResults``: both fields required, a finite score (as
    :func:`.search.search_results` reads it on the other path)."""

    Item: Item
    Score: float


# Output shape -> (the field holding items, its type as msgspec reads it).
ITEM_FIELDS: dict[str, tuple[str, Any]] = {
    "GetItemOutput": ("Item", Item),
    "PutItemOutput": ("Attributes", Item),
    "UpdateItemOutput": ("Attributes", Item),
    "DeleteItemOutput": ("Attributes", Item),
    "QueryOutput": ("Items", list[Item]),
    "ScanOutput": ("Items", list[Item]),
    "ExecuteStatementOutput": ("Items", list[Item]),
    "BatchGetItemOutput": ("Responses", dict[str, list[Item]]),
    "TransactGetItemsOutput": ("Responses", list[_TransactAnswer]),
    "SearchVectorsOutput": ("SearchResults", list[_SearchResult]),
}
_REFUSED = (msgspec.MsgspecError, RecursionError, *MALFORMED_ERRORS)
_readers: dict[str, Callable[[bytes], Any]] = {}


def read_item_answer(body: bytes, shape: Any) -> dict[str, Any] | None:
    """Read an answer whose items the codec decodes, in one pass.

    Args:
        body: The answer's JSON.
        shape: Its operation's botocore output shape (one of
            :data:`ITEM_FIELDS` is read).

    Returns:
        The answer as a dict: the item field holding Python items, every
        other field of the shape as JSON gives it (fields the shape does
        not name are left out, as botocore leaves them out); None if the
        answer is anything this reader does not read in full, or of a
        shape it does not read.
    """
    reader = _readers.get(shape.name)
    if reader is None:
        if shape.name not in ITEM_FIELDS:  # GetRecords: its records stay JSON
            return None
        reader = _readers[shape.name] = _reader(shape)
    try:
        answer: dict[str, Any] = reader(body)
    except _REFUSED:
        return None
    return answer


def _reader(shape: Any) -> Callable[[bytes], Any]:
    """A msgspec reader of an answer of ``shape``: a ``TypedDict`` of the
    shape's fields, the item field typed with :class:`Loaded` values."""
    field, items = ITEM_FIELDS[shape.name]
    fields: Mapping[str, Any] = {name: Any for name in shape.members}
    answer = TypedDict(  # type: ignore[misc]
        shape.name, {**fields, field: items}, total=False
    )
    return msgspec.json.Decoder(answer, dec_hook=_load_attribute).decode
