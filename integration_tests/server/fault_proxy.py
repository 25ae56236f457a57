"""A small HTTP proxy in front of a DynamoDB-compatible server that damages answers.

Every request goes to the real server. While a fault is set for an operation
(by its ``X-Amz-Target``, e.g. ``GetItem``), the server's answer to that
operation is replaced or damaged on its way back:

- ``html``: a 200 whose body is an HTML page;
- ``garbage``: a 200 whose body is not JSON;
- ``empty``: a 200 with an empty body;
- ``truncated``: the real answer cut in half, the connection then closed;
- ``crc32``: the real answer with a wrong ``x-amz-crc32`` header;
- ``unprocessed``: a batch request is not forwarded, and every item or key of
  it is handed back as ``UnprocessedItems``/``UnprocessedKeys``;
- ``stall``: the request is not forwarded; the connection is held for
  :attr:`FaultProxy.stall_seconds`, then closed with no answer (a server
  that hangs, for read timeouts and interrupts);
- ``throttle``: not forwarded; a 400 ``ProvisionedThroughputExceededException``;
- ``error500``: not forwarded; a 500 ``InternalServerError``;
- ``reset``: not forwarded; the connection is reset (TCP RST), no answer;
- ``canned``: not forwarded; :attr:`FaultProxy.canned` (status, body) answered.

:attr:`FaultProxy.passes` lets the first requests of an operation through
untouched (``passes["BatchWriteItem"] = 2`` damages the third and later),
:attr:`FaultProxy.times` limits how many are damaged (``times["GetItem"] = 2``
damages two, then lets the rest through),
and :attr:`FaultProxy.on_fault`, if set, is called as a fault is applied.
"""

import http.client
import json
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import urlparse

Fault = Literal[
    "html",
    "garbage",
    "empty",
    "truncated",
    "crc32",
    "unprocessed",
    "stall",
    "throttle",
    "error500",
    "reset",
    "canned",
]
# The faults botocore's retry rules answer, and how many requests each
# damages: what every transport must retry alike.
RETRY_FAULTS: dict[str, tuple[Fault, int]] = {
    "throttle x2": ("throttle", 2),
    "throttle always": ("throttle", 99),
    "500 x2": ("error500", 2),
    "500 always": ("error500", 99),
    "reset x1": ("reset", 1),
    "reset always": ("reset", 99),
    "read timeout x1": ("stall", 1),
    "bad checksum x1": ("crc32", 1),
    "bad checksum always": ("crc32", 99),
}
ERROR_TYPE = "com.amazonaws.dynamodb.v20120810#%s"
JSON_TYPE = {"Content-Type": "application/x-amz-json-1.0"}
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class FaultProxy:
    """The proxy: start it, point a client at :attr:`url`, set faults."""

    def __init__(self, upstream: str) -> None:
        parsed = urlparse(upstream)
        self.upstream_host = parsed.hostname or "127.0.0.1"
        self.upstream_port = parsed.port or 80
        self.faults: dict[str, Fault] = {}
        self.passes: dict[str, int] = {}
        self.times: dict[str, int] = {}
        self.canned: tuple[int, bytes] = (400, b"{}")
        self.stall_seconds = 3.0
        self.on_fault: Callable[[], None] | None = None
        self.requests: Counter[str] = Counter()
        self.last_headers: dict[str, dict[str, str]] = {}
        self.damaged = 0
        self._count_lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> str:
        """Start serving in a background thread; return the proxy's URL."""
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        """Clear faults, passes, the hook and the counts."""
        self.faults.clear()
        self.passes.clear()
        self.times.clear()
        self.on_fault = None
        self.requests.clear()
        self.last_headers.clear()
        self.damaged = 0

    def fault_for(self, operation: str) -> Fault | None:
        """Count a request of ``operation``; return the fault to apply, if any."""
        with self._count_lock:
            self.requests[operation] += 1
            fault = self.faults.get(operation)
            passes = self.passes.get(operation, 0)
            number = self.requests[operation] - passes
            if fault is None or number <= 0 or number > self.times.get(operation, 1e9):
                return None
            self.damaged += 1
        if self.on_fault is not None:
            self.on_fault()
        return fault

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                target = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
                proxy.last_headers[target] = dict(self.headers.items())
                fault = proxy.fault_for(target)
                if fault == "stall":
                    time.sleep(proxy.stall_seconds)
                    self.close_connection = True
                    return
                if fault == "unprocessed":
                    self._answer(200, JSON_TYPE, _all_unprocessed(target, body))
                    return
                if fault in ("throttle", "error500", "reset", "canned"):
                    self._refused(fault)
                    return
                try:
                    status, headers, answer = proxy._forward(self.headers, body)
                except ConnectionRefusedError:
                    # The server is gone (stopped while a client still had a
                    # connection to the proxy): the client meets what it
                    # would meet without the proxy, a connection reset.
                    self._refused("reset")
                    return
                if fault is None:
                    self._answer(status, headers, answer)
                else:
                    self._damaged(fault, status, headers, answer)

            def _answer(
                self, status: int, headers: dict[str, str], body: bytes
            ) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _refused(self, fault: Fault) -> None:
                if fault == "reset":
                    linger = struct.pack("ii", 1, 0)  # close with a TCP RST
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, linger
                    )
                    self.close_connection = True
                    return
                status, body = proxy.canned
                if fault != "canned":
                    status, code = (
                        (400, "ProvisionedThroughputExceededException")
                        if fault == "throttle"
                        else (500, "InternalServerError")
                    )
                    error = {"__type": ERROR_TYPE % code, "message": "fault"}
                    body = json.dumps(error).encode()
                self._answer(status, JSON_TYPE, body)

            def _damaged(
                self, fault: Fault, status: int, headers: dict[str, str], body: bytes
            ) -> None:
                json_type = JSON_TYPE
                if fault == "html":
                    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
                    self._answer(200, {"Content-Type": "text/html"}, page)
                elif fault == "garbage":
                    self._answer(200, json_type, b"\x00\x01 not json at all")
                elif fault == "empty":
                    self._answer(200, json_type, b"")
                elif fault == "crc32":
                    wrong = str((zlib.crc32(body) + 1) & 0xFFFFFFFF)
                    self._answer(status, {**headers, "x-amz-crc32": wrong}, body)
                else:  # truncated: no length, half the body, then close
                    self.send_response(status)
                    self.send_header("Content-Type", json_type["Content-Type"])
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                return  # quiet

        return Handler

    def _forward(
        self, headers: object, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(
            self.upstream_host, self.upstream_port, timeout=30
        )
        try:
            sent = {
                name: value
                for name, value in getattr(headers, "items")()
                if name.lower() not in HOP_HEADERS
            }
            connection.request("POST", "/", body=body, headers=sent)
            response = connection.getresponse()
            answer = response.read()
            kept = {
                name: value
                for name, value in response.getheaders()
                if name.lower() not in HOP_HEADERS
            }
            return response.status, kept, answer
        finally:
            connection.close()


def _all_unprocessed(operation: str, body: bytes) -> bytes:
    """The answer of a server that processed nothing of a batch request."""
    requested = json.loads(body)["RequestItems"]
    if operation == "BatchWriteItem":
        return json.dumps({"UnprocessedItems": requested}).encode()
    return json.dumps({"Responses": {}, "UnprocessedKeys": requested}).encode()
