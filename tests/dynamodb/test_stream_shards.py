"""iter_stream over many shards, driven as steps with scripted answers of a
stream (moto's streams have one shard): parents before children, each
shard in sequence order, closed shards to their end and open ones to their
current records, expired iterators renewed (bounded), follow's pauses."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError, PaginationError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.operations.steps import DYNAMODB_STREAMS, Call, Emit
from services.dynamodb.operations.shards import lineage_order
from services.dynamodb.operations.streams import (
    EMPTY_READS_AT_END,
    MAX_ITERATOR_RENEWALS,
    POLL_SECONDS,
)
from services.dynamodb.sansio.steps import Sleep, Stepper

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01"
PAGE = 2  # records per GetRecords answer
MAX_CALLS = 200  # more, and a reading that should have ended has not


@dataclass
class Shard:
    """A scripted shard: its records' sequence numbers, parent, state."""

    shard_id: str
    records: list[int]
    parent: str | None = None
    closed: bool = True
    # Empty answers the shard gives before its first records.
    empty_pages: int = 0


@dataclass
class FakeStream:
    """Answers DescribeTable and the Streams API as a stream of these shards
    would (one shard per DescribeStream page)."""

    shards: list[Shard]
    status: str = "ENABLED"
    expire: int = 0  # GetRecords answers ExpiredIteratorException this often
    calls: list[Call] = field(default_factory=list)
    # Called after each DescribeStream: lets a test change the stream.
    on_describe: Callable[["FakeStream"], None] = lambda stream: None

    def answer(self, call: Call) -> Any:
        self.calls.append(call)
        if call.operation == "DescribeTable":
            return {"Table": {"TableName": "orders", "LatestStreamArn": ARN}}
        assert call.service == DYNAMODB_STREAMS
        return getattr(self, call.operation)(call.params)

    def DescribeStream(self, params: dict[str, Any]) -> Any:
        ids = [shard.shard_id for shard in self.shards]
        at = (
            ids.index(params["ExclusiveStartShardId"]) + 1
            if params.get("ExclusiveStartShardId")
            else 0
        )
        shard = self.shards[at]
        described: dict[str, Any] = {
            "ShardId": shard.shard_id,
            "SequenceNumberRange": {"StartingSequenceNumber": "1"},
        }
        if shard.parent is not None:
            described["ParentShardId"] = shard.parent
        if shard.closed:
            described["SequenceNumberRange"]["EndingSequenceNumber"] = "9"
        page: dict[str, Any] = {"StreamStatus": self.status, "Shards": [described]}
        if at + 1 < len(self.shards):
            page["LastEvaluatedShardId"] = shard.shard_id
        self.on_describe(self)
        return {"StreamDescription": page}

    def shard(self, shard_id: str) -> Shard:
        return next(shard for shard in self.shards if shard.shard_id == shard_id)

    def GetShardIterator(self, params: dict[str, Any]) -> Any:
        shard = self.shard(params["ShardId"])
        kind = params["ShardIteratorType"]
        if kind == "AFTER_SEQUENCE_NUMBER":
            at = shard.records.index(int(params["SequenceNumber"])) + 1
        else:
            at = len(shard.records) if kind == "LATEST" else -shard.empty_pages
        return {"ShardIterator": "%s@%d" % (shard.shard_id, at)}

    def GetRecords(self, params: dict[str, Any]) -> Any:
        gets = sum(call.operation == "GetRecords" for call in self.calls)
        if self.expire and gets % self.expire == 0:
            error = {"Error": {"Code": "ExpiredIteratorException", "Message": "-"}}
            raise ClientError(error, "GetRecords")  # type: ignore[arg-type]
        shard_id, at_text = params["ShardIterator"].split("@")
        shard, at = self.shard(shard_id), int(at_text)
        if at < 0:  # an empty page before the records
            return {"Records": [], "NextShardIterator": "%s@%d" % (shard_id, at + 1)}
        numbers = shard.records[at : at + PAGE]
        answer: dict[str, Any] = {"Records": [record(shard_id, n) for n in numbers]}
        if not shard.closed or at + PAGE < len(shard.records):
            next_at = at + len(numbers)
            answer["NextShardIterator"] = "%s@%d" % (shard_id, next_at)
        return answer


def record(shard_id: str, number: int) -> dict[str, Any]:
    return {
        "eventID": "%s-%d" % (shard_id, number),
        "eventName": "INSERT",
        "dynamodb": {
            "Keys": {"pk": {"S": shard_id}, "sk": {"N": str(number)}},
            "SequenceNumber": str(number),
            "SizeBytes": 10,
        },
    }


@pytest.fixture
def blocking(logger: logging.Logger) -> DynamoDBService:
    """A service whose steps the tests drive themselves."""
    config = DynamoDBConfig(region_name="us-east-1", default_table_name="orders")
    return DynamoDBService(logger, config)


def drive(
    service: DynamoDBService, stream: FakeStream, most: int = 1000, **options: Any
) -> tuple[list[str], list[Any]]:
    """Run iter_stream's steps against the scripted stream; return the
    records' event ids and every step other than a call (the pauses). A
    reading that does not end fails the test, instead of hanging it."""
    steps = type(service).iter_stream.steps(service, "orders", **options)
    run: Stepper[Any, Any, None] = Stepper(steps)
    read: list[str] = []
    others: list[Any] = []
    while (step := run.next()) is not None and len(read) < most:
        assert len(stream.calls) < MAX_CALLS, "the reading never ends"
        if isinstance(step, Emit):
            read.extend(one.event_id for one in step.items)
            continue
        if not isinstance(step, Call):
            others.append(step)
            run.reply(None)
            continue
        try:
            run.reply(stream.answer(step))
        except Exception as error:
            run.fail(error)
    run.close()
    return read, others


def iterators_asked(stream: FakeStream) -> list[tuple[str, str]]:
    return [
        (call.params["ShardId"], call.params["ShardIteratorType"])
        for call in stream.calls
        if call.operation == "GetShardIterator"
    ]


def lineage() -> list[Shard]:
    """Described children first: C's parent is B, B's is A; D stands alone
    and is open."""
    return [
        Shard("C", [7, 8], parent="B", closed=False),
        Shard("D", [1, 2, 3], closed=False),
        Shard("B", [4, 5, 6], parent="A"),
        Shard("A", [1, 2, 3]),
    ]


def test_every_shard_is_read_after_its_parent_each_in_sequence_order(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream(lineage())
    read, _ = drive(blocking, stream)
    assert read == [
        "A-1", "A-2", "A-3", "B-4", "B-5", "B-6", "C-7", "C-8",
        "D-1", "D-2", "D-3",
    ]  # fmt: skip
    assert [shard for shard, _ in iterators_asked(stream)] == ["A", "B", "C", "D"]


def test_a_parent_no_longer_described_is_not_waited_for() -> None:
    shards = [{"ShardId": "B", "ParentShardId": "trimmed"}, {"ShardId": "A"}]
    assert [s["ShardId"] for s in lineage_order(shards)] == ["B", "A"]


def test_lineage_order_survives_a_cycle_and_keeps_every_shard_once() -> None:
    shards = [
        {"ShardId": "A", "ParentShardId": "B"},
        {"ShardId": "B", "ParentShardId": "A"},
    ]
    assert sorted(s["ShardId"] for s in lineage_order(shards)) == ["A", "B"]


def test_describe_stream_pages_are_followed(blocking: DynamoDBService) -> None:
    stream = FakeStream(lineage())
    drive(blocking, stream)
    starts = [
        call.params.get("ExclusiveStartShardId")
        for call in stream.calls
        if call.operation == "DescribeStream"
    ]
    assert starts == [None, "C", "D", "B"]


def test_the_same_last_shard_twice_is_refused(blocking: DynamoDBService) -> None:
    stream = FakeStream([Shard("A", [1]), Shard("B", [2])])
    stream.DescribeStream = lambda params: {  # type: ignore[method-assign]
        "StreamDescription": {"Shards": [], "LastEvaluatedShardId": "A"}
    }
    with pytest.raises(PaginationError):
        drive(blocking, stream)


def test_a_closed_shard_is_read_past_empty_answers_to_its_end(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream([Shard("A", [1, 2], empty_pages=2)])
    read, _ = drive(blocking, stream)
    assert read == ["A-1", "A-2"]


def test_an_open_shard_is_read_to_its_current_records_then_it_stops(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream([Shard("D", [1, 2, 3], closed=False)])
    read, pauses = drive(blocking, stream)
    assert read == ["D-1", "D-2", "D-3"]
    gets = [call for call in stream.calls if call.operation == "GetRecords"]
    # Two pages, then the empty answers in a row that end it.
    assert len(gets) == 2 + EMPTY_READS_AT_END
    assert pauses == []


def test_an_open_shard_is_read_past_fewer_empty_answers_than_end_it(
    blocking: DynamoDBService,
) -> None:
    # GetRecords "might take multiple calls to get to a portion of the shard
    # that contains stream records".
    empty = EMPTY_READS_AT_END - 1
    stream = FakeStream([Shard("D", [1, 2], closed=False, empty_pages=empty)])
    read, _ = drive(blocking, stream)
    assert read == ["D-1", "D-2"]


def test_a_shard_that_closes_while_read_is_followed_by_its_child(
    blocking: DynamoDBService,
) -> None:
    parent = Shard("A", [1, 2], closed=False)
    stream = FakeStream([parent])

    def split(stream: FakeStream) -> None:
        if len(stream.shards) == 1:  # after the first description
            parent.closed = True
            stream.shards.append(Shard("B", [3], parent="A", closed=False))

    stream.on_describe = split
    read, _ = drive(blocking, stream)
    assert read == ["A-1", "A-2", "B-3"]
    assert iterators_asked(stream) == [("A", "TRIM_HORIZON"), ("B", "TRIM_HORIZON")]


def test_latest_skips_closed_shards_and_reads_new_ones_from_their_start(
    blocking: DynamoDBService,
) -> None:
    parent = Shard("B", [4], parent="A", closed=False)
    stream = FakeStream([Shard("A", [1, 2]), parent])

    def split(stream: FakeStream) -> None:
        rounds = sum(
            call.operation == "DescribeStream"
            and "ExclusiveStartShardId" not in call.params
            for call in stream.calls
        )
        if rounds == 2 and len(stream.shards) == 2:  # after the reader began
            parent.records.append(5)
            parent.closed = True
            stream.shards.append(Shard("C", [6], parent="B", closed=False))

    stream.on_describe = split
    read, _ = drive(blocking, stream, most=2, start="LATEST", follow=True)
    assert read == ["B-5", "C-6"]
    assert iterators_asked(stream) == [("B", "LATEST"), ("C", "TRIM_HORIZON")]


def test_an_expired_iterator_is_renewed_after_the_last_record_read(
    blocking: DynamoDBService,
) -> None:
    # Every other GetRecords expires: more renewals in all than the bound
    # allows in a row, never two in a row.
    numbers = list(range(1, 2 * PAGE * (MAX_ITERATOR_RENEWALS + 1) + 1))
    stream = FakeStream([Shard("A", numbers)], expire=2)
    read, _ = drive(blocking, stream)
    assert read == ["A-%d" % number for number in numbers]
    renewed = [
        call.params
        for call in stream.calls
        if call.operation == "GetShardIterator" and "SequenceNumber" in call.params
    ]
    assert renewed[0]["ShardIteratorType"] == "AFTER_SEQUENCE_NUMBER"
    assert renewed[0]["SequenceNumber"] == "2"


def test_an_iterator_expired_before_any_record_restarts_where_the_shard_began(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream([Shard("A", [1, 2])])
    first = True

    def get_records(params: dict[str, Any]) -> Any:
        nonlocal first
        if first:
            first = False
            error = {"Error": {"Code": "ExpiredIteratorException", "Message": "-"}}
            raise ClientError(error, "GetRecords")  # type: ignore[arg-type]
        return FakeStream.GetRecords(stream, params)

    stream.GetRecords = get_records  # type: ignore[method-assign]
    read, _ = drive(blocking, stream)
    assert read == ["A-1", "A-2"]
    assert iterators_asked(stream) == [("A", "TRIM_HORIZON")] * 2


def test_an_iterator_that_keeps_expiring_is_raised_after_a_bounded_retry(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream([Shard("A", [1, 2])], expire=1)
    with pytest.raises(ClientError, match="ExpiredIteratorException"):
        drive(blocking, stream)
    asked = iterators_asked(stream)
    assert len(asked) == MAX_ITERATOR_RENEWALS + 1


def test_other_errors_are_not_retried(blocking: DynamoDBService) -> None:
    stream = FakeStream([Shard("A", [1, 2])])

    def trimmed(params: dict[str, Any]) -> Any:
        error = {"Error": {"Code": "TrimmedDataAccessException", "Message": "-"}}
        raise ClientError(error, "GetRecords")  # type: ignore[arg-type]

    stream.GetRecords = trimmed  # type: ignore[method-assign]
    with pytest.raises(ClientError, match="TrimmedDataAccessException"):
        drive(blocking, stream)
    assert len(iterators_asked(stream)) == 1


def test_follow_pauses_between_polls_that_find_nothing_and_reads_new_shards(
    blocking: DynamoDBService,
) -> None:
    open_shard = Shard("A", [1], closed=False)
    stream = FakeStream([open_shard])
    describes = 0

    def later(stream: FakeStream) -> None:
        nonlocal describes
        describes += 1
        if describes == 3:  # after a poll that found nothing new
            open_shard.records.append(2)
            open_shard.closed = True
            stream.shards.append(Shard("B", [3], parent="A", closed=False))

    stream.on_describe = later
    read, pauses = drive(blocking, stream, most=3, follow=True)
    assert read == ["A-1", "A-2", "B-3"]
    assert pauses == [Sleep(POLL_SECONDS)] * 1


def test_follow_ends_when_the_stream_is_off_and_read_to_its_end(
    blocking: DynamoDBService,
) -> None:
    stream = FakeStream([Shard("A", [1, 2])], status="DISABLED")
    read, pauses = drive(blocking, stream, follow=True)
    assert read == ["A-1", "A-2"]
    assert pauses == []
