"""The fault proxy itself: a server that refuses the proxy's connection is
passed on to the client as a closed connection, not printed as a traceback
of the proxy's thread."""

import http.client
from collections.abc import Iterator

import pytest

from integration_tests.server.dynalite_server import free_port
from integration_tests.server.fault_proxy import FaultProxy


@pytest.fixture
def proxy_to_nothing() -> Iterator[FaultProxy]:
    """A proxy in front of a port where nothing listens (a stopped server)."""
    proxy = FaultProxy("http://127.0.0.1:%d" % free_port())
    proxy.start()
    yield proxy
    proxy.stop()


def test_a_refused_upstream_closes_the_client_connection_without_a_traceback(
    proxy_to_nothing: FaultProxy, capfd: pytest.CaptureFixture[str]
) -> None:
    port = int(proxy_to_nothing.url.rsplit(":", 1)[1])
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"X-Amz-Target": "DynamoDB_20120810.GetItem"}
    try:
        with pytest.raises(ConnectionError):  # RemoteDisconnected or a reset
            client.request("POST", "/", body=b"{}", headers=headers)
            client.getresponse()
    finally:
        client.close()

    assert proxy_to_nothing.requests["GetItem"] == 1
    assert "Traceback" not in capfd.readouterr().err
