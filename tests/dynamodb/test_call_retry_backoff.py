"""A retried call waits before each retry, as botocore's standard mode
does: never a hot loop against a server that refuses it."""

import logging

import pytest

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE
from tests.dynamodb.faults import inject_errors
from tests.dynamodb.pausing import record_async_sleeps
from tests.services import build_service

THROTTLED = "ProvisionedThroughputExceededException"
# botocore's standard mode: attempt i (from 0) waits rand(0, 1) * 2 ** i
# seconds after a throttling error.
THROTTLED_CEILINGS = [1.0, 2.0]


@pytest.fixture
def every_pause(pauses: list[float], monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``pauses``, and every ``asyncio.sleep`` too, recorded instead of slept."""
    record_async_sleeps(pauses, monkeypatch)
    return pauses


def test_a_throttled_call_waits_a_nonzero_backoff_before_each_retry(
    logger: logging.Logger, every_pause: list[float]
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        default_table_name=TABLE,
        max_attempts=3,
        retry_mode="standard",
    )
    service: DynamoDBService = build_service(logger, config)
    service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    injector = inject_errors(service._client, "GetItem", THROTTLED, times=2)

    assert service.get_item({"pk": "a", "sk": 1}) is None

    assert injector.calls == 3
    assert len(every_pause) == 2
    assert all(
        0 < pause <= ceiling for pause, ceiling in zip(every_pause, THROTTLED_CEILINGS)
    )
