"""Read a table's stream (DynamoDB Streams): every shard, parents first.

A stream is a set of shards: each holds records in sequence order and is
open (still written) or closed; when a shard closes, the records that
follow go to its children (``ParentShardId``). Reading a stream in order is
reading each shard after its parent. The calls go to the DynamoDB Streams
API on a botocore client of the service's own session (``Call(...,
service=DYNAMODB_STREAMS)``), the records are decoded by
:mod:`..codec.streams`.
"""

from collections.abc import Callable
from typing import Any, Literal

from botocore.exceptions import PaginationError

from ..codec.answers import required
from ..codec.models import M
from ..codec.streams import StreamRecord, record_decoder
from ..sansio.steps import Sleep
from .core import ServiceCore, error_code
from .public import stream
from .read_requests import read_page
from .shards import Reading, ShardPosition, is_closed, lineage_order
from .steps import DYNAMODB_STREAMS, Call, Emit, Steps, StreamSteps

Start = Literal["TRIM_HORIZON", "LATEST"]
STARTS = ("TRIM_HORIZON", "LATEST")
# The pause between polls that found nothing new (follow=True).
POLL_SECONDS = 1.0
# Reads in a row that find no record before an open shard's current records
# are taken as read: GetRecords "might take multiple calls to get to a portion
# of the shard that contains stream records" (its API reference).
EMPTY_READS_AT_END = 3
# Fresh iterators asked for in a row when GetRecords says one expired.
MAX_ITERATOR_RENEWALS = 3
EXPIRED = "ExpiredIteratorException"
CLOSED_STATUSES = frozenset({"DISABLED", "DISABLING"})

ERROR_START = "start must be 'TRIM_HORIZON' or 'LATEST', got %r"
ERROR_FOLLOW = "follow must be True or False, got %r"
ERROR_NO_STREAM = (
    "table %s has no stream: turn one on (StreamSpecification) before reading it"
)
ERROR_SAME_SHARD = (
    "DynamoDB Streams handed back the LastEvaluatedShardId it was sent: "
    "following it would describe the same shards forever"
)


class StreamOperations(ServiceCore):
    """Read the change records of a table's stream."""

    @stream
    def iter_stream(
        self,
        table_name: str | None = None,
        *,
        start: Start = "TRIM_HORIZON",
        model: type[M] | None = None,
        follow: bool = False,
    ) -> StreamSteps[StreamRecord[M]]:
        """Stream the change records of a table's stream (DynamoDB Streams).

        Every shard is read after its parent, each shard's records in
        sequence order, through the DynamoDB Streams API on the service's
        botocore session (same credentials, region and endpoint). Without
        ``follow`` it ends after the closed shards and the open shards'
        current records (three reads in a row that find none); with it, it keeps polling
        (a pause of about a second when nothing new came) and reads new
        shards as they appear. An expired shard iterator is renewed after
        the last record read. Records are decoded as by
        :func:`~services.dynamodb.stream_record`, numbers as configured.

        Example:
            >>> _ = service.update_table("orders", stream_view_type="NEW_IMAGE")
            >>> service.put_item({"pk": "c", "sk": 1, "state": "open"})
            >>> for record in service.iter_stream("orders"):
            ...     print(record.event_name, record.keys["pk"], record.new_image)
            INSERT c {'pk': 'c', 'sk': Decimal('1'), 'state': 'open'}

        Args:
            table_name: The table whose stream to read; defaults to the
                configured table.
            start: ``"TRIM_HORIZON"`` for the oldest records the stream
                holds (24 hours), ``"LATEST"`` for records written from now.
            model: A pydantic model class: images as instances of it,
                validated as reads validate items; None for dicts.
            follow: True to keep reading new records until the caller stops
                (or the stream is turned off and read to its end).

        Yields:
            Each change, as a :class:`StreamRecord` (its images dicts, or
            ``model`` instances).

        Raises:
            TypeError: If ``model`` is not a pydantic model class, by this
                call itself.
            ValueError: By this call itself, for a bad ``start`` or
                ``follow``, or no table; while iterating, if the table has
                no stream, a record is malformed or an image does not fit
                ``model`` (naming the record).
            botocore.exceptions.ClientError: While iterating, if DynamoDB or
                DynamoDB Streams refuses a call (an iterator that keeps
                expiring: ``ExpiredIteratorException``).
        """
        _check_options(start, follow)
        table = self._resolve_table(table_name)
        decode = record_decoder(model, self.config.numbers_as, table)
        self.log.debug("Reading the stream of %s from %s", table, start)
        reading = Reading(start)
        with self._failure_logged("iter_stream", table):
            try:
                arn = yield from self._stream_arn(table)
                yield from self._rounds(arn, reading, decode, follow)
            except GeneratorExit:
                self._done(
                    "Stopped reading the stream of %s after %d records read",
                    table,
                    reading.records,
                )
                raise
        self._done(
            "Read the stream of %s: %d records from %d shards",
            table,
            reading.records,
            len(reading.positions),
        )

    def _stream_arn(self, table: str) -> Steps[str]:
        answer = yield Call("DescribeTable", {"TableName": table}, table_operation=True)
        self._remember_described(table, answer)
        arn = required(answer, "Table", "DescribeTable").get("LatestStreamArn")
        if not isinstance(arn, str):
            raise ValueError(ERROR_NO_STREAM % table)
        return arn

    def _rounds(
        self, arn: str, reading: Reading, decode: Callable[[Any], Any], follow: bool
    ) -> StreamSteps[Any]:
        """Describe the stream and read each shard not ended, parents first,
        until nothing is left to read (or forever, with ``follow``)."""
        while True:
            status, shards = yield from self._description(arn)
            reading.described += 1
            before, closed_under_us = reading.records, False
            for shard in lineage_order(shards):
                position = reading.position(shard)
                if position.ended:
                    continue
                closed = is_closed(shard)
                yield from self._read_shard(arn, position, closed, decode, reading)
                closed_under_us = closed_under_us or (position.ended and not closed)
            ended = all(reading.position(shard).ended for shard in shards)
            if not follow and not closed_under_us:
                return
            if follow and ended and status in CLOSED_STATUSES:
                return
            if follow and reading.records == before:
                yield Sleep(POLL_SECONDS)

    def _description(self, arn: str) -> Steps[tuple[str, list[dict[str, Any]]]]:
        """The stream's status and every shard, over ``DescribeStream``'s pages."""
        shards: list[dict[str, Any]] = []
        params: dict[str, Any] = {"StreamArn": arn}
        while True:
            answer = yield Call("DescribeStream", params, service=DYNAMODB_STREAMS)
            described = required(answer, "StreamDescription", "DescribeStream")
            shards.extend(described.get("Shards", []))
            last = described.get("LastEvaluatedShardId")
            if last is None:
                return str(described.get("StreamStatus", "")), shards
            if last == params.get("ExclusiveStartShardId"):
                raise PaginationError(message=ERROR_SAME_SHARD)
            params = {"StreamArn": arn, "ExclusiveStartShardId": last}

    def _read_shard(
        self,
        arn: str,
        position: ShardPosition,
        closed: bool,
        decode: Callable[[Any], Any],
        reading: Reading,
    ) -> StreamSteps[Any]:
        """Read a shard: a closed one to its end, an open one until
        ``EMPTY_READS_AT_END`` reads in a row find no record (or it closes)."""
        renewals = empty_reads = 0
        while True:
            if position.iterator is None:
                position.iterator = yield from self._iterator(arn, position)
            try:
                answer = yield Call(
                    "GetRecords",
                    {"ShardIterator": position.iterator},
                    service=DYNAMODB_STREAMS,
                )
            except Exception as error:
                if error_code(error) != EXPIRED or renewals >= MAX_ITERATOR_RENEWALS:
                    raise
                renewals, position.iterator = renewals + 1, None
                continue
            renewals = 0
            records = answer.get("Records") or []
            yield from self._emit(records, position, decode, reading)
            position.iterator = answer.get("NextShardIterator")
            if position.iterator is None:
                position.ended = True
                return
            empty_reads = 0 if records else empty_reads + 1
            if empty_reads >= EMPTY_READS_AT_END and not closed:
                return

    def _iterator(self, arn: str, position: ShardPosition) -> Steps[str]:
        """A shard iterator: after the last record read, else at the start."""
        params = {"StreamArn": arn, "ShardId": position.shard_id}
        if position.last_sequence is None:
            params["ShardIteratorType"] = position.start
        else:
            params["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER"
            params["SequenceNumber"] = position.last_sequence
        answer = yield Call("GetShardIterator", params, service=DYNAMODB_STREAMS)
        iterator: str = required(answer, "ShardIterator", "GetShardIterator")
        return iterator

    def _emit(
        self,
        records: list[dict[str, Any]],
        position: ShardPosition,
        decode: Callable[[Any], Any],
        reading: Reading,
    ) -> StreamSteps[Any]:
        """Hand a page's records to the caller, decoded; one that cannot be
        decoded is raised after those before it."""
        decoded, failure = read_page(decode, records)
        if decoded:
            position.last_sequence = decoded[-1].sequence_number
            reading.records += len(decoded)
            yield Emit(decoded)
        if failure is not None:
            raise failure


def _check_options(start: object, follow: object) -> None:
    if start not in STARTS:
        raise ValueError(ERROR_START % (start,))
    if not isinstance(follow, bool):
        raise ValueError(ERROR_FOLLOW % (follow,))
