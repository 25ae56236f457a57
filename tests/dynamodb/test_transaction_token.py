"""A transaction sent without a ``ClientRequestToken`` gets one, the same on
every retry of that call (so DynamoDB applies it once), and a new one for
the next call."""

import pytest

from services.dynamodb import DynamoDBService
from tests.dynamodb.faults import inject_errors, record_params
from tests.dynamodb.pausing import record_async_sleeps

THROTTLED = "ProvisionedThroughputExceededException"


def add_one(n: int) -> list[dict[str, object]]:
    return [
        {
            "Update": {
                "Key": {"pk": "a", "sk": n},
                "UpdateExpression": "ADD n :one",
                "ExpressionAttributeValues": {":one": 1},
            }
        }
    ]


def test_an_automatic_client_request_token_is_the_same_on_every_retry(
    service: DynamoDBService,
    table: str,
    pauses: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record_async_sleeps(pauses, monkeypatch)
    injector = inject_errors(service._client, "TransactWriteItems", THROTTLED, 2)
    sent = record_params(service._client, "TransactWriteItems")

    service.transact_write_items(add_one(1))

    assert injector.calls == 3
    tokens = [params.get("ClientRequestToken") for params in sent]
    assert len(tokens) == 3 and tokens[0]
    assert tokens == [tokens[0]] * 3


def test_each_call_gets_its_own_automatic_client_request_token(
    service: DynamoDBService, table: str
) -> None:
    sent = record_params(service._client, "TransactWriteItems")

    service.transact_write_items(add_one(1))
    service.transact_write_items(add_one(1))

    first, second = [params.get("ClientRequestToken") for params in sent]
    assert first and second and first != second
