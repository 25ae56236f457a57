"""The pacer, with a fake clock: waits, the burst, shared budgets, throttling,
and the paced steps (no real sleeping)."""

import math
from collections.abc import Generator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.dynamodb.operations.pacer import PROBE_SECONDS, Pacer
from services.dynamodb.operations.pacing import (
    MAX_THROTTLED_IN_A_ROW,
    check_budget,
    check_progress,
    consumed_units,
    is_throttling,
    paced,
)
from services.dynamodb.operations.steps import Call
from services.dynamodb.sansio.steps import Sleep


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle() -> ClientError:
    code = "ProvisionedThroughputExceededException"
    return ClientError({"Error": {"Code": code, "Message": "slow"}}, "BatchWriteItem")


RESERVED: dict[int, float] = {}  # the last reservation per pacer (by id)


def wait(pacer: Pacer, clock: FakeClock) -> float:
    """The wait a request is told (asserted granted); its reservation kept."""
    seconds, reserved = pacer.reserve()
    assert reserved is not None
    RESERVED[id(pacer)] = reserved
    return seconds


def settle(pacer: Pacer, cost: float) -> None:
    """Settle the last reservation :func:`wait` made."""
    pacer.settle(RESERVED[id(pacer)], cost)


def run_paced_job(pacer: Pacer, clock: FakeClock, cost: float, requests: int) -> None:
    """Requests of ``cost`` units each, sleeping (on the fake clock) as told."""
    for _ in range(requests):
        clock.now += wait(pacer, clock)
        settle(pacer, cost)


def test_the_first_second_may_spend_one_budget_at_once() -> None:
    clock = FakeClock()
    pacer = Pacer(100.0, clock)
    waits = []
    for _ in range(4):
        waits.append(wait(pacer, clock))
        settle(pacer, 25.0)
    assert waits == [0.0, 0.0, 0.0, 0.0]
    assert wait(pacer, clock) == pytest.approx(0.25)


def test_the_rate_over_a_long_job_is_the_budget() -> None:
    clock = FakeClock()
    pacer = Pacer(100.0, clock)
    run_paced_job(pacer, clock, 10.0, 300)  # 3000 units
    elapsed = clock.now - 1000.0
    # 3000 units at 100/s with a burst of 100: 29 s at least, about that.
    assert 29.0 - 0.2 <= elapsed <= 30.5
    assert pacer.consumed == 3000.0


def test_no_window_after_the_first_second_exceeds_the_budget_plus_one_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(50.0, clock)
    sent: list[tuple[float, float]] = []
    for cost in [7.0, 3.0, 12.0, 1.0, 30.0, 5.0] * 20:
        clock.now += wait(pacer, clock)
        sent.append((clock.now, cost))
        settle(pacer, cost)
    for start, _ in sent:
        window = sum(cost for at, cost in sent if start <= at < start + 1.0)
        assert window <= 50.0 + 50.0 + 30.0  # budget, burst, one request's overshoot
    total_time = sent[-1][0] - sent[0][0]
    assert sum(c for _, c in sent[:-1]) <= 50.0 * total_time + 50.0 + 30.0


def test_a_bucket_refills_to_one_second_only_after_idling() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    wait(pacer, clock)
    settle(pacer, 10.0)
    clock.now += 60.0  # idle for a minute: the burst is still one second's
    assert wait(pacer, clock) == 0.0
    settle(pacer, 10.0)
    assert wait(pacer, clock) == pytest.approx(1.0)


def test_a_request_reserves_the_most_a_request_has_cost() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    wait(pacer, clock)
    settle(pacer, 10.0)
    clock.now += wait(pacer, clock)
    settle(pacer, 1.0)  # a cheap page after a dear one: the next may be dear
    seconds, reserved = pacer.reserve()
    assert reserved == 10.0
    assert seconds == pytest.approx(0.1)  # 9 units left, 10 reserved


def test_a_shared_pacer_reserves_for_each_segment_before_answers_come() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    wait(pacer, clock)
    settle(pacer, 10.0)  # the burst is spent; a page costs 10
    waits = [wait(pacer, clock) for _ in range(3)]  # three segments at once
    assert waits == pytest.approx([1.0, 2.0, 3.0])


def test_segments_starting_together_wait_for_the_first_answer() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    assert pacer.reserve() == (0.0, 0.0)  # the first request: its cost unknown
    assert pacer.reserve() == (PROBE_SECONDS, None)  # the others ask again
    pacer.settle(0.0, 10.0)
    seconds, reserved = pacer.reserve()
    assert seconds == pytest.approx(1.0)
    assert reserved == 10.0


def test_a_failed_request_gives_its_reservation_back() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    wait(pacer, clock)
    settle(pacer, 10.0)
    assert wait(pacer, clock) == pytest.approx(1.0)
    pacer.failed(RESERVED[id(pacer)])
    assert pacer.consumed == 10.0
    assert wait(pacer, clock) == pytest.approx(1.0)


def test_throttling_lowers_the_rate_as_botocore_cubic_does() -> None:
    clock = FakeClock()
    pacer = Pacer(100.0, clock)
    run_paced_job(pacer, clock, 10.0, 50)
    pacer.throttled(RESERVED[id(pacer)])
    assert pacer.rate <= 0.7 * 100.0 + 1e-9
    assert pacer.throttles == 1
    assert wait(pacer, clock) > 0.0  # the resend waits


def test_after_throttling_the_rate_grows_back_to_the_budget_and_no_higher() -> None:
    clock = FakeClock()
    pacer = Pacer(100.0, clock)
    run_paced_job(pacer, clock, 10.0, 50)
    pacer.throttled(RESERVED[id(pacer)])
    lowered = pacer.rate
    run_paced_job(pacer, clock, 10.0, 20)
    assert pacer.rate > lowered
    run_paced_job(pacer, clock, 10.0, 200)
    assert pacer.rate == 100.0


def test_repeated_throttling_keeps_a_minimum_rate() -> None:
    clock = FakeClock()
    pacer = Pacer(100.0, clock)
    for _ in range(40):
        pacer.throttled(0.0)
    assert pacer.rate == 0.5


@pytest.mark.parametrize("budget", [0, -1, 0.0, math.inf, math.nan, True, "5", [1]])
def test_a_budget_that_is_not_a_positive_finite_number_is_refused(
    budget: object,
) -> None:
    with pytest.raises(ValueError, match="max_read_units_per_second"):
        check_budget("max_read_units_per_second", budget)


@pytest.mark.parametrize("budget", [None, 1, 0.25, 1e6])
def test_a_positive_budget_or_none_is_accepted(budget: object) -> None:
    check_budget("max_write_units_per_second", budget)


def test_a_progress_that_cannot_be_called_is_refused() -> None:
    with pytest.raises(TypeError, match="progress"):
        check_progress(3)
    check_progress(None)
    check_progress(print)


def test_consumed_units_sum_one_entry_or_a_list() -> None:
    assert consumed_units({"ConsumedCapacity": {"CapacityUnits": 2.5}}) == 2.5
    listed = {"ConsumedCapacity": [{"CapacityUnits": 1}, {"CapacityUnits": 3}]}
    assert consumed_units(listed) == 4.0
    assert consumed_units({}) == 0.0


def test_throttling_errors_are_told_by_botocore_rules() -> None:
    assert is_throttling(throttle())
    other = ClientError({"Error": {"Code": "ValidationException"}}, "Scan")
    assert not is_throttling(other)
    assert not is_throttling(ValueError("x"))


def job() -> Generator[Any, Any, list[Any]]:
    replies = []
    for _ in range(3):
        replies.append((yield Call("BatchWriteItem", {"RequestItems": {}})))
    return replies


def drive(
    steps: Generator[Any, Any, Any], answer: Any, clock: FakeClock | None = None
) -> tuple[list[Any], Any]:
    """Run steps: each Call answered by ``answer(call)``, each Sleep spent on
    the fake clock; the steps seen and the result."""
    seen: list[Any] = []
    reply: Any = None
    error: BaseException | None = None
    try:
        while True:
            step = steps.throw(error) if error is not None else steps.send(reply)
            seen.append(step)
            reply, error = None, None
            if isinstance(step, Sleep) and clock is not None:
                clock.now += step.seconds
            if isinstance(step, Call):
                try:
                    reply = answer(step)
                except ClientError as raised:
                    error = raised
    except StopIteration as done:
        return seen, done.value


def test_paced_steps_ask_for_capacity_and_sleep_to_the_budget() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    units = {"ConsumedCapacity": [{"CapacityUnits": 10.0}]}
    seen, result = drive(paced(job(), pacer), lambda call: units, clock)
    calls = [step for step in seen if isinstance(step, Call)]
    sleeps = [step.seconds for step in seen if isinstance(step, Sleep)]
    assert all(c.params["ReturnConsumedCapacity"] == "TOTAL" for c in calls)
    # the burst covers the first 10 units, then 10 units a second
    assert sleeps == pytest.approx([1.0, 1.0])
    assert result == [units] * 3
    assert pacer.consumed == 30.0


def test_a_throttled_request_is_resent_slower_instead_of_failing() -> None:
    pacer = Pacer(10.0, FakeClock())
    answers: list[Any] = [throttle(), throttle(), {}, {}, {}]

    def answer(call: Call) -> Any:
        given = answers.pop(0)
        if isinstance(given, Exception):
            raise given
        return given

    seen, result = drive(paced(job(), pacer), answer)
    assert result == [{}, {}, {}]
    assert pacer.throttles == 2 and pacer.rate < 10.0
    assert any(isinstance(step, Sleep) for step in seen)


def test_a_job_throttled_too_many_times_in_a_row_fails() -> None:
    pacer = Pacer(10.0, FakeClock())

    def answer(call: Call) -> Any:
        raise throttle()

    with pytest.raises(ClientError):
        drive(paced(job(), pacer), answer)
    assert pacer.throttles == MAX_THROTTLED_IN_A_ROW


def test_without_a_pacer_the_steps_are_unchanged() -> None:
    steps = job()
    assert paced(steps, None) is steps


def test_the_pace_achieved_is_units_over_the_clocks_seconds() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, clock)
    run_paced_job(pacer, clock, 5.0, 8)  # 40 units: 10 in the burst, 30 in 3 s
    assert pacer.elapsed() == pytest.approx(3.0)
    assert pacer.achieved() == pytest.approx(40.0 / 3.0)
