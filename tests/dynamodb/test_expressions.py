"""Condition objects, placeholders and request parameters."""

import pytest
from boto3.dynamodb.conditions import Attr, Key

from tests.dynamodb.faults import record_params
from services.dynamodb import DynamoDBService
from services.dynamodb.codec.expressions import expression_params


def test_condition_objects_become_strings_with_placeholders() -> None:
    params = expression_params(
        KeyConditionExpression=Key("pk").eq("x") & Key("sk").begins_with("a#"),
        FilterExpression=Attr("qty").gt(1.5),
    )
    assert params["KeyConditionExpression"] == "(#n0 = :v0 AND begins_with(#n1, :v1))"
    assert params["FilterExpression"] == "#n2 > :v2"
    assert params["ExpressionAttributeNames"] == {
        "#n0": "pk",
        "#n1": "sk",
        "#n2": "qty",
    }
    assert params["ExpressionAttributeValues"][":v2"] == {"N": "1.5"}


def test_string_and_object_expressions_mix(service: DynamoDBService) -> None:
    params = expression_params(
        names={"#s": "status"},
        values={":s": "open"},
        KeyConditionExpression=Key("pk").eq("x"),
        FilterExpression="#s = :s",
    )
    assert params["ExpressionAttributeNames"] == {"#s": "status", "#n0": "pk"}
    assert params["ExpressionAttributeValues"] == {
        ":s": {"S": "open"},
        ":v0": {"S": "x"},
    }


def test_caller_placeholder_clashing_with_generated_one_is_refused() -> None:
    with pytest.raises(ValueError, match="placeholders :v0 are generated"):
        expression_params(values={":v0": 1}, FilterExpression=Attr("a").eq(2))


def test_empty_mappings_are_not_sent() -> None:
    assert expression_params(names={}, values={}, FilterExpression=None) == {}


def test_begins_with_on_string_sort_key(service: DynamoDBService) -> None:
    service.create_table(
        "events",
        [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    for sk in ("a#1", "a#2", "b#1"):
        service.put_item({"pk": "x", "sk": sk}, "events")
    items = service.query(
        Key("pk").eq("x") & Key("sk").begins_with("a#"), table_name="events"
    )
    assert [i["sk"] for i in items] == ["a#1", "a#2"]


def test_count_sends_select_count_and_follows_pages(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items(
        [{"pk": "a", "sk": i, "pad": "x" * 30_000} for i in range(70)]
    )
    sent = record_params(service._client, "Query")
    assert service.count("pk = :pk", {":pk": "a"}) == 70
    assert len(sent) >= 2 and all(p["Select"] == "COUNT" for p in sent)


def test_read_options_are_sent(service: DynamoDBService, table: str) -> None:
    sent = record_params(service._client, "Scan")
    service.scan(consistent_read=False, projection_expression="pk")
    assert sent[0]["ConsistentRead"] is False  # a falsy option still reaches DynamoDB
    assert sent[0]["ProjectionExpression"] == "pk"
