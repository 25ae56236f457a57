"""iter_stream reads a table's stream on moto through the DynamoDB Streams
API of the service's own session: every change, in order, decoded as reads
decode items; with follow=True it keeps polling with a pause."""

import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.parsers import ResponseParserError
from pydantic import BaseModel

from services.dynamodb import DynamoDBConfig, DynamoDBService, stream_record
from services.dynamodb.codec.answers import CheckedParserFactory
from services.dynamodb.operations.streams import POLL_SECONDS
from services.dynamodb.transport.connection import Connection
from tests.dynamodb.conftest import TABLE
from tests.services import build_service


class Order(BaseModel):
    pk: str
    sk: int
    state: str


def turn_on_stream(service: DynamoDBService, view_type: str) -> str:
    """Turn the table's stream on; return its ARN."""
    service.update_table(TABLE, stream_view_type=view_type)
    return str(service.describe_table(TABLE).stream_arn)


@pytest.fixture
def streamed(service: DynamoDBService, table: str) -> str:
    """The default table, its stream on (new and old images)."""
    return turn_on_stream(service, "NEW_AND_OLD_IMAGES")


def write_changes(service: DynamoDBService) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    service.put_item({"pk": "a", "sk": 1, "state": "shipped"})
    service.delete_item({"pk": "a", "sk": 1})


def test_iter_stream_reads_every_change_in_order(
    service: DynamoDBService, streamed: str
) -> None:
    write_changes(service)
    records = list(service.iter_stream(TABLE))
    assert [r.event_name for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert [r.keys for r in records] == [{"pk": "a", "sk": Decimal(1)}] * 3
    assert [r.new_image and r.new_image["state"] for r in records] == [
        "open",
        "shipped",
        None,
    ]
    assert [r.old_image and r.old_image["state"] for r in records] == [
        None,
        "open",
        "shipped",
    ]
    numbers = [int(r.sequence_number) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert {r.table_name for r in records} == {TABLE}
    assert all(r.size_bytes > 0 for r in records)
    assert all(r.approximate_creation_time is not None for r in records)


def test_the_configured_table_is_read_when_none_is_named(
    service: DynamoDBService, streamed: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    assert [r.event_name for r in service.iter_stream()] == ["INSERT"]


def test_a_table_without_a_stream_is_refused_when_iterated(
    service: DynamoDBService, table: str
) -> None:
    records = service.iter_stream(TABLE)
    with pytest.raises(ValueError, match="table orders has no stream"):
        next(iter(records))


def test_keys_only_view_gives_no_images(service: DynamoDBService, table: str) -> None:
    turn_on_stream(service, "KEYS_ONLY")
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    (record,) = service.iter_stream(TABLE)
    assert (record.new_image, record.old_image) == (None, None)
    assert record.keys == {"pk": "a", "sk": Decimal(1)}


def test_model_gives_validated_instances(
    service: DynamoDBService, streamed: str
) -> None:
    write_changes(service)
    records = list(service.iter_stream(TABLE, model=Order))
    assert records[1].new_image == Order(pk="a", sk=1, state="shipped")
    assert records[1].old_image == Order(pk="a", sk=1, state="open")


def test_an_image_that_does_not_fit_the_model_is_raised_after_those_before(
    service: DynamoDBService, streamed: str
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    service.put_item({"pk": "b", "sk": 1})  # no state
    read: list[Any] = []
    with pytest.raises(ValueError, match="NewImage of stream record.*state"):
        for record in service.iter_stream(TABLE, model=Order):
            read.append(record)
    assert [r.keys["pk"] for r in read] == ["a"]


def test_numbers_are_read_as_configured(logger: logging.Logger, streamed: str) -> None:
    native = DynamoDBConfig(
        region_name="us-east-1", default_table_name=TABLE, numbers_as="native"
    )
    service = build_service(logger, native)
    service.put_item({"pk": "a", "sk": 1, "price": Decimal("2.5")})
    (record,) = service.iter_stream(TABLE)
    assert record.keys == {"pk": "a", "sk": 1} and type(record.keys["sk"]) is int
    assert record.new_image == {"pk": "a", "sk": 1, "price": 2.5}


def test_start_latest_skips_the_changes_made_before(
    service: DynamoDBService, streamed: str
) -> None:
    write_changes(service)
    assert len(list(service.iter_stream(TABLE))) == 3
    assert list(service.iter_stream(TABLE, start="LATEST")) == []


@pytest.fixture
def writes_while_paused(
    monkeypatch: pytest.MonkeyPatch, service: DynamoDBService
) -> list[float]:
    """Every pause the service takes, recorded instead of slept; the first
    one writes an item (as another process would while a reader waits)."""
    pauses: list[float] = []
    client = service.botocore_client()

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 1:
            client.put_item(TableName=TABLE, Item={"pk": {"S": "z"}, "sk": {"N": "9"}})

    async def async_pause(seconds: float) -> None:
        pause(seconds)

    monkeypatch.setattr("time.sleep", pause)
    monkeypatch.setattr("services.dynamodb.drivers.asynchronous.pause", async_pause)
    return pauses


def test_follow_keeps_polling_with_a_pause_and_reads_later_changes(
    service: DynamoDBService, streamed: str, writes_while_paused: list[float]
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    records: Iterator[Any] = iter(service.iter_stream(TABLE, follow=True))
    assert next(records).keys["pk"] == "a"
    assert writes_while_paused == []
    assert next(records).keys["pk"] == "z"  # written during the first pause
    assert writes_while_paused == [POLL_SECONDS]


def test_without_follow_it_never_pauses(
    service: DynamoDBService, streamed: str, writes_while_paused: list[float]
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    assert len(list(service.iter_stream(TABLE))) == 1
    assert writes_while_paused == []


@pytest.mark.parametrize(
    "arguments, error",
    [
        ({"start": "AT_SEQUENCE_NUMBER"}, ValueError),
        ({"follow": "yes"}, ValueError),
        ({"model": dict}, TypeError),
        ({"table_name": "no such/table"}, ValueError),
    ],
)
def test_bad_arguments_are_refused_by_the_call_itself(
    service: DynamoDBService, arguments: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        service.iter_stream(**arguments)


def test_a_record_from_botocores_own_client_decodes_as_iter_stream_gives_it(
    service: DynamoDBService, streamed: str
) -> None:
    """The two forms of GetRecords' answer: the JSON the library keeps, and
    botocore's parse (binary values as bytes, the time as a datetime)."""
    item = {"pk": "a", "sk": 1, "b": b"\x00\x01", "bs": {b"x"}, "m": {"l": [1]}}
    service.put_item(item)
    (read,) = service.iter_stream(TABLE)
    streams = boto3.client("dynamodbstreams", region_name="us-east-1")
    shard = streams.describe_stream(StreamArn=streamed)["StreamDescription"]
    iterator = streams.get_shard_iterator(
        StreamArn=streamed,
        ShardId=shard["Shards"][0]["ShardId"],
        ShardIteratorType="TRIM_HORIZON",
    )["ShardIterator"]
    (parsed,) = streams.get_records(ShardIterator=iterator)["Records"]
    assert isinstance(parsed["dynamodb"]["NewImage"]["b"]["B"], bytes)
    assert stream_record(parsed, table_name=TABLE) == read


def test_the_streams_client_has_the_services_configuration() -> None:
    config = DynamoDBConfig(
        region_name="eu-west-3",
        endpoint_url="http://localhost:8001",
        connect_timeout_seconds=4,
        max_attempts=2,
    )
    connection = Connection(config)
    streams = connection.client_for("dynamodbstreams")
    assert streams.meta.service_model.service_name == "dynamodbstreams"
    assert streams.meta.region_name == "eu-west-3"
    assert streams.meta.endpoint_url == "http://localhost:8001"
    assert streams.meta.config.connect_timeout == 4
    assert streams.meta.config.retries["total_max_attempts"] == 2
    own = connection.client
    assert streams._request_signer._credentials is own._request_signer._credentials
    assert connection.client_for("dynamodbstreams") is streams
    connection.close()


def test_completion_is_logged_with_counts_and_no_values(
    service: DynamoDBService, streamed: str, captured: Any
) -> None:
    write_changes(service)
    list(service.iter_stream(TABLE))
    lines = [text for level, text in captured.records if level >= logging.INFO]
    assert any("Read the stream of orders: 3 records from 1 shards" in t for t in lines)
    debug = [text for level, text in captured.records if level == logging.DEBUG]
    assert any("Reading the stream of orders from TRIM_HORIZON" in t for t in debug)
    assert not any("shipped" in text for text in lines)


def test_a_failure_is_logged_once_without_values(
    service: DynamoDBService, table: str, captured: Any
) -> None:
    with pytest.raises(ValueError):
        list(service.iter_stream(TABLE))
    errors = [text for level, text in captured.records if level >= logging.ERROR]
    assert len(errors) == 1
    assert "DynamoDB iter_stream on table orders failed: ValueError" in errors[0]


def get_records_answer(body: bytes) -> Any:
    """A GetRecords answer as the service's parser reads it."""
    model = botocore.session.get_session().get_service_model("dynamodbstreams")
    shape = model.operation_model("GetRecords").output_shape
    parser = CheckedParserFactory().create_parser("json")
    return parser.parse({"status_code": 200, "headers": {}, "body": body}, shape)


def test_get_records_answers_keep_the_records_json_for_the_streams_codec() -> None:
    record = {
        "eventID": "1",
        "dynamodb": {"NewImage": {"b": {"B": "AAE="}}, "SizeBytes": 9},
    }
    body = json.dumps({"Records": [record], "NextShardIterator": "it"}).encode()
    answer = get_records_answer(body)
    assert answer["Records"] == [record]  # base64 text, as in a Lambda event
    assert answer["NextShardIterator"] == "it"


@pytest.mark.parametrize(
    "records", [{"0": {}}, ["not a record"], "[]"], ids=["map", "string", "text"]
)
def test_get_records_answers_without_a_list_of_records_are_refused(
    records: Any,
) -> None:
    body = json.dumps({"Records": records, "NextShardIterator": "it"}).encode()
    with pytest.raises(ResponseParserError, match="GetRecords.*Records"):
        get_records_answer(body)


def test_a_reading_stopped_by_the_caller_is_logged_with_its_count(
    service: DynamoDBService, streamed: str, captured: Any
) -> None:
    service.put_item({"pk": "a", "sk": 1, "state": "open"})
    service.put_item({"pk": "b", "sk": 1, "state": "open"})
    for record in service.iter_stream(TABLE, follow=True):
        break
    lines = [text for level, text in captured.records if level == logging.INFO]
    assert any("stream of orders after 2 records read" in t for t in lines)
