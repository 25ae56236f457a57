"""An error a server sends before it has read the whole request (a request
too large, refused at its head) is the call's answer on every path, as
botocore reads it, not the broken pipe that sending the rest then meets."""

import socket
import threading
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import BatchIncompleteError
from tests.conformance.harness import PATHS, Services, outcome
from tests.conformance.wire_server import dynamodb_answer, dynamodb_error

TOO_LARGE = dynamodb_error(
    400, "com.amazonaws.dynamodb.v20120810#ValidationException", "too large"
).replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
PING = dynamodb_answer({"TableNames": []}, extra=[("Connection", "close")])
TABLE = {
    "TableName": "orders",
    "TableStatus": "ACTIVE",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
}
DESCRIBED = dynamodb_answer({"Table": TABLE}, extra=[("Connection", "close")])
# 25 items of 390 KB: more than loopback's socket buffers take unread.
LARGE = [{"pk": "a%d" % number, "blob": "x" * 390_000} for number in range(25)]


class EarlyRefuser:
    """Answers each request as soon as its head arrives, then closes the
    connection without reading the body (unread bytes: the close resets)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.requests = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(connection,)).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            head = b""
            while b"\r\n\r\n" not in head:
                data = connection.recv(65536)
                if not data:
                    return
                head += data
            if b"ListTables" in head or b"DescribeTable" in head:
                connection.sendall(PING if b"ListTables" in head else DESCRIBED)
                return
            self.requests += 1
            connection.sendall(TOO_LARGE)
            connection.shutdown(socket.SHUT_WR)
            connection.settimeout(1)
            try:
                connection.recv(1)  # the client's next bytes: then reset
            except OSError:
                pass


@pytest.fixture
def refuser() -> Iterator[EarlyRefuser]:
    """A started early-refusing server."""
    server = EarlyRefuser()
    yield server
    server.listener.close()


@pytest.mark.parametrize("path", PATHS)
def test_an_error_answered_before_the_body_was_read_is_the_calls_answer(
    path: str, refuser: EarlyRefuser, services: Services
) -> None:
    service = services.open(path, refuser.url, read_timeout_seconds=2)

    def stopped_by() -> str:
        try:
            service.batch_write_items(LARGE, table_name="orders")
        except BatchIncompleteError as incomplete:
            cause = incomplete.cause
            if isinstance(cause, ClientError):
                return str(cause.response["Error"]["Code"])
            return type(cause).__name__
        return "written"

    result = outcome(stopped_by)

    assert (result, refuser.requests) == ("ValidationException", 1)
