"""Fixtures of the conformance suite: the scripted wire server, services of
each path built against it, a count of ``connect()`` calls, throwaway TLS.

Nothing here uses moto: every request goes out on a real socket to
:class:`~tests.conformance.wire_server.WireServer` on loopback.
"""

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import Connects, Services
from tests.conformance.wire_server import TlsFiles, WireServer, make_tls

# Variables that would change where requests go or how they are retried.
ENVIRONMENT = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CA_BUNDLE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_ACCOUNT_ID",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SERVICES_DYNAMODB_TRANSPORT",
    "SERVICES_DYNAMODB_SERVICE",
)


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS profile, proxy, CA bundle or retry setting from the machine."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(autouse=True)
def backoff(quick_backoff: None) -> None:
    """Every case with botocore's backoff made 1 ms (tests/conftest.py)."""


@pytest.fixture
def logger() -> logging.Logger:
    """The services' logger."""
    return logging.getLogger("tests.conformance")


@pytest.fixture
def server() -> Iterator[WireServer]:
    """A started plain-HTTP wire server, stopped after the test."""
    with WireServer() as started:
        yield started


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A CA (for ``AWS_CA_BUNDLE``) and a server context it signed."""
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def untrusted_tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A server context signed by a CA nobody trusts."""
    return make_tls(tmp_path_factory.mktemp("untrusted-tls"))


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> Connects:
    """Counts connection attempts: the only trace a refused or timed-out
    connection leaves (``http.client``, urllib3 and asyncio's selector loop
    all call ``socket.socket.connect``)."""
    seen = Connects()
    original = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and len(address) >= 2:
            seen.ports.append(int(address[1]))
        original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


@pytest.fixture
def services(logger: logging.Logger) -> Iterator[Services]:
    """The factory of services under test."""
    factory = Services(logger)
    yield factory
    factory.close()
