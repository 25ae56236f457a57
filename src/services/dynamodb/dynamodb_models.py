"""Configuration model for :class:`services.dynamodb.DynamoDBService`."""

import os
import re
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any, Generic, Literal
from urllib.parse import urlparse

from pydantic.functional_validators import ModelWrapValidatorHandler
from pydantic_core import InitErrorDetails
from typing_extensions import Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from .codec.models import M, without_inputs

REGION_PATTERN = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")
TABLE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{3,255}$")
TABLE_ARN_PATTERN = re.compile(
    r"^arn:aws[a-z\-]*:dynamodb:[a-z0-9\-]+:\d{12}:table/[A-Za-z0-9_.\-]{3,255}$"
)
MAX_WAIT_SECONDS = 3600
TRANSPORT_VARIABLE = "SERVICES_DYNAMODB_TRANSPORT"
HIDDEN_INPUT = "[input hidden: it may hold a secret]"

# Messages of the configuration's rules name the field and the rule, never
# the input: a URL or a name may hold a secret (http://user:password@host).
ERROR_INVALID_REGION = (
    "region_name must look like an AWS region such as 'us-east-1' or " "'us-gov-west-1'"
)
TABLE_NAME_RULE = (
    "must be 3-255 characters of A-Z, a-z, 0-9, '_', '.' or '-', or a table ARN"
)
ERROR_INVALID_TABLE_NAME = "table name " + TABLE_NAME_RULE + ", got %r"
ERROR_INVALID_DEFAULT_TABLE = "default_table_name " + TABLE_NAME_RULE
ERROR_TABLE_NAME_TYPE = "table name must be a string, got %s"
ERROR_INVALID_ENDPOINT = (
    "endpoint_url must be an http:// or https:// URL with a host and, if it "
    "has one, a port from 1 to 65535"
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


def check_table_name(table_name: object) -> str:
    """Check a name against DynamoDB's table-name rule (or a table ARN).

    Args:
        table_name: The name to check.

    Returns:
        The name, unchanged.

    Raises:
        TypeError: If the name is not a string.
        ValueError: If the name breaks the rule.
    """
    if not isinstance(table_name, str):
        raise TypeError(ERROR_TABLE_NAME_TYPE % type(table_name).__name__)
    if not _is_table_name(table_name):
        raise ValueError(ERROR_INVALID_TABLE_NAME % table_name)
    return table_name


def _default_transport() -> str:
    """The transport when none is configured: the environment's, or direct."""
    return os.environ.get(TRANSPORT_VARIABLE, "auto")


def _is_table_name(name: str) -> bool:
    return bool(TABLE_NAME_PATTERN.fullmatch(name) or TABLE_ARN_PATTERN.fullmatch(name))


class DynamoDBConfig(BaseModel):
    """Connection and table settings for a DynamoDB service.

    Secrets are held as :class:`pydantic.SecretStr`, so they never show in
    ``repr()``, ``str()``, ``model_dump_json()`` or a log line.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
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

    region_name: str | None = Field(
        default=None,
        description=(
            "AWS region, e.g. 'us-east-1'; by default found as boto3 finds it "
            "(AWS_DEFAULT_REGION, the profile's region), else AWS_REGION"
        ),
        examples=["us-east-1", "eu-central-2", "us-gov-west-1"],
    )
    aws_access_key_id: str | None = Field(
        default=None,
        min_length=1,
        description="Access key id; needs aws_secret_access_key",
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
        default=5, ge=1, strict=True, description="Read capacity of tables created here"
    )
    write_capacity_units: int = Field(
        default=5,
        ge=1,
        strict=True,
        description="Write capacity of tables created here",
    )
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"] = Field(
        default="PROVISIONED",
        description="Billing mode of tables created here",
    )
    connect_timeout_seconds: float = Field(
        default=5,
        gt=0,
        le=MAX_WAIT_SECONDS,
        allow_inf_nan=False,
        description="Seconds to wait for a TCP connection",
    )
    read_timeout_seconds: float = Field(
        default=30,
        gt=0,
        le=MAX_WAIT_SECONDS,
        allow_inf_nan=False,
        description="Seconds to wait for each read of a response",
    )
    max_attempts: int | None = Field(
        default=None,
        ge=1,
        le=20,
        strict=True,
        description="Total attempts per request, first included; by default "
        "found as boto3 finds it (AWS_MAX_ATTEMPTS, the profile's "
        "max_attempts, else botocore's default for the retry mode)",
    )
    max_pool_connections: int = Field(
        default=10,
        ge=1,
        le=1000,
        strict=True,
        description="HTTP connections kept open, and threads of a parallel scan",
    )
    table_wait_timeout_seconds: float = Field(
        default=300,
        gt=0,
        le=MAX_WAIT_SECONDS,
        allow_inf_nan=False,
        description="Seconds create_table/delete_table wait for the table",
    )
    page_token_secret: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Key that signs page tokens (HMAC-SHA256), so that altered "
        "tokens are refused",
    )
    retry_mode: Literal["standard", "adaptive", "legacy"] | None = Field(
        default=None,
        description="botocore retry mode; by default found as boto3 finds it "
        "(AWS_RETRY_MODE, the profile's retry_mode, else botocore's default)",
    )
    transport: Literal["auto", "direct", "botocore"] = Field(
        default_factory=lambda: _default_transport(),
        validate_default=True,
        description="How data-path calls are sent: signed and sent by the "
        "library ('direct'), through botocore's client ('botocore', seen by "
        "tools that patch botocore clients), or 'auto': direct unless a "
        "tracer (X-Ray, ddtrace, Sentry, OpenTelemetry) wraps botocore's "
        "client. Default: the SERVICES_DYNAMODB_TRANSPORT environment "
        "variable, else 'auto'",
    )
    return_consumed_capacity: Literal["NONE", "TOTAL", "INDEXES"] = Field(
        default="NONE",
        description=(
            "Ask DynamoDB for the capacity each data-path request consumed: "
            "shown in each call's INFO line and tracing span"
        ),
    )
    numbers_as: Literal["decimal", "native"] = Field(
        default="decimal",
        description="Read numbers as Decimal, or as int/float ('native')",
    )

    @field_validator("region_name")
    @classmethod
    def _check_region(cls, value: str | None) -> str | None:
        if value is not None and not REGION_PATTERN.fullmatch(value):
            raise ValueError(ERROR_INVALID_REGION)
        return value

    @field_validator("endpoint_url")
    @classmethod
    def _check_endpoint(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value)
        try:
            port = parsed.port
        except ValueError:
            port = 0
        if parsed.scheme not in ("http", "https") or not parsed.hostname or port == 0:
            raise ValueError(ERROR_INVALID_ENDPOINT)
        return value

    @field_validator("default_table_name")
    @classmethod
    def _check_default_table(cls, value: str | None) -> str | None:
        if value is not None and not _is_table_name(value):
            raise ValueError(ERROR_INVALID_DEFAULT_TABLE)
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _hide_inputs_from_errors(
        cls, data: Any, handler: ModelWrapValidatorHandler["DynamoDBConfig"]
    ) -> "DynamoDBConfig":
        """Validate, with the inputs (which may hold a secret) left out of any
        ``ValidationError``: from ``str(e)``, ``e.errors()`` and ``e.json()``."""
        try:
            config = handler(data)
            config._check_credentials()
        except ValidationError as error:
            raise without_inputs(error, HIDDEN_INPUT) from None
        except ValueError as error:
            details: InitErrorDetails = {
                "type": "value_error",
                "loc": (),
                "input": HIDDEN_INPUT,
                "ctx": {"error": error},
            }
            raise ValidationError.from_exception_data(cls.__name__, [details]) from None
        return config

    def _check_credentials(self) -> None:
        has_key_id = self.aws_access_key_id is not None
        has_secret = self.aws_secret_access_key is not None
        if has_key_id and not has_secret:
            raise ValueError(ERROR_KEY_ID_WITHOUT_SECRET)
        if has_secret and not has_key_id:
            raise ValueError(ERROR_SECRET_WITHOUT_KEY_ID)
        if self.aws_session_token is not None and not has_key_id:
            raise ValueError(ERROR_TOKEN_WITHOUT_KEYS)

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Self:
        """Copy the configuration, validating the changed fields like new ones.

        Args:
            update: Fields to change; secrets given as plain strings become
                ``SecretStr`` and every rule applies, as in the constructor.
            deep: Ignored: the configuration is immutable.

        Returns:
            A new, validated configuration.

        Raises:
            pydantic.ValidationError: If the updated configuration breaks a rule.
        """
        fields = {name: getattr(self, name) for name in self.model_fields_set}
        return self.model_validate({**fields, **(update or {})})


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of a query or scan.

    Attributes:
        items: The page's items: dicts, or instances of the ``model=`` given.
        next_token: Opaque token for the next page, None after the last page.
    """

    items: list[M]
    next_token: str | None
