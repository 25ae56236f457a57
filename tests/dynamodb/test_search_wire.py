"""``search_vectors`` on the wire, against a plain boto3 client as the
oracle, with nothing mocked: both go to a recording endpoint (a local HTTP
server), which keeps each request and answers it with answers shaped by
botocore's service model. Every case runs on both transports and on both
services, whatever the run's mode.

The botocore transport sends botocore's own bytes. The direct transport
writes the same document, members in the same order, compactly (botocore's
``json.dumps`` puts a space after each ``:`` and ``,`` and escapes
non-ASCII text; the library's writer does neither, for every operation:
codec/documents.py), so its body is compared with botocore's written so.
"""

import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Attr, ConditionExpressionBuilder, Key
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.parsers import ResponseParserError

from services.dynamodb import DynamoDBConfig, DynamoDBService, SearchResult
from tests.dynamodb.recording import Recorded, Recording
from tests.services import build_service

CASES = [
    pytest.param(transport, awaited, id=f"{transport}-{kind}")
    for transport in ("direct", "botocore")
    for awaited, kind in ((False, "blocking"), (True, "async"))
]
VECTOR = [0.1, -2.5, 3, 1e-7, 0.3333333333333333]
# Every attribute type, as DynamoDB JSON.
EVERY_TYPE = {
    "pk": {"S": "a"},
    "n": {"N": "-12.5"},
    "b": {"B": "AAEC"},
    "ss": {"SS": ["x", "y"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": ["AA==", "AQ=="]},
    "m": {"M": {"inner": {"L": [{"S": "z"}, {"N": "3"}]}}},
    "l": {"L": [{"NULL": True}, {"BOOL": False}]},
    "t": {"BOOL": True},
    "nothing": {"NULL": True},
}
ANSWER = {
    "SearchResults": [
        {"Item": EVERY_TYPE, "Score": 0.125},
        {"Item": {"pk": {"S": "b"}}, "Score": -3},
        {"Item": {}, "Score": 2.0},
    ],
    "ConsumedCapacity": {"VectorSearchRequestBytes": 512.0},
}


@pytest.fixture
def recording() -> Iterator[Recording]:
    endpoint = Recording()
    endpoint.answer("SearchVectors", ANSWER)
    yield endpoint
    endpoint.close()


def service_at(
    recording: Recording, transport: str, awaited: bool, **settings: Any
) -> DynamoDBService:
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url=recording.url,
        transport=transport,
        default_table_name="orders",
        **settings,
    )
    return build_service(logging.getLogger("tests.search"), config, awaited)


def boto3_search(recording: Recording, **params: Any) -> dict[str, Any]:
    client = boto3.client(
        "dynamodb", region_name="us-east-1", endpoint_url=recording.url
    )
    answer: Any = client.search_vectors(**params)
    return dict(answer)


def wire_vector(vector: list[float]) -> list[Any]:
    """The vector as a boto3 user writes it: each float as Decimal(str(x)),
    serialized by boto3's TypeSerializer."""
    serializer = TypeSerializer()
    return [serializer.serialize(Decimal(str(x))) for x in vector]


def compact(body: bytes) -> bytes:
    """botocore's body as the direct transport writes every request: no
    spaces, non-ASCII text as UTF-8 rather than escaped."""
    document = json.loads(body)
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def assert_sent_alike(ours: Recorded, theirs: Recorded, transport: str) -> None:
    assert ours.body == (
        theirs.body if transport == "botocore" else compact(theirs.body)
    )
    assert json.loads(ours.body) == json.loads(theirs.body)
    for header in ("x-amz-target", "content-type"):
        assert ours.headers[header] == theirs.headers[header]
    assert ours.headers["x-amz-target"] == "DynamoDB_20120810.SearchVectors"
    assert ours.path == theirs.path == "/"
    scope = [
        h["authorization"].split(", ")[0].split("/", 2)[2]
        for h in (ours.headers, theirs.headers)
    ]
    assert scope[0] == scope[1] == "us-east-1/dynamodb/aws4_request"


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_a_plain_search_sends_the_bytes_botocore_sends(
    recording: Recording, transport: str, awaited: bool
) -> None:
    service = service_at(recording, transport, awaited)
    service.search_vectors(VECTOR, index_name="by-embedding", top_k=3)
    boto3_search(
        recording,
        TableName="orders",
        IndexName="by-embedding",
        SearchVector=wire_vector(VECTOR),
        TopK=3,
    )
    ours, theirs = recording.of("SearchVectors")
    assert_sent_alike(ours, theirs, transport)


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_a_string_condition_with_projection_is_sent_as_botocore_sends_it(
    recording: Recording, transport: str, awaited: bool
) -> None:
    service = service_at(recording, transport, awaited)
    service.search_vectors(
        VECTOR,
        index_name="by-embedding",
        top_k=10,
        table_name="arn:aws:dynamodb:us-east-1:111122223333:table/orders",
        condition="#c = :c AND tenant = :t",
        projection_expression="pk, #c",
        expression_attribute_names={"#c": "category"},
        expression_attribute_values={":c": "shoes", ":t": 7},
    )
    boto3_search(
        recording,
        TableName="arn:aws:dynamodb:us-east-1:111122223333:table/orders",
        IndexName="by-embedding",
        ExpressionAttributeNames={"#c": "category"},
        ExpressionAttributeValues={":c": {"S": "shoes"}, ":t": {"N": "7"}},
        ProjectionExpression="pk, #c",
        SearchVector=wire_vector(VECTOR),
        SearchConditionExpression="#c = :c AND tenant = :t",
        TopK=10,
    )
    ours, theirs = recording.of("SearchVectors")
    assert_sent_alike(ours, theirs, transport)


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_non_ascii_values_are_sent_as_the_same_document(
    recording: Recording, transport: str, awaited: bool
) -> None:
    service = service_at(recording, transport, awaited)
    service.search_vectors(
        VECTOR,
        index_name="idx",
        top_k=1,
        condition="category = :c",
        expression_attribute_values={":c": "Schuhe \u2013 gr\u00fcn"},
    )
    boto3_search(
        recording,
        TableName="orders",
        IndexName="idx",
        ExpressionAttributeValues={":c": {"S": "Schuhe \u2013 gr\u00fcn"}},
        SearchVector=wire_vector(VECTOR),
        SearchConditionExpression="category = :c",
        TopK=1,
    )
    ours, theirs = recording.of("SearchVectors")
    assert_sent_alike(ours, theirs, transport)


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_a_condition_object_is_sent_as_boto3s_builder_writes_it(
    recording: Recording, transport: str, awaited: bool
) -> None:
    condition = Key("tenant").eq("t1") & Attr("category").eq("shoes")
    service = service_at(recording, transport, awaited)
    service.search_vectors(VECTOR, index_name="idx", top_k=1, condition=condition)
    built = ConditionExpressionBuilder().build_expression(condition)
    serializer = TypeSerializer()
    boto3_search(
        recording,
        TableName="orders",
        IndexName="idx",
        ExpressionAttributeNames=built.attribute_name_placeholders,
        ExpressionAttributeValues={
            name: serializer.serialize(value)
            for name, value in built.attribute_value_placeholders.items()
        },
        SearchVector=wire_vector(VECTOR),
        SearchConditionExpression=built.condition_expression,
        TopK=1,
    )
    ours, theirs = recording.of("SearchVectors")
    assert_sent_alike(ours, theirs, transport)


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_asked_capacity_is_sent_as_botocore_sends_it(
    recording: Recording, transport: str, awaited: bool
) -> None:
    service = service_at(
        recording, transport, awaited, return_consumed_capacity="TOTAL"
    )
    service.search_vectors(VECTOR, index_name="idx", top_k=2)
    boto3_search(
        recording,
        TableName="orders",
        IndexName="idx",
        SearchVector=wire_vector(VECTOR),
        TopK=2,
        ReturnConsumedCapacity="TOTAL",
    )
    ours, theirs = recording.of("SearchVectors")
    assert_sent_alike(ours, theirs, transport)


def boto3_results(recording: Recording) -> list[tuple[dict[str, Any], float]]:
    answer = boto3_search(
        recording,
        TableName="orders",
        IndexName="idx",
        SearchVector=[{"N": "1"}],
        TopK=3,
    )
    deserializer = TypeDeserializer()
    return [
        ({k: deserializer.deserialize(v) for k, v in r["Item"].items()}, r["Score"])
        for r in answer["SearchResults"]
    ]


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_results_read_as_boto3_reads_them(
    recording: Recording, transport: str, awaited: bool
) -> None:
    service = service_at(recording, transport, awaited)
    found = service.search_vectors([1.0], index_name="idx", top_k=3)
    expected = boto3_results(recording)
    assert [(r.item, r.score) for r in found] == expected
    assert all(type(r) is SearchResult and type(r.score) is float for r in found)
    assert found[1].score == -3.0  # a DOT_PRODUCT score may be negative


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_no_results_is_an_empty_list(
    recording: Recording, transport: str, awaited: bool
) -> None:
    recording.answer("SearchVectors", {"SearchResults": []})
    service = service_at(recording, transport, awaited)
    assert service.search_vectors([1.0], index_name="idx", top_k=3) == []
    assert boto3_results(recording) == []


MALFORMED: dict[str, dict[str, Any]] = {
    "no SearchResults": {},
    "results not a list": {"SearchResults": {"Item": {}, "Score": 1}},
    "a score that is text": {"SearchResults": [{"Item": {}, "Score": "0.5"}]},
    "no score": {"SearchResults": [{"Item": {}}]},
    "no item": {"SearchResults": [{"Score": 0.5}]},
    "a value naming no type": {
        "SearchResults": [{"Item": {"a": {"Q": "x"}}, "Score": 1}]
    },
    "S holding a number": {"SearchResults": [{"Item": {"a": {"S": 5}}, "Score": 1}]},
    "N not a number": {"SearchResults": [{"Item": {"a": {"N": "x1"}}, "Score": 1}]},
    "capacity that is text": {
        "SearchResults": [],
        "ConsumedCapacity": {"VectorSearchRequestBytes": "many"},
    },
}


@pytest.mark.parametrize(("transport", "awaited"), CASES)
@pytest.mark.parametrize("answer", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_answer_raises_response_parser_error(
    recording: Recording, transport: str, awaited: bool, answer: dict[str, Any]
) -> None:
    recording.answer("SearchVectors", answer)
    service = service_at(recording, transport, awaited)
    with pytest.raises(ResponseParserError) as raised:
        service.search_vectors([1.0], index_name="idx", top_k=3)
    assert "SearchVectors" in str(raised.value)
    for value in ("x1", "many", "0.5"):
        assert value not in str(raised.value)


def test_botocores_own_parser_takes_a_text_score_the_library_refuses(
    recording: Recording,
) -> None:
    """The oracle itself takes a text score as it is: the library's check
    is stricter than botocore's parser, by design."""
    recording.answer("SearchVectors", MALFORMED["a score that is text"])
    answer = boto3_search(
        recording,
        TableName="orders",
        IndexName="idx",
        SearchVector=[{"N": "1"}],
        TopK=3,
    )
    assert answer["SearchResults"][0]["Score"] == "0.5"


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_an_error_answer_is_botocores_exception(
    recording: Recording, transport: str, awaited: bool
) -> None:
    recording.status = 400
    recording.answer(
        "SearchVectors",
        {
            "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
            "message": "Requested resource not found",
        },
    )
    service = service_at(recording, transport, awaited, retry_mode="standard")
    with pytest.raises(service.exceptions.ResourceNotFoundException):
        service.search_vectors([1.0], index_name="idx", top_k=3)


@pytest.mark.parametrize(("transport", "awaited"), CASES)
def test_scores_are_floats_on_the_readers_other_path_too(
    recording: Recording, transport: str, awaited: bool
) -> None:
    """An answer the one-pass reader hands to the two-pass one (a lone
    surrogate in a string) still gives float scores and the same items."""
    recording.answer(
        "SearchVectors",
        b'{"SearchResults": [{"Item": {"pk": {"S": "\\ud800"}}, "Score": 2}]}',
    )
    service = service_at(recording, transport, awaited)
    found = service.search_vectors([1.0], index_name="idx", top_k=1)
    assert [(r.item, r.score) for r in found] == boto3_results(recording)
    assert type(found[0].score) is float
