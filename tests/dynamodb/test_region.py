"""The region: configured, or found as boto3 finds it, or a clear error."""

import logging
from pathlib import Path

import pytest
from botocore.exceptions import NoRegionError

from services.dynamodb import DynamoDBConfig, DynamoDBService

REGION_VARIABLES = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_PROFILE",
)


@pytest.fixture
def no_region(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in REGION_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    return monkeypatch


def regions(service: DynamoDBService) -> str:
    return str(service._connection.client.meta.region_name)


@pytest.mark.parametrize("variable", ["AWS_DEFAULT_REGION", "AWS_REGION"])
def test_the_region_is_found_in_the_environment(
    no_region: pytest.MonkeyPatch,
    logger: logging.Logger,
    caplog: pytest.LogCaptureFixture,
    variable: str,
) -> None:
    no_region.setenv(variable, "eu-west-3")
    caplog.set_level(logging.INFO)

    service = DynamoDBService(logger, DynamoDBConfig())

    assert regions(service) == "eu-west-3"
    assert "Connected to DynamoDB in region eu-west-3" in caplog.messages


def test_boto3s_variable_comes_before_aws_region(
    no_region: pytest.MonkeyPatch, logger: logging.Logger
) -> None:
    no_region.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    no_region.setenv("AWS_REGION", "ap-south-1")

    assert regions(DynamoDBService(logger, DynamoDBConfig())) == "eu-west-3"


def test_the_region_is_found_in_the_profile(
    no_region: pytest.MonkeyPatch, logger: logging.Logger, tmp_path: Path
) -> None:
    config_file = tmp_path / "config"
    config_file.write_text("[profile work]\nregion = sa-east-1\n")
    no_region.setenv("AWS_CONFIG_FILE", str(config_file))
    no_region.setenv("AWS_PROFILE", "work")

    assert regions(DynamoDBService(logger, DynamoDBConfig())) == "sa-east-1"


def test_a_configured_region_wins(
    no_region: pytest.MonkeyPatch, logger: logging.Logger
) -> None:
    no_region.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    config = DynamoDBConfig(region_name="us-west-2")

    assert regions(DynamoDBService(logger, config)) == "us-west-2"


def test_no_region_anywhere_says_where_to_set_one(
    no_region: pytest.MonkeyPatch, logger: logging.Logger
) -> None:
    with pytest.raises(NoRegionError, match="AWS_DEFAULT_REGION") as raised:
        DynamoDBService(logger, DynamoDBConfig())
    assert "region_name" in str(raised.value)


def test_a_region_found_that_is_not_one_is_refused_without_echoing_it(
    no_region: pytest.MonkeyPatch, logger: logging.Logger
) -> None:
    no_region.setenv("AWS_DEFAULT_REGION", "not a region/secret")

    with pytest.raises(ValueError, match="does not look like") as raised:
        DynamoDBService(logger, DynamoDBConfig())
    assert "secret" not in str(raised.value)
