"""Consumed capacity: asked for on every data-path request, summed per
operation (for its INFO line) and per ``service.consumed_capacity()`` block
(for the caller's code).

It is asked for when ``DynamoDBConfig.return_consumed_capacity`` is
``"TOTAL"`` or ``"INDEXES"``, or (as ``"TOTAL"``) while a caller's
``consumed_capacity()`` block is open. An operation is then run through
:func:`metered`, which adds ``ReturnConsumedCapacity`` to its data-path
requests and sums what each answer's ``ConsumedCapacity`` reports; the
operation's own code sees that sum (``current()``) while it runs, so its
completion line can say it. Otherwise operations run unwrapped, at no cost.
"""

import re
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from ..sansio.steps import Stepper
from .steps import Call

# The operations that take ReturnConsumedCapacity (ListTables, the ping,
# does not).
METERED = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
        "ExecuteStatement",
        "SearchVectors",
    }
)
# Operations that report VectorCapacity (its own figures, not read or
# write capacity units, and no table name): summed apart.
VECTOR_CAPACITY = frozenset({"SearchVectors"})
# Operations whose units are reads when DynamoDB reports only a total.
READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"})
# A PartiQL statement that reads (its units are reads); the others
# (INSERT, UPDATE, DELETE) write.
SELECT = re.compile(r"\s*SELECT\b", re.I)
CAPACITY_SUFFIX = " (consumed %.1f read, %.1f write capacity units)"
VECTOR_SUFFIX = " (consumed %.1f vector search request bytes)"


@dataclass
class ConsumedCapacity:
    """Capacity units DynamoDB reported, summed (thread-safe).

    Attributes:
        read_units: Read capacity units.
        write_units: Write capacity units.
        by_table: Capacity units per table (reads and writes).
        vector_search_request_bytes: What vector searches consumed, as
            ``SearchVectors`` reports it (its ``VectorCapacity``); not
            counted in the fields above.
        vector_write_request_bytes: ``VectorCapacity``'s
            ``VectorWriteRequestBytes``, summed the same way.
    """

    read_units: float = 0.0
    write_units: float = 0.0
    by_table: dict[str, float] = field(default_factory=dict)
    vector_search_request_bytes: float = 0.0
    vector_write_request_bytes: float = 0.0
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def add(self, operation: str, reported: Any, *, reads: bool | None = None) -> None:
        """Add an answer's ``ConsumedCapacity`` (one entry, or a list).

        Args:
            operation: The operation answered (``"Query"``...).
            reported: The answer's ``ConsumedCapacity``, or None.
            reads: Whether a bare total (``CapacityUnits`` only) counts as
                read units; by default, whether ``operation`` is a read.
        """
        entries = reported if isinstance(reported, list) else [reported]
        if reads is None:
            reads = operation in READS
        with self._lock:
            for entry in entries:
                if not isinstance(entry, dict):
                    continue
                if operation in VECTOR_CAPACITY:
                    self._add_vector(entry)
                else:
                    self._add_entry(reads, entry)

    def merge(self, other: "ConsumedCapacity") -> None:
        """Add another sum to this one."""
        with self._lock:
            self.read_units += other.read_units
            self.write_units += other.write_units
            for table, units in other.by_table.items():
                self.by_table[table] = self.by_table.get(table, 0.0) + units
            self.vector_search_request_bytes += other.vector_search_request_bytes
            self.vector_write_request_bytes += other.vector_write_request_bytes

    def _add_vector(self, entry: dict[str, Any]) -> None:
        searched = entry.get("VectorSearchRequestBytes")
        written = entry.get("VectorWriteRequestBytes")
        self.vector_search_request_bytes += float(searched or 0.0)
        self.vector_write_request_bytes += float(written or 0.0)

    def _add_entry(self, as_reads: bool, entry: dict[str, Any]) -> None:
        units = float(entry.get("CapacityUnits") or 0.0)
        reads = entry.get("ReadCapacityUnits")
        writes = entry.get("WriteCapacityUnits")
        if reads is None and writes is None:
            reads, writes = (units, 0.0) if as_reads else (0.0, units)
        self.read_units += float(reads or 0.0)
        self.write_units += float(writes or 0.0)
        table = entry.get("TableName", "-")
        self.by_table[table] = self.by_table.get(table, 0.0) + units


# The running operation's sum and the ReturnConsumedCapacity it asks for.
_OPERATION: ContextVar[tuple[ConsumedCapacity, str] | None] = ContextVar(
    "services_dynamodb_operation_capacity", default=None
)
_BLOCK: ContextVar[ConsumedCapacity | None] = ContextVar(
    "services_dynamodb_block_capacity", default=None
)


@contextmanager
def capacity_block() -> Iterator[ConsumedCapacity]:
    """A block whose operations' consumed capacity is summed (see
    ``ServiceCore.consumed_capacity``)."""
    outer = _BLOCK.get()
    usage = ConsumedCapacity()
    token = _BLOCK.set(usage)
    try:
        yield usage
    finally:
        _BLOCK.reset(token)
        if outer is not None:  # nested blocks: the outer one counts it too
            outer.merge(usage)


def metered_if_wanted(
    steps: Generator[Any, Any, Any], configured: str
) -> Generator[Any, Any, Any]:
    """An operation called now, through :func:`metered` when capacity is
    wanted (configured, or a caller's block is open), else as it is.

    Args:
        steps: The operation's steps.
        configured: ``DynamoDBConfig.return_consumed_capacity``.

    Returns:
        The steps to run.
    """
    block = _BLOCK.get()
    if configured == "NONE" and block is None:
        return steps
    mode = "TOTAL" if configured == "NONE" else configured
    return metered(steps, mode, ConsumedCapacity(), block)


def metered(
    steps: Generator[Any, Any, Any],
    mode: str,
    usage: ConsumedCapacity,
    block: ConsumedCapacity | None = None,
) -> Generator[Any, Any, Any]:
    """An operation's (or a stream's) steps, its data-path requests asking
    for consumed capacity and its answers' reports summed in ``usage``
    (which the operation's code sees as :func:`current`); the sum is added
    to ``block`` when the steps end.

    Args:
        steps: The operation's steps.
        mode: ``"TOTAL"`` or ``"INDEXES"``.
        usage: Where to sum.
        block: The caller's open block, if any.

    Returns:
        The steps to run, returning what the operation returns.
    """
    run: Stepper[Any, Any, Any] = Stepper(steps)
    try:
        while (step := _inside((usage, mode), run.next)) is not None:
            if isinstance(step, Call) and step.operation in METERED:
                asked = {**step.params, "ReturnConsumedCapacity": mode}
                step = Call(step.operation, asked)
            try:
                reply = yield step
            except BaseException as error:
                run.fail(error)
                continue
            if isinstance(step, Call) and isinstance(reply, dict):
                reported = reply.get("ConsumedCapacity")
                usage.add(step.operation, reported, reads=counts_as_reads(step))
            run.reply(reply)
        return run.result
    finally:
        if block is not None:
            block.merge(usage)


def counts_as_reads(call: Call) -> bool:
    """Whether a request's consumed capacity is read units when DynamoDB
    reports only a total: a read operation, or a PartiQL ``SELECT``.

    Args:
        call: The request.

    Returns:
        True for reads, False for writes.
    """
    if call.operation == "ExecuteStatement":
        statement = call.params.get("Statement")
        return isinstance(statement, str) and SELECT.match(statement) is not None
    return call.operation in READS


def current() -> ConsumedCapacity | None:
    """The consumed capacity of the operation running, if it is metered."""
    running = _OPERATION.get()
    return None if running is None else running[0]


def metered_part(steps: Generator[Any, Any, Any]) -> Generator[Any, Any, Any]:
    """A part of the running operation run apart from it (a parallel scan's
    segment), metered into the operation's sum if the operation is.

    Args:
        steps: The part's steps.

    Returns:
        The steps to run.
    """
    running = _OPERATION.get()
    if running is None:
        return steps
    usage, mode = running
    return metered(steps, mode, usage)


def _inside(running: tuple[ConsumedCapacity, str], advance: Callable[[], Any]) -> Any:
    """Advance the operation with ``running`` as its current capacity."""
    token = _OPERATION.set(running)
    try:
        return advance()
    finally:
        _OPERATION.reset(token)
