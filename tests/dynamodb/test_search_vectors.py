"""What ``search_vectors`` promises besides the wire (see
test_search_wire.py): bad input is refused before anything is sent, with
an error naming the parameter; items come back as reads give them (a
model, numbers as configured); consumed capacity is summed in its own
figures; the log says what happened and never holds the vector. Run in the
suite's modes (direct, botocore, async), against a recording endpoint:
no local server answers ``SearchVectors``."""

import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError
from pydantic import BaseModel

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.codec.search import check_search_condition
from services.dynamodb.testing import TableSpec, mock_dynamodb_service
from tests.dynamodb.conftest import Capture
from tests.dynamodb.test_model_typing import mypy_strict
from tests.dynamodb.recording import Recording
from tests.services import build_service

ANSWER = {
    "SearchResults": [
        {
            "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "w": {"N": "0.5"}},
            "Score": 0.25,
        },
        {"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}, "w": {"N": "2"}}, "Score": 1},
    ],
    "ConsumedCapacity": {
        "VectorSearchRequestBytes": 512.0,
        "VectorWriteRequestBytes": 0,
    },
}
SECRET_NUMBER = 0.7654321


class Order(BaseModel):
    pk: str
    sk: int
    w: float


@pytest.fixture
def recording() -> Iterator[Recording]:
    endpoint = Recording()
    endpoint.answer("SearchVectors", ANSWER)
    yield endpoint
    endpoint.close()


def service_at(recording: Recording, **settings: Any) -> DynamoDBService:
    config = DynamoDBConfig(
        region_name="us-east-1",
        endpoint_url=recording.url,
        default_table_name="orders",
        **settings,
    )
    return build_service(logging.getLogger("tests.search"), config)


BAD_VECTORS = {
    "empty": [],
    "text": "0.1,0.2",
    "not a sequence": 0.5,
    "a mapping": {"x": 1.0},
    "NaN": [0.1, float("nan")],
    "infinity": [float("inf")],
    "minus infinity": [float("-inf")],
    "a bool": [0.1, True],
    "a string number": [0.1, "0.2"],
    "None": [None],
    "beyond a 32-bit float": [3.5e38],
    "a Decimal NaN": [Decimal("NaN")],
    "too long": [0.5] * 4097,
    "a set (no order)": {3.0, 1.0, 2.0},
    "a frozenset": frozenset({0.5}),
    "a memoryview": memoryview(b"\x07\x09"),
}


@pytest.mark.parametrize("vector", [[0.1, "0.7654321"], [0.1, 3.4e39]])
def test_a_bad_vector_element_is_named_never_shown(
    recording: Recording, vector: list[Any]
) -> None:
    service = service_at(recording)
    with pytest.raises(ValueError, match=r"^vector\[1\]") as raised:
        service.search_vectors(vector, index_name="idx", top_k=1)
    assert "7654321" not in str(raised.value) and "3.4e" not in str(raised.value)


@pytest.mark.parametrize("vector", BAD_VECTORS.values(), ids=list(BAD_VECTORS))
def test_a_bad_vector_is_refused_before_anything_is_sent(
    recording: Recording, vector: Any
) -> None:
    service = service_at(recording)
    with pytest.raises(ValueError, match=r"^vector"):
        service.search_vectors(vector, index_name="idx", top_k=1)
    assert recording.of("SearchVectors") == []


def test_the_longest_vector_and_every_kind_of_number_are_sent(
    recording: Recording,
) -> None:
    service = service_at(recording)
    numbers: list[Any] = [1, -0.5, Decimal("0.25"), 3.4e38]
    service.search_vectors(numbers, index_name="idx", top_k=1)
    service.search_vectors([0.5] * 4096, index_name="idx", top_k=1)
    first, longest = recording.of("SearchVectors")
    assert (
        b'[{"N":"1"},{"N":"-0.5"},{"N":"0.25"},{"N":"3.4E+38"}]'
        in first.body.replace(b" ", b"")
    )
    assert longest.body.count(b'"N"') == 4096


@pytest.mark.parametrize("top_k", [0, -1, True, 1.5, "3", None])
def test_top_k_below_one_or_not_an_int_is_refused(
    recording: Recording, top_k: Any
) -> None:
    service = service_at(recording)
    with pytest.raises(ValueError, match=r"^top_k"):
        service.search_vectors([0.1], index_name="idx", top_k=top_k)
    assert recording.of("SearchVectors") == []


@pytest.mark.parametrize("index_name", ["", "ab", "a b c", 5, None, "x" * 256])
def test_a_malformed_index_name_is_refused(
    recording: Recording, index_name: Any
) -> None:
    service = service_at(recording)
    with pytest.raises(ValueError, match=r"^index_name"):
        service.search_vectors([0.1], index_name=index_name, top_k=1)
    assert recording.of("SearchVectors") == []


NOT_EQUALITIES = {
    "OR": "a = :v OR b = :v",
    "not equal": "a <> :v",
    "less than": "a < :v",
    "BETWEEN": "a BETWEEN :v AND :w",
    "IN": "a IN (:v, :w)",
    "NOT": "NOT a = :v",
    "a function": "begins_with(a, :v)",
    "a nested path": "a.b = :v",
    "a list element": "a[0] = :v",
    "a dangling AND": "a = :v AND",
    "two attributes": "a = b",
    "two placeholders": ":v = :w",
    "a no-break space": "a = :v\u00a0AND b = :w",
    "object: greater than": Attr("a").gt(1),
    "object: OR": Attr("a").eq(1) | Attr("b").eq(2),
    "object: nested": Attr("a.b").eq(1),
    "object: begins_with": Key("a").begins_with("x"),
    "object: NOT": ~Attr("a").eq(1),
}


@pytest.mark.parametrize("condition", NOT_EQUALITIES.values(), ids=list(NOT_EQUALITIES))
def test_a_condition_other_than_equalities_joined_by_and_is_refused(
    recording: Recording, condition: Any
) -> None:
    service = service_at(recording)
    values = {":v": 1, ":w": 2} if isinstance(condition, str) else None
    with pytest.raises(ValueError, match=r"^condition"):
        service.search_vectors(
            [0.1],
            index_name="idx",
            top_k=1,
            condition=condition,
            expression_attribute_values=values,
        )
    assert recording.of("SearchVectors") == []


@pytest.mark.parametrize(
    "condition",
    ["a = :v", "#a = :v AND b = :w", "(a = :v) and ((b = :w))", ":v = a"],
)
def test_equalities_joined_by_and_pass_as_written(condition: str) -> None:
    assert check_search_condition(condition) == condition


def test_a_missing_placeholder_is_refused(recording: Recording) -> None:
    service = service_at(recording)
    with pytest.raises(ValueError, match=":v"):
        service.search_vectors([0.1], index_name="idx", top_k=1, condition="a = :v")
    assert recording.of("SearchVectors") == []


def test_items_come_back_as_the_model(recording: Recording) -> None:
    service = service_at(recording)
    found = service.search_vectors([0.1], index_name="idx", top_k=2, model=Order)
    assert [(r.item, r.score) for r in found] == [
        (Order(pk="a", sk=1, w=0.5), 0.25),
        (Order(pk="b", sk=2, w=2.0), 1.0),
    ]


def test_an_item_that_does_not_fit_the_model_raises_value_error(
    recording: Recording,
) -> None:
    class Strict(BaseModel):
        pk: str
        missing: str

    service = service_at(recording)
    with pytest.raises(ValueError, match="missing"):
        service.search_vectors([0.1], index_name="idx", top_k=2, model=Strict)


def test_numbers_come_back_as_configured(recording: Recording) -> None:
    decimals = service_at(recording).search_vectors([0.1], index_name="idx", top_k=2)
    native = service_at(recording, numbers_as="native").search_vectors(
        [0.1], index_name="idx", top_k=2
    )
    assert decimals[0].item == {"pk": "a", "sk": Decimal("1"), "w": Decimal("0.5")}
    assert native[0].item == {"pk": "a", "sk": 1, "w": 0.5}
    assert type(native[0].item["sk"]) is int


def test_a_capacity_block_sums_vector_capacity_apart_from_units(
    recording: Recording,
) -> None:
    service = service_at(recording)
    with service.consumed_capacity() as outer:
        with service.consumed_capacity() as inner:
            service.search_vectors([0.1], index_name="idx", top_k=2)
        service.search_vectors([0.1], index_name="idx", top_k=2)
    assert inner.vector_search_request_bytes == 512.0
    assert outer.vector_search_request_bytes == 1024.0
    assert outer.vector_write_request_bytes == 0.0
    assert (outer.read_units, outer.write_units, outer.by_table) == (0.0, 0.0, {})
    sent = recording.of("SearchVectors")
    assert all(b'"ReturnConsumedCapacity"' in request.body for request in sent)


def test_no_capacity_is_asked_for_outside_a_block(recording: Recording) -> None:
    service_at(recording).search_vectors([0.1], index_name="idx", top_k=2)
    (sent,) = recording.of("SearchVectors")
    assert b"ReturnConsumedCapacity" not in sent.body


def assert_vector_not_logged(captured: Capture) -> None:
    """Not in the service's log at any level, nor in any log at INFO or
    above (botocore's own DEBUG lines, on its transport, show bodies)."""
    for level, text in captured.records:
        if level >= logging.INFO or text.startswith("tests.search"):
            assert str(SECRET_NUMBER) not in text


def test_the_log_says_what_happened_and_never_holds_the_vector(
    recording: Recording, captured: Capture
) -> None:
    service = service_at(recording, return_consumed_capacity="TOTAL")
    service.search_vectors([SECRET_NUMBER, 0.5], index_name="idx", top_k=2)
    ours = [(level, text) for level, text in captured.records if "tests.search" in text]
    assert (
        logging.DEBUG,
        "tests.search Searching vector index idx of orders: 2 nearest of 2 dimensions",
    ) in ours
    assert (
        logging.INFO,
        "tests.search Searched vector index idx of orders: 2 results "
        "(consumed 512.0 vector search request bytes)",
    ) in ours
    assert_vector_not_logged(captured)


def test_a_refused_search_is_logged_once_without_values(
    recording: Recording, captured: Capture
) -> None:
    recording.status = 400
    recording.answer(
        "SearchVectors",
        {"__type": "com.amazon.coral.validate#ValidationException", "message": "no"},
    )
    service = service_at(recording)
    with pytest.raises(service.exceptions.ClientError):
        service.search_vectors([SECRET_NUMBER], index_name="idx", top_k=1)
    errors = [text for level, text in captured.records if level >= logging.ERROR]
    assert errors == [
        "tests.search DynamoDB search_vectors on table orders failed: "
        "ClientError (ValidationException)"
    ]
    assert_vector_not_logged(captured)


def test_a_testing_kit_service_checks_then_raises_motos_refusal() -> None:
    """What docs/servers.md says of the kit: the local checks run, then
    moto refuses the search (404 Not yet implemented)."""
    with mock_dynamodb_service(TableSpec("orders", "pk")) as service:
        with pytest.raises(ValueError, match=r"^top_k"):
            service.search_vectors([0.1], index_name="idx", top_k=0)
        with pytest.raises(ClientError) as refused:
            service.search_vectors([0.1], index_name="idx", top_k=1)
    assert refused.value.response["Error"]["Code"] == "404"


SEARCH_TYPING = """
import logging

from pydantic import BaseModel

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService


class Doc(BaseModel):
    pk: str


config = DynamoDBConfig(region_name="us-east-1")
service = DynamoDBService(logging.getLogger(), config)
reveal_type(service.search_vectors([0.1], index_name="idx", top_k=1))
reveal_type(service.search_vectors([0.1], index_name="idx", top_k=1, model=Doc)[0].item)


async def on_the_loop(aservice: AsyncDynamoDBService) -> None:
    found = await aservice.search_vectors([0.1], index_name="idx", top_k=1, model=Doc)
    reveal_type(found)
"""


def test_results_are_typed_by_their_model(tmp_path: Path) -> None:
    dicts = "services.dynamodb.codec.vectors.SearchResult[dict[str, Any]]"
    docs = "services.dynamodb.codec.vectors.SearchResult[client.Doc]"
    assert mypy_strict(SEARCH_TYPING, tmp_path) == [
        f'note: Revealed type is "list[{dicts}]"',
        'note: Revealed type is "client.Doc"',
        f'note: Revealed type is "list[{docs}]"',
    ]
