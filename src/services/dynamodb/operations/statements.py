"""PartiQL: ``execute_statement`` with plain values in and items out."""

import re
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import PaginationError

from ..codec.codec import value_to_wire
from .core import ServiceCore
from ..codec.models import M, check_model
from .steps import Call, Steps
from .public import operation
from ..codec.values import check_limit, check_list, checked_options

ERROR_STATEMENT = "statement must be a non-empty PartiQL string"
ERROR_SAME_TOKEN = "DynamoDB handed back the NextToken it was sent"
# The table a statement names, for log lines (never the statement itself:
# it may hold values). PartiQL names it after FROM, INTO or UPDATE.
TABLE_NAME = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?([A-Za-z0-9_.-]+)', re.I)


class StatementOperations(ServiceCore):
    """PartiQL statements."""

    @operation
    def execute_statement(
        self,
        statement: str,
        parameters: Sequence[Any] | None = None,
        *,
        consistent_read: bool | None = None,
        limit: int = 0,
        model: type[M] | None = None,
    ) -> Steps[list[M]]:
        """Run a PartiQL statement; a ``SELECT``'s items across all pages.

        Example:
            >>> items = service.execute_statement(
            ...     'SELECT * FROM "orders" WHERE pk = ?', ["a"]
            ... )
            >>> sorted(item["state"] for item in items)
            ['open', 'shipped']

        Args:
            statement: ``SELECT``, ``INSERT``, ``UPDATE`` or ``DELETE``, its
                values as ``?`` placeholders.
            parameters: The placeholders' values, as plain Python values
                (encoded as items are).
            consistent_read: Strongly consistent reads.
            limit: At most this many items (0: all); pages stop there.
            model: Return items as this pydantic model.

        Returns:
            The items a ``SELECT`` found (``[]`` for the other statements).

        Raises:
            TypeError: If ``model`` is not a pydantic model class.
            ValueError: If the statement is empty, or a parameter cannot be
                stored, before anything is sent.
            botocore.exceptions.ClientError: If DynamoDB refuses the
                statement (``ValidationException`` for bad PartiQL,
                ``ConditionalCheckFailedException``...).
            botocore.exceptions.PaginationError: If DynamoDB hands back the
                page token it was sent.
        """
        if not isinstance(statement, str) or not statement.strip():
            raise ValueError(ERROR_STATEMENT)
        check_model(model)
        wanted = check_limit(limit)
        request: dict[str, Any] = {"Statement": statement}
        if parameters is not None:
            request["Parameters"] = [
                value_to_wire(value, "parameters[%d]" % index)
                for index, value in enumerate(check_list(parameters, "parameters"))
            ]
        request.update(checked_options(ConsistentRead=consistent_read))
        table = _table_of(statement)
        self.log.debug("Executing a PartiQL statement on %s", table)
        with self._failure_logged("execute_statement", table):
            items = yield from self._statement_pages(request, wanted)
        self._done("Executed a PartiQL statement on %s: %d items", table, len(items))
        return [self._out_as(item, table, model) for item in items]

    def _statement_pages(
        self, request: dict[str, Any], wanted: int
    ) -> Steps[list[dict[str, Any]]]:
        items: list[dict[str, Any]] = []
        token = None
        while True:
            page = {**request, "NextToken": token} if token else request
            response = yield Call("ExecuteStatement", page)
            items.extend(response.get("Items", []))
            if wanted and len(items) >= wanted:
                return items[:wanted]
            previous, token = token, response.get("NextToken")
            if not token:
                return items
            if token == previous:
                raise PaginationError(message=ERROR_SAME_TOKEN)


def _table_of(statement: str) -> str:
    found = TABLE_NAME.search(statement)
    return found.group(1) if found else "-"
