"""Fault injectors: botocore event hooks that make moto answer as a real
DynamoDB under load would, below the service, so that the service's own code
and botocore's retries run unchanged."""

import json
from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.awsrequest import AWSResponse, HTTPHeaders

SERIALIZER = TypeSerializer()


class _RawBody:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body


class ErrorInjector:
    """Answer the first ``times`` requests of an operation with an error.

    botocore still hands each request to moto's own ``before-send`` handler,
    so moto may apply a request whose answer is replaced by the error: assert
    on calls and errors, not on what moto stored.
    """

    def __init__(self, code: str, times: int) -> None:
        self.code = code
        self.times = times
        self.calls = 0

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse | None:
        self.calls += 1
        if self.calls > self.times:
            return None
        body = json.dumps(
            {"__type": f"com.amazonaws.dynamodb.v20120810#{self.code}", "message": "x"}
        ).encode()
        return AWSResponse(request.url, 400, HTTPHeaders(), _RawBody(body))


def inject_errors(client: Any, operation: str, code: str, times: int) -> ErrorInjector:
    """Make the first ``times`` ``operation`` requests fail with ``code``.

    Registered first on ``before-send``, inside botocore's retry loop, so that
    each retry meets the injector again.
    """
    injector = ErrorInjector(code, times)
    client.meta.events.register_first(f"before-send.dynamodb.{operation}", injector)
    return injector


class UnprocessedInjector:
    """Hold back a share of each batch request and hand it back as unprocessed.

    ``share`` of the keys (or write requests) of every request is removed
    before it is sent and returned in ``UnprocessedKeys``/``UnprocessedItems``,
    as DynamoDB does under throttling. ``stuck`` keys are never let through.
    """

    def __init__(self, share: float, stuck: list[dict[str, Any]] | None = None) -> None:
        self.share = share
        self.stuck = stuck or []
        self.held: dict[str, list[Any]] = {}
        self.requests = 0

    def hold_keys(self, params: dict[str, Any], **kwargs: Any) -> None:
        self.requests += 1
        for table, request in params["RequestItems"].items():
            keys = request["Keys"]
            held = [k for k in keys if k in self.stuck]
            rest = [k for k in keys if k not in self.stuck]
            count = int(len(rest) * self.share)
            held += rest[:count]
            request["Keys"] = rest[count:] or rest[:0]
            self.held[table] = held
        params["RequestItems"] = {
            t: r for t, r in params["RequestItems"].items() if r["Keys"]
        }

    def return_keys(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        parsed.setdefault("Responses", {})
        parsed["UnprocessedKeys"] = {
            table: {
                "Keys": [
                    {n: SERIALIZER.serialize(v) for n, v in k.items()} for k in keys
                ]
            }
            for table, keys in self.held.items()
            if keys
        }
        self.held = {}

    def hold_writes(self, params: dict[str, Any], **kwargs: Any) -> None:
        self.requests += 1
        for table, writes in params["RequestItems"].items():
            count = int(len(writes) * self.share)
            self.held[table] = writes[:count]
            params["RequestItems"][table] = writes[count:]

    def return_writes(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        parsed["UnprocessedItems"] = {
            table: [
                {
                    "PutRequest": {
                        "Item": {
                            n: SERIALIZER.serialize(v)
                            for n, v in w["PutRequest"]["Item"].items()
                        }
                    }
                }
                for w in writes
            ]
            for table, writes in self.held.items()
            if writes
        }
        self.held = {}


def inject_unprocessed_keys(client: Any, injector: UnprocessedInjector) -> None:
    """Attach ``injector`` to every BatchGetItem of ``client``."""
    events = client.meta.events
    events.register_first(
        "provide-client-params.dynamodb.BatchGetItem", injector.hold_keys
    )
    events.register_first("after-call.dynamodb.BatchGetItem", injector.return_keys)


def inject_unprocessed_items(client: Any, injector: UnprocessedInjector) -> None:
    """Attach ``injector`` to every BatchWriteItem of ``client``."""
    events = client.meta.events
    events.register_first(
        "provide-client-params.dynamodb.BatchWriteItem", injector.hold_writes
    )
    events.register_first("after-call.dynamodb.BatchWriteItem", injector.return_writes)
