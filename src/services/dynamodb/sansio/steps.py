"""The sans-I/O primitives: what steps are run with, by any layer.

Operations (:mod:`..operations`) and the direct transport's exchange
(:mod:`..transport.exchange`) are both generators of steps that never do
I/O themselves; a driver runs them. :class:`Stepper` is how a driver runs
one, and :class:`Sleep` the one step both kinds yield (a pause).
"""

from collections.abc import Generator
from dataclasses import dataclass
from typing import Generic, TypeVar

Step_ = TypeVar("Step_")
Reply = TypeVar("Reply")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Sleep:
    """Wait before the next attempt, then reply None.

    Attributes:
        seconds: How long.
    """

    seconds: float


class Stepper(Generic[Step_, Reply, Result]):
    """Feeds a generator of steps the replies its driver gets for them.

    What the blocking and the async drivers share: each asks :meth:`next`
    for the next step, does it (blocking or awaiting), and hands back what
    it got with :meth:`reply` or :meth:`fail`; :attr:`result` holds what the
    generator returned once :meth:`next` gives None.
    """

    def __init__(self, steps: Generator[Step_, Reply | None, Result]) -> None:
        """Args:
        steps: The generator to run.
        """
        self._steps = steps
        self._reply: Reply | None = None
        self._failure: BaseException | None = None
        self.result: Result | None = None

    def next(self) -> Step_ | None:
        """The next step, or None when the generator has returned."""
        reply, failure = self._reply, self._failure
        self._reply, self._failure = None, None
        try:
            if failure is not None:
                return self._steps.throw(failure)
            return self._steps.send(reply)
        except StopIteration as done:
            self.result = done.value
            return None

    def reply(self, value: Reply | None) -> None:
        """What the last step gave (None for a pause)."""
        self._reply = value

    def fail(self, error: BaseException) -> None:
        """What the last step raised: raised inside the generator next."""
        self._failure = error

    def close(self) -> None:
        """Stop the generator where it is (its ``finally`` blocks run)."""
        self._steps.close()
