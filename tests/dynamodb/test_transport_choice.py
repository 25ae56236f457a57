"""Choosing the data path's transport, and botocore's retry modes on each."""

import logging
from typing import Any

import pytest
from botocore.retries import adaptive
from pydantic import ValidationError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.transport.direct import BotocoreTransport, DirectTransport
from services.dynamodb.dynamodb_models import TRANSPORT_VARIABLE
from tests.dynamodb.conftest import TABLE
from tests.dynamodb.faults import inject_errors

THROTTLED = "ThrottlingException"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("direct", DirectTransport),
        ("botocore", BotocoreTransport),
        ("auto", DirectTransport),  # no tracer wraps botocore in this process
    ],
)
def test_the_configured_transport_carries_the_data_path(
    logger: logging.Logger, name: str, kind: type
) -> None:
    config = DynamoDBConfig(region_name="us-east-1", transport=name)
    service = DynamoDBService(logger, config)
    assert isinstance(service._connection.transport, kind)


def test_the_environment_chooses_the_default_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TRANSPORT_VARIABLE, "botocore")
    assert DynamoDBConfig(region_name="us-east-1").transport == "botocore"
    monkeypatch.delenv(TRANSPORT_VARIABLE)
    assert DynamoDBConfig(region_name="us-east-1").transport == "auto"


def test_an_unknown_transport_in_the_environment_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TRANSPORT_VARIABLE, "carrier-pigeon")
    with pytest.raises(ValidationError) as refused:
        DynamoDBConfig(region_name="us-east-1")
    assert "transport" in str(refused.value)
    assert "carrier-pigeon" not in str(refused.value)


@pytest.mark.parametrize("name", ["direct", "botocore"])
def test_adaptive_retries_slow_the_client_after_throttling(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    limiters: list[Any] = []
    register = adaptive.register_retry_handler

    def keep(client: Any) -> Any:
        limiters.append(register(client))
        return limiters[-1]

    monkeypatch.setattr(adaptive, "register_retry_handler", keep)
    config = DynamoDBConfig(
        region_name="us-east-1",
        default_table_name=TABLE,
        retry_mode="adaptive",
        transport=name,
    )
    service = DynamoDBService(logger, config)
    service.create_table(
        TABLE,
        [{"AttributeName": "pk", "KeyType": "HASH"}],
        [{"AttributeName": "pk", "AttributeType": "S"}],
    )
    injector = inject_errors(service._client, "PutItem", THROTTLED, times=1)

    service.put_item({"pk": "a"})

    assert injector.calls == 2
    assert [limiter._enabled for limiter in limiters] == [True]
    assert service.get_item({"pk": "a"}) == {"pk": "a"}


def test_auto_takes_botocore_for_an_https_proxy_and_says_why(
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "https://user:secret@proxy.example:3128")
    config = DynamoDBConfig(region_name="us-east-1", transport="auto")
    with caplog.at_level(logging.INFO, logger=logger.name):
        service = DynamoDBService(logger, config)
    assert isinstance(service._connection.transport, BotocoreTransport)
    assert "https:// URL" in caplog.text
    assert "secret" not in caplog.text
    with pytest.raises(ValueError, match="https://"):
        DynamoDBService(logger, config.model_copy(update={"transport": "direct"}))
