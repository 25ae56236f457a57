"""A program pays at start-up only for what its calls need: importing the
package, building a service and reading an item do not import the async
service, tracing or the parallel scan; every public name still resolves."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import services.dynamodb
import services_dynamodb

SRC = Path(__file__).resolve().parents[2] / "src"
# Imported on first use only.
LAZY_MODULES = [
    "services.dynamodb.dynamodb_async_service",
    "services.dynamodb.drivers.asynchronous",
    "services.dynamodb.transport.aio",
    "services.dynamodb.transport.async_http",
    "services.dynamodb.testing",
    "services.dynamodb.drivers.parallel",
    "opentelemetry",
]
# Imported by moto, which the child builds its service on: checked after the
# import only.
NOT_ON_IMPORT = LAZY_MODULES + ["asyncio"]

CHILD = """
import json
import logging
import sys

import services.dynamodb
from services.dynamodb import DynamoDBConfig, DynamoDBService

imported = sorted(sys.modules)

from moto import mock_aws

with mock_aws():
    config = DynamoDBConfig(
        region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    service = DynamoDBService(logging.getLogger("cold"), config)
    service.create_table(
        "cold",
        [{"AttributeName": "pk", "KeyType": "HASH"}],
        [{"AttributeName": "pk", "AttributeType": "S"}],
    )
    found = service.get_item({"pk": "a"}, table_name="cold")
print(json.dumps({"imported": imported, "used": sorted(sys.modules), "found": found}))
"""


@pytest.fixture(scope="module")
def child_modules() -> dict[str, list[str]]:
    """The modules a fresh interpreter holds after importing the package,
    and after building a service on moto and reading an item."""
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    for name in ("OTEL_PYTHON_TRACER_PROVIDER", "SERVICES_DYNAMODB_TRANSPORT"):
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHILD)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["found"] is None
    return result


@pytest.mark.parametrize("module", NOT_ON_IMPORT)
def test_importing_the_package_does_not_import(
    child_modules: dict[str, list[str]], module: str
) -> None:
    assert module not in child_modules["imported"]


@pytest.mark.parametrize("module", LAZY_MODULES)
def test_building_a_service_and_reading_an_item_does_not_import(
    child_modules: dict[str, list[str]], module: str
) -> None:
    assert module not in child_modules["used"]


@pytest.mark.parametrize("name", services.dynamodb.__all__)
def test_every_public_name_resolves_under_both_names(name: str) -> None:
    assert getattr(services.dynamodb, name) is getattr(services_dynamodb, name)
    assert name in dir(services.dynamodb)


def test_a_name_imported_on_first_use_is_the_module_s_own() -> None:
    from services.dynamodb import AsyncDynamoDBService
    from services.dynamodb.dynamodb_async_service import (
        AsyncDynamoDBService as defined,
    )

    assert AsyncDynamoDBService is defined


def test_the_version_is_a_string() -> None:
    assert isinstance(services.dynamodb.__version__, str)


def test_an_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(services.dynamodb, "no_such_name")
