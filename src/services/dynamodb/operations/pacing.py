"""Paced steps: bulk work kept to a budget, with progress.

:func:`paced` wraps an operation's (or a parallel scan segment's) steps:
each ``Query``, ``Scan`` or ``BatchWriteItem`` request asks for consumed
capacity, waits as the job's :class:`~.pacer.Pacer` says (a ``Sleep``
step), and tells it what the answer consumed; a throttling answer lowers
the pace and the request is sent again, instead of failing the job. Here
too the checks of the callers' budgets and progress callbacks, and the
job's log lines.
"""

import logging
import math
from collections.abc import Callable, Generator
from typing import Any, NamedTuple

from botocore.exceptions import ClientError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker

from ..sansio.steps import Sleep, Stepper
from .pacer import Pacer
from .steps import Call

# The requests a pacer paces (those whose consumed capacity is the job's).
PACED = frozenset({"Query", "Scan", "BatchWriteItem"})
# Throttling answers in a row after which a paced job gives up.
MAX_THROTTLED_IN_A_ROW = 10

ERROR_BUDGET = (
    "%s must be a positive finite number of capacity units per second, "
    "or None, got %r"
)
ERROR_PROGRESS = "progress must be a callable taking the running count, or None, got %r"

LOG_PACING = "Pacing %s on %s to %.1f capacity units per second"
LOG_PACED = (
    "Paced %s on %s: %.1f capacity units in %.1f s, %.1f units per second "
    "(budget %.1f, throttled %d times)"
)

_THROTTLING = ThrottledRetryableChecker()


def check_budget(name: str, budget: object) -> None:
    """Refuse a budget that is not a positive finite number (bools too).

    Args:
        name: The parameter's name, for the message.
        budget: The value given.

    Raises:
        ValueError: If ``budget`` is neither None nor a positive finite number.
    """
    if budget is None:
        return
    number = isinstance(budget, (int, float)) and not isinstance(budget, bool)
    if not number or not math.isfinite(budget) or budget <= 0:  # type: ignore
        raise ValueError(ERROR_BUDGET % (name, budget))


def check_progress(progress: object) -> None:
    """Refuse a progress callback that cannot be called.

    Raises:
        TypeError: If ``progress`` is neither None nor callable.
    """
    if progress is not None and not callable(progress):
        raise TypeError(ERROR_PROGRESS % (progress,))


class Bulk(NamedTuple):
    """A bulk job's budget and progress callback, as the caller gave them.

    Attributes:
        budget: Capacity units per second, or None for full speed.
        progress: Called with the running count, or None.
    """

    budget: float | None = None
    progress: Callable[[int], None] | None = None

    def checked(self, budget_name: str) -> "Bulk":
        """Itself, once its values are checked (see :func:`check_budget`)."""
        check_budget(budget_name, self.budget)
        check_progress(self.progress)
        return self

    def report(self, count: int) -> None:
        """Tell the progress callback the running count, if there is one."""
        if self.progress is not None:
            self.progress(count)


def is_throttling(error: BaseException) -> bool:
    """Whether an error is a throttling answer, by botocore's retry rules."""
    if not isinstance(error, ClientError):
        return False
    context = RetryContext(attempt_number=1, parsed_response=error.response)
    return bool(_THROTTLING.is_retryable(context))


def consumed_units(reply: object) -> float:
    """The capacity units an answer's ``ConsumedCapacity`` reports."""
    if not isinstance(reply, dict):
        return 0.0
    reported = reply.get("ConsumedCapacity")
    entries = reported if isinstance(reported, list) else [reported]
    return sum(
        float(entry.get("CapacityUnits") or 0.0)
        for entry in entries
        if isinstance(entry, dict)
    )


def paced(
    steps: Generator[Any, Any, Any], pacer: Pacer | None
) -> Generator[Any, Any, Any]:
    """Steps whose paced requests wait for ``pacer`` and ask for consumed
    capacity; a throttled one is sent again, slower (see :class:`Pacer`).

    Args:
        steps: An operation's (or a segment's) steps.
        pacer: The pacer, or None for no pacing (the steps as they are).

    Returns:
        The steps to run, returning what ``steps`` returns.
    """
    if pacer is None:
        return steps
    return _paced(steps, pacer)


def _paced(steps: Generator[Any, Any, Any], pacer: Pacer) -> Generator[Any, Any, Any]:
    run: Stepper[Any, Any, Any] = Stepper(steps)
    try:
        while (step := run.next()) is not None:
            try:
                if isinstance(step, Call) and step.operation in PACED:
                    run.reply((yield from _paced_call(step, pacer)))
                else:
                    run.reply((yield step))
            except BaseException as error:
                run.fail(error)
        return run.result
    finally:
        run.close()


def _paced_call(call: Call, pacer: Pacer) -> Generator[Any, Any, Any]:
    """One paced request: wait, send, settle; resent while throttled."""
    params = dict(call.params)
    params.setdefault("ReturnConsumedCapacity", "TOTAL")
    asked = Call(call.operation, params, call.table_operation, call.service)
    for attempt in range(MAX_THROTTLED_IN_A_ROW + 1):
        reserved = None
        while reserved is None:
            wait, reserved = pacer.reserve()
            if wait > 0:
                yield Sleep(wait)
        try:
            reply = yield asked
        except Exception as error:
            if not is_throttling(error) or attempt == MAX_THROTTLED_IN_A_ROW:
                pacer.failed(reserved)
                raise
            pacer.throttled(reserved)
            continue
        pacer.settle(reserved, consumed_units(reply))
        return reply


def start_pacing(
    log: logging.Logger, budget: float | None, operation: str, table: str
) -> Pacer | None:
    """A pacer for a job with a budget (None without one), logged at DEBUG."""
    if budget is None:
        return None
    log.debug(LOG_PACING, operation, table, budget)
    return Pacer(budget)


def log_pace(
    log: logging.Logger, pacer: Pacer | None, operation: str, table: str
) -> None:
    """The INFO line of a paced job: units consumed and the pace achieved."""
    if pacer is None:
        return
    achieved = pacer.achieved()
    args = (pacer.consumed, pacer.elapsed(), achieved, pacer.budget, pacer.throttles)
    log.info(LOG_PACED, operation, table, *args)
