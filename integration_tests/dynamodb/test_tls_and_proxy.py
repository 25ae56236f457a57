"""TLS verified with ``AWS_CA_BUNDLE``, through an HTTPS proxy's ``CONNECT``
tunnel, on both transports and the async service's: the server is dynalite
behind a TLS front with a throwaway CA, the proxy a tunnelling proxy, both on
loopback."""

import logging
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from botocore.exceptions import SSLError

from integration_tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from integration_tests.server.tls_front import ConnectProxy, TlsFront
from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.services import build_service

# The blocking service on each transport, and the async service's transport.
TRANSPORTS = ("direct", "botocore", "async")


@pytest.fixture(scope="module")
def tls_front(
    endpoint_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TlsFront]:
    """``https://localhost:<port>`` in front of the (plain-HTTP) server."""
    server = urlparse(endpoint_url)
    if server.scheme != "http":
        pytest.skip("the TLS front forwards to a plain-HTTP server only")
    front = TlsFront(
        (server.hostname or "", server.port or 80), tmp_path_factory.mktemp("tls")
    )
    yield front
    front.stop()


@pytest.fixture
def connect_proxy() -> Iterator[ConnectProxy]:
    proxy = ConnectProxy()
    yield proxy
    proxy.stop()


def tls_config(
    base_config: DynamoDBConfig, front: TlsFront, transport: str, table: str
) -> DynamoDBConfig:
    return base_config.model_copy(
        update={
            "endpoint_url": front.url,
            "transport": "direct" if transport == "async" else transport,
            "default_table_name": table,
        }
    )


def connected(
    logger: logging.Logger, config: DynamoDBConfig, transport: str
) -> DynamoDBService:
    """A pinged service of the kind ``transport`` names."""
    return build_service(logger, config, awaited=transport == "async")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_tls_with_ca_bundle_through_a_connect_proxy(
    tls_front: TlsFront,
    connect_proxy: ConnectProxy,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
    table_name: str,
    monkeypatch: pytest.MonkeyPatch,
    transport: str,
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls_front.ca_file))
    for name in ("NO_PROXY", "no_proxy", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    config = tls_config(base_config, tls_front, transport, table_name)
    owner = DynamoDBService(logger, config)  # the table is made without the proxy
    owner.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    monkeypatch.setenv("HTTPS_PROXY", connect_proxy.url)
    try:
        # Only the transport's requests: ping, put and get (no key schema known).
        service = connected(logger, config, transport)
        service.put_item({"pk": "a", "sk": 1, "name": "Ann"})
        assert service.get_item({"pk": "a", "sk": 1}) == {
            "pk": "a",
            "sk": 1,
            "name": "Ann",
        }
    finally:
        owner.delete_table(table_name)
    target = "localhost:%d" % tls_front.port
    assert connect_proxy.tunnels and set(connect_proxy.tunnels) == {target}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_no_proxy_is_honoured(
    tls_front: TlsFront,
    connect_proxy: ConnectProxy,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    transport: str,
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls_front.ca_file))
    monkeypatch.setenv("HTTPS_PROXY", connect_proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost")
    service = connected(
        logger, tls_config(base_config, tls_front, transport, "unused"), transport
    )

    assert service.list_tables() is not None
    assert connect_proxy.tunnels == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_certificate_of_an_unknown_ca_is_refused(
    tls_front: TlsFront,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    transport: str,
) -> None:
    for name in ("AWS_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    config = tls_config(base_config, tls_front, transport, "unused").model_copy(
        update={"max_attempts": 1}
    )
    with pytest.raises(SSLError):
        connected(logger, config, transport)  # its ping meets the certificate


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_certificate_for_another_host_name_is_refused(
    tls_front: TlsFront,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    transport: str,
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tls_front.ca_file))
    port = urlparse(tls_front.url).port or 443
    config = base_config.model_copy(
        update={
            "endpoint_url": "https://127.0.0.1:%d" % port,  # the certificate: localhost
            "transport": "direct" if transport == "async" else transport,
            "max_attempts": 1,
        }
    )
    with pytest.raises(SSLError):
        connected(logger, config, transport)
