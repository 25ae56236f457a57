"""Lambda's DynamoDB stream events decode as reads decode items: the same
codec and checks, numbers as asked, images as dicts or validated models;
what is not a stream record is refused naming the record and the field."""

import copy
import sys
from pathlib import Path
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer
from hypothesis import given, settings
from pydantic import BaseModel

from services.dynamodb import StreamRecord, stream_record, stream_records
from tests.dynamodb.test_model_typing import mypy_strict
from tests.dynamodb.test_wire import boto3_wire, json_form, stored_by_dynamodb, values

ARN = (
    "arn:aws:dynamodb:eu-central-1:123456789012:table/ExampleTableWithStream/"
    "stream/2015-06-27T00:48:05.899"
)
# The sample event of AWS's Lambda documentation (sam local generate-event
# dynamodb update): an INSERT, a MODIFY and a REMOVE, NEW_AND_OLD_IMAGES.
LAMBDA_EVENT: dict[str, Any] = {
    "Records": [
        {
            "eventID": "c4ca4238a0b923820dcc509a6f75849b",
            "eventName": "INSERT",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "eu-central-1",
            "dynamodb": {
                "Keys": {"Id": {"N": "101"}},
                "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
                "ApproximateCreationDateTime": 1428537600,
                "SequenceNumber": "4421584500000000017450439091",
                "SizeBytes": 26,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
            "eventSourceARN": ARN,
            "userIdentity": {
                "principalId": "dynamodb.amazonaws.com",
                "type": "Service",
            },
        },
        {
            "eventID": "c81e728d9d4c2f636f067f89cc14862c",
            "eventName": "MODIFY",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "eu-central-1",
            "dynamodb": {
                "Keys": {"Id": {"N": "101"}},
                "NewImage": {
                    "Message": {"S": "This item has changed"},
                    "Id": {"N": "101"},
                },
                "OldImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
                "ApproximateCreationDateTime": 1428537600,
                "SequenceNumber": "4421584500000000017450439092",
                "SizeBytes": 59,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
            "eventSourceARN": ARN,
        },
        {
            "eventID": "eccbc87e4b5ce2fe28308fd9f2a7baf3",
            "eventName": "REMOVE",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "eu-central-1",
            "dynamodb": {
                "Keys": {"Id": {"N": "101"}},
                "OldImage": {
                    "Message": {"S": "This item has changed"},
                    "Id": {"N": "101"},
                },
                "ApproximateCreationDateTime": 1428537600,
                "SequenceNumber": "4421584500000000017450439093",
                "SizeBytes": 38,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
            "eventSourceARN": ARN,
        },
    ]
}
DESERIALIZER = TypeDeserializer()


class Message(BaseModel):
    Id: int
    Message: str


def record_with(**change: Any) -> dict[str, Any]:
    """The sample MODIFY record, its ``dynamodb`` part changed."""
    record: dict[str, Any] = copy.deepcopy(LAMBDA_EVENT["Records"][1])
    record["dynamodb"].update(change)
    return record


def test_the_lambda_guides_sample_event_decodes_field_by_field() -> None:
    inserted, modified, removed = stream_records(LAMBDA_EVENT)
    assert [r.event_name for r in (inserted, modified, removed)] == [
        "INSERT",
        "MODIFY",
        "REMOVE",
    ]
    assert modified == StreamRecord(
        event_name="MODIFY",
        keys={"Id": Decimal(101)},
        new_image={"Message": "This item has changed", "Id": Decimal(101)},
        old_image={"Message": "New item!", "Id": Decimal(101)},
        sequence_number="4421584500000000017450439092",
        approximate_creation_time=datetime(2015, 4, 9, tzinfo=timezone.utc),
        size_bytes=59,
        table_name="ExampleTableWithStream",
        event_id="c81e728d9d4c2f636f067f89cc14862c",
    )
    assert inserted.old_image is None and inserted.new_image is not None


def test_a_remove_has_the_old_image_only() -> None:
    removed = stream_records(LAMBDA_EVENT)[2]
    assert removed.new_image is None
    assert removed.old_image == {"Message": "This item has changed", "Id": 101}
    assert removed.keys == {"Id": 101}


@pytest.mark.parametrize(
    "view_type, images, has_new, has_old",
    [
        ("KEYS_ONLY", (), False, False),
        ("NEW_IMAGE", ("NewImage",), True, False),
        ("OLD_IMAGE", ("OldImage",), False, True),
        ("NEW_AND_OLD_IMAGES", ("NewImage", "OldImage"), True, True),
    ],
)
def test_each_view_type_gives_the_images_it_has_and_none_for_the_others(
    view_type: str, images: tuple[str, ...], has_new: bool, has_old: bool
) -> None:
    record = record_with(StreamViewType=view_type)
    for image in {"NewImage", "OldImage"} - set(images):
        del record["dynamodb"][image]
    decoded = stream_record(record)
    assert (decoded.new_image is not None, decoded.old_image is not None) == (
        has_new,
        has_old,
    )
    assert decoded.keys == {"Id": Decimal(101)}


def test_binary_values_sets_and_nested_maps_decode_as_reads_give_them() -> None:
    image = {
        "Id": {"N": "101"},
        "blob": {"B": "AAEC"},
        "blobs": {"BS": ["AA==", "AQ=="]},
        "tags": {"SS": ["a", "b"]},
        "scores": {"NS": ["1", "2.5"]},
        "nested": {
            "M": {"inner": {"M": {"list": {"L": [{"N": "1"}, {"NULL": True}]}}}}
        },
        "flag": {"BOOL": False},
    }
    decoded = stream_record(record_with(NewImage=image))
    assert decoded.new_image == {
        "Id": Decimal(101),
        "blob": Binary(b"\x00\x01\x02"),
        "blobs": {Binary(b"\x00"), Binary(b"\x01")},
        "tags": {"a", "b"},
        "scores": {Decimal(1), Decimal("2.5")},
        "nested": {"inner": {"list": [Decimal(1), None]}},
        "flag": False,
    }


def test_numbers_as_native_gives_ints_and_floats_in_keys_and_images() -> None:
    image = {"Id": {"N": "101"}, "price": {"N": "2.5"}, "l": {"L": [{"N": "3"}]}}
    decoded = stream_record(record_with(NewImage=image), numbers_as="native")
    assert decoded.keys == {"Id": 101} and type(decoded.keys["Id"]) is int
    assert decoded.new_image == {"Id": 101, "price": 2.5, "l": [3]}
    assert type(decoded.new_image["price"]) is float
    decimal = stream_record(record_with(NewImage=image))
    assert decimal.new_image is not None
    assert type(decimal.new_image["price"]) is Decimal


def test_numbers_as_anything_else_is_refused() -> None:
    with pytest.raises(ValueError, match="numbers_as"):
        stream_records(LAMBDA_EVENT, numbers_as="float")  # type: ignore[arg-type]


def test_model_gives_validated_instances_of_both_images() -> None:
    modified = stream_records(LAMBDA_EVENT, model=Message)[1]
    assert modified.new_image == Message(Id=101, Message="This item has changed")
    assert modified.old_image == Message(Id=101, Message="New item!")
    assert modified.keys == {"Id": Decimal(101)}  # keys stay a dict


def test_an_image_that_does_not_fit_the_model_names_the_record_image_and_field() -> (
    None
):
    record = record_with(NewImage={"Id": {"S": "not a number"}, "Message": {"S": "x"}})
    with pytest.raises(ValueError) as raised:
        stream_record(record, model=Message)
    message = str(raised.value)
    assert "c81e728d9d4c2f636f067f89cc14862c" in message
    assert "4421584500000000017450439092" in message
    assert "NewImage" in message and "Id" in message
    assert "not a number" not in message  # never a value


def test_model_must_be_a_pydantic_model() -> None:
    with pytest.raises(TypeError, match="model"):
        stream_records(LAMBDA_EVENT, model=dict)


@pytest.mark.parametrize(
    "attribute, wire, reason",
    [
        ("qty", {"S": 5}, "not DynamoDB JSON"),
        ("qty", {"N": "many"}, "not DynamoDB JSON"),
        ("qty", {"BOOL": "true"}, "BOOL"),
        ("qty", {"NULL": False}, "NULL"),
        ("qty", {"B": "not base64!"}, "not DynamoDB JSON"),
        ("qty", {"SS": []}, "set"),
        ("qty", {"NS": ["1", "1"]}, "set"),
        ("qty", {"S": "a", "N": "1"}, "exactly one type"),
        ("qty", {"X": "1"}, "not DynamoDB JSON"),
        ("qty", {"M": {"inner": {"N": "x"}}}, "not DynamoDB JSON"),
        ("qty", {"L": "not a list"}, "list"),
    ],
)
@pytest.mark.parametrize("image", ["NewImage", "OldImage", "Keys"])
def test_a_malformed_image_is_refused_naming_the_record_and_attribute(
    image: str, attribute: str, wire: dict[str, Any], reason: str
) -> None:
    record = record_with(**{image: {"Id": {"N": "101"}, attribute: wire}})
    with pytest.raises(ValueError) as raised:
        stream_records({"Records": [record]})
    message = str(raised.value)
    assert "'c81e728d9d4c2f636f067f89cc14862c'" in message
    assert "'4421584500000000017450439092'" in message
    assert f"{image} attribute 'qty'" in message
    assert reason in message


@pytest.mark.parametrize(
    "change, field",
    [
        ({"NewImage": ["not", "a", "map"]}, "NewImage"),
        ({"Keys": None}, "Keys"),
        ({"SequenceNumber": 4421584500000000017450439092}, "SequenceNumber"),
        ({"SizeBytes": "59"}, "SizeBytes"),
        ({"SizeBytes": -1}, "SizeBytes"),
        ({"ApproximateCreationDateTime": "yesterday"}, "ApproximateCreationDateTime"),
        ({"ApproximateCreationDateTime": float("nan")}, "ApproximateCreationDateTime"),
        ({"ApproximateCreationDateTime": 10**20}, "ApproximateCreationDateTime"),
    ],
)
def test_a_malformed_change_is_refused_naming_the_record_and_field(
    change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValueError, match=f"c81e728d9d4c2f636f067f89cc14862c.*{field}"):
        stream_record(record_with(**change))


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("eventName", "UPSERT", "eventName"),
        ("eventName", None, "eventName"),
        ("dynamodb", "{}", "dynamodb"),
        ("eventSourceARN", "arn:aws:sqs:eu-central-1:1:queue", "eventSourceARN"),
        ("eventSourceARN", None, "eventSourceARN"),
        ("eventID", 7, "eventID"),
    ],
)
def test_a_malformed_record_is_refused_naming_the_field(
    field: str, value: Any, named: str
) -> None:
    record = record_with()
    record[field] = value
    with pytest.raises(ValueError, match=named):
        stream_record(record)


@pytest.mark.parametrize("event", [[], {"records": []}, {"Records": {}}, "Records"])
def test_an_event_without_a_records_list_is_refused(event: Any) -> None:
    with pytest.raises(ValueError, match="Records"):
        stream_records(event)


def test_a_record_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(ValueError, match="not a mapping"):
        stream_records({"Records": ["INSERT"]})


def test_the_table_name_given_serves_records_without_an_arn() -> None:
    record = record_with()
    del record["eventSourceARN"]
    assert stream_record(record, table_name="orders").table_name == "orders"
    with pytest.raises(ValueError, match="eventSourceARN"):
        stream_record(record)


def test_an_arn_of_any_partition_and_account_names_the_table() -> None:
    record = record_with()
    record["eventSourceARN"] = (
        "arn:aws-cn:dynamodb:cn-north-1:account-id:table/my.table-1/stream/2023"
    )
    assert stream_record(record).table_name == "my.table-1"


def test_creation_time_from_epoch_seconds_a_datetime_or_iso_text_is_utc() -> None:
    east = timezone(timedelta(hours=2))
    botocore_time = datetime(2015, 4, 9, 2, 0, tzinfo=east)
    iso_texts = ("2015-04-09T00:00:00", "2015-04-09T02:00:00+02:00")
    for when in (1428537600, 1428537600.0, botocore_time, *iso_texts):
        decoded = stream_record(record_with(ApproximateCreationDateTime=when))
        created = decoded.approximate_creation_time
        assert created == datetime(2015, 4, 9, tzinfo=timezone.utc)
        assert created is not None and created.utcoffset() == timedelta(0)


def test_a_record_without_creation_time_has_none() -> None:
    record = record_with()
    del record["dynamodb"]["ApproximateCreationDateTime"]
    assert stream_record(record).approximate_creation_time is None


def test_a_record_as_botocore_parses_it_decodes_as_its_json_form() -> None:
    json_image = {"Id": {"N": "101"}, "b": {"B": "AAE="}, "bs": {"BS": ["AA=="]}}
    parsed_image = {
        "Id": {"N": "101"},
        "b": {"B": b"\x00\x01"},
        "bs": {"BS": [b"\x00"]},
    }
    as_json = stream_record(record_with(NewImage=json_image))
    as_parsed = stream_record(record_with(NewImage=parsed_image))
    assert as_parsed == as_json


def test_a_malformed_record_as_botocore_parses_it_still_names_the_attribute() -> None:
    parsed_image = {"Id": {"N": "101"}, "b": {"B": b"\x00"}, "qty": {"N": "x"}}
    with pytest.raises(ValueError, match="NewImage attribute 'qty'"):
        stream_record(record_with(NewImage=parsed_image))


def test_the_error_of_a_record_drops_the_codecs_own_error() -> None:
    """The codec's errors may quote a value: the message names the rule."""
    with pytest.raises(ValueError) as raised:
        stream_record(record_with(NewImage={"secret": {"N": "hunter2"}}))
    assert "hunter2" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def botocore_form(wire: Any) -> Any:
    """What botocore hands over: binary values as bytes."""
    ((tag, inner),) = wire.items()
    if tag == "B":
        return {"B": bytes(inner)}
    if tag == "BS":
        return {"BS": [bytes(b) for b in inner]}
    if tag == "L":
        return {"L": [botocore_form(v) for v in inner]}
    if tag == "M":
        return {"M": {k: botocore_form(v) for k, v in inner.items()}}
    return wire


@settings(max_examples=500, deadline=None)
@given(values)
def test_images_decode_as_boto3s_type_deserializer_gives_them(value: Any) -> None:
    wire = boto3_wire(value)
    if isinstance(wire, Exception) or stored_by_dynamodb(value) is None:
        return  # no stream holds it (an empty set, say)
    expected = {"Id": Decimal(101), "v": DESERIALIZER.deserialize(botocore_form(wire))}
    for form in (json_form(wire), botocore_form(wire)):
        record = record_with(NewImage={"Id": {"N": "101"}, "v": form})
        assert stream_record(record).new_image == expected


STREAM_CODE = """
import logging
from typing import Any

from pydantic import BaseModel

from services.dynamodb import (
    AsyncDynamoDBService, DynamoDBConfig, DynamoDBService, stream_record, stream_records
)


class Order(BaseModel):
    pk: str


event: dict[str, Any] = {"Records": []}
reveal_type(stream_records(event, model=Order))
reveal_type(stream_records(event))
reveal_type(stream_record(event["Records"][0], model=Order).new_image)
service = DynamoDBService(logging.getLogger(), DynamoDBConfig(region_name="us-east-1"))
reveal_type(next(service.iter_stream("orders", model=Order)))
reveal_type(service.iter_stream("orders"))


async def on_the_loop(aservice: AsyncDynamoDBService) -> None:
    reveal_type(aservice.iter_stream("orders", model=Order))
"""


def test_mypy_sees_the_image_type_model_gives(tmp_path: Path) -> None:
    lines = mypy_strict(STREAM_CODE, tmp_path)
    assert [line for line in lines if line.startswith("error")] == []
    shown = [line.removeprefix("note: ") for line in lines if "Revealed" in line]
    record = "services.dynamodb.codec.streams.StreamRecord"
    assert shown == [
        f'Revealed type is "list[{record}[client.Order]]"',
        f'Revealed type is "list[{record}[dict[str, Any]]]"',
        'Revealed type is "client.Order | None"',
        f'Revealed type is "{record}[client.Order]"',
        f'Revealed type is "typing.Iterator[{record}[dict[str, Any]]]"',
        f'Revealed type is "typing.AsyncIterator[{record}[client.Order]]"',
    ]


@pytest.mark.parametrize("leaf", [{"B": b"x"}, {"S": "x"}], ids=["bytes", "text"])
def test_an_image_nested_beyond_pythons_stack_is_refused_naming_it(
    leaf: dict[str, Any],
) -> None:
    value: dict[str, Any] = leaf
    for _ in range(sys.getrecursionlimit()):
        value = {"L": [value]}
    record = {
        "eventID": "e1",
        "eventName": "INSERT",
        "eventSourceARN": (
            "arn:aws:dynamodb:us-east-1:1:table/orders/stream/2026-01-01T00:00:00.000"
        ),
        "dynamodb": {
            "Keys": {"pk": {"S": "a"}},
            "NewImage": {"pk": {"S": "a"}, "deep": value},
            "SequenceNumber": "1",
            "SizeBytes": 1,
        },
    }
    with pytest.raises(ValueError, match="NewImage attribute 'deep'"):
        stream_records({"Records": [record]})


@pytest.mark.parametrize("table_name", [5, ""])
def test_a_table_name_that_is_not_one_is_refused(table_name: Any) -> None:
    with pytest.raises(TypeError, match="table_name"):
        stream_record({}, table_name=table_name)
