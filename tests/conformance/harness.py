"""What the conformance tests share: the paths, services built against the
wire server, DynamoDB answers, and outcomes that compare across services."""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.conformance.wire_server import Close, Send, WireServer, dynamodb_answer
from tests.services import build_service

# The three paths every case runs on: the blocking service on the direct
# transport, the async service (direct), and the blocking service on
# botocore's own client: the oracle.
PATHS = ("direct", "async", "botocore")
# The attempts of every service (retry_mode="standard").
ATTEMPTS = 4
# Small, so that failing cases stay fast; loopback answers in microseconds.
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 0.5


@dataclass
class Connects:
    """Every ``connect()`` made by a socket in this process, by port."""

    ports: list[int] = field(default_factory=list)

    def count(self, port: int) -> int:
        """How many connections were attempted to a port of any host.

        Args:
            port: The port.

        Returns:
            The number of ``connect()`` calls.
        """
        return self.ports.count(port)


class Services:
    """Builds pinged services of each path, and closes them after the test."""

    def __init__(self, logger: logging.Logger) -> None:
        """Args:
        logger: The services' logger.
        """
        self._logger = logger
        self._opened: list[Any] = []

    def open(self, path: str, endpoint_url: str, **changes: Any) -> DynamoDBService:
        """A service of a path, pinged (as the blocking constructor pings).

        Args:
            path: ``"direct"``, ``"async"`` or ``"botocore"`` (see :data:`PATHS`).
            endpoint_url: The endpoint.
            **changes: Other ``DynamoDBConfig`` fields.

        Returns:
            The service; the async one behind ``tests.services.Blocking``,
            which runs its coroutines on a loop thread.
        """
        settings: dict[str, Any] = {
            "region_name": "us-east-1",
            "endpoint_url": endpoint_url,
            "aws_access_key_id": "k",
            "aws_secret_access_key": "s",
            "max_attempts": ATTEMPTS,
            "retry_mode": "standard",
            "connect_timeout_seconds": CONNECT_TIMEOUT,
            "read_timeout_seconds": READ_TIMEOUT,
            "transport": "botocore" if path == "botocore" else "direct",
        }
        config = DynamoDBConfig(**{**settings, **changes})
        service = build_service(self._logger, config, awaited=path == "async")
        self._opened.append(service)
        return service

    def close(self) -> None:
        """Close what has a ``close`` (the async service); the blocking
        service's connections go with it."""
        for service in self._opened:
            close = getattr(service, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:  # closing after a failure: best effort
                    pass


TABLE = "conformance"
ITEM_A = {"Item": {"pk": {"S": "a"}}}
ITEM_B = {"Item": {"pk": {"S": "b"}}}
FORGED = {"Item": {"pk": {"S": "forged"}}}
GET_A = dynamodb_answer(ITEM_A)
GET_B = dynamodb_answer(ITEM_B)
BODY_A = GET_A[GET_A.index(b"\r\n\r\n") + 4 :]
PING_CLOSE = dynamodb_answer({"TableNames": []}, extra=[("Connection", "close")])
# The ping answered, then the connection closed, so that the case's first
# attempt opens a connection of its own.
PING_THEN_CLOSE = (Send(PING_CLOSE), Close())
SHORT = 0.15  # the timeout of the timeout cases
# The longest a call may take before it is reported as hung (the slowest
# case, four timeouts, takes about 1 s).
HANG_LIMIT = 10.0


@dataclass(frozen=True)
class Failed:
    """What a call raised: compared by class name (each service has its own
    modeled exception classes, so classes of two services never compare)."""

    name: str
    message: str = field(default="", compare=False)


def outcome(call: Callable[[], object], limit: float = HANG_LIMIT) -> object:
    """What a call returned, or :class:`Failed` with what it raised, or
    ``Failed("Hung")`` if it has not returned in ``limit`` seconds (it is
    left running in its daemon thread: a pool that lost a place blocks)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except Exception as error:  # the outcome is the assertion's subject
            box.append(Failed(type(error).__name__, str(error)[:300]))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    if not box:
        return Failed("Hung", f"no return in {limit} s")
    return box[0]


def get(service: DynamoDBService) -> object:
    """``get_item`` of key ``a``: the item as a dict, or None."""
    return service.get_item({"pk": "a"}, table_name=TABLE)


def gets(server: WireServer) -> int:
    """The ``GetItem`` requests the server read: the attempts."""
    return len(server.requests_for("GetItem"))


def expected(path: str, correct: object, botocore: object | None = None) -> object:
    """What a path must give: ``correct``, but on the botocore path what
    botocore does where it is known to be wrong (``botocore``)."""
    if path == "botocore" and botocore is not None:
        return botocore
    return correct


def paths_where_botocore_is_wrong(why: str) -> list[Any]:
    """The paths as parameters, the botocore one's id naming its fault."""
    return [
        pytest.param(path, id=f"botocore_wrong_{why}" if path == "botocore" else path)
        for path in PATHS
    ]


def head_of(answer: bytes) -> bytes:
    """An answer's status line and headers, blank line included."""
    return answer[: answer.index(b"\r\n\r\n") + 4]
