"""OpenTelemetry spans for the direct transport's calls.

OpenTelemetry's botocore instrumentation traces a call by wrapping the
botocore client; the direct transport does not go through the client, so it
emits the same span itself when ``opentelemetry-api`` is importable: name
``DynamoDB.<Operation>``, kind CLIENT, the instrumentation's attributes
(``rpc.*``, ``db.system``, ``aws.dynamodb.table_names``, ``aws.request_id``,
the HTTP status and ``retry_attempts``) and, on failure, the error's class.
Never an attribute value or an error message (it may quote one). Without
an SDK configured, the API's tracer records nothing and costs little; until
something imports the API (see :class:`_Tracer`), the library does not
import it either.
"""

import functools
import json
import os
import sys
from typing import Any
from urllib.parse import urlsplit

from .signing import DEFAULT_PORTS

TRACER_NAME = "services.dynamodb"
CONSUMED_CAPACITY = "aws.dynamodb.consumed_capacity"
# The API's module through which a tracer provider is set, and the variable
# naming a provider that the API loads on first use.
API_MODULE = "opentelemetry.trace"
PROVIDER_VARIABLE = "OTEL_PYTHON_TRACER_PROVIDER"


class _Tracer:
    """The library's OpenTelemetry tracer, imported when tracing can be on.

    A span can only be recorded once a tracer provider is set, through
    ``opentelemetry.trace`` (which an SDK, an instrumentation or the
    application imports for that) or named in ``OTEL_PYTHON_TRACER_PROVIDER``;
    until then the API is not imported (a program without tracing does not
    pay for its import) and calls make no span, as they would make a
    non-recording one.
    """

    tracer: Any = None
    client: Any = None  # SpanKind.CLIENT
    error: Any = None  # builds the Status of a failed call
    missing = False  # the API is not installed

    @classmethod
    def get(cls) -> Any:
        """The tracer (a proxy following the provider set later), or None."""
        if cls.tracer is None and not cls.missing:
            if API_MODULE in sys.modules or PROVIDER_VARIABLE in os.environ:
                cls._load()
        return cls.tracer

    @classmethod
    def _load(cls) -> None:
        try:
            from opentelemetry import trace
            from opentelemetry.trace import SpanKind, Status, StatusCode
        except ImportError:  # pragma: no cover - tracing is optional
            cls.missing = True
            return
        cls.client = SpanKind.CLIENT
        cls.error = functools.partial(Status, StatusCode.ERROR)
        cls.tracer = trace.get_tracer(TRACER_NAME)


def table_names(params: dict[str, Any]) -> list[str]:
    """The tables a call's parameters name.

    Args:
        params: The call's parameters.

    Returns:
        ``TableName``, the keys of ``RequestItems``, or the tables of
        ``TransactItems``, sorted without repeats.
    """
    if "TableName" in params:
        return [params["TableName"]]
    if "RequestItems" in params:
        return sorted(params["RequestItems"])
    names = {
        entry["TableName"]
        for item in params.get("TransactItems", ())
        for entry in item.values()
    }
    return sorted(names)


@functools.lru_cache(maxsize=64)
def server_attributes(url: str) -> dict[str, Any]:
    """``server.address`` (the host only: never a user or password) and
    ``server.port`` of an endpoint URL.

    Args:
        url: The endpoint URL.

    Returns:
        The two attributes.
    """
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
    return {"server.address": parts.hostname or "", "server.port": port}


class CallSpan:
    """One call's span, or nothing when OpenTelemetry is not installed or not
    in use (see :class:`_Tracer`)."""

    def __init__(
        self, operation: str, params: dict[str, Any], url: str, region: str
    ) -> None:
        """Start the span (not made current: the call may run in any context).

        Args:
            operation: The operation, e.g. ``"GetItem"``.
            params: Its parameters (only table names are read).
            url: The endpoint URL (only its host and port are shown).
            region: The region.
        """
        self._span: Any = None
        tracer = _Tracer.get()
        if tracer is None:
            return
        self._span = tracer.start_span(
            f"DynamoDB.{operation}",
            kind=_Tracer.client,
            attributes={
                "rpc.system": "aws-api",
                "rpc.service": "DynamoDB",
                "rpc.method": operation,
                "db.system": "dynamodb",
                "aws.dynamodb.table_names": table_names(params),
                "cloud.region": region,
                **server_attributes(url),
            },
        )

    def answered(self, status: int, parsed: dict[str, Any]) -> None:
        """End the span with the answer's metadata.

        Args:
            status: The HTTP status.
            parsed: The parsed answer.
        """
        span = self._span
        if span is None or not span.is_recording():
            return
        metadata = parsed.get("ResponseMetadata", {})
        span.set_attribute("http.status_code", status)
        span.set_attribute("retry_attempts", metadata.get("RetryAttempts", 0))
        if "RequestId" in metadata:
            span.set_attribute("aws.request_id", metadata["RequestId"])
        consumed = parsed.get("ConsumedCapacity")
        if consumed:
            # OpenTelemetry's attribute: each entry as JSON (figures and
            # table or index names, never a value).
            entries = consumed if isinstance(consumed, list) else [consumed]
            span.set_attribute(
                CONSUMED_CAPACITY, [json.dumps(entry) for entry in entries]
            )
        if status >= 300:
            self._error(parsed.get("Error", {}).get("Code", "ClientError"))
        span.end()

    def failed(self, error: BaseException) -> None:
        """End the span with the class of what the call raised.

        Args:
            error: The exception.
        """
        if self._span is not None:
            self._error(type(error).__name__)
            self._span.end()

    def _error(self, error_type: str) -> None:
        self._span.set_attribute("error.type", error_type)
        self._span.set_status(_Tracer.error(error_type))
