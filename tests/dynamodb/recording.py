"""A recording endpoint: a local HTTP server that keeps every request it
gets (path, headers, body bytes) and answers each with a canned body by its
``X-Amz-Target`` operation, for comparing what the library sends and reads
with what a plain boto3 client sends and reads, with nothing mocked."""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JSON_TYPE = "application/x-amz-json-1.0"


@dataclass(frozen=True)
class Recorded:
    """One request as the endpoint got it.

    Attributes:
        path: The request line's path (with its query).
        headers: The headers, names in lower case.
        body: The body's bytes.
    """

    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def operation(self) -> str:
        """The operation its ``X-Amz-Target`` names."""
        return self.headers.get("x-amz-target", "").rpartition(".")[2]


class Recording:
    """The endpoint: ``url`` to point a client at, ``answers`` by operation
    (``ListTables`` answers with no tables unless set), ``requests`` kept."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.answers: dict[str, bytes] = {"ListTables": b'{"TableNames": []}'}
        self.status = 200
        recording = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                request = Recorded(self.path, headers, body)
                recording.requests.append(request)
                answer = recording.answers.get(request.operation, b"{}")
                status = 200 if request.operation == "ListTables" else recording.status
                self.send_response(status)
                self.send_header("Content-Type", JSON_TYPE)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]

    def answer(self, operation: str, body: dict[str, Any] | bytes) -> None:
        """Answer ``operation`` with ``body`` (a dict is written as JSON)."""
        self.answers[operation] = (
            body if isinstance(body, bytes) else json.dumps(body).encode()
        )

    def of(self, operation: str) -> list[Recorded]:
        """The requests of one operation, in order."""
        return [r for r in self.requests if r.operation == operation]

    def close(self) -> None:
        """Stop the server."""
        self._server.shutdown()
        self._server.server_close()
