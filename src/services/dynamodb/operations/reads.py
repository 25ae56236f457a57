"""Reads of many items: query, scan, their streaming and paged forms, count."""

from typing import Any, Literal

from botocore.exceptions import PaginationError

from ..codec.answers import required
from .capacity import metered_part
from .core import ServiceCore
from ..codec.models import M, check_model
from ..sansio.steps import Stepper
from .pacer import Pacer
from .pacing import Bulk, log_pace, paced, start_pacing
from .paging import TokenScope, decode_token, encode_token
from .read_requests import read_page
from .steps import Call, Emit, Interleave, NextPage, Steps, StreamSteps, relayed
from ..codec.values import check_limit, is_int_between
from ..dynamodb_models import Page

ReadOperation = Literal["query", "scan"]
# The operation names of the reads, as DynamoDB names them.
PAGED: dict[ReadOperation, str] = {"query": "Query", "scan": "Scan"}
MAX_TOTAL_SEGMENTS = 1_000_000
READ_BUDGET = "max_read_units_per_second"

ERROR_PAGE_SIZE = "page_size must be a positive integer or None, got %r"
ERROR_SEGMENT = "segment must be an integer from 0 to total_segments - 1 (%d), got %r"
ERROR_SAME_TOKEN = (
    "DynamoDB handed back the LastEvaluatedKey it was sent (attributes %s): "
    "following it would read the same page forever"
)
ERROR_TOTAL_SEGMENTS = "total_segments must be an integer from 1 to 1000000, got %r"


def _check_page_size(page_size: int | None) -> None:
    if page_size is not None and not is_int_between(page_size, 1, None):
        raise ValueError(ERROR_PAGE_SIZE % (page_size,))


def _check_segment(segment: int, total_segments: int) -> None:
    if not is_int_between(segment, 0, total_segments - 1):
        raise ValueError(ERROR_SEGMENT % (total_segments, segment))


def _check_total_segments(total_segments: int) -> None:
    if not is_int_between(total_segments, 1, MAX_TOTAL_SEGMENTS):
        raise ValueError(ERROR_TOTAL_SEGMENTS % (total_segments,))


class ReadOperations(ServiceCore):
    """Shared machinery of query, scan and count; the public methods live in
    :mod:`.queries` and :mod:`.scans`.

    Pages are followed as botocore's paginator follows them: the
    paginator model's tokens (``ExclusiveStartKey`` from
    ``LastEvaluatedKey``), ``Limit`` as the page size, and a token received
    twice refused with botocore's ``PaginationError``. botocore's
    ``Paginator`` itself calls its method synchronously, so the async service
    could not use it; these steps serve both services.
    """

    def _response(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None = None,
        start: dict[str, Any] | None = None,
    ) -> Steps[dict[str, Any]]:
        """One page's answer: from ``start`` (an ``ExclusiveStartKey``)."""
        request = {"TableName": table, **params}
        if page_size is not None:
            request["Limit"] = page_size
        if start is not None:
            request["ExclusiveStartKey"] = start
        response: dict[str, Any] = yield Call(PAGED[operation], request)
        return response

    def _pages(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None = None,
    ) -> StreamSteps[list[dict[str, Any]]]:
        """Every page's items, emitted one page at a time."""
        start = None
        while True:
            response = yield from self._response(
                operation, table, params, page_size, start
            )
            yield Emit([required(response, "Items", PAGED[operation])])
            start = _next_start(response, start)
            if start is None:
                return

    def _stream(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        limit: int,
        model: type[M] | None,
        total_segments: int = 1,
        segment: int | None = None,
        bulk: Bulk = Bulk(),
    ) -> StreamSteps[M]:
        check_limit(limit)
        check_model(model)
        _check_total_segments(total_segments)
        bulk.checked(READ_BUDGET)
        # DynamoDB's Limit counts items evaluated before the filter, so it is
        # only a useful page size when there is no filter.
        page_size = limit if limit and "FilterExpression" not in params else None
        if segment is not None:
            _check_segment(segment, total_segments)
        self.log.debug("Starting %s on %s (limit %d)", operation, table, limit)
        read = self._reader(table, model)
        pacer = start_pacing(self.log, bulk.budget, operation, table)
        returned = 0
        with self._failure_logged(operation, table):
            pages = yield from self._page_source(
                operation, table, params, page_size, (total_segments, segment), pacer
            )
            run: Stepper[Any, Any, None] = Stepper(pages)
            while (step := run.next()) is not None:
                if not isinstance(step, Emit):
                    yield from relayed(run, step)
                    continue
                (page,) = step.items
                if limit and limit - returned <= len(page):
                    page = page[: limit - returned]
                returned += len(page)
                items, failure = read_page(read, page)
                bulk.report(returned)
                if items:
                    yield Emit(items)
                if failure is not None:  # raised after the items before it
                    raise failure
                if limit and returned >= limit:
                    run.close()
                    break
        self._done("Finished %s on %s: %d items", operation, table, returned)
        log_pace(self.log, pacer, operation, table)

    def _page_source(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None,
        segments: tuple[int, int | None],
        pacer: Pacer | None,
    ) -> Steps[Any]:
        """The pages to read: of one stream (the table, or one segment), or
        of all segments in parallel, paced by ``pacer``."""
        total_segments, segment = segments
        if total_segments > 1 and segment is None:
            return (
                yield from self._segments(
                    operation, table, params, page_size, total_segments, pacer
                )
            )
        if segment is not None:
            params = {**params, "Segment": segment, "TotalSegments": total_segments}
        return paced(self._pages(operation, table, params, page_size), pacer)

    def _segments(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None,
        total_segments: int,
        pacer: Pacer | None,
    ) -> Steps[StreamSteps[list[dict[str, Any]]]]:
        """A parallel scan: every segment's pages, as they arrive, from at
        most ``max_pool_connections`` segments at once; one ``pacer`` (one
        budget) for all of them."""
        streams = tuple(
            metered_part(
                paced(
                    self._pages(
                        operation,
                        table,
                        {**params, "Segment": segment, "TotalSegments": total_segments},
                        page_size,
                    ),
                    pacer,
                )
            )
            for segment in range(total_segments)
        )
        in_flight = min(total_segments, self.config.max_pool_connections)
        handle = yield Interleave(streams, in_flight)
        return _arrivals(handle)

    def _one_page(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None,
        next_token: str | None,
        model: type[M] | None,
    ) -> Steps[Page[M]]:
        _check_page_size(page_size)
        check_model(model)
        scope = TokenScope(operation, table, params.get("IndexName"))
        secret = self.config.page_token_secret
        start = None
        if next_token is not None:
            start = decode_token(next_token, scope, secret)
        self.log.debug("Reading one %s page of %s", operation, table)
        with self._failure_logged(operation, table):
            response = yield from self._response(
                operation, table, params, page_size, start
            )
            page = required(response, "Items", PAGED[operation])
        read = self._reader(table, model)
        items = [read(item) for item in page]
        token = encode_token(response.get("LastEvaluatedKey"), scope, secret)
        self._done("Read one %s page of %s: %d items", operation, table, len(items))
        return Page(items=items, next_token=token)

    def _count(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        bulk: Bulk = Bulk(),
    ) -> Steps[int]:
        bulk.checked(READ_BUDGET)
        self.log.debug("Counting %s on %s", operation, table)
        pacer = start_pacing(self.log, bulk.budget, "count", table)
        with self._failure_logged("count", table):
            total: int = yield from paced(
                self._counted(operation, table, {**params, "Select": "COUNT"}, bulk),
                pacer,
            )
        self._done("Counted %d items in %s", total, table)
        log_pace(self.log, pacer, "count", table)
        return total

    def _counted(
        self, operation: ReadOperation, table: str, params: dict[str, Any], bulk: Bulk
    ) -> Steps[int]:
        """Every page's count, summed (and reported to ``bulk``)."""
        total: int = 0
        start = None
        while True:
            response = yield from self._response(operation, table, params, None, start)
            counted: int = required(response, "Count", operation)
            total += counted
            bulk.report(total)
            start = _next_start(response, start)
            if start is None:
                return total


def _next_start(
    response: dict[str, Any], previous: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The next page's ``ExclusiveStartKey``, or None after the last page.

    Raises:
        botocore.exceptions.PaginationError: If DynamoDB handed back the key
            it was sent (it would loop forever), as botocore's paginator does.
    """
    start: dict[str, Any] | None = response.get("LastEvaluatedKey")
    if start is not None and start == previous:
        raise PaginationError(message=ERROR_SAME_TOKEN % (start.keys(),))
    return start


def _arrivals(handle: Any) -> StreamSteps[list[dict[str, Any]]]:
    """The pages of interleaved segments, emitted as they arrive."""
    while (page := (yield NextPage(handle))) is not None:
        yield Emit([page])
