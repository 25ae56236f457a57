"""A child process for tests/dynamodb/test_tracers.py: sets up one tracer as
its users do, runs a put and a get with the default transport on moto, and
prints, as JSON, the transport chosen and what the tracer recorded.

Run as ``python -m tests.dynamodb.tracer_child TOOL SERVICE`` (TOOL: xray,
ddtrace, sentry, otel or none; SERVICE: blocking or async).
"""

import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

Recorded = Callable[[], list[str]]


def xray() -> Recorded:
    from aws_xray_sdk.core import patch, xray_recorder  # type: ignore[import-untyped]

    xray_recorder.configure(sampling=False, context_missing="LOG_ERROR")
    patch(["botocore"])
    segment = xray_recorder.begin_segment("test")
    return lambda: [str(sub.aws.get("operation")) for sub in segment.subsegments]


def ddtrace() -> Recorded:
    from ddtrace import patch
    from ddtrace.trace import TraceFilter, tracer

    spans: list[Any] = []

    class Keep(TraceFilter):
        def process_trace(self, trace: list[Any]) -> None:
            spans.extend(trace)
            return None

    tracer.configure(trace_processors=[Keep()])
    patch(botocore=True)
    return lambda: [str(span.resource).split(".")[-1] for span in spans]


def sentry() -> Recorded:
    import sentry_sdk
    from sentry_sdk.integrations.boto3 import Boto3Integration
    from sentry_sdk.transport import Transport

    spans: list[str] = []

    class Capture(Transport):
        def capture_envelope(self, envelope: Any) -> None:
            for item in envelope.items:
                event = item.payload.json or {}
                # Sentry 2: a transaction's spans, named by "description";
                # Sentry 3: span items, named by "name" (its root one too).
                spans.extend(
                    str(span.get("description")) for span in event.get("spans", [])
                )
                spans.extend(
                    str(span.get("name"))
                    for span in event.get("items", [])
                    if not span.get("is_segment")
                )

    sentry_sdk.init(
        dsn="https://key@localhost/1",
        transport=Capture,
        traces_sample_rate=1.0,
        integrations=[Boto3Integration()],
        default_integrations=False,
    )
    # Sentry 2 opens a root span with start_transaction; Sentry 3 (which
    # dropped it) with start_span.
    start = getattr(sentry_sdk, "start_transaction", None) or sentry_sdk.start_span
    transaction = start(name="test")
    transaction.__enter__()

    def recorded() -> list[str]:
        transaction.__exit__(None, None, None)
        sentry_sdk.flush()
        return [span.split(" ")[-1] for span in spans]

    return recorded


def otel(instrument: bool = True) -> Recorded:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
        InMemorySpanExporter,
    )

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    if instrument:
        from opentelemetry.instrumentation.botocore import BotocoreInstrumentor

        BotocoreInstrumentor().instrument()  # type: ignore[no-untyped-call]
    return lambda: [
        f"{getattr(span.instrumentation_scope, 'name', '')}:{span.name}:"
        + json.dumps(dict(span.attributes or {}), default=list, sort_keys=True)
        for span in exporter.get_finished_spans()
    ]


TOOLS: dict[str, Callable[[], Recorded]] = {
    "xray": xray,
    "ddtrace": ddtrace,
    "sentry": sentry,
    "otel": otel,
    "none": lambda: otel(instrument=False),
}


def run(service_kind: str) -> str:
    from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService

    logger = logging.getLogger("child")
    config = DynamoDBConfig(region_name="us-east-1", default_table_name="orders")
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attributes = [{"AttributeName": "pk", "AttributeType": "S"}]
    if service_kind == "blocking":
        service = DynamoDBService(logger, config)
        service.create_table("orders", keys, attributes)
        service.put_item({"pk": "a"})
        service.get_item({"pk": "a"})
        return type(service._connection.transport).__name__

    async def calls() -> str:
        async with AsyncDynamoDBService(logger, config) as service:
            await service.create_table("orders", keys, attributes)
            await service.put_item({"pk": "a"})
            await service.get_item({"pk": "a"})
            return type(service._connection.transport).__name__

    return asyncio.run(calls())


def main() -> None:
    tool, service_kind = sys.argv[1], sys.argv[2]
    os.environ.pop("SERVICES_DYNAMODB_TRANSPORT", None)
    recorded = TOOLS[tool]()
    from moto import mock_aws

    with mock_aws():
        transport = run(service_kind)
    print(json.dumps({"transport": transport, "recorded": recorded()}))


if __name__ == "__main__":
    main()
