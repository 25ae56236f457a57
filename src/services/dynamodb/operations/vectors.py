"""Vector search: the items of a vector index nearest to a vector
(``SearchVectors``).

The request goes where botocore's endpoint rules send ``SearchVectors``
(the ``search-dynamodb`` host of the region, FIPS and dual-stack as
configured; ``endpoint_url`` when one is set), on every transport. Its
consumed capacity is DynamoDB's ``VectorCapacity``, which is neither read
nor write capacity units and names no table: a ``consumed_capacity()``
block sums it in ``vector_search_request_bytes`` and
``vector_write_request_bytes``, and the completion line says it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from ..codec.answers import required
from ..codec.expressions import Expression, expression_params
from ..codec.models import M, check_model
from ..codec.search import (
    check_index_name,
    check_search_condition,
    check_top_k,
    vector_to_wire,
)
from ..codec.vectors import SearchResult
from .capacity import VECTOR_SUFFIX
from .capacity import current as current_capacity
from .core import ServiceCore
from .public import operation
from .steps import Call, Steps

# The request's members in the order of botocore's input shape, so that
# the body is the one botocore's serializer writes for the same call
# (ReturnConsumedCapacity, when asked for, is added last by the meter).
REQUEST_ORDER = (
    "TableName",
    "IndexName",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ProjectionExpression",
    "SearchVector",
    "SearchConditionExpression",
    "TopK",
)


class VectorOperations(ServiceCore):
    """Search the vector indexes of a table."""

    @operation
    def search_vectors(
        self,
        vector: Sequence[float],
        *,
        index_name: str,
        top_k: int,
        table_name: str | None = None,
        condition: Expression | None = None,
        projection_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        model: type[M] | None = None,
    ) -> Steps[list[SearchResult[M]]]:
        """Return the ``top_k`` items of a vector index nearest to ``vector``.

        Everything is checked before anything is sent. No local server
        implements ``SearchVectors`` (see docs/servers.md); this example
        is answered by a canned answer in the docstring tests.

        Example:
            >>> found = service.search_vectors(
            ...     [0.1, 0.2, 0.3], index_name="by-embedding", top_k=2,
            ...     condition=Key("pk").eq("a"),
            ... )
            >>> [(result.item["sk"], result.score) for result in found]
            [(Decimal('1'), 0.125), (Decimal('2'), 0.5)]

        Args:
            vector: The numbers to search near, as many as the index's
                dimensions (each a finite 32-bit float; not bools).
            index_name: The table's vector index (``VectorIndex.name``).
            top_k: How many results to return, at least 1.
            table_name: Target table; defaults to the configured table.
            condition: Which items may be found: equalities on attributes of
                the index's search schema joined by AND, as a string
                (``"category = :c"``) or ``Key``/``Attr`` objects
                (``Attr("category").eq("shoes")``).
            projection_expression: Attributes to return, of those the index
                projects.
            expression_attribute_names: Placeholders for attribute names.
            expression_attribute_values: Values of the ``:placeholders``.
            model: Return each item as this pydantic model; None for dicts.

        Returns:
            The results, nearest first: each a ``SearchResult`` with
            ``item`` (a dict decoded as reads decode items, or a ``model``
            instance) and ``score`` (a float, by the index's distance
            function).

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If the vector is empty, longer than 4,096 or holds
                a value that is not a finite 32-bit float; ``top_k`` < 1;
                ``index_name`` malformed; the condition uses anything but
                ``=`` and AND on top-level attributes; a placeholder is
                not supplied; no table resolves; or an item does not fit
                ``model``.
            botocore.exceptions.ClientError: If DynamoDB refuses the search.
            botocore.parsers.ResponseParserError: If the answer is not a
                well-formed ``SearchVectors`` answer.
        """
        request = self._search_request(
            vector,
            index_name,
            top_k,
            table_name,
            condition,
            projection_expression,
            expression_attribute_names,
            expression_attribute_values,
        )
        check_model(model)
        table = request["TableName"]
        self.log.debug(
            "Searching vector index %s of %s: %d nearest of %d dimensions",
            index_name,
            table,
            top_k,
            len(request["SearchVector"]),
        )
        with self._failure_logged("search_vectors", table):
            response = yield Call("SearchVectors", request)
        results = required(response, "SearchResults", "SearchVectors")
        read = self._reader(table, model)
        found = [SearchResult(read(r["Item"]), float(r["Score"])) for r in results]
        self._searched(index_name, table, len(found))
        return found

    def _search_request(
        self,
        vector: Sequence[float],
        index_name: str,
        top_k: int,
        table_name: str | None,
        condition: Expression | None,
        projection: str | None,
        names: Mapping[str, str] | None,
        values: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """The checked ``SearchVectors`` request, members in model order."""
        parts = {
            "TableName": self._resolve_table(table_name),
            "IndexName": check_index_name(index_name),
            "SearchVector": vector_to_wire(vector),
            "TopK": check_top_k(top_k),
            **expression_params(
                names=names,
                values=values,
                SearchConditionExpression=condition,
                ProjectionExpression=projection,
            ),
        }
        if "SearchConditionExpression" in parts:
            check_search_condition(parts["SearchConditionExpression"])
        return {name: parts[name] for name in REQUEST_ORDER if name in parts}

    def _searched(self, index_name: str, table: str, found: int) -> None:
        """The completion line, with the vector capacity when metered."""
        message = "Searched vector index %s of %s: %d results"
        usage = current_capacity()
        if usage is None:
            self.log.info(message, index_name, table, found)
        else:
            searched = usage.vector_search_request_bytes
            self.log.info(message + VECTOR_SUFFIX, index_name, table, found, searched)
