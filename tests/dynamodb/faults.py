"""Fault injectors: botocore event hooks that make moto answer as a real
DynamoDB under load would, below the service, so that the service's own code
and botocore's retries run unchanged."""

import json
from collections.abc import Iterator
from typing import Any

from boto3.dynamodb.types import TypeSerializer
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import ClientError

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
    as DynamoDB does under throttling. ``stuck`` keys (or items whose key is
    stuck) are never let through. Requests are DynamoDB JSON at this point.
    """

    def __init__(
        self,
        share: float,
        stuck: list[dict[str, Any]] | None = None,
        kind: str = "PutRequest",
    ) -> None:
        self.share = share
        self.kind = kind
        self.stuck = [wire(key) for key in stuck or []]
        self.held: dict[str, list[Any]] = {}
        self.requests = 0

    def _is_stuck(self, item: dict[str, Any]) -> bool:
        return any(all(item.get(n) == v for n, v in k.items()) for k in self.stuck)

    def _hold(self, entries: list[Any], item_of: Any) -> tuple[list[Any], list[Any]]:
        held = [e for e in entries if self._is_stuck(item_of(e))]
        rest = [e for e in entries if not self._is_stuck(item_of(e))]
        count = int(len(rest) * self.share)
        return held + rest[:count], rest[count:]

    def hold_keys(self, request: Any, **kwargs: Any) -> None:
        self.requests += 1
        sent = request
        params = request_params(sent)
        for table, request in params["RequestItems"].items():
            self.held[table], request["Keys"] = self._hold(request["Keys"], lambda k: k)
        params["RequestItems"] = {
            t: r for t, r in params["RequestItems"].items() if r["Keys"]
        }
        sent.body = json.dumps(params).encode()

    def return_keys(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        parsed.setdefault("Responses", {})
        parsed["UnprocessedKeys"] = {
            table: {"Keys": keys} for table, keys in self.held.items() if keys
        }
        self.held = {}

    def hold_writes(self, request: Any, **kwargs: Any) -> None:
        self.requests += 1
        params = request_params(request)
        for table, writes in params["RequestItems"].items():
            self.held[table], params["RequestItems"][table] = self._hold(
                writes, lambda w: next(iter(w[self.kind].values()))
            )
        params["RequestItems"] = {t: w for t, w in params["RequestItems"].items() if w}
        request.body = json.dumps(params).encode()

    def return_writes(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        parsed["UnprocessedItems"] = {
            table: writes for table, writes in self.held.items() if writes
        }
        self.held = {}


def request_params(request: Any) -> dict[str, Any]:
    """The parameters of a request as both transports send it: its JSON body."""
    params: dict[str, Any] = json.loads(request.body)
    return params


def record_params(client: Any, operation: str) -> list[dict[str, Any]]:
    """Record the parameters of every ``operation`` request ``client``'s
    service sends (on either transport), in order."""
    sent: list[dict[str, Any]] = []

    def record(request: Any, **kwargs: Any) -> None:
        sent.append(request_params(request))

    client.meta.events.register(f"before-send.dynamodb.{operation}", record)
    return sent


def wire(key: dict[str, Any]) -> dict[str, Any]:
    """A key or item as DynamoDB JSON."""
    return {name: SERIALIZER.serialize(value) for name, value in key.items()}


def inject_unprocessed_keys(client: Any, injector: UnprocessedInjector) -> None:
    """Attach ``injector`` to every BatchGetItem of ``client``."""
    events = client.meta.events
    events.register_first("before-send.dynamodb.BatchGetItem", injector.hold_keys)
    events.register_first("after-call.dynamodb.BatchGetItem", injector.return_keys)


def inject_unprocessed_items(client: Any, injector: UnprocessedInjector) -> None:
    """Attach ``injector`` to every BatchWriteItem of ``client``."""
    events = client.meta.events
    events.register_first("before-send.dynamodb.BatchWriteItem", injector.hold_writes)
    events.register_first("after-call.dynamodb.BatchWriteItem", injector.return_writes)


class AnswerInjector:
    """Answer the first ``times`` requests of an operation with a crafted body."""

    def __init__(
        self, body: bytes, headers: dict[str, str], times: int, status: int = 200
    ) -> None:
        self.body = body
        self.headers = headers
        self.times = times
        self.status = status
        self.calls = 0

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse | None:
        self.calls += 1
        if self.calls > self.times:
            return None
        headers = HTTPHeaders()
        for name, value in self.headers.items():
            headers[name] = value
        return AWSResponse(request.url, self.status, headers, _RawBody(self.body))


def inject_answer(
    client: Any,
    operation: str,
    body: bytes,
    headers: dict[str, str] | None = None,
    times: int = 99,
) -> AnswerInjector:
    """Make the first ``times`` ``operation`` requests get ``body`` as a 200."""
    injector = AnswerInjector(body, headers or {}, times)
    client.meta.events.register_first(f"before-send.dynamodb.{operation}", injector)
    return injector


def fail_request(client: Any, operation: str, number: int, code: str) -> None:
    """Make the ``number``-th ``operation`` request fail with ``code``, once
    (raised before it is sent, so it changes nothing on the server)."""
    calls: list[int] = []

    def fail(**kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == number:
            raise ClientError({"Error": {"Code": code, "Message": "x"}}, operation)

    client.meta.events.register_first(f"before-send.dynamodb.{operation}", fail)


def boto3_attempts(operation: str, code: str, params: dict[str, Any]) -> int:
    """How many attempts a plain boto3 client makes, in this environment,
    for an operation that always fails with ``code``: the oracle of retry
    settings found in the environment and profile."""
    import boto3

    client = boto3.client("dynamodb", region_name="us-east-1")
    injector = inject_errors(client, operation, code, times=99)
    try:
        getattr(client, _snake(operation))(**params)
    except ClientError:
        pass
    return injector.calls


def _snake(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))
