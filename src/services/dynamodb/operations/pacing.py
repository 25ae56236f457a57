"""Pacing bulk work to a budget of capacity units per second.

A :class:`Pacer` is a token bucket filled at the budget and holding one
second's budget at most (the burst). Before each request it says how long
to wait (the operation yields that as a ``Sleep``); after the answer it is
told what the request consumed (DynamoDB's ``ConsumedCapacity``, asked for
by :func:`paced`). A request's cost is known only afterwards, so each
request reserves the most a request of the job has cost and settles the
difference: a job of ``U`` units at ``B`` per second then takes at least
``U / B - 1`` seconds, and segments of a parallel scan that share one pacer
(it is thread-safe) do not all start at once. A throttling answer lowers
the rate the way botocore's adaptive retry mode does (its
``CubicCalculator`` and ``RateClocker``) and the request is sent again,
instead of failing the job; the rate then grows back towards the budget.
No I/O here: the clock is injectable.
"""

import logging
import math
import threading
import time
from collections.abc import Callable, Generator
from typing import Any, NamedTuple

from botocore.exceptions import ClientError
from botocore.retries.adaptive import RateClocker
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker
from botocore.retries.throttling import CubicCalculator

from ..sansio.steps import Sleep, Stepper
from .steps import Call

# The requests a pacer paces (those whose consumed capacity is the job's).
PACED = frozenset({"Query", "Scan", "BatchWriteItem"})
# The slowest a throttled job is taken to (units per second), as botocore's
# adaptive mode's minimum fill rate.
MIN_RATE = 0.5
# How long a request waits while the first one finds what requests cost.
PROBE_SECONDS = 0.02
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


class Reservation(NamedTuple):
    """What :meth:`Pacer.reserve` grants a request.

    Attributes:
        seconds: How long to wait.
        units: The units reserved; None when not granted (wait, then ask
            again).
    """

    seconds: float
    units: float | None


class _Clock:
    """The clock object botocore's ``RateClocker`` reads."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.current_time = now


class Pacer:
    """Keeps requests to ``budget`` capacity units per second (thread-safe).

    Attributes:
        budget: The most units per second.
        consumed: Units the paced requests consumed so far.
        throttles: Throttling answers received.
        rate: The rate now (the budget, or lower after throttling).
    """

    def __init__(
        self, budget: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Args:
        budget: Capacity units per second.
        clock: Seconds, monotonic (a fake one in tests).
        """
        self.budget = float(budget)
        self._clock = clock
        self._lock = threading.Lock()
        self.started = self._stamp = clock()
        self.rate = self.budget
        self._tokens = self.budget  # a burst of one second's budget at most
        self._estimate = 0.0
        self.consumed = 0.0
        self.throttles = 0
        self._recovering = False
        self._answered = self._probing = False
        self._cubic = CubicCalculator(starting_max_rate=self.budget, start_time=0.0)
        self._clocker = RateClocker(_Clock(clock))

    def reserve(self) -> Reservation:
        """Before a request: reserve the most a request has cost.

        Until a first answer tells what a request costs, one request at a
        time is let through (the others are asked to wait and try again), so
        that segments starting together do not spend more than the burst.

        Returns:
            How long to wait, and the units reserved (None: ask again after
            the wait).
        """
        with self._lock:
            self._refill()
            if not self._answered:
                if self._probing:
                    return Reservation(PROBE_SECONDS, None)
                self._probing = True
            self._tokens -= self._estimate
            return Reservation(max(0.0, -self._tokens / self.rate), self._estimate)

    def settle(self, reserved: float, units: float) -> None:
        """After an answer: what the request that reserved ``reserved``
        consumed."""
        with self._lock:
            now = self._refill()
            self._tokens -= units - reserved
            self._estimate = max(self._estimate, units)
            self._answered = True
            self.consumed += units
            # botocore counts requests (its stub says int); units are floats
            self._clocker.record(units)  # type: ignore[arg-type]
            if self._recovering:
                grown = self._cubic.success_received(now)
                self.rate = min(self.budget, max(MIN_RATE, grown))
                self._recovering = self.rate < self.budget

    def failed(self, reserved: float) -> None:
        """After a failure that is not throttling: give the reservation back."""
        with self._lock:
            self._refill()
            self._tokens = min(self.rate, self._tokens + reserved)
            self._probing = False

    def throttled(self, reserved: float) -> None:
        """After a throttling answer: slow down (the request is resent)."""
        with self._lock:
            now = self._refill()
            self._tokens = min(self._tokens + reserved, 0.0) - 1.0
            measured = self._clocker.measured_rate
            current = min(measured, self.rate) if measured > 0 else self.rate
            lowered = self._cubic.error_received(current, now)
            self.rate = max(min(MIN_RATE, self.budget), lowered)
            self._recovering = True
            self._probing = False
            self.throttles += 1

    def achieved(self) -> float:
        """Units per second consumed since the pacer was made."""
        elapsed = self._clock() - self.started
        return self.consumed / elapsed if elapsed > 0 else 0.0

    def _refill(self) -> float:
        now = self._clock()
        added = (now - self._stamp) * self.rate
        self._tokens = min(self.rate, self._tokens + added)
        self._stamp = now
        return now


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
    elapsed = time.monotonic() - pacer.started
    achieved = pacer.achieved()
    args = (pacer.consumed, elapsed, achieved, pacer.budget, pacer.throttles)
    log.info(LOG_PACED, operation, table, *args)
