"""Bad input gets a clear error that names the problem, and nothing is stored."""

import datetime
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError, ParamValidationError
from pydantic import BaseModel, ValidationError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA

KEY = {"pk": "a", "sk": 1}
NAN = float("nan")
Call = Callable[[DynamoDBService], object]
INT_NAMED: dict[Any, Any] = {**KEY, 5: "x"}
CONFIG_AS_DICT = {"region_name": "us-east-1"}


def config(**fields: Any) -> Call:
    return lambda service: DynamoDBConfig(**{"region_name": "us-east-1", **fields})


CASES: list[Any] = [
    # configuration
    pytest.param(
        config(region_name="useast1"),
        ValidationError,
        "region_name must look like an AWS region",
        id="region-no-dashes",
    ),
    pytest.param(
        config(region_name=""), ValidationError, "region_name", id="region-empty"
    ),
    pytest.param(
        config(region_name=5), ValidationError, "region_name", id="region-wrong-type"
    ),
    pytest.param(
        config(aws_access_key_id="AKID"),
        ValidationError,
        "without aws_secret_access_key",
        id="key-id-alone",
    ),
    pytest.param(
        config(aws_secret_access_key="s"),
        ValidationError,
        "without aws_access_key_id",
        id="secret-alone",
    ),
    pytest.param(
        config(aws_session_token="t"),
        ValidationError,
        "aws_session_token is only valid",
        id="token-alone",
    ),
    pytest.param(
        config(endpoint_url="localhost:8000"),
        ValidationError,
        "endpoint_url must be an http",
        id="endpoint-no-scheme",
    ),
    pytest.param(
        config(default_table_name="ab"),
        ValidationError,
        "default_table_name must be 3-255",
        id="default-table-short",
    ),
    pytest.param(
        config(read_capacity_units=0),
        ValidationError,
        "read_capacity_units",
        id="rcu-zero",
    ),
    pytest.param(
        config(write_capacity_units=-2),
        ValidationError,
        "write_capacity_units",
        id="wcu-negative",
    ),
    pytest.param(
        config(connect_timeout_seconds=0),
        ValidationError,
        "connect_timeout_seconds",
        id="connect-timeout-zero",
    ),
    pytest.param(
        config(read_timeout_seconds=-1),
        ValidationError,
        "read_timeout_seconds",
        id="read-timeout-negative",
    ),
    pytest.param(
        config(max_attempts=0), ValidationError, "max_attempts", id="attempts-zero"
    ),
    pytest.param(
        config(retry_mode="fastest"),
        ValidationError,
        "retry_mode",
        id="retry-mode-unknown",
    ),
    pytest.param(
        config(billing_mode="ON_DEMAND"),
        ValidationError,
        "billing_mode",
        id="billing-unknown",
    ),
    pytest.param(
        config(numbers_as="float"),
        ValidationError,
        "numbers_as",
        id="numbers-as-unknown",
    ),
    # tables
    pytest.param(
        lambda s: s.create_table("a b", KEY_SCHEMA, ATTRIBUTES),
        ValueError,
        "table name must be 3-255.*'a b'",
        id="create-bad-name",
    ),
    pytest.param(
        lambda s: s.create_table("x" * 256, KEY_SCHEMA, ATTRIBUTES),
        ValueError,
        "table name must be 3-255",
        id="create-long-name",
    ),
    pytest.param(
        lambda s: s.delete_table("missing-table"),
        ClientError,
        "ResourceNotFoundException",
        id="delete-unknown-table",
    ),
    # single items
    pytest.param(
        lambda s: s.put_item({}),
        ValueError,
        "item must name at least one",
        id="put-empty",
    ),
    pytest.param(
        lambda s: s.put_item("pk=a"),
        ValueError,
        "item must be a dict.*str",
        id="put-wrong-type",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": NAN}),
        ValueError,
        "cannot be stored in DynamoDB: Infinity and NaN not supported",
        id="put-nan",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": [float("inf")]}),
        ValueError,
        r"item\.v\[0\] cannot be stored in DynamoDB: Infinity and NaN",
        id="put-nested-inf",
    ),
    pytest.param(
        lambda s: s.put_item({"pk": "a"}),
        ValueError,
        "item lacks key attribute 'sk' of table orders",
        id="put-missing-key-attribute",
    ),
    pytest.param(
        lambda s: s.put_item(KEY, condition_expression="attribute_not_exists(#p)"),
        ValueError,
        "placeholder used but not supplied.*#p",
        id="put-missing-name",
    ),
    pytest.param(
        lambda s: s.put_item(KEY, condition_expression=42),
        ValueError,
        "ConditionExpression must be a string",
        id="put-condition-type",
    ),
    pytest.param(
        lambda s: s.put_item(KEY, table_name="missing-table"),
        ClientError,
        "ResourceNotFoundException",
        id="put-unknown-table",
    ),
    pytest.param(
        lambda s: s.get_item({}),
        ValueError,
        "key must name at least one",
        id="get-empty-key",
    ),
    pytest.param(
        lambda s: s.get_item(None),
        ValueError,
        "key must be a dict.*NoneType",
        id="get-none-key",
    ),
    pytest.param(
        lambda s: s.get_item(["pk", "a"]),
        ValueError,
        "key must be a dict.*list",
        id="get-list-key",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": ["a"], "sk": 1}),
        ValueError,
        r"key\.pk must be a string, a number or bytes, got list",
        id="get-list-value",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": True, "sk": 1}),
        ValueError,
        r"key\.pk must be a string, a number or bytes, got bool",
        id="get-bool-value",
    ),
    pytest.param(
        lambda s: s.get_item(KEY, table_name="missing-table"),
        ClientError,
        "ResourceNotFoundException",
        id="get-unknown-table",
    ),
    pytest.param(
        lambda s: s.update_item({}, "SET v = :v", {":v": 1}),
        ValueError,
        "key must name at least one",
        id="update-empty-key",
    ),
    pytest.param(
        lambda s: s.update_item(KEY, "SET v = :v", None),
        ValueError,
        "not supplied.*:v",
        id="update-missing-value",
    ),
    pytest.param(
        lambda s: s.update_item(KEY, "SET #s = :v", {":v": 1}),
        ValueError,
        "not supplied.*#s",
        id="update-missing-name",
    ),
    pytest.param(
        lambda s: s.update_item(KEY, "SET v = :v", {":v": NAN}),
        ValueError,
        "cannot be stored in DynamoDB: Infinity and NaN not supported",
        id="update-nan",
    ),
    pytest.param(
        lambda s: s.delete_item({}),
        ValueError,
        "key must name at least one",
        id="delete-empty-key",
    ),
    pytest.param(
        lambda s: s.delete_item(KEY, condition_expression="v = :x"),
        ValueError,
        "not supplied.*:x",
        id="delete-missing-value",
    ),
    # query, scan, count
    pytest.param(
        lambda s: s.query("pk = :pk", {":pk": "a"}, limit=-1),
        ValueError,
        "limit must be 0.*-1",
        id="query-negative-limit",
    ),
    pytest.param(
        lambda s: s.query("pk = :pk", {":pk": "a"}, limit="5"),
        ValueError,
        "limit must be 0.*'5'",
        id="query-string-limit",
    ),
    pytest.param(
        lambda s: s.query("pk = :pk", {}),
        ValueError,
        "not supplied.*:pk",
        id="query-missing-value",
    ),
    pytest.param(
        lambda s: s.query(42),
        ValueError,
        "KeyConditionExpression must be a string",
        id="query-condition-type",
    ),
    pytest.param(
        lambda s: s.query("pk = :pk", {":pk": "a"}, table_name="missing-table"),
        ClientError,
        "ResourceNotFoundException",
        id="query-unknown-table",
    ),
    pytest.param(
        lambda s: s.query_page("pk = :p", {":p": "a"}, next_token="forged"),
        ValueError,
        "next_token is not a page token issued by this library",
        id="query-page-forged-token",
    ),
    pytest.param(
        lambda s: s.query_page("pk = :p", {":p": "a"}, page_size=0),
        ValueError,
        "page_size must be a positive",
        id="query-page-size-zero",
    ),
    pytest.param(
        lambda s: s.scan(limit=-5),
        ValueError,
        "limit must be 0.*-5",
        id="scan-negative-limit",
    ),
    pytest.param(
        lambda s: s.scan(total_segments=0),
        ValueError,
        "total_segments must be",
        id="scan-zero-segments",
    ),
    pytest.param(
        lambda s: s.scan("#n = :n", {":n": 1}),
        ValueError,
        "not supplied.*#n",
        id="scan-missing-name",
    ),
    pytest.param(
        lambda s: s.scan_page(page_size=-1),
        ValueError,
        "page_size must be a positive",
        id="scan-page-size-negative",
    ),
    pytest.param(
        lambda s: s.count(filter_expression="v > :v"),
        ValueError,
        "not supplied.*:v",
        id="count-missing-value",
    ),
    # batches
    pytest.param(
        lambda s: s.batch_write_items("items"),
        ValueError,
        "items must be a list.*str",
        id="batch-write-not-list",
    ),
    pytest.param(
        lambda s: s.batch_write_items([KEY, "x"]),
        ValueError,
        r"items\[1\] must be a dict",
        id="batch-write-wrong-item",
    ),
    pytest.param(
        lambda s: s.batch_write_items([KEY, {}]),
        ValueError,
        r"items\[1\] must name at least one",
        id="batch-write-empty-item",
    ),
    pytest.param(
        lambda s: s.batch_write_items([KEY, {"pk": "b"}]),
        ValueError,
        r"items\[1\] lacks key attribute 'sk'",
        id="batch-write-missing-key",
    ),
    pytest.param(
        lambda s: s.batch_write_items(
            [{"pk": "a", "sk": i} for i in range(40)] + [{**KEY, "v": NAN}]
        ),
        ValueError,
        "cannot be stored in DynamoDB: Infinity and NaN not supported",
        id="batch-write-nan-late",
    ),
    pytest.param(
        lambda s: s.batch_write_items([{"pk": {"m": 1}, "sk": 1}]),
        ValueError,
        r"items\[0\]\.pk must be of DynamoDB type S for table orders, got M",
        id="batch-write-map-key",
    ),
    pytest.param(
        lambda s: s.batch_get_items(KEY),
        ValueError,
        "keys must be a list.*dict",
        id="batch-get-not-list",
    ),
    pytest.param(
        lambda s: s.batch_get_items([{}]),
        ValueError,
        r"keys\[0\] must name at least one",
        id="batch-get-empty-key",
    ),
    pytest.param(
        lambda s: s.batch_get_items([KEY, {"pk": 1.5j, "sk": 1}]),
        ValueError,
        r"keys\[1\]\.pk must be a string, a number or bytes, got complex",
        id="batch-get-complex-key",
    ),
    pytest.param(
        lambda s: s.batch_get_items([KEY], table_name="missing-table"),
        ClientError,
        "ResourceNotFoundException",
        id="batch-get-unknown-table",
    ),
    # transactions
    pytest.param(
        lambda s: s.transact_write_items([]),
        ValueError,
        "1 to 100 actions, got 0",
        id="transact-empty",
    ),
    pytest.param(
        lambda s: s.transact_write_items(
            [{"Put": {"Item": KEY}}, {"Put": {"Item": {}}}]
        ),
        ValueError,
        r"actions\[1\] Item must name",
        id="transact-empty-item",
    ),
    pytest.param(
        lambda s: s.transact_write_items(
            [{"Put": {"Item": {**KEY, "card": "4111-secret"}}, "Delete": {"Key": KEY}}]
        ),
        ValueError,
        # the action's kinds, never its values
        r"actions\[0\] must be a dict with exactly one of .*keys \['Delete', 'Put'\]$",
        id="transact-two-kinds",
    ),
    pytest.param(
        lambda s: s.transact_get_items([{}]),
        ValueError,
        r"keys\[0\] must name at least one",
        id="transact-get-empty-key",
    ),
]


CASES += [
    # numbers out of DynamoDB's range or precision, at any depth
    pytest.param(
        lambda s: s.put_item({**KEY, "m": {"l": [1, 5e-324]}}),
        ValueError,
        r"item\.m\.l\[1\] cannot be stored in DynamoDB: number outside",
        id="put-nested-underflow",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": 1.7e308}),
        ValueError,
        r"item\.v cannot be stored.*number outside",
        id="put-overflow-float",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": Decimal("1." + "2" * 38)}),
        ValueError,
        r"item\.v cannot be stored.*38-digit precision",
        id="put-39-digits",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": Decimal("Infinity")}),
        ValueError,
        r"item\.v cannot be stored.*Infinity and NaN",
        id="put-decimal-infinity",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": "a", "sk": 10**38}),
        ValueError,
        r"key\.sk cannot be stored.*number outside",
        id="get-key-10-to-the-38",
    ),
    pytest.param(
        lambda s: s.delete_item({"pk": "a", "sk": Decimal("NaN")}),
        ValueError,
        r"key\.sk cannot be stored.*Infinity and NaN",
        id="delete-key-nan",
    ),
    pytest.param(
        lambda s: s.query("pk = :p", {":p": 1.7e308}),
        ValueError,
        r"expression value :p cannot be stored.*number outside",
        id="query-value-overflow",
    ),
    pytest.param(
        lambda s: s.scan(Attr("v").eq(Decimal("1E+126"))),
        ValueError,
        r"expression value :v0 cannot be stored.*number outside",
        id="scan-condition-value-out-of-range",
    ),
    # tokens
    pytest.param(
        lambda s: s.scan_page(next_token="a+b/c="),
        ValueError,
        "next_token is not a page token issued by this library: not base64url",
        id="scan-page-standard-base64-token",
    ),
    pytest.param(
        lambda s: s.scan_page(next_token="W1tbW1tbW1tb"),
        ValueError,
        "next_token is not a page token issued by this library",
        id="scan-page-nested-token",
    ),
    # table names on every call
    pytest.param(
        lambda s: s.table_exists("bad name!"),
        ValueError,
        "table name must be 3-255.*'bad name!'",
        id="exists-bad-name",
    ),
    pytest.param(
        lambda s: s.get_item(KEY, "bad name!"),
        ValueError,
        "table name must be 3-255",
        id="get-bad-table-name",
    ),
    pytest.param(
        lambda s: s.delete_table("a"),
        ValueError,
        "table name must be 3-255",
        id="delete-short-name",
    ),
    pytest.param(
        lambda s: s.create_table(None, KEY_SCHEMA, ATTRIBUTES),
        TypeError,
        "table name must be a string, got NoneType",
        id="create-none-name",
    ),
    pytest.param(
        lambda s: s.scan(table_name=5),
        TypeError,
        "table name must be a string, got int",
        id="scan-int-table-name",
    ),
    pytest.param(
        lambda s: s.create_table(
            "other", KEY_SCHEMA, ATTRIBUTES, global_secondary_indexes=["by-email"]
        ),
        ValueError,
        "global_secondary_indexes must be a list of dicts",
        id="create-gsi-not-dicts",
    ),
    pytest.param(
        lambda s: s.create_table("other", KEY_SCHEMA[0], ATTRIBUTES),
        ValueError,
        "key_schema must be a list of dicts",
        id="create-schema-not-list",
    ),
    # attribute names and values
    pytest.param(
        lambda s: s.put_item(INT_NAMED),
        TypeError,
        "item: attribute names must be strings, got int 5",
        id="put-int-attribute-name",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "b": memoryview(b"x")}),
        ValueError,
        r"item\.b cannot be stored.*memoryview",
        id="put-memoryview",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "when": datetime.date(2026, 1, 1)}),
        ValueError,
        r"item\.when cannot be stored.*date",
        id="put-date",
    ),
    pytest.param(
        lambda s: s.get_item({**KEY, "hot": True}),
        ValueError,
        "key: 'hot' is not a key attribute of table orders",
        id="get-non-key-attribute",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": "a"}),
        ValueError,
        "key lacks key attribute 'sk' of table orders",
        id="get-partial-key",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": "a", "sk": "1"}),
        ValueError,
        r"key\.sk must be of DynamoDB type N for table orders, got S",
        id="get-key-wrong-type",
    ),
    pytest.param(
        lambda s: s.batch_get_items([KEY, {**KEY, "note": "x"}]),
        ValueError,
        r"keys\[1\]: 'note' is not a key attribute of table orders",
        id="batch-get-non-key-attribute",
    ),
    pytest.param(
        lambda s: s.transact_get_items([{"pk": 1, "sk": 1}]),
        ValueError,
        r"keys\[0\]\.pk must be of DynamoDB type S for table orders, got N",
        id="transact-get-key-wrong-type",
    ),
    # updates that would store only a key
    pytest.param(
        lambda s: s.update_item(KEY, None, None),
        ValueError,
        "update_expression must be a non-empty string",
        id="update-none-expression",
    ),
    pytest.param(
        lambda s: s.update_item(KEY, "  ", {}),
        ValueError,
        "update_expression must be a non-empty string",
        id="update-blank-expression",
    ),
    pytest.param(
        lambda s: s.transact_write_items(
            [{"Put": {"Item": KEY}}], client_request_token="x" * 37
        ),
        ValueError,
        "client_request_token must be a string of 1 to 36",
        id="transact-long-token",
    ),
    # options passed on to DynamoDB (botocore's own validation is off)
    pytest.param(
        lambda s: s.query("pk = :p", {":p": "a"}, index_name=5),
        TypeError,
        "IndexName must be a string, got int",
        id="query-index-name-type",
    ),
    pytest.param(
        lambda s: s.get_item(KEY, consistent_read="yes"),
        TypeError,
        "ConsistentRead must be a bool, got str",
        id="get-consistent-read-type",
    ),
    pytest.param(
        lambda s: s.scan("#n = :n", {":n": 1}, expression_attribute_names={"#n": 5}),
        TypeError,
        "expression_attribute_names must map",
        id="scan-names-type",
    ),
    pytest.param(
        lambda s: s.scan("n = :n", [(":n", 1)]),
        TypeError,
        "expression_attribute_values must map",
        id="scan-values-type",
    ),
    pytest.param(
        lambda s: s.create_table(
            "other", [{"AttributeName": "pk", "KeyTyp": "HASH"}], ATTRIBUTES[:1]
        ),
        ParamValidationError,
        "KeyTyp",
        id="create-schema-typo",
    ),
    pytest.param(
        lambda s: s.enable_ttl(5),
        ParamValidationError,
        "AttributeName",
        id="ttl-attribute-type",
    ),
    # the constructor
    pytest.param(
        lambda s: DynamoDBService("app", s.config),  # type: ignore[arg-type]
        TypeError,
        "logger must be a logging.Logger, got str",
        id="constructor-logger-type",
    ),
    pytest.param(
        lambda s: DynamoDBService(s.log, CONFIG_AS_DICT),  # type: ignore[arg-type]
        TypeError,
        "config must be a DynamoDBConfig, got dict",
        id="constructor-config-type",
    ),
    # configuration
    pytest.param(
        config(max_attempts=True), ValidationError, "max_attempts", id="attempts-true"
    ),
    pytest.param(
        config(read_capacity_units=True),
        ValidationError,
        "read_capacity_units",
        id="rcu-true",
    ),
    pytest.param(
        config(read_timeout_seconds=float("inf")),
        ValidationError,
        "read_timeout_seconds",
        id="timeout-infinite",
    ),
    pytest.param(
        config(connect_timeout_seconds=7200),
        ValidationError,
        "connect_timeout_seconds",
        id="timeout-over-an-hour",
    ),
    pytest.param(
        config(endpoint_url="http://127.0.0.1:0"),
        ValidationError,
        "port from 1 to 65535",
        id="endpoint-port-zero",
    ),
    # lone surrogates: the library's error, naming the path, never the text
    pytest.param(
        lambda s: s.put_item({**KEY, "v": "x\ud800"}),
        ValueError,
        r"item\.v cannot be stored in DynamoDB: text holds a lone surrogate",
        id="surrogate-in-value",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "n\ud800": 1}),
        ValueError,
        r"^item: an attribute name holds a lone surrogate",
        id="surrogate-in-name",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "m": {"l": [{"k\udfff": 1}]}}),
        ValueError,
        r"^item\.m\.l\[0\]: an attribute name holds a lone surrogate",
        id="surrogate-in-nested-name",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "ss": {"a", "b\ud800"}}),
        ValueError,
        r"item\.ss cannot be stored in DynamoDB: text holds a lone surrogate",
        id="surrogate-in-set",
    ),
    pytest.param(
        lambda s: s.put_item({"pk": "x\ud800", "sk": 1}),
        ValueError,
        r"item\.pk cannot be stored in DynamoDB: text holds a lone surrogate",
        id="surrogate-in-put-key",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": "x\ud800", "sk": 1}),
        ValueError,
        r"key\.pk cannot be stored in DynamoDB: text holds a lone surrogate",
        id="surrogate-in-get-key",
    ),
    pytest.param(
        lambda s: s.get_item({"p\ud800": "x", "sk": 1}),
        ValueError,
        r"^key: an attribute name holds a lone surrogate",
        id="surrogate-in-key-name",
    ),
    pytest.param(
        lambda s: s.update_item(
            KEY, "SET #n = :v", {":v": 1}, expression_attribute_names={"#n": "\ud800"}
        ),
        ValueError,
        r"^expression_attribute_names: an attribute name holds a lone surrogate",
        id="surrogate-in-expression-name",
    ),
    pytest.param(
        lambda s: s.update_item(KEY, "SET v = :v", {":v": ["\udc00"]}),
        ValueError,
        r"expression value :v\[0\] cannot be stored",
        id="surrogate-in-expression-value",
    ),
    # keys the table's schema refuses, refused before sending
    pytest.param(
        lambda s: s.put_item({"pk": 1, "sk": 1}),
        ValueError,
        r"item\.pk must be of DynamoDB type S for table orders, got N",
        id="put-key-of-the-wrong-type",
    ),
    pytest.param(
        lambda s: s.put_item({"pk": "", "sk": 1}),
        ValueError,
        r"item\.pk is empty: a key attribute cannot be an empty string",
        id="put-key-empty-string",
    ),
    pytest.param(
        lambda s: s.get_item({"pk": "", "sk": 1}),
        ValueError,
        r"key\.pk is empty",
        id="get-key-empty-string",
    ),
    # what boto3 refuses with TypeError is a TypeError here too
    pytest.param(
        lambda s: s.put_item({**KEY, "v": object()}),
        TypeError,
        r"item\.v cannot be stored in DynamoDB: unsupported type object",
        id="unsupported-type-is-a-type-error",
    ),
    pytest.param(
        lambda s: s.put_item({**KEY, "v": Decimal("NaN")}),
        TypeError,
        r"item\.v cannot be stored in DynamoDB: Infinity and NaN not supported",
        id="nan-is-a-type-error",
    ),
    pytest.param(
        lambda s: s.get_item(KEY, model=BaseModel),
        TypeError,
        r"model BaseModel cannot validate items",
        id="get-with-base-model",
    ),
    pytest.param(
        config(aws_access_key_id="", aws_secret_access_key="s"),
        ValidationError,
        "aws_access_key_id",
        id="key-id-empty",
    ),
]


@pytest.mark.parametrize("call, error_type, message", CASES)
def test_bad_input_is_refused_clearly_and_stores_nothing(
    service: DynamoDBService,
    table: str,
    call: Call,
    error_type: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error_type, match=message):
        call(service)
    assert service.scan() == []
    assert service.list_tables() == [table]


def test_there_are_at_least_100_cases() -> None:
    assert len(CASES) >= 100


def test_describes_unknown_table_key_schema_once(
    service: DynamoDBService, table: str
) -> None:
    calls: list[str] = []
    service._key_schemas.clear()  # as for a table this service did not create
    service._client.meta.events.register(
        "before-send.dynamodb.DescribeTable", lambda **kwargs: calls.append("d")
    )
    service.batch_write_items([KEY])
    service.batch_write_items([{"pk": "b", "sk": 2}])
    assert calls == ["d"]
    assert service.count() == 2


@pytest.mark.parametrize(
    "item",
    [{**KEY, "v": "x\ud800"}, {**KEY, "n\ud800": 1}, {"pk": "\udfff", "sk": 1}],
    ids=["value", "name", "key"],
)
def test_an_error_about_a_lone_surrogate_can_be_printed_and_logged(
    service: DynamoDBService, table: str, item: dict[str, Any]
) -> None:
    with pytest.raises(ValueError) as raised:
        service.put_item(item)
    text = str(raised.value) + repr(raised.value)
    assert text.encode("utf-8")  # no lone surrogate: printable anywhere
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def sent(service: DynamoDBService, operation: str) -> list[str]:
    """Record each ``operation`` request the service sends from now on."""
    requests: list[str] = []
    service._client.meta.events.register(
        "before-send.dynamodb." + operation, lambda **kwargs: requests.append("x")
    )
    return requests


@pytest.mark.parametrize("operation", ["batch_get_items", "batch_delete_items"])
def test_a_batch_with_one_bad_key_sends_nothing_even_from_a_new_service(
    service: DynamoDBService,
    table: str,
    logger: logging.Logger,
    config: DynamoDBConfig,
    operation: str,
) -> None:
    keys: list[dict[str, Any]] = [{"pk": "a", "sk": i} for i in range(250)]
    service.batch_write_items(keys)
    keys[150] = {"pk": 150, "sk": 150}
    fresh = DynamoDBService(logger, config)  # has not seen the key schema
    requests = sent(fresh, "BatchGetItem") + sent(fresh, "BatchWriteItem")
    with pytest.raises(ValueError, match=r"keys\[150\]\.pk must be of DynamoDB type S"):
        getattr(fresh, operation)(keys)
    assert requests == [] and service.count() == 250


def test_get_item_with_a_model_that_cannot_validate_sends_nothing(
    service: DynamoDBService, table: str
) -> None:
    requests = sent(service, "GetItem")
    with pytest.raises(TypeError, match="cannot validate items"):
        service.get_item(KEY, model=BaseModel)
    assert requests == []
