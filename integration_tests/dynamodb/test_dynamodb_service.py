"""The service against a real DynamoDB-compatible server, no mocks."""

import logging
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import boto3
import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from integration_tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from integration_tests.dynamodb.conftest import ServerFeatures
from services.dynamodb import DynamoDBConfig, DynamoDBService


def test_ping(service: DynamoDBService) -> None:
    assert "TableNames" in service.ping()


def test_table_lifecycle(slow_service: DynamoDBService, table_name: str) -> None:
    service = slow_service  # tables CREATING, then DELETING, for a while
    assert service.table_exists(table_name) is False
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    described = service._client.describe_table(TableName=table_name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert service.table_exists(table_name) is True
    assert table_name in service.list_tables()
    service.delete_table(table_name)
    assert service.table_exists(table_name) is False


def test_put_right_after_create_succeeds(
    slow_service: DynamoDBService, table_name: str
) -> None:
    service = slow_service  # a table CREATING for a while refuses writes
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    service.put_item({"pk": "a", "sk": 1})
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1}


def test_item_crud(service: DynamoDBService, table: str) -> None:
    service.put_item({"pk": "a", "sk": 1, "name": "Ann", "price": 9.95})
    assert service.get_item({"pk": "a", "sk": 1}) == {
        "pk": "a",
        "sk": 1,
        "name": "Ann",
        "price": Decimal("9.95"),
    }
    updated = service.update_item(
        {"pk": "a", "sk": 1}, "SET price = :p ADD hits :one", {":p": 10, ":one": 1}
    )
    assert updated == {"pk": "a", "sk": 1, "name": "Ann", "price": 10, "hits": 1}
    service.delete_item({"pk": "a", "sk": 1})
    assert service.get_item({"pk": "a", "sk": 1}) is None


def test_query_with_sort_key_condition(service: DynamoDBService, table: str) -> None:
    service.batch_write_items(
        [{"pk": "a", "sk": i} for i in range(10)] + [{"pk": "b", "sk": 1}]
    )
    items = service.query("pk = :pk AND sk >= :lo", {":pk": "a", ":lo": 6})
    assert [int(i["sk"]) for i in items] == [6, 7, 8, 9]
    items = service.query(Key("pk").eq("a") & Key("sk").between(2, 3))
    assert [int(i["sk"]) for i in items] == [2, 3]


def test_query_filter_limit_returns_exactly_limit(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items(
        [{"pk": "a", "sk": i, "hot": i % 10 == 0} for i in range(100)]
    )
    items = service.query(
        "pk = :pk", {":pk": "a"}, limit=4, filter_expression=Attr("hot").eq(True)
    )
    assert [int(i["sk"]) for i in items] == [0, 10, 20, 30]


def test_scan_with_filter_and_limit(service: DynamoDBService, table: str) -> None:
    service.batch_write_items(
        [
            {"pk": f"p{i % 7}", "sk": i, "color": "red" if i % 10 == 0 else "blue"}
            for i in range(200)
        ]
    )
    assert len(service.scan("color = :c", {":c": "red"})) == 20
    limited = service.scan("color = :c", {":c": "red"}, limit=5)
    assert len(limited) == 5 and all(i["color"] == "red" for i in limited)


def test_batch_write_60_and_batch_get_150(service: DynamoDBService, table: str) -> None:
    service.batch_write_items(
        [{"pk": "a", "sk": i, "v": str(i)} for i in range(150)][:60]
    )
    service.batch_write_items(
        [{"pk": "a", "sk": i, "v": str(i)} for i in range(60, 150)]
    )
    items = service.batch_get_items([{"pk": "a", "sk": i} for i in range(150)])
    counts = Counter(int(i["sk"]) for i in items)
    assert sorted(counts) == list(range(150)) and set(counts.values()) == {1}
    assert all(i["v"] == str(i["sk"]) for i in items)


def test_reserved_words_in_update_and_filter(
    service: DynamoDBService, table: str
) -> None:
    names = {"#s": "status", "#n": "name"}
    service.update_item(
        {"pk": "a", "sk": 1},
        "SET #s = :s, #n = :n",
        {":s": "open", ":n": "Ann"},
        expression_attribute_names=names,
    )
    service.put_item({"pk": "a", "sk": 2, "status": "closed", "name": "Bob"})
    items = service.scan(
        "#s = :s", {":s": "open"}, expression_attribute_names={"#s": "status"}
    )
    assert [i["name"] for i in items] == ["Ann"]
    items = service.query(
        "pk = :pk",
        {":pk": "a", ":n": "Bob"},
        filter_expression="#n = :n",
        expression_attribute_names={"#n": "name"},
    )
    assert [i["status"] for i in items] == ["closed"]


def test_create_if_absent_twice(service: DynamoDBService, table: str) -> None:
    service.put_item(
        {"pk": "a", "sk": 1, "v": 1}, condition_expression="attribute_not_exists(pk)"
    )
    with pytest.raises(ClientError) as error:
        service.put_item(
            {"pk": "a", "sk": 1, "v": 2}, condition_expression=Attr("pk").not_exists()
        )
    assert error.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert service.get_item({"pk": "a", "sk": 1}) == {"pk": "a", "sk": 1, "v": 1}


def test_optimistic_locking_one_writer_wins(
    service: DynamoDBService, table: str
) -> None:
    service.put_item({"pk": "doc", "sk": 1, "version": 1})
    both_have_read = threading.Barrier(2)

    def write(writer: str) -> str:
        seen = service.get_item({"pk": "doc", "sk": 1}, consistent_read=True)
        assert seen is not None
        both_have_read.wait()  # both writers saw version 1 before either writes
        try:
            service.update_item(
                {"pk": "doc", "sk": 1},
                "SET version = :next, writer = :w",
                {":next": seen["version"] + 1, ":w": writer, ":seen": seen["version"]},
                condition_expression="version = :seen",
            )
        except ClientError as error:
            return error.response["Error"]["Code"]
        return "won"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(write, ["alice", "bob"]))
    assert sorted(outcomes) == ["ConditionalCheckFailedException", "won"]
    final = service.get_item({"pk": "doc", "sk": 1})
    assert final is not None and final["version"] == 2
    assert final["writer"] == ["alice", "bob"][outcomes.index("won")]


def test_begins_with_key_condition(service: DynamoDBService, table_name: str) -> None:
    service.create_table(
        table_name,
        [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    service.batch_write_items([{"pk": "x", "sk": s} for s in ("a#1", "a#2", "b#1")])
    items = service.query(Key("pk").eq("x") & Key("sk").begins_with("a#"))
    assert [i["sk"] for i in items] == ["a#1", "a#2"]


def test_ttl_where_the_server_has_it(
    service: DynamoDBService, table: str, server_features: ServerFeatures
) -> None:
    if not server_features.ttl:
        with pytest.raises(ClientError) as error:  # e.g. dynalite: no TTL API
            service.enable_ttl("expires_at")
        assert error.value.response["Error"]["Code"] == "UnknownOperationException"
        return
    service.enable_ttl("expires_at")
    described = service._client.describe_time_to_live(TableName=table)
    assert described["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_gsi_query_after_writes(service: DynamoDBService, table_name: str) -> None:
    service.create_table(
        table_name,
        [{"AttributeName": "pk", "KeyType": "HASH"}],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
        ],
        global_secondary_indexes=[
            {
                "IndexName": "by_email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    service.put_item({"pk": "u1", "email": "ann@example.com"})
    service.put_item({"pk": "u2", "email": "bob@example.com"})
    items = service.query(Key("email").eq("bob@example.com"), index_name="by_email")
    assert [i["pk"] for i in items] == ["u2"]
    assert service.count(Key("email").eq("ann@example.com"), index_name="by_email") == 1


def test_projection_consistent_read_and_count(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items(
        [{"pk": "a", "sk": i, "big": "x" * 10, "n": i} for i in range(30)]
    )
    assert service.get_item(
        {"pk": "a", "sk": 3}, projection_expression="n", consistent_read=True
    ) == {"n": 3}
    assert service.query(
        "pk = :pk", {":pk": "a"}, limit=2, projection_expression="sk"
    ) == [{"sk": 0}, {"sk": 1}]
    assert service.batch_get_items(
        [{"pk": "a", "sk": 4}], projection_expression="n"
    ) == [{"n": 4}]
    assert service.count(filter_expression=Attr("n").lt(10)) == 10
    assert service.count("pk = :pk", {":pk": "a"}, consistent_read=True) == 30


def test_streaming_pages_and_parallel_scan(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": f"p{i % 50}", "sk": i} for i in range(2000)])
    seen = Counter(int(i["sk"]) for i in service.iter_scan(total_segments=4))
    assert sorted(seen) == list(range(2000)) and set(seen.values()) == {1}
    page = service.scan_page(page_size=700)
    collected = [int(i["sk"]) for i in page.items]
    while page.next_token is not None:
        page = service.scan_page(page_size=700, next_token=page.next_token)
        collected += [int(i["sk"]) for i in page.items]
    assert sorted(collected) == list(range(2000))


def test_floats_round_trip(service: DynamoDBService, table: str) -> None:
    values = [0.1, 1e-130, {"m": [0.5, {"x": 2.25}]}]
    service.batch_write_items(
        [{"pk": "f", "sk": i, "v": v} for i, v in enumerate(values)]
    )
    items = service.query("pk = :pk", {":pk": "f"})
    assert [i["v"] for i in items] == [
        Decimal("0.1"),
        Decimal("1E-130"),
        {"m": [Decimal("0.5"), {"x": Decimal("2.25")}]},
    ]


def test_large_float_is_stored_exactly(
    service: DynamoDBService, table: str, plain_boto3_settings: dict[str, Any]
) -> None:
    service.put_item({"pk": "f", "sk": 9, "v": 9.99e125})
    assert service.count(filter_expression=Attr("v").eq(Decimal("9.99E+125"))) == 1
    # the answer as the server wrote it, not decoded
    plain = boto3.client("dynamodb", **plain_boto3_settings)
    raw = plain.get_item(TableName=table, Key={"pk": {"S": "f"}, "sk": {"N": "9"}})
    if len(raw["Item"]["v"]["N"]) <= 38:
        # dynalite answers this number as 126 plain digits, which boto3's
        # deserializer refuses (38-digit context); DynamoDB answers 9.99E+125.
        item = service.get_item({"pk": "f", "sk": 9})
        assert item is not None and item["v"] == Decimal("9.99E+125")


def test_native_numbers(
    logger: logging.Logger, base_config: DynamoDBConfig, table_name: str
) -> None:
    config = base_config.model_copy(
        update={"numbers_as": "native", "default_table_name": table_name}
    )
    service = DynamoDBService(logger, config)
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    try:
        service.put_item({"pk": "a", "sk": 1, "f": 0.1, "i": 7})
        item = service.get_item({"pk": "a", "sk": 1})
        assert item == {"pk": "a", "sk": 1, "f": 0.1, "i": 7}
        assert item is not None and type(item["f"]) is float and type(item["i"]) is int
    finally:
        service.delete_table(table_name)


def test_pay_per_request_table(
    logger: logging.Logger, base_config: DynamoDBConfig, table_name: str
) -> None:
    config = base_config.model_copy(update={"billing_mode": "PAY_PER_REQUEST"})
    service = DynamoDBService(logger, config)
    service.create_table(table_name, KEY_SCHEMA, ATTRIBUTES)
    try:
        described = service._client.describe_table(TableName=table_name)["Table"]
        assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    finally:
        service.delete_table(table_name)


def test_unknown_table_raises_resource_not_found(service: DynamoDBService) -> None:
    with pytest.raises(ClientError) as error:
        service.get_item({"pk": "a", "sk": 1}, table_name="no-such-table-here")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_transactions_where_the_server_has_them(
    service: DynamoDBService, table: str, server_features: ServerFeatures
) -> None:
    actions = [
        {"Put": {"Item": {"pk": "t", "sk": 1}}},
        {"Put": {"Item": {"pk": "t", "sk": 2}}},
    ]
    if not server_features.transactions:
        # e.g. dynalite has no transactions (they are tested on moto): the call
        # fails as a whole and stores nothing.
        with pytest.raises(ClientError) as error:
            service.transact_write_items(actions)
        assert error.value.response["Error"]["Code"] == "UnknownOperationException"
        assert service.count() == 0
        return
    service.transact_write_items(actions)
    assert service.transact_get_items([{"pk": "t", "sk": 1}, {"pk": "t", "sk": 3}]) == [
        {"pk": "t", "sk": 1},
        None,
    ]


def test_batch_write_duplicate_keys_last_wins(
    service: DynamoDBService, table: str
) -> None:
    items = [{"pk": "a", "sk": i % 5, "v": i} for i in range(12)]
    service.batch_write_items(items)
    stored = sorted(service.query("pk = :pk", {":pk": "a"}), key=lambda i: int(i["sk"]))
    assert [(int(i["sk"]), int(i["v"])) for i in stored] == [
        (0, 10),
        (1, 11),
        (2, 7),
        (3, 8),
        (4, 9),
    ]


def test_batch_get_duplicate_keys_each_item_once(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": "a", "sk": i} for i in range(3)])
    keys = [{"pk": "a", "sk": i % 3} for i in range(9)]
    assert sorted(int(i["sk"]) for i in service.batch_get_items(keys)) == [0, 1, 2]
