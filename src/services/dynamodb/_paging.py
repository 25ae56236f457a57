"""Pages of query and scan results: following them, cutting them, resuming them.

Pagination itself is botocore's paginator; this module only stops it at a
limit and turns a ``LastEvaluatedKey`` into an opaque token and back.
"""

import binascii
from collections.abc import Iterable, Iterator
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.paginate import TokenDecoder, TokenEncoder

ERROR_BAD_TOKEN = "next_token was not issued by this library: %r"

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def take(pages: Iterable[list[dict[str, Any]]], limit: int) -> Iterator[dict[str, Any]]:
    """Yield items page by page, stopping after ``limit`` of them.

    Args:
        pages: Pages of items, fetched lazily.
        limit: Items wanted; 0 means all of them.

    Yields:
        Each item, at most ``limit`` when ``limit`` > 0. No page is fetched
        once the limit is reached.
    """
    remaining = limit
    for page in pages:
        if limit and remaining <= len(page):
            yield from page[:remaining]
            return
        remaining -= len(page)
        yield from page


def encode_token(last_evaluated_key: dict[str, Any] | None) -> str | None:
    """Turn a ``LastEvaluatedKey`` into an opaque, URL-safe token.

    Args:
        last_evaluated_key: The key as boto3 returns it, or None.

    Returns:
        The token, or None when there is no next page.
    """
    if last_evaluated_key is None:
        return None
    wire = {name: _SERIALIZER.serialize(v) for name, v in last_evaluated_key.items()}
    token: str = TokenEncoder().encode({"ExclusiveStartKey": wire})
    return token


def decode_token(token: str) -> dict[str, Any]:
    """Turn a token made by :func:`encode_token` back into a start key.

    Args:
        token: The token a caller sent back.

    Returns:
        The ``ExclusiveStartKey`` to send.

    Raises:
        ValueError: If the token was not made by :func:`encode_token`.
    """
    try:
        wire = TokenDecoder().decode(token)["ExclusiveStartKey"]
        return {name: _DESERIALIZER.deserialize(v) for name, v in wire.items()}
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as e:
        raise ValueError(ERROR_BAD_TOKEN % token) from e
