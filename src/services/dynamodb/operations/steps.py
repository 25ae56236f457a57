"""Operations written once, as steps, for the blocking and the async service.

Each operation is a generator method (the "sans-I/O" style of h11 and h2):
it checks its arguments, builds requests, reads answers and logs, and
yields what it needs done: :class:`Call` (run a DynamoDB operation; the
reply is the parsed answer) or :class:`..transport.exchange.Sleep` (pause; the reply
is None). It never does I/O itself. The blocking service runs the steps with
its transport and ``time.sleep`` (:meth:`.core.ServiceCore._run`); the async
service awaits them. Errors of a step are raised inside the generator at the
``yield``, so an operation handles them as if it had made the call itself.

:mod:`.public` makes such a generator method each service's public
method: ``service.get_item(...)`` returns the item on the blocking service,
and is a coroutine function on the async one.
"""

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Generic

from typing_extensions import TypeVar

from ..sansio.steps import Sleep, Stepper

R = TypeVar("R", default=dict[str, Any])
# The services a Call names: DynamoDB's, and DynamoDB Streams' (whose calls
# the drivers send on a botocore client of the same session).
DYNAMODB, DYNAMODB_STREAMS = "dynamodb", "dynamodbstreams"


@dataclass(frozen=True)
class Call:
    """Run one DynamoDB operation and reply with its parsed answer.

    Attributes:
        operation: The operation, e.g. ``"GetItem"``.
        params: Its parameters, DynamoDB JSON.
        table_operation: True for table operations (``DescribeTable``, ...),
            which the blocking service sends through botocore's client.
        service: The service called, as botocore names it: DynamoDB, or
            :data:`DYNAMODB_STREAMS` (``DescribeStream``, ``GetRecords``...).
    """

    operation: str
    params: dict[str, Any]
    table_operation: bool = False
    service: str = DYNAMODB


T = TypeVar("T", default=dict[str, Any])  # as R: a stream of model= items


@dataclass(frozen=True)
class Emit(Generic[T]):
    """Hand items to the caller of a stream (``iter_query``); reply None.

    Attributes:
        items: The items, in order.
    """

    items: list[T]


@dataclass(frozen=True)
class Interleave:
    """Read these page streams concurrently (a parallel scan's segments), at
    most ``max_in_flight`` at once; reply with a handle for :class:`NextPage`.

    Attributes:
        streams: One stream of steps per segment, emitting one page at a time.
        max_in_flight: The most segments read at once.
    """

    streams: tuple["StreamSteps[list[Any]]", ...]
    max_in_flight: int


@dataclass(frozen=True)
class NextPage:
    """Reply with the next page any of the interleaved streams read, or None
    when all have ended.

    Attributes:
        pages: The handle :class:`Interleave` replied with.
    """

    pages: Any


# The waiter done when the table and every global index are ACTIVE
# (botocore lacks it: :mod:`..drivers.waiters` defines it).
INDEXES_ACTIVE = "TableAndIndexesActive"


@dataclass(frozen=True)
class Wait:
    """Wait with botocore's waiter (``"table_exists"``, ...); reply None.

    Attributes:
        waiter: The waiter's name.
        params: The operation's parameters (``TableName``).
        delay: Seconds between polls.
        max_attempts: Polls before botocore's ``WaiterError``.
    """

    waiter: str
    params: dict[str, Any]
    delay: float
    max_attempts: int


@dataclass(frozen=True)
class AllPages:
    """Every page of a table operation, by botocore's paginator; reply with
    the list of pages.

    Attributes:
        operation: The operation, e.g. ``"ListTables"``.
        params: Its parameters.
    """

    operation: str
    params: dict[str, Any]


Step = Call | Sleep | Interleave | NextPage | Wait | AllPages
# What an operation is: a generator of steps returning the operation's result.
Steps = Generator[Step, Any, R]
# What a stream is: a generator of steps that also emits items.
StreamSteps = Generator[Step | Emit[T], Any, None]


def collected(stream: "StreamSteps[T]") -> Steps[list[T]]:
    """The steps of a stream, its items gathered into a list.

    Args:
        stream: A stream's steps.

    Returns:
        Steps returning every item the stream emitted, in order.
    """
    items: list[T] = []
    run: Stepper[Step | Emit[T], Any, None] = Stepper(stream)
    while (step := run.next()) is not None:
        if isinstance(step, Emit):
            items.extend(step.items)
        else:
            yield from relayed(run, step)
    return items


def relayed(run: Stepper[Any, Any, Any], step: Step) -> Steps[None]:
    """Hand an inner stream's step to the driver, and the driver's reply (or
    error) back to the inner stream.

    Args:
        run: The inner stream being run.
        step: Its step.

    Returns:
        The steps of handing it on.
    """
    try:
        run.reply((yield step))
    except BaseException as error:
        run.fail(error)
