"""Secrets: never in a validation error, a copy, botocore's records, or an
error message, even when the server quotes them back."""

import gc
import json
import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pydantic import SecretStr, ValidationError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.codec.redaction import SECRETS_FILTER
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, Capture
from tests.dynamodb.faults import AnswerInjector

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-PLAIN-SECRET"


@pytest.mark.parametrize(
    "fields",
    [
        {"aws_secret_access_key": SECRET},
        {"aws_secret_acces_key": SECRET},
        {"aws_session_token": SECRET},
        {"aws_access_key_id": "AK", "aws_secret_access_key": 5, "x": SECRET},
        {
            "aws_access_key_id": SECRET,
            "aws_secret_access_key": SECRET,
            "max_attempts": 0,
        },
        {"page_token_secret": SECRET[:5] + "!"},
    ],
    ids=[
        "secret-alone",
        "misspelled",
        "token-alone",
        "extra",
        "with-other-error",
        "short",
    ],
)
def test_validation_error_never_holds_a_secret(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        DynamoDBConfig(region_name="us-east-1", **fields)
    error = raised.value
    rendered = str(error) + repr(error) + repr(error.errors()) + error.json()
    assert SECRET not in rendered and SECRET[:5] + "!" not in rendered
    with pytest.raises(ValidationError) as validated:
        DynamoDBConfig.model_validate({"region_name": "us-east-1", **fields})
    assert SECRET not in repr(validated.value.errors())


def test_model_copy_validates_secrets_and_rules() -> None:
    config = DynamoDBConfig(region_name="us-east-1", default_table_name="orders")
    copied = config.model_copy(
        update={"aws_access_key_id": "AK", "aws_secret_access_key": SECRET}
    )
    assert isinstance(copied.aws_secret_access_key, SecretStr)
    assert SECRET not in repr(copied)
    assert copied.default_table_name == "orders"
    with pytest.raises(ValidationError):
        config.model_copy(update={"aws_secret_access_key": SECRET})
    with pytest.raises(ValidationError):
        config.model_copy(update={"max_attempts": 0})


def test_credentials_from_the_default_chain_are_masked(
    logger: logging.Logger, captured: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SECRET + "-TOKEN")
    service = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    service.create_table("orders", KEY_SCHEMA, ATTRIBUTES)
    texts = [text for _, text in captured.records]
    assert any("x-amz-security-token" in text.lower() for text in texts)
    assert not [text for text in texts if SECRET in text]


def test_a_short_secret_never_mangles_unrelated_text(
    logger: logging.Logger, captured: Capture
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="tok",
        aws_session_token="ken",
    )
    service = DynamoDBService(logger, config)
    service.list_tables()  # botocore's client logs the signed headers
    texts = [text for _, text in captured.records]
    assert any("x-amz-security-token" in text for text in texts)
    assert not [text for text in texts if "***en" in text or "security-***" in text]
    assert any("***" in text for text in texts)  # the token itself is masked


def test_secret_is_forgotten_when_its_service_is_gone(logger: logging.Logger) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET + "-GONE",
    )
    service = DynamoDBService(logger, config)
    assert SECRETS_FILTER.holds(SECRET + "-GONE")
    del service
    gc.collect()
    assert not SECRETS_FILTER.holds(SECRET + "-GONE")


def signature_refusal(token: str) -> bytes:
    """AWS's answer to a bad signature: it quotes the canonical request."""
    canonical = (
        "POST\n/\n\ncontent-type:application/x-amz-json-1.0\n"
        "host:dynamodb.us-east-1.amazonaws.com\nx-amz-date:20261203T000000Z\n"
        "x-amz-security-token:%s\nx-amz-target:DynamoDB_20120810.GetItem\n\n"
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target" % token
    )
    message = (
        "The request signature we calculated does not match the signature you "
        "provided. The Canonical String for this request should have been\n'%s'"
        % canonical
    )
    return json.dumps(
        {
            "__type": "com.amazon.coral.service#InvalidSignatureException",
            "message": message,
        }
    ).encode()


@pytest.mark.parametrize(
    "echoed", [SECRET + "-TOKEN", "IQoJb3JpZ2luX2VjEJr-REFRESHED-since/start=="]
)
def test_a_token_the_server_echoes_is_in_no_record_and_no_error(
    logger: logging.Logger, captured: Capture, echoed: str
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        default_table_name="orders",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET,
        aws_session_token=SECRET + "-TOKEN",
    )
    service = DynamoDBService(logger, config)
    service.create_table("orders", KEY_SCHEMA, ATTRIBUTES)
    refusal = AnswerInjector(signature_refusal(echoed), {}, times=9, status=400)
    service._client.meta.events.register_first("before-send.dynamodb.GetItem", refusal)
    with pytest.raises(ClientError) as raised:
        service.get_item({"pk": "a", "sk": 1})
    error = raised.value
    assert error.response["Error"]["Code"] == "InvalidSignatureException"
    assert "x-amz-security-token:***" in str(error)
    for text in (str(error), repr(error), repr(error.response)):
        assert echoed not in text and SECRET not in text
    texts = [text for _, text in captured.records]
    assert any("Response body" in text for text in texts)  # botocore's DEBUG
    assert any("Traceback" in text for text in texts)  # the service's DEBUG
    assert not [text for text in texts if echoed in text or SECRET in text]


@pytest.mark.parametrize(
    "fields",
    [
        {"endpoint_url": "http://user:PASSWORD@host:99999"},
        {"endpoint_url": "ftp://user:PASSWORD@host"},
        {"region_name": "PASSWORD"},
        {"default_table_name": "PASSWORD!"},
    ],
    ids=["endpoint-port", "endpoint-scheme", "region", "default-table"],
)
def test_a_configuration_error_never_shows_the_input(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as raised:
        DynamoDBConfig(**{"region_name": "us-east-1", **fields})
    error = raised.value
    rendered = str(error) + repr(error) + repr(error.errors()) + error.json()
    assert "PASSWORD" not in rendered
    assert next(iter(fields)) in str(error)
