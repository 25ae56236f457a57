"""How an operation, written once as steps, becomes each service's method.

:func:`operation` and :func:`stream` mark a generator method of the
operation groups. When a service class is made, :class:`Blocking` or
:class:`Awaiting` (the driver's side) puts in its place a real method of
that service: a plain function returning the result on the blocking
service, an ``async def`` on the async one (a coroutine function to
``inspect``, so ``create_autospec`` gives ``AsyncMock``), and a function
returning an iterator or an async iterator for streams. Each carries the
operation's name, docstring, parameters and the type the caller gets: what
``inspect.signature``, ``help()`` and ``typing.get_type_hints`` show, never
a step type. mypy sees the same through :class:`OperationMethod` and
:class:`StreamMethod`, whose ``__get__`` is overloaded on the service.
"""

import inspect
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Concatenate, ParamSpec, Protocol, cast, overload

from typing_extensions import TypeVar

from .steps import Emit, Steps, StreamSteps

P = ParamSpec("P")
# mypy renames an operation's own type variable to R when the method passes
# through operation(); the one an operation returns bare is model='s M
# (update_item), whose default is a dict: R carries the same default, so a
# call without model= is still typed dict.
R = TypeVar("R", default=dict[str, Any])
R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T", default=dict[str, Any])  # as R: a stream of model= items
# The mark operation() and stream() leave on a generator method.
KIND = "_steps_kind"
OPERATION, STREAM = "operation", "stream"


class Blocking:
    """The side of a service whose methods return their results: each
    operation becomes a function that runs its steps (``self._run``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        publish(cls, asynchronous=False)


class Awaiting:
    """The side of a service whose methods are coroutines: each operation
    becomes an ``async def`` awaiting its steps (``self._run``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        publish(cls, asynchronous=True)


class OperationMethod(Protocol[P, R_co]):
    """The type mypy gives a method made by :func:`operation`: on the
    blocking service it returns the result, on the async one an awaitable."""

    @overload
    def __get__(
        self, instance: Blocking, owner: type | None = None
    ) -> Callable[P, R_co]: ...

    @overload
    def __get__(
        self, instance: Awaiting, owner: type | None = None
    ) -> Callable[P, Awaitable[R_co]]: ...


class StreamMethod(Protocol[P, T]):
    """The type mypy gives a method made by :func:`stream`: an iterator on
    the blocking service, an async iterator on the async one."""

    @overload
    def __get__(
        self, instance: Blocking, owner: type | None = None
    ) -> Callable[P, Iterator[T]]: ...

    @overload
    def __get__(
        self, instance: Awaiting, owner: type | None = None
    ) -> Callable[P, AsyncIterator[T]]: ...

    @overload
    def __get__(
        self, instance: None, owner: type | None = None
    ) -> "StreamMethod[P, T]": ...

    @property
    def steps(self) -> Callable[Concatenate[Any, P], StreamSteps[T]]:
        """The stream's steps, for operations built on it (``query``)."""


def operation(steps: Callable[Concatenate[Any, P], Steps[R]]) -> OperationMethod[P, R]:
    """Mark a generator method as an operation of both services.

    Args:
        steps: The operation, written as steps.

    Returns:
        The same function, marked (each service makes its method of it).
    """
    setattr(steps, KIND, OPERATION)
    return cast(OperationMethod[P, R], steps)


def stream(steps: Callable[Concatenate[Any, P], StreamSteps[T]]) -> StreamMethod[P, T]:
    """Mark a generator method as a streaming operation of both services.

    The stream runs at once up to its first request, so that its arguments
    are checked by the call itself; its items are read as they are asked for.

    Args:
        steps: The stream, written as steps.

    Returns:
        The same function, marked.
    """
    setattr(steps, KIND, STREAM)
    setattr(steps, "steps", steps)
    return cast(StreamMethod[P, T], steps)


def publish(cls: type, asynchronous: bool) -> None:
    """Put each marked operation a service class inherits in its place as
    the service's own method (one the class defines itself is kept).

    Args:
        cls: The service class being made.
        asynchronous: True for a service whose methods are coroutines.
    """
    for name in dir(cls):
        steps = inspect.getattr_static(cls, name)  # a subclass's own wins
        kind = getattr(steps, KIND, None)
        if kind is not None:
            setattr(cls, name, _method(steps, kind, asynchronous, cls, name))


# The parameters an operation's method may have: each named.
NAMED_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
ERROR_PARAMETER_KIND = "operation parameter %r is %s: operations name each parameter"
# The driver's method that runs each kind of operation's steps.
RUNNERS = {OPERATION: "_run", STREAM: "_stream_run"}
METHOD_SOURCE = "%sdef %s(%s):\n    return %sself.%s(self._metered(_steps_(%s)))\n"


def _method(steps: Any, kind: str, asynchronous: bool, owner: type, name: str) -> Any:
    """The public method of one operation on one service class, under the
    name the class gives it."""
    signature = inspect.signature(steps)
    method = _written(steps, signature, kind, asynchronous)
    method.__module__ = owner.__module__
    method.__name__ = name
    method.__qualname__ = "%s.%s" % (owner.__qualname__, name)
    method.__doc__ = steps.__doc__
    if kind == STREAM:
        method.steps = steps
    returned = _returned(signature.return_annotation, kind, asynchronous)
    method.__signature__ = signature.replace(return_annotation=returned)
    method.__annotations__ = {
        **{
            name: parameter.annotation
            for name, parameter in signature.parameters.items()
            if parameter.annotation is not inspect.Parameter.empty
        },
        "return": returned,
    }
    return method


def _written(
    steps: Any, signature: inspect.Signature, kind: str, asynchronous: bool
) -> Any:
    """A function with the operation's own parameters, so that a call binds
    its arguments (and a wrong one raises ``TypeError``) when it is made, as
    for any ``def`` or ``async def``; its body hands the steps to the driver.
    Written as source, as ``dataclasses`` writes ``__init__``."""
    parameters, arguments = _parameter_texts(signature)
    awaited = asynchronous and kind == OPERATION
    source = METHOD_SOURCE % (
        "async " if awaited else "",
        steps.__name__,
        ", ".join(parameters),
        "await " if awaited else "",
        RUNNERS[kind],
        ", ".join(arguments),
    )
    namespace: dict[str, Any] = {
        "_steps_": steps,
        **{
            "_default_%s" % name: parameter.default
            for name, parameter in signature.parameters.items()
        },
    }
    exec(source, namespace)  # noqa: S102 - the source is built above
    return namespace[steps.__name__]


def _parameter_texts(signature: inspect.Signature) -> tuple[list[str], list[str]]:
    """The parameter list of a signature, defaults named ``_default_<name>``,
    and the arguments that pass each parameter on.

    Raises:
        TypeError: For a parameter an operation may not have (``*args``,
            ``**kwargs``, positional-only): operations name each one.
    """
    parameters: list[str] = []
    arguments: list[str] = []
    for name, parameter in signature.parameters.items():
        if parameter.kind not in NAMED_KINDS:
            raise TypeError(ERROR_PARAMETER_KIND % (name, parameter.kind))
        keyword = parameter.kind is inspect.Parameter.KEYWORD_ONLY
        if keyword and "*" not in parameters:
            parameters.append("*")
        has_default = parameter.default is not inspect.Parameter.empty
        parameters.append(name + ("=_default_" + name if has_default else ""))
        arguments.append("%s=%s" % (name, name) if keyword else name)
    return parameters, arguments


def _returned(steps_type: Any, kind: str, asynchronous: bool) -> Any:
    """What the caller gets, from the type of an operation's steps:
    ``Steps[R]`` gives R; ``StreamSteps[T]`` an (async) iterator of T."""
    if kind == OPERATION:
        return typing.get_args(steps_type)[2]
    yielded = typing.get_args(typing.get_args(steps_type)[0])
    emitted = next(arg for arg in yielded if typing.get_origin(arg) is Emit)
    item = typing.get_args(emitted)[0]
    iterator: Any = AsyncIterator if asynchronous else Iterator
    return iterator[item]
