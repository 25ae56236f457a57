"""transact_write_items and transact_get_items on moto."""

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError

from tests.dynamodb.faults import record_params
from services.dynamodb import DynamoDBService


def test_transaction_applies_every_action(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "acct", "sk": 1, "balance": 10})
    service.put_item({"pk": "old", "sk": 1})
    service.put_item({"pk": "gate", "sk": 1, "open": True})
    service.transact_write_items(
        [
            {"Put": {"Item": {"pk": "new", "sk": 1, "rate": 0.5}}},
            {
                "Update": {
                    "Key": {"pk": "acct", "sk": 1},
                    "UpdateExpression": "ADD balance :d",
                    "ExpressionAttributeValues": {":d": -3},
                }
            },
            {"Delete": {"Key": {"pk": "old", "sk": 1}}},
            {
                "ConditionCheck": {
                    "Key": {"pk": "gate", "sk": 1},
                    "ConditionExpression": Attr("open").eq(True),
                }
            },
        ]
    )
    got = service.transact_get_items(
        [{"pk": "new", "sk": 1}, {"pk": "acct", "sk": 1}, {"pk": "old", "sk": 1}]
    )
    assert got[0] == {"pk": "new", "sk": 1, "rate": 0.5}
    assert got[1] is not None and got[1]["balance"] == 7
    assert got[2] is None


def test_cancelled_transaction_stores_nothing(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "acct", "sk": 1, "balance": 1})
    with pytest.raises(ClientError) as error:
        service.transact_write_items(
            [
                {"Put": {"Item": {"pk": "new", "sk": 1}}},
                {
                    "Update": {
                        "Key": {"pk": "acct", "sk": 1},
                        "UpdateExpression": "ADD balance :d",
                        "ConditionExpression": "balance >= :need",
                        "ExpressionAttributeValues": {":d": -5, ":need": 5},
                    }
                },
            ]
        )
    assert error.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert "CancellationReasons" in error.value.response
    assert service.get_item({"pk": "new", "sk": 1}) is None
    assert service.get_item({"pk": "acct", "sk": 1}) == {
        "pk": "acct",
        "sk": 1,
        "balance": 1,
    }


@pytest.mark.parametrize(
    "actions, message",
    [
        ([], "1 to 100 actions, got 0"),
        ([{"Put": {"Item": {"pk": "a", "sk": i}}} for i in range(101)], "got 101"),
        ([{"Put": {}}], "needs 'Item'"),
        ([{"Upsert": {"Item": {}}}], "exactly one of Put"),
        ([{"Put": {"Item": {"pk": "a", "sk": 1}}, "Delete": {}}], "exactly one of Put"),
        ([{"Update": {"Key": {"pk": "a", "sk": 1}}}], "needs 'UpdateExpression'"),
        (
            [{"Delete": {"Key": {"pk": "a", "sk": 1}, "Bogus": 1}}],
            "unknown fields: Bogus",
        ),
        (["not a dict"], "exactly one of Put"),
        ([{"Delete": {"Key": {}}}], "empty dict"),
    ],
)
def test_malformed_transactions_are_rejected_before_sending(
    service: DynamoDBService, table: str, actions: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        service.transact_write_items(actions)
    assert service.count() == 0


def test_transact_get_needs_1_to_100_keys(service: DynamoDBService, table: str) -> None:
    with pytest.raises(ValueError, match="got 0"):
        service.transact_get_items([])


def test_transact_get_projection(service: DynamoDBService, table: str) -> None:
    # moto ignores the projection, so check what is sent.
    requests = record_params(service._client, "TransactGetItems")
    service.put_item({"pk": "a", "sk": 1, "name": "Ann", "age": 1})
    got = service.transact_get_items(
        [{"pk": "a", "sk": 1}],
        projection_expression="#n",
        expression_attribute_names={"#n": "name"},
    )
    assert got[0] is not None and got[0]["name"] == "Ann"
    sent = requests[0]["TransactItems"][0]["Get"]
    assert sent["ProjectionExpression"] == "#n"
    assert sent["ExpressionAttributeNames"] == {"#n": "name"}
