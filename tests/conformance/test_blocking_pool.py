"""The blocking pool's promises, through the public service, as
tests/dynamodb/test_async_connections.py checks the async pool's: keep-alive
reuse, idle connections the server closed, the bound of
``max_pool_connections``, ``Connection: close``, a failed exchange freeing
its place, and requests through a plain-HTTP proxy.

Each runs on the three paths (botocore's client the reference) except the
bound: urllib3's pool, under botocore, keeps at most ``max_pool_connections``
idle but opens more when all are busy (``block=False``), so botocore is no
oracle there; the service documents the bound as its own.
"""

import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conformance.harness import (
    GET_A,
    GET_B,
    ITEM_A,
    PATHS,
    Failed,
    Services,
    get,
    gets,
    outcome,
)
from tests.conformance.wire_server import (
    Close,
    Hold,
    Pause,
    Send,
    WireServer,
    dynamodb_answer,
    lines_of,
    wait_until,
)

# Where the proxied service sends: a name nobody resolves, so that only a
# request through the proxy can be answered.
UNRESOLVED = "http://dynamodb.conformance.invalid:8000"
HTTP10_A = GET_A.replace(b"HTTP/1.1 ", b"HTTP/1.0 ", 1)


@pytest.mark.parametrize("path", PATHS)
def test_keep_alive_connections_are_reused(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Send(GET_A),)
    service = services.open(path, server.url)

    results = [outcome(lambda: get(service)) for _ in range(3)]

    assert results == [{"pk": "a"}] * 3
    assert [one.connection for one in server.requests] == [1] * 4, list(
        lines_of(server.requests)
    )


@pytest.mark.parametrize("path", PATHS)
def test_a_connection_the_server_closed_while_idle_is_not_reused(
    path: str, server: WireServer, services: Services
) -> None:
    """One attempt only: a stale connection reused would fail the call."""
    server.answer((Send(GET_A), Close()), (Send(GET_B),))
    service = services.open(path, server.url, max_attempts=1)
    first = outcome(lambda: get(service))
    assert wait_until(lambda: server.open_now == 0)  # its FIN is on the way
    time.sleep(0.02)  # and the async service's loop has read it

    second = outcome(lambda: get(service))

    assert (first, second) == ({"pk": "a"}, {"pk": "b"})
    assert [one.connection for one in server.requests_for("GetItem")] == [1, 2]


@pytest.mark.parametrize(
    "answer",
    [
        dynamodb_answer(ITEM_A, extra=[("Connection", "close")]),
        HTTP10_A,  # HTTP/1.0 with no keep-alive: closes after the answer
    ],
    ids=["connection_close", "http_1.0"],
)
@pytest.mark.parametrize("path", PATHS)
def test_an_answer_that_closes_makes_the_next_call_open_a_new_connection(
    path: str, answer: bytes, server: WireServer, services: Services
) -> None:
    """The server says it closes, and leaves the connection open: a client
    that reused it would send its next request there."""
    server.answer((Send(answer),), (Send(GET_B),))
    service = services.open(path, server.url)

    results = [outcome(lambda: get(service)), outcome(lambda: get(service))]

    assert results == [{"pk": "a"}, {"pk": "b"}]
    connections = [one.connection for one in server.requests_for("GetItem")]
    assert connections[0] != connections[1], list(lines_of(server.requests))


@pytest.mark.parametrize("path", ["direct", "async"])
def test_at_most_max_pool_connections_are_open_at_once(
    path: str, server: WireServer, services: Services
) -> None:
    server.default = (Pause(0.05), Send(GET_A))
    service = services.open(path, server.url, max_pool_connections=2)
    start = threading.Barrier(8)

    def call(_: int) -> object:
        start.wait()
        return outcome(lambda: get(service))

    with ThreadPoolExecutor(8) as threads:
        results = list(threads.map(call, range(8)))

    assert results == [{"pk": "a"}] * 8
    assert (gets(server), server.most_open) == (8, 2)


@pytest.mark.parametrize("path", PATHS)
def test_a_failed_exchange_frees_its_place_in_the_pool(
    path: str, server: WireServer, services: Services
) -> None:
    server.answer((Hold(),))
    server.default = (Send(GET_A),)
    service = services.open(
        path,
        server.url,
        max_pool_connections=1,
        max_attempts=1,
        read_timeout_seconds=0.25,
    )

    first = outcome(lambda: get(service))
    second = outcome(lambda: get(service))

    assert (first, second) == (Failed("ReadTimeoutError"), {"pk": "a"})
    assert [one.connection for one in server.requests_for("GetItem")] == [1, 2]


@pytest.mark.parametrize("path", PATHS)
def test_a_plain_http_proxy_gets_absolute_form_requests_with_its_credentials(
    path: str,
    server: WireServer,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The proxy is the wire server itself: it answers what it is sent."""
    server.default = (Send(GET_A),)
    monkeypatch.setenv("HTTP_PROXY", f"http://user:pa%20ss@127.0.0.1:{server.port}")
    service = services.open(path, UNRESOLVED)

    result = outcome(lambda: get(service))

    credentials = base64.b64encode(b"user:pa ss").decode()
    seen = [
        (one.method, one.target, one.header("Host"), one.header("Proxy-Authorization"))
        for one in server.requests
    ]
    expected = ("POST", UNRESOLVED + "/", UNRESOLVED[7:], f"Basic {credentials}")
    assert (result, seen) == ({"pk": "a"}, [expected] * 2)
