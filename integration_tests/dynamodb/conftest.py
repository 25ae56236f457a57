"""Fixtures for the integration tests: a real DynamoDB-compatible server.

``DYNAMODB_ENDPOINT_URL`` names a server to use (DynamoDB Local, LocalStack,
AWS); without it the pinned dynalite is started on a free loopback port and
stopped at the end of the session, also when tests fail. Under ``CI=true`` a
server that cannot start fails the run instead of skipping it.
"""

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import pytest
from botocore.exceptions import ClientError

from integration_tests.server.dynalite_server import DynaliteServer
from integration_tests.server.fault_proxy import FaultProxy
from tests.services import build_service
from services.dynamodb import DynamoDBConfig, DynamoDBService

KEY_SCHEMA = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
]


# Tables of the shared dynalite are ACTIVE, and gone, at once: a test's
# table costs no waiting (a waiter polls once a second). The tests of the
# waits themselves use ``slow_service``, on a dynalite that keeps tables
# CREATING and DELETING for a while, as real servers do.
SLOW_TABLES_MS = 200


def _served(create_table_ms: int, delete_table_ms: int) -> Iterator[str]:
    """DYNAMODB_ENDPOINT_URL, or a dynalite started here (never skipped in CI)."""
    given = os.environ.get("DYNAMODB_ENDPOINT_URL")
    if given:
        yield given
        return
    server = DynaliteServer(create_table_ms, delete_table_ms)
    try:
        url = server.start()
    except RuntimeError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"integration server could not start: {error}")
        pytest.skip(f"integration server could not start: {error}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def endpoint_url() -> Iterator[str]:
    """The server's URL: DYNAMODB_ENDPOINT_URL, or a dynalite started here."""
    yield from _served(create_table_ms=0, delete_table_ms=0)


@pytest.fixture(scope="session")
def slow_endpoint_url() -> Iterator[str]:
    """A server whose tables take their time to become ACTIVE and to go."""
    yield from _served(SLOW_TABLES_MS, SLOW_TABLES_MS)


@dataclass(frozen=True)
class ServerFeatures:
    """What the server answers, found by asking it (not by which server it is)."""

    transactions: bool
    ttl: bool
    partiql: bool


def _supports(call: Callable[[], object]) -> bool:
    """False only when the server does not know the operation at all."""
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"] != "UnknownOperationException"
    return True


@pytest.fixture(scope="session")
def server_features(base_config: DynamoDBConfig) -> ServerFeatures:
    """Probe the server with calls on a table that does not exist."""
    client = DynamoDBService(logging.getLogger("probe"), base_config)._client
    missing = "probe-%s" % uuid.uuid4().hex[:8]
    return ServerFeatures(
        transactions=_supports(
            lambda: client.transact_get_items(
                TransactItems=[
                    {"Get": {"TableName": missing, "Key": {"pk": {"S": "x"}}}}
                ]
            )
        ),
        ttl=_supports(
            lambda: client.update_time_to_live(
                TableName=missing,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
            )
        ),
        partiql=_supports(
            lambda: client.execute_statement(Statement=f'SELECT * FROM "{missing}"')
        ),
    )


@pytest.fixture(scope="session")
def base_config(endpoint_url: str) -> DynamoDBConfig:
    """Configuration for the server; credentials from the environment or dummies."""
    return DynamoDBConfig(
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        endpoint_url=endpoint_url,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "integration"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "integration"),
    )


@pytest.fixture(scope="session")
def plain_boto3_settings(base_config: DynamoDBConfig) -> dict[str, Any]:
    """Arguments for a plain boto3 client or resource on the same server."""
    secret = base_config.aws_secret_access_key
    return {
        "region_name": base_config.region_name,
        "endpoint_url": base_config.endpoint_url,
        "aws_access_key_id": base_config.aws_access_key_id,
        "aws_secret_access_key": None if secret is None else secret.get_secret_value(),
    }


@pytest.fixture
def logger() -> logging.Logger:
    """The logger handed to the service."""
    return logging.getLogger("integration_tests.dynamodb")


@pytest.fixture
def table_name() -> str:
    """A table name no other test uses."""
    return f"it-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def service(
    logger: logging.Logger, base_config: DynamoDBConfig, table_name: str
) -> Iterator[DynamoDBService]:
    """A service whose default table is this test's own table name."""
    yield from _own_tables(logger, base_config, table_name)


@pytest.fixture
def slow_service(
    logger: logging.Logger,
    base_config: DynamoDBConfig,
    table_name: str,
    slow_endpoint_url: str,
) -> Iterator[DynamoDBService]:
    """As ``service``, on the server whose tables take their time."""
    slow = base_config.model_copy(update={"endpoint_url": slow_endpoint_url})
    yield from _own_tables(logger, slow, table_name)


def _own_tables(
    logger: logging.Logger, base_config: DynamoDBConfig, table_name: str
) -> Iterator[DynamoDBService]:
    config = base_config.model_copy(update={"default_table_name": table_name})
    service = build_service(logger, config)
    yield service
    for name in service.list_tables():
        if name.startswith(table_name):
            service.delete_table(name)


@pytest.fixture
def table(service: DynamoDBService, table_name: str) -> str:
    """This test's table (string pk, number sk), deleted afterwards."""
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    return table_name


@pytest.fixture(scope="session")
def proxy(endpoint_url: str) -> Iterator[FaultProxy]:
    """The damaging proxy in front of the server (plain HTTP servers only)."""
    if urlparse(endpoint_url).scheme != "http":
        pytest.skip("the fault proxy forwards plain HTTP only")
    proxy = FaultProxy(endpoint_url)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied(
    proxy: FaultProxy,
    base_config: DynamoDBConfig,
    table_name: str,
    logger: logging.Logger,
) -> Iterator[DynamoDBService]:
    """A service talking through the proxy, with its own table."""
    proxy.reset()
    config = base_config.model_copy(
        update={"endpoint_url": proxy.url, "default_table_name": table_name}
    )
    service = build_service(logger, config)
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    yield service
    proxy.reset()
    service.delete_table(table_name)
