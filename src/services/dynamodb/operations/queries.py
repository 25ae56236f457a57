"""Query by key condition: as a list, a stream, one page at a time, or a count."""

from collections.abc import Callable, Mapping
from typing import Any

from ..codec.expressions import Expression
from ..codec.models import M
from .steps import Steps, StreamSteps, collected
from .pacing import Bulk
from .public import operation, stream
from .read_requests import read_params
from .reads import ReadOperation, ReadOperations
from ..dynamodb_models import Page


class QueryOperations(ReadOperations):
    """Read the items of one partition (of the table or of an index)."""

    @operation
    def query(
        self,
        key_condition_expression: Expression,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        limit: int = 0,
        *,
        filter_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        scan_index_forward: bool | None = None,
        model: type[M] | None = None,
        max_read_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Steps[list[M]]:
        """Return the items matching a key condition, across all pages.

        Example:
            >>> [item["sk"] for item in service.query("pk = :p", {":p": "a"})]
            [Decimal('1'), Decimal('2')]
            >>> service.query(Key("pk").eq("a") & Key("sk").gt(1))[0]["state"]
            'shipped'

        Args:
            key_condition_expression: e.g. ``"pk = :pk AND begins_with(sk, :p)"``
                or ``Key("pk").eq("a") & Key("sk").begins_with("x#")``.
            expression_attribute_values: Values of the ``:placeholders``;
                optional when only condition objects are used.
            table_name: Target table; defaults to the configured table.
            limit: 0 for every match; N > 0 for exactly ``min(N, matches)``
                items, the filter applied first.
            filter_expression: Filter on non-key attributes (string or
                ``Attr(...)``).
            expression_attribute_names: Placeholders for attribute names.
            index_name: Query this secondary index instead of the table.
            projection_expression: Attributes to return.
            consistent_read: True for strongly consistent reads.
            scan_index_forward: False to read in descending sort-key order.
            model: A pydantic model class: return instances of it, validated
                (see docs/reference.md, "Typed items"); None for dicts.
            max_read_units_per_second: Pace the reads to this many read
                capacity units per second (see docs/reference.md, "Bulk
                work"); None for full speed.
            progress: Called after each page with the running count of
                items read; the last call gives the total. What it raises
                stops the read.

        Returns:
            The matching items, in sort-key order.

        Raises:
            TypeError: If ``model`` is not a pydantic model class, or
                ``progress`` is not callable.
            ValueError: If ``limit`` < 0, an expression is malformed or a
                placeholder not supplied, no table can be resolved, or
                ``max_read_units_per_second`` is not a positive number; with
                ``model``, if an item does not fit it (naming its key).
            botocore.exceptions.ClientError: If DynamoDB refuses the query.
        """
        return (
            yield from collected(
                type(self).iter_query.steps(
                    self,
                    key_condition_expression,
                    expression_attribute_values,
                    table_name,
                    limit,
                    filter_expression=filter_expression,
                    expression_attribute_names=expression_attribute_names,
                    index_name=index_name,
                    projection_expression=projection_expression,
                    consistent_read=consistent_read,
                    scan_index_forward=scan_index_forward,
                    model=model,
                    max_read_units_per_second=max_read_units_per_second,
                    progress=progress,
                )
            )
        )

    @stream
    def iter_query(
        self,
        key_condition_expression: Expression,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        limit: int = 0,
        *,
        filter_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        scan_index_forward: bool | None = None,
        model: type[M] | None = None,
        max_read_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> StreamSteps[M]:
        """Stream the items of :meth:`query`, fetching one page at a time.

        Arguments are checked when this is called, before anything is sent;
        pages are fetched as the iterator is consumed.

        Example:
            >>> for item in service.iter_query(Key("pk").eq("a")):
            ...     print(item["sk"], item["state"])
            1 open
            2 shipped

        Args:
            key_condition_expression: As in :meth:`query`.
            expression_attribute_values: As in :meth:`query`.
            table_name: Target table; defaults to the configured table.
            limit: As in :meth:`query`.
            filter_expression: As in :meth:`query`.
            expression_attribute_names: As in :meth:`query`.
            index_name: As in :meth:`query`.
            projection_expression: As in :meth:`query`.
            consistent_read: As in :meth:`query`.
            scan_index_forward: As in :meth:`query`.
            model: As in :meth:`query`.
            max_read_units_per_second: As in :meth:`query`.
            progress: As in :meth:`query`.

        Returns:
            An iterator over the matching items.

        Raises:
            TypeError: As :meth:`query`, raised by this call itself.
            ValueError: As :meth:`query`: bad arguments by this call itself,
                an item that does not fit ``model`` while iterating, at it.
            botocore.exceptions.ClientError: While iterating, if DynamoDB
                refuses a page.
        """
        table = self._resolve_table(table_name)
        params = read_params(
            key_condition=key_condition_expression,
            filter_expression=filter_expression,
            values=expression_attribute_values,
            names=expression_attribute_names,
            projection=projection_expression,
            IndexName=index_name,
            ConsistentRead=consistent_read,
            ScanIndexForward=scan_index_forward,
        )
        bulk = Bulk(max_read_units_per_second, progress)
        yield from self._stream("query", table, params, limit, model, bulk=bulk)

    @operation
    def query_page(
        self,
        key_condition_expression: Expression,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        *,
        page_size: int | None = None,
        next_token: str | None = None,
        filter_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        projection_expression: str | None = None,
        consistent_read: bool | None = None,
        scan_index_forward: bool | None = None,
        model: type[M] | None = None,
    ) -> Steps[Page[M]]:
        """Return one page of a query and a token for the next one.

        Example:
            >>> key = Key("pk").eq("a")
            >>> page = service.query_page(key, page_size=1)
            >>> later = service.query_page(key, page_size=1, next_token=page.next_token)
            >>> page.items[0]["sk"], later.items[0]["sk"]
            (Decimal('1'), Decimal('2'))

        Args:
            key_condition_expression: As in :meth:`query`.
            expression_attribute_values: As in :meth:`query`.
            table_name: Target table; defaults to the configured table.
            page_size: Items DynamoDB evaluates for this page (its ``Limit``);
                with a filter a page may hold fewer, even none, and still
                have a next token.
            next_token: The ``next_token`` of the previous page, or None for
                the first page.
            filter_expression: As in :meth:`query`.
            expression_attribute_names: As in :meth:`query`.
            index_name: As in :meth:`query`.
            projection_expression: As in :meth:`query`.
            consistent_read: As in :meth:`query`.
            scan_index_forward: As in :meth:`query`.
            model: As in :meth:`query`.

        Returns:
            The page's items and ``next_token`` (None after the last page).

        Raises:
            TypeError: As :meth:`query`.
            ValueError: If ``page_size`` < 1, the token is not one this
                library issued, or as :meth:`query`.
            botocore.exceptions.ClientError: If DynamoDB refuses the query.
        """
        table = self._resolve_table(table_name)
        params = read_params(
            key_condition=key_condition_expression,
            filter_expression=filter_expression,
            values=expression_attribute_values,
            names=expression_attribute_names,
            projection=projection_expression,
            IndexName=index_name,
            ConsistentRead=consistent_read,
            ScanIndexForward=scan_index_forward,
        )
        return (
            yield from self._one_page(
                "query", table, params, page_size, next_token, model
            )
        )

    @operation
    def count(
        self,
        key_condition_expression: Expression | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        table_name: str | None = None,
        *,
        filter_expression: Expression | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        index_name: str | None = None,
        consistent_read: bool | None = None,
        max_read_units_per_second: float | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Steps[int]:
        """Count matching items without transferring them (``Select=COUNT``).

        With a key condition this counts a query, without one a scan.

        Example:
            >>> service.count(Key("pk").eq("a"))
            2
            >>> service.count(filter_expression=Attr("state").eq("open"))
            2

        Args:
            key_condition_expression: As in :meth:`query`, or None to scan.
            expression_attribute_values: Values of the ``:placeholders``.
            table_name: Target table; defaults to the configured table.
            filter_expression: Count only items passing this filter.
            expression_attribute_names: Placeholders for attribute names.
            index_name: Count in this secondary index.
            consistent_read: True for strongly consistent reads.
            max_read_units_per_second: As in :meth:`query`.
            progress: Called after each page with the running count; the
                last call gives the total.

        Returns:
            The number of matching items, over all pages.

        Raises:
            TypeError: If ``progress`` is not callable.
            ValueError: If an expression is malformed, a placeholder not
                supplied, no table can be resolved, or
                ``max_read_units_per_second`` is not a positive number.
            botocore.exceptions.ClientError: If DynamoDB refuses the read.
        """
        table = self._resolve_table(table_name)
        params = read_params(
            key_condition=key_condition_expression,
            filter_expression=filter_expression,
            values=expression_attribute_values,
            names=expression_attribute_names,
            IndexName=index_name,
            ConsistentRead=consistent_read,
        )
        operation: ReadOperation = (
            "scan" if key_condition_expression is None else "query"
        )
        bulk = Bulk(max_read_units_per_second, progress)
        return (yield from self._count(operation, table, params, bulk))
