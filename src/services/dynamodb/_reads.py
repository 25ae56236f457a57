"""Reads of many items: query, scan, their streaming and paged forms, count."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from ._answers import required
from ._core import ServiceCore
from ._expressions import Expression, expression_params
from ._models import M, check_model
from ._paging import TokenScope, decode_token, encode_token, take
from ._parallel import interleave_pages
from ._values import check_limit, checked_options, is_int_between
from .dynamodb_models import Page

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import PaginatorConfigTypeDef

ReadOperation = Literal["query", "scan"]
# The operation names of the reads, as DynamoDB names them.
PAGED: dict[ReadOperation, str] = {"query": "Query", "scan": "Scan"}
MAX_TOTAL_SEGMENTS = 1_000_000

ERROR_PAGE_SIZE = "page_size must be a positive integer or None, got %r"
ERROR_SEGMENT = "segment must be an integer from 0 to total_segments - 1 (%d), got %r"
ERROR_TOTAL_SEGMENTS = "total_segments must be an integer from 1 to 1000000, got %r"


def read_params(
    *,
    key_condition: Expression | None = None,
    filter_expression: Expression | None = None,
    values: dict[str, Any] | None = None,
    names: dict[str, str] | None = None,
    projection: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Build the parameters of a query or scan request.

    Args:
        key_condition: ``KeyConditionExpression`` (query only).
        filter_expression: ``FilterExpression``.
        values: ``ExpressionAttributeValues``.
        names: ``ExpressionAttributeNames``.
        projection: ``ProjectionExpression``.
        **options: Other request parameters by DynamoDB name (``IndexName``,
            ``ConsistentRead``, ...); ``None`` means not given.

    Returns:
        The request parameters.

    Raises:
        ValueError: If an expression is malformed or a placeholder missing.
    """
    params = expression_params(
        names=names,
        values=values,
        KeyConditionExpression=key_condition,
        FilterExpression=filter_expression,
        ProjectionExpression=projection,
    )
    params.update(checked_options(**options))
    return params


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
    :mod:`._queries` and :mod:`._scans`."""

    def _responses(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every response of a query or scan, pages followed by botocore."""
        paginator = self._connection.transport.paginator(PAGED[operation])
        config: "PaginatorConfigTypeDef" = (
            {} if page_size is None else {"PageSize": page_size}
        )
        for page in paginator.paginate(
            TableName=table, PaginationConfig=config, **params
        ):
            yield dict(page)

    def _pages(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        for response in self._responses(operation, table, params, page_size):
            yield required(response, "Items", operation)

    def _iter_items(
        self,
        operation: ReadOperation,
        table: str,
        pages: Iterator[list[dict[str, Any]]],
        limit: int,
        model: type[M] | None,
    ) -> Iterator[M]:
        self.log.debug("Starting %s on %s (limit %d)", operation, table, limit)
        returned = 0
        read = self._reader(table, model)
        with self._failure_logged(operation, table):
            for item in take(pages, limit):
                returned += 1
                yield read(item)
        self.log.info("Finished %s on %s: %d items", operation, table, returned)

    def _stream(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        limit: int,
        model: type[M] | None,
        total_segments: int = 1,
        segment: int | None = None,
    ) -> Iterator[M]:
        check_limit(limit)
        check_model(model)
        _check_total_segments(total_segments)
        # DynamoDB's Limit counts items evaluated before the filter, so it is
        # only a useful page size when there is no filter.
        page_size = limit if limit and "FilterExpression" not in params else None
        if segment is not None:
            _check_segment(segment, total_segments)
            one = {**params, "Segment": segment, "TotalSegments": total_segments}
            pages = self._pages(operation, table, one, page_size)
        elif total_segments == 1:
            pages = self._pages(operation, table, params, page_size)
        else:
            pages = interleave_pages(
                (
                    self._pages(
                        operation,
                        table,
                        {**params, "Segment": segment, "TotalSegments": total_segments},
                        page_size,
                    )
                    for segment in range(total_segments)
                ),
                min(total_segments, self.config.max_pool_connections),
            )
        return self._iter_items(operation, table, pages, limit, model)

    def _one_page(
        self,
        operation: ReadOperation,
        table: str,
        params: dict[str, Any],
        page_size: int | None,
        next_token: str | None,
        model: type[M] | None,
    ) -> Page[M]:
        _check_page_size(page_size)
        check_model(model)
        scope = TokenScope(operation, table, params.get("IndexName"))
        secret = self.config.page_token_secret
        if next_token is not None:
            params["ExclusiveStartKey"] = decode_token(next_token, scope, secret)
        self.log.debug("Reading one %s page of %s", operation, table)
        with self._failure_logged(operation, table):
            response = next(self._responses(operation, table, params, page_size))
            page = required(response, "Items", operation)
        read = self._reader(table, model)
        items = [read(item) for item in page]
        token = encode_token(response.get("LastEvaluatedKey"), scope, secret)
        self.log.info("Read one %s page of %s: %d items", operation, table, len(items))
        return Page(items=items, next_token=token)

    def _count(
        self, operation: ReadOperation, table: str, params: dict[str, Any]
    ) -> int:
        self.log.debug("Counting %s on %s", operation, table)
        counting = {**params, "Select": "COUNT"}
        with self._failure_logged("count", table):
            total: int = sum(
                required(response, "Count", operation)
                for response in self._responses(operation, table, counting)
            )
        self.log.info("Counted %d items in %s", total, table)
        return total
