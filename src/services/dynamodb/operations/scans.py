"""Scan a whole table or index: as a list, a stream, or one page at a time."""

from collections.abc import Callable, Mapping
from typing import Any

from ..codec.expressions import Expression
from ..codec.models import M
from .steps import Steps, StreamSteps, collected
from .pacing import Bulk
from .public import operation, stream
from .read_requests import read_params
from .reads import ReadOperations
from ..dynamodb_models import Page


class ScanOperations(ReadOperations):
    """Read every item of a table or index, optionally filtered."""

    @operation
    def scan(
        self,
        filter_expression: Expression | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        limit: int = 0,
        *,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        total_segments: int = 1,
        model: type[M] | None = None,
        max_read_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Steps[list[M]]:
        """Return every item passing the filter, across all pages.

        Example:
            >>> sorted(item["pk"] for item in service.scan(Attr("state").eq("open")))
            ['a', 'b']
            >>> service.scan("qty > :n", {":n": 5})[0]["pk"]
            'b'

        Args:
            filter_expression: e.g. ``"qty > :n"`` or ``Attr("qty").gt(3)``;
                None for every item.
            expression_attribute_values: Values of the ``:placeholders``.
            table_name: Target table; defaults to the configured table.
            limit: 0 for every match; N > 0 for exactly ``min(N, matches)``
                items, the filter applied first.
            expression_attribute_names: Placeholders for attribute names.
            index_name: Scan this secondary index instead of the table.
            projection_expression: Attributes to return.
            consistent_read: True for strongly consistent reads.
            total_segments: Scan this many segments in parallel (see
                :meth:`iter_scan`).
            model: A pydantic model class: return instances of it, validated
                (see docs/reference.md, "Typed items"); None for dicts.
            max_read_units_per_second: Pace the reads to this many read
                capacity units per second, shared by all segments (see
                docs/reference.md, "Bulk work"); None for full speed.
            progress: Called after each page with the running count of
                items read; the last call gives the total. What it raises
                stops the read.

        Returns:
            The matching items (in no particular order).

        Raises:
            TypeError: If ``model`` is not a pydantic model class, or
                ``progress`` is not callable.
            ValueError: If ``limit`` < 0, ``total_segments`` < 1, an expression
                is malformed or a placeholder not supplied, no table can be
                resolved, or ``max_read_units_per_second`` is not a positive
                number; with ``model``, if an item does not fit it.
            botocore.exceptions.ClientError: If DynamoDB refuses the scan.
        """
        return (
            yield from collected(
                type(self).iter_scan.steps(
                    self,
                    filter_expression,
                    expression_attribute_values,
                    table_name,
                    limit,
                    expression_attribute_names=expression_attribute_names,
                    index_name=index_name,
                    projection_expression=projection_expression,
                    consistent_read=consistent_read,
                    total_segments=total_segments,
                    model=model,
                    max_read_units_per_second=max_read_units_per_second,
                    progress=progress,
                )
            )
        )

    @stream
    def iter_scan(
        self,
        filter_expression: Expression | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        limit: int = 0,
        *,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        total_segments: int = 1,
        segment: int | None = None,
        model: type[M] | None = None,
        max_read_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> StreamSteps[M]:
        """Stream the items of :meth:`scan`, holding one page per segment.

        Arguments are checked when this is called, before anything is sent.

        Example:
            >>> for item in service.iter_scan(Attr("qty").gt(5)):
            ...     print(item["pk"], item["sk"])
            b 1

        Args:
            filter_expression: As in :meth:`scan`.
            expression_attribute_values: As in :meth:`scan`.
            table_name: Target table; defaults to the configured table.
            limit: As in :meth:`scan`.
            expression_attribute_names: As in :meth:`scan`.
            index_name: As in :meth:`scan`.
            projection_expression: As in :meth:`scan`.
            consistent_read: As in :meth:`scan`.
            total_segments: With N > 1, scan N segments in parallel on a
                thread pool, one request in flight per segment; every item
                is yielded exactly once.
            segment: With ``total_segments=N``, read only this segment (0 to
                N - 1), so that N processes or machines can share a scan.
            model: As in :meth:`scan`.
            max_read_units_per_second: As in :meth:`scan`.
            progress: As in :meth:`scan`.

        Returns:
            An iterator over the matching items.

        Raises:
            TypeError: As :meth:`scan`, raised by this call itself.
            ValueError: As :meth:`scan`: bad arguments by this call itself,
                an item that does not fit ``model`` while iterating, at it.
            botocore.exceptions.ClientError: While iterating, if DynamoDB
                refuses a page.
        """
        table = self._resolve_table(table_name)
        params = read_params(
            filter_expression=filter_expression,
            values=expression_attribute_values,
            names=expression_attribute_names,
            projection=projection_expression,
            IndexName=index_name,
            ConsistentRead=consistent_read,
        )
        bulk = Bulk(max_read_units_per_second, progress)
        yield from self._stream(
            "scan", table, params, limit, model, total_segments, segment, bulk
        )

    @operation
    def scan_page(
        self,
        filter_expression: Expression | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        *,
        page_size: int | None = None,
        next_token: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        model: type[M] | None = None,
    ) -> Steps[Page[M]]:
        """Return one page of a scan and a token for the next one.

        Example:
            >>> page = service.scan_page(page_size=2)
            >>> later = service.scan_page(page_size=2, next_token=page.next_token)
            >>> len(page.items) + len(later.items), later.next_token
            (3, None)

        Args:
            filter_expression: As in :meth:`scan`.
            expression_attribute_values: As in :meth:`scan`.
            table_name: Target table; defaults to the configured table.
            page_size: Items DynamoDB evaluates for this page (its ``Limit``);
                with a filter a page may hold fewer, even none.
            next_token: The ``next_token`` of the previous page, or None.
            expression_attribute_names: As in :meth:`scan`.
            index_name: As in :meth:`scan`.
            projection_expression: As in :meth:`scan`.
            consistent_read: As in :meth:`scan`.
            model: As in :meth:`scan`.

        Returns:
            The page's items and ``next_token`` (None after the last page).

        Raises:
            TypeError: As :meth:`scan`.
            ValueError: If ``page_size`` < 1, the token is not one this
                library issued, or as :meth:`scan`.
            botocore.exceptions.ClientError: If DynamoDB refuses the scan.
        """
        table = self._resolve_table(table_name)
        params = read_params(
            filter_expression=filter_expression,
            values=expression_attribute_values,
            names=expression_attribute_names,
            projection=projection_expression,
            IndexName=index_name,
            ConsistentRead=consistent_read,
        )
        return (
            yield from self._one_page(
                "scan", table, params, page_size, next_token, model
            )
        )
