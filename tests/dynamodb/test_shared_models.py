"""What every service of a process reads once: botocore's JSON models and
each CA bundle's TLS context (about 85 ms of CPU per service otherwise)."""

import logging
import ssl
from pathlib import Path

import pytest

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.transport.direct import _route, _tls_context


def test_services_share_botocores_loaded_models(
    logger: logging.Logger, config: DynamoDBConfig
) -> None:
    first = DynamoDBService(logger, config)._connection.session
    second = DynamoDBService(logger, config)._connection.session

    assert first is not second
    assert first.get_component("data_loader") is second.get_component("data_loader")


def test_another_data_path_gets_a_loader_of_its_own(
    logger: logging.Logger,
    config: DynamoDBConfig,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    usual = DynamoDBService(logger, config)._connection.session
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    other = DynamoDBService(logger, config)._connection.session

    loader = other.get_component("data_loader")
    assert loader is not usual.get_component("data_loader")
    assert str(tmp_path) in loader.search_paths


def test_a_ca_bundles_tls_context_is_built_once(
    logger: logging.Logger, config: DynamoDBConfig
) -> None:
    def context() -> object:
        connection = DynamoDBService(logger, config)._connection
        return _route(
            connection.client.meta.endpoint_url, connection.session, config
        ).tls

    first, second = context(), context()

    assert isinstance(first, ssl.SSLContext) and first is second
    assert _tls_context.cache_info().hits >= 1
