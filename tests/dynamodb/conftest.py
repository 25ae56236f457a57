"""Fixtures for the unit tests: every test runs inside moto's mock_aws."""

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.services import build_service

TABLE = "orders"
KEY_SCHEMA = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
]


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test against moto, with fake credentials and no real endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def logger() -> logging.Logger:
    """A logger whose records the tests can capture with caplog."""
    return logging.getLogger("tests.dynamodb")


@pytest.fixture
def config() -> DynamoDBConfig:
    """A configuration with a default table."""
    return DynamoDBConfig(region_name="us-east-1", default_table_name=TABLE)


@pytest.fixture
def service(logger: logging.Logger, config: DynamoDBConfig) -> DynamoDBService:
    """A service connected to moto."""
    return build_service(logger, config)


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every pause a service takes (``time.sleep`` on the blocking service,
    ``asyncio.sleep`` on the async one), recorded instead of slept."""
    recorded: list[float] = []

    async def pause(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("time.sleep", recorded.append)
    monkeypatch.setattr("services.dynamodb.drivers.asynchronous.pause", pause)
    return recorded


@pytest.fixture
def table(service: DynamoDBService) -> str:
    """The default table, created with a string pk and a number sk."""
    service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    return TABLE


class Capture(logging.Handler):
    """Keeps every record any logger emits, fully formatted."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []
        self._formatter = logging.Formatter("%(name)s %(message)s")
        self._lock_records = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock_records:
            self.records.append((record.levelno, self._formatter.format(record)))


@pytest.fixture
def captured() -> Any:
    root = logging.getLogger()
    handler = Capture()
    previous = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(previous)
