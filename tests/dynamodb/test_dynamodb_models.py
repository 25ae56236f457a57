"""DynamoDBConfig: every field's default and rule."""

from typing import Any

import pytest
from pydantic import ValidationError

from services.dynamodb import DynamoDBConfig
from services.dynamodb.dynamodb_models import check_table_name

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN"


@pytest.mark.parametrize(
    "region", ["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1"]
)
def test_real_region_names_are_accepted(region: str) -> None:
    assert DynamoDBConfig(region_name=region).region_name == region


@pytest.mark.parametrize(
    "region", ["useast1", "", "US-EAST-1 ", "us-east", "us_east_1"]
)
def test_malformed_region_is_rejected_naming_the_field_and_rule_not_the_input(
    region: str,
) -> None:
    with pytest.raises(ValidationError) as error:
        DynamoDBConfig(region_name=region)
    assert "region_name must look like an AWS region" in str(error.value)
    assert repr(region) not in str(error.value)


def test_defaults() -> None:
    config = DynamoDBConfig(region_name="us-east-1")
    assert config.read_capacity_units == 5
    assert config.write_capacity_units == 5
    assert config.billing_mode == "PROVISIONED"
    assert config.connect_timeout_seconds == 5
    assert config.read_timeout_seconds == 30
    assert config.max_attempts is None
    assert config.retry_mode is None
    assert config.numbers_as == "decimal"
    assert config.endpoint_url is None
    assert config.default_table_name is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("read_capacity_units", 0),
        ("write_capacity_units", -1),
        ("connect_timeout_seconds", 0),
        ("read_timeout_seconds", -5),
        ("max_attempts", 0),
        ("retry_mode", "fastest"),
        ("billing_mode", "ON_DEMAND"),
        ("numbers_as", "float"),
    ],
)
def test_out_of_range_settings_are_rejected(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as error:
        DynamoDBConfig(region_name="us-east-1", **{field: value})
    assert field in str(error.value)


def test_key_id_without_secret_is_rejected() -> None:
    with pytest.raises(ValidationError, match="without aws_secret_access_key"):
        DynamoDBConfig(region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE")


def test_secret_without_key_id_is_rejected() -> None:
    with pytest.raises(ValidationError, match="without aws_access_key_id"):
        DynamoDBConfig(region_name="us-east-1", aws_secret_access_key=SECRET)


def test_session_token_without_keys_is_rejected() -> None:
    with pytest.raises(ValidationError, match="aws_session_token is only valid"):
        DynamoDBConfig(region_name="us-east-1", aws_session_token=TOKEN)


def test_secret_and_token_never_appear_in_any_rendering() -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
    )
    renderings = [
        repr(config),
        str(config),
        str(config.model_dump()),
        config.model_dump_json(),
    ]
    for text in renderings:
        assert SECRET not in text
        assert TOKEN not in text
    assert config.aws_secret_access_key is not None
    assert config.aws_secret_access_key.get_secret_value() == SECRET


@pytest.mark.parametrize(
    "url", ["localhost:8000", "ftp://host", "http://", "not a url", ""]
)
def test_endpoint_must_be_http_url(url: str) -> None:
    with pytest.raises(ValidationError, match="endpoint_url must be an http"):
        DynamoDBConfig(region_name="us-east-1", endpoint_url=url)


@pytest.mark.parametrize("url", ["http://localhost:8000", "https://dynamodb.aws"])
def test_http_endpoints_are_accepted(url: str) -> None:
    assert DynamoDBConfig(region_name="us-east-1", endpoint_url=url).endpoint_url == url


@pytest.mark.parametrize("name", ["ab", "has space", "x" * 256, "bad/name", ""])
def test_default_table_name_must_follow_dynamodb_rule(name: str) -> None:
    with pytest.raises(ValidationError, match="default_table_name must be 3-255"):
        DynamoDBConfig(region_name="us-east-1", default_table_name=name)


@pytest.mark.parametrize("name", ["abc", "A.b-c_9", "x" * 255])
def test_valid_table_names_pass(name: str) -> None:
    assert check_table_name(name) == name


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="regoin"):
        DynamoDBConfig(region_name="us-east-1", regoin="x")  # type: ignore[call-arg]


def test_schema_carries_an_example() -> None:
    schema = DynamoDBConfig.model_json_schema()
    assert schema["example"]["region_name"] == "us-east-1"


@pytest.mark.parametrize(
    "fields",
    [
        {"read_capacity_units": True},
        {"write_capacity_units": True},
        {"max_attempts": True},
        {"max_pool_connections": True},
        {"max_pool_connections": 0},
        {"connect_timeout_seconds": float("inf")},
        {"read_timeout_seconds": float("nan")},
        {"read_timeout_seconds": 3601},
        {"table_wait_timeout_seconds": 0},
        {"endpoint_url": "http://localhost:0"},
        {"endpoint_url": "http://localhost:65536"},
        {"endpoint_url": "http://localhost:port"},
        {"aws_access_key_id": "", "aws_secret_access_key": "s"},
        {"default_table_name": "arn:aws:dynamodb:us-east-1:12:table/orders"},
    ],
    ids=lambda fields: "-".join(f"{k}={v!r}" for k, v in fields.items()),
)
def test_config_refuses(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match=next(iter(fields))):
        DynamoDBConfig(region_name="us-east-1", **fields)


def test_config_accepts_edges() -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url="http://localhost:65535",
        read_timeout_seconds=3600,
        max_pool_connections=1,
        default_table_name="arn:aws:dynamodb:us-east-1:123456789012:table/orders",
    )
    assert config.max_pool_connections == 1
    assert config.table_wait_timeout_seconds == 300
    assert config.page_token_secret is None
