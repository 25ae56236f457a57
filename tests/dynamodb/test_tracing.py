"""The direct transport emits the span OpenTelemetry's botocore instrumentation
would: one per call, CLIENT, the instrumentation's attributes, no values."""

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.recording import Recording

EXPORTER = InMemorySpanExporter()
SECRET_VALUE = "card-4111-1111"


@pytest.fixture(scope="module", autouse=True)
def tracer_provider() -> None:
    """The SDK with an in-memory exporter (set once per process)."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    trace.set_tracer_provider(provider)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


@pytest.fixture
def direct(
    logger: logging.Logger, config: DynamoDBConfig, table: str
) -> DynamoDBService:
    return DynamoDBService(logger, config.model_copy(update={"transport": "direct"}))


def only(exporter: InMemorySpanExporter, name: str) -> ReadableSpan:
    found = [span for span in exporter.get_finished_spans() if span.name == name]
    assert len(found) == 1, [span.name for span in exporter.get_finished_spans()]
    return found[0]


def test_one_client_span_per_call_with_the_instrumentations_attributes(
    direct: DynamoDBService, table: str, spans: InMemorySpanExporter
) -> None:
    direct.put_item({"pk": SECRET_VALUE, "sk": 1, "card": SECRET_VALUE})
    direct.get_item({"pk": SECRET_VALUE, "sk": 1})

    span = only(spans, "DynamoDB.GetItem")
    attributes = dict(span.attributes or {})
    assert span.kind is SpanKind.CLIENT
    assert attributes["rpc.system"] == "aws-api"
    assert attributes["rpc.service"] == "DynamoDB"
    assert attributes["rpc.method"] == "GetItem"
    assert attributes["db.system"] == "dynamodb"
    assert attributes["aws.dynamodb.table_names"] == (table,)
    assert attributes["http.status_code"] == 200
    assert attributes["retry_attempts"] == 0
    assert attributes["aws.request_id"]
    assert span.status.status_code is StatusCode.UNSET
    only(spans, "DynamoDB.PutItem")
    for finished in spans.get_finished_spans():
        assert SECRET_VALUE not in repr(dict(finished.attributes or {}))
        assert SECRET_VALUE not in repr(finished.events)


def test_failed_call_span_names_the_error_not_its_message(
    direct: DynamoDBService, table: str, spans: InMemorySpanExporter
) -> None:
    direct.put_item({"pk": "a", "sk": 1})
    with pytest.raises(direct.exceptions.ConditionalCheckFailedException):
        direct.put_item(
            {"pk": "a", "sk": 1}, condition_expression=Attr("pk").not_exists()
        )

    failed = spans.get_finished_spans()[-1]
    assert failed.name == "DynamoDB.PutItem"
    assert failed.status.status_code is StatusCode.ERROR
    assert (
        dict(failed.attributes or {})["error.type"] == "ConditionalCheckFailedException"
    )
    assert failed.status.description == "ConditionalCheckFailedException"


def test_batch_and_transaction_spans_name_their_tables(
    direct: DynamoDBService, table: str, spans: InMemorySpanExporter
) -> None:
    direct.batch_write_items([{"pk": "a", "sk": i} for i in range(3)])
    direct.transact_get_items([{"pk": "a", "sk": 1}])

    batch = only(spans, "DynamoDB.BatchWriteItem")
    transaction = only(spans, "DynamoDB.TransactGetItems")
    assert dict(batch.attributes or {})["aws.dynamodb.table_names"] == (table,)
    assert dict(transaction.attributes or {})["aws.dynamodb.table_names"] == (table,)


def test_network_failure_span_names_the_exception_class(
    logger: logging.Logger, spans: InMemorySpanExporter
) -> None:
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # nothing listens on the discard port
        transport="direct",
        max_attempts=1,
        connect_timeout_seconds=1,
    )
    with pytest.raises(Exception) as raised:
        DynamoDBService(logger, config)

    failed = only(spans, "DynamoDB.ListTables")
    error_name = type(raised.value).__name__
    assert dict(failed.attributes or {})["error.type"] == error_name
    assert error_name == "EndpointConnectionError"


def test_consumed_capacity_is_on_the_span_when_asked_for(
    logger: logging.Logger,
    config: DynamoDBConfig,
    table: str,
    spans: InMemorySpanExporter,
) -> None:
    metered = config.model_copy(
        update={"transport": "direct", "return_consumed_capacity": "TOTAL"}
    )
    DynamoDBService(logger, metered).put_item({"pk": SECRET_VALUE, "sk": 1})

    attributes = dict(only(spans, "DynamoDB.PutItem").attributes or {})
    entries: Any = attributes["aws.dynamodb.consumed_capacity"]
    (entry,) = entries
    assert '"TableName": "%s"' % table in entry and "CapacityUnits" in entry
    assert SECRET_VALUE not in entry


def test_a_vector_search_span_carries_its_vector_capacity_never_the_vector(
    logger: logging.Logger, spans: InMemorySpanExporter
) -> None:
    recording = Recording()
    recording.answer(
        "SearchVectors",
        {"SearchResults": [], "ConsumedCapacity": {"VectorSearchRequestBytes": 512.0}},
    )
    try:
        config = DynamoDBConfig(
            region_name="us-east-1",
            endpoint_url=recording.url,
            transport="direct",
            return_consumed_capacity="TOTAL",
        )
        service = DynamoDBService(logger, config)
        service.search_vectors(
            [0.7654321], index_name="idx", top_k=1, table_name="docs"
        )
    finally:
        recording.close()
    span = only(spans, "DynamoDB.SearchVectors")
    attributes = dict(span.attributes or {})
    entries: Any = attributes["aws.dynamodb.consumed_capacity"]
    assert list(entries) == ['{"VectorSearchRequestBytes": 512.0}']
    tables: Any = attributes["aws.dynamodb.table_names"]
    assert list(tables) == ["docs"]
    assert all("0.7654321" not in str(value) for value in attributes.values())
