"""The async transport's connection pool against a plain HTTP server on
loopback whose behaviour each test sets: idle connections the server
closes, the pool's bound, cancellation, timeouts, refused connections."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import pytest_asyncio
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from services.dynamodb.transport.async_http import AsyncConnectionPool
from services.dynamodb.transport.http import Route

pytestmark = pytest.mark.asyncio
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
HEADERS = {"Host": "127.0.0.1"}


@dataclass
class Server:
    """Answers each request with ANSWER (after ``delay`` seconds; never, if
    ``silent``), then closes the connection if ``close_after``."""

    url: str = ""
    delay: float = 0.0
    silent: bool = False
    close_after: bool = False
    connections: int = 0
    open_now: int = 0
    most_open: int = 0
    requests: list[bytes] = field(default_factory=list)

    async def serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r")[0])
                self.requests.append(await reader.readexactly(length))
                if self.silent:
                    await asyncio.sleep(60)
                await asyncio.sleep(self.delay)
                writer.write(ANSWER)
                await writer.drain()
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()


@pytest_asyncio.fixture
async def server() -> AsyncIterator[Server]:
    served = Server()
    listener = await asyncio.start_server(served.serve, "127.0.0.1", 0)
    served.url = "http://127.0.0.1:%d" % listener.sockets[0].getsockname()[1]
    yield served
    listener.close()


def pool(url: str, size: int = 4, read_timeout: float = 5.0) -> AsyncConnectionPool:
    return AsyncConnectionPool(Route(url, 2.0, read_timeout), size)


async def test_keep_alive_connections_are_reused(server: Server) -> None:
    connections = pool(server.url)
    answers = [await connections.send(HEADERS, b"%d" % i) for i in range(3)]

    assert [answer.body for answer in answers] == [b"ok"] * 3
    assert server.requests == [b"0", b"1", b"2"]
    assert server.connections == 1
    connections.close()


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    server: Server,
) -> None:
    server.close_after = True
    connections = pool(server.url)
    await connections.send(HEADERS, b"1")
    await asyncio.sleep(0.05)  # the server's close arrives

    answer = await connections.send(HEADERS, b"2")

    assert answer.body == b"ok"
    assert server.connections == 2
    connections.close()


async def test_at_most_size_connections_are_open(server: Server) -> None:
    server.delay = 0.05
    connections = pool(server.url, size=2)

    answers = await asyncio.gather(*(connections.send(HEADERS, b"x") for _ in range(6)))

    assert len(answers) == 6
    assert server.most_open == 2
    connections.close()


async def test_a_cancelled_send_leaves_the_pool_usable(server: Server) -> None:
    server.delay = 0.3
    connections = pool(server.url, size=1)
    sending = asyncio.ensure_future(connections.send(HEADERS, b"1"))
    await asyncio.sleep(0.1)
    sending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sending
    server.delay = 0.0

    answer = await connections.send(HEADERS, b"2")

    assert answer.body == b"ok"
    assert server.connections == 2  # the cancelled one was closed, not reused
    connections.close()


async def test_an_answer_that_never_comes_is_a_read_timeout(server: Server) -> None:
    server.silent = True
    connections = pool(server.url, read_timeout=0.2)

    with pytest.raises(ReadTimeoutError):
        await asyncio.wait_for(connections.send(HEADERS, b"1"), 5)
    connections.close()


async def test_a_refused_connection_is_an_endpoint_connection_error() -> None:
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    url = "http://127.0.0.1:%d" % listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()

    with pytest.raises(EndpointConnectionError):
        await pool(url).send(HEADERS, b"1")
