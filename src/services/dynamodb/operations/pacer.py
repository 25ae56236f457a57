"""The pacer: a budget of capacity units per second, as a token bucket.

A :class:`Pacer` is filled at the budget and holds one second's budget at
most (the burst). Before each request it says how long to wait; after the
answer it is told what the request consumed. A request's cost is known only
afterwards, so each request reserves the most a request of the job has cost
and settles the difference: a job of ``U`` units at ``B`` per second then
takes at least ``U / B - 1`` seconds, and segments of a parallel scan that
share one pacer (it is thread-safe) do not all start at once. A throttling
answer lowers the rate the way botocore's adaptive retry mode does (its
``CubicCalculator`` and ``RateClocker``); the rate then grows back towards
the budget. No I/O, no sleeping: the clock is injectable.
"""

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from botocore.retries.adaptive import RateClocker
from botocore.retries.throttling import CubicCalculator

# The slowest a throttled job is taken to (units per second), as botocore's
# adaptive mode's minimum fill rate.
MIN_RATE = 0.5
# How long a request waits while the first one finds what requests cost.
PROBE_SECONDS = 0.02


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

    def elapsed(self) -> float:
        """Seconds since the pacer was made."""
        return self._clock() - self.started

    def achieved(self) -> float:
        """Units per second consumed since the pacer was made."""
        elapsed = self.elapsed()
        return self.consumed / elapsed if elapsed > 0 else 0.0

    def _refill(self) -> float:
        now = self._clock()
        added = (now - self._stamp) * self.rate
        self._tokens = min(self.rate, self._tokens + added)
        self._stamp = now
        return now
