"""What query and scan send, and how a page's items are read."""

from collections.abc import Callable, Mapping
from typing import Any

from ..codec.expressions import Expression, expression_params
from ..codec.models import M
from ..codec.values import checked_options


def read_params(
    *,
    key_condition: Expression | None = None,
    filter_expression: Expression | None = None,
    values: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
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


def read_page(
    read: Callable[[dict[str, Any]], M], page: list[dict[str, Any]]
) -> tuple[list[M], Exception | None]:
    """A page's items as the caller gets them, as far as they can be read: an
    item that does not fit ``model=`` stops the page where it is.

    Args:
        read: What turns an item read into what the caller gets.
        page: The page's items.

    Returns:
        The items before the first that could not be read, and what reading
        that one raised (None when every item was read).
    """
    items: list[M] = []
    try:
        for item in page:
            items.append(read(item))
    except Exception as error:
        return items, error
    return items, None
