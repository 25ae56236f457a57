"""Fixtures shared by the unit and conformance suites."""

import pytest
from botocore.retries import standard


@pytest.fixture
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's standard-mode backoff, made 1 ms: for tests that count
    attempts, not pauses (throttling would otherwise pause up to 7 s).

    Both transports ask the same ``needs-retry`` handler, so the pauses
    change alike on every path.
    """
    monkeypatch.setattr(
        standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.001
    )
