"""Configuration model for :class:`services.dynamodb.DynamoDBService`."""

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

REGION_PATTERN = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")
TABLE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{3,255}$")

ERROR_INVALID_REGION = (
    "region_name must look like an AWS region such as 'us-east-1' or "
    "'us-gov-west-1', got %r"
)
ERROR_INVALID_TABLE_NAME = (
    "table name must be 3-255 characters of A-Z, a-z, 0-9, '_', '.' or '-', " "got %r"
)
ERROR_INVALID_ENDPOINT = (
    "endpoint_url must be an http:// or https:// URL with a host, got %r"
)
ERROR_KEY_ID_WITHOUT_SECRET = (
    "aws_access_key_id was given without aws_secret_access_key: give both or neither"
)
ERROR_SECRET_WITHOUT_KEY_ID = (
    "aws_secret_access_key was given without aws_access_key_id: give both or neither"
)
ERROR_TOKEN_WITHOUT_KEYS = (
    "aws_session_token is only valid together with aws_access_key_id and "
    "aws_secret_access_key"
)


def check_table_name(table_name: str) -> str:
    """Check a name against DynamoDB's table-name rule.

    Args:
        table_name: The name to check.

    Returns:
        The name, unchanged.

    Raises:
        ValueError: If the name breaks the rule.
    """
    if not TABLE_NAME_PATTERN.fullmatch(table_name):
        raise ValueError(ERROR_INVALID_TABLE_NAME % table_name)
    return table_name


class DynamoDBConfig(BaseModel):
    """Connection and table settings for a DynamoDB service.

    Secrets are held as :class:`pydantic.SecretStr`, so they never show in
    ``repr()``, ``str()``, ``model_dump_json()`` or a log line.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "example": {
                "region_name": "us-east-1",
                "endpoint_url": "http://localhost:8000",
                "default_table_name": "orders",
                "read_capacity_units": 5,
                "write_capacity_units": 5,
            }
        },
    )

    region_name: str = Field(
        ...,
        description="AWS region, e.g. 'us-east-1'",
        examples=["us-east-1", "eu-central-2", "us-gov-west-1"],
    )
    aws_access_key_id: str | None = Field(
        default=None, description="Access key id; needs aws_secret_access_key"
    )
    aws_secret_access_key: SecretStr | None = Field(
        default=None, description="Secret access key; needs aws_access_key_id"
    )
    aws_session_token: SecretStr | None = Field(
        default=None, description="Session token for temporary credentials"
    )
    endpoint_url: str | None = Field(
        default=None,
        description="Custom endpoint, e.g. DynamoDB Local",
        examples=["http://localhost:8000"],
    )
    default_table_name: str | None = Field(
        default=None, description="Table used when a call gives no table_name"
    )
    read_capacity_units: int = Field(
        default=5, ge=1, description="Read capacity for tables created here"
    )
    write_capacity_units: int = Field(
        default=5, ge=1, description="Write capacity for tables created here"
    )
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"] = Field(
        default="PROVISIONED",
        description="Billing mode of tables created here",
    )
    connect_timeout_seconds: float = Field(
        default=5, gt=0, description="Seconds to wait for a TCP connection"
    )
    read_timeout_seconds: float = Field(
        default=30, gt=0, description="Seconds to wait for a response"
    )
    max_attempts: int = Field(
        default=3, ge=1, description="Total attempts per request, first included"
    )
    retry_mode: Literal["standard", "adaptive"] = Field(
        default="standard", description="botocore retry mode"
    )
    numbers_as: Literal["decimal", "native"] = Field(
        default="decimal",
        description="Read numbers as Decimal, or as int/float ('native')",
    )

    @field_validator("region_name")
    @classmethod
    def _check_region(cls, value: str) -> str:
        if not REGION_PATTERN.fullmatch(value):
            raise ValueError(ERROR_INVALID_REGION % value)
        return value

    @field_validator("endpoint_url")
    @classmethod
    def _check_endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(ERROR_INVALID_ENDPOINT % value)
        return value

    @field_validator("default_table_name")
    @classmethod
    def _check_default_table(cls, value: str | None) -> str | None:
        return None if value is None else check_table_name(value)

    @model_validator(mode="after")
    def _check_credentials(self) -> "DynamoDBConfig":
        has_key_id = self.aws_access_key_id is not None
        has_secret = self.aws_secret_access_key is not None
        if has_key_id and not has_secret:
            raise ValueError(ERROR_KEY_ID_WITHOUT_SECRET)
        if has_secret and not has_key_id:
            raise ValueError(ERROR_SECRET_WITHOUT_KEY_ID)
        if self.aws_session_token is not None and not has_key_id:
            raise ValueError(ERROR_TOKEN_WITHOUT_KEYS)
        return self


@dataclass(frozen=True)
class Page:
    """One page of a query or scan.

    Attributes:
        items: The page's items.
        next_token: Opaque token for the next page, None after the last page.
    """

    items: list[dict[str, Any]]
    next_token: str | None
