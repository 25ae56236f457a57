"""Operations written once, as steps, for the blocking and the async service.

Each operation is a generator method (the "sans-I/O" style of h11 and h2):
it checks its arguments, builds requests, reads answers and logs, and
yields what it needs done: :class:`Call` (run a DynamoDB operation; the
reply is the parsed answer) or :class:`..transport.exchange.Sleep` (pause; the reply
is None). It never does I/O itself. The blocking service runs the steps with
its transport and ``time.sleep`` (:meth:`.core.ServiceCore._run`); the async
service awaits them. Errors of a step are raised inside the generator at the
``yield``, so an operation handles them as if it had made the call itself.

:func:`operation` turns such a generator method into each service's public
method: ``service.get_item(...)`` returns the item on the blocking service,
and an awaitable of it on the async one; mypy sees both (the method's type,
:class:`OperationMethod`, has a ``__get__`` overloaded on the service's
class).
"""

import functools
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol
from typing import cast, overload

from typing_extensions import TypeVar

from ..sansio.steps import Sleep, Stepper

if TYPE_CHECKING:
    from ..drivers.asynchronous import AsyncDriver
    from ..drivers.blocking import BlockingDriver

P = ParamSpec("P")
# mypy renames an operation's own type variable to R when the method passes
# through operation(); the one an operation returns bare is model='s M
# (update_item), whose default is a dict: R carries the same default, so a
# call without model= is still typed dict.
R = TypeVar("R", default=dict[str, Any])
R_co = TypeVar("R_co", covariant=True)


@dataclass(frozen=True)
class Call:
    """Run one DynamoDB operation and reply with its parsed answer.

    Attributes:
        operation: The operation, e.g. ``"GetItem"``.
        params: Its parameters, DynamoDB JSON.
        table_operation: True for table operations (``DescribeTable``, ...),
            which the blocking service sends through botocore's client.
    """

    operation: str
    params: dict[str, Any]
    table_operation: bool = False


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


class OperationMethod(Protocol[P, R_co]):
    """The type mypy gives a method made by :func:`operation`: on the
    blocking service it returns the result, on the async one an awaitable."""

    @overload
    def __get__(
        self, instance: "BlockingDriver", owner: type | None = None
    ) -> Callable[P, R_co]: ...

    @overload
    def __get__(
        self, instance: "AsyncDriver", owner: type | None = None
    ) -> Callable[P, Awaitable[R_co]]: ...


def operation(steps: Callable[Concatenate[Any, P], Steps[R]]) -> OperationMethod[P, R]:
    """Make the public method of both services from one generator method.

    At run time it is a plain function (``help``, ``inspect.signature`` and
    ``unittest.mock.create_autospec`` see the generator method's name,
    docstring and parameters) that hands the steps to the service's
    ``_run``: the blocking service runs them, the async one returns a
    coroutine.

    Args:
        steps: The operation, written as steps.

    Returns:
        The method.
    """

    @functools.wraps(steps)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._run(self._metered(steps(self, *args, **kwargs)))

    return cast(OperationMethod[P, R], method)


class StreamMethod(Protocol[P, T]):
    """The type mypy gives a method made by :func:`stream`: an iterator on
    the blocking service, an async iterator on the async one."""

    @overload
    def __get__(
        self, instance: "BlockingDriver", owner: type | None = None
    ) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(
        self, instance: "AsyncDriver", owner: type | None = None
    ) -> Callable[P, AsyncIterator[T]]: ...

    @overload
    def __get__(
        self, instance: None, owner: type | None = None
    ) -> "StreamMethod[P, T]": ...

    @property
    def steps(self) -> Callable[Concatenate[Any, P], "StreamSteps[T]"]:
        """The stream's steps, for operations built on it (``query``)."""


def stream(steps: Callable[Concatenate[Any, P], StreamSteps[T]]) -> StreamMethod[P, T]:
    """Make the public streaming method of both services from one stream.

    The stream runs at once up to its first request, so that its arguments
    are checked by the call itself; its items are read as they are asked for.

    Args:
        steps: The stream, written as steps.

    Returns:
        The method.
    """

    @functools.wraps(steps)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._stream_run(self._metered(steps(self, *args, **kwargs)))

    setattr(method, "steps", steps)
    return cast(StreamMethod[P, T], method)
