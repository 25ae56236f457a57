"""Table settings on create_table, update_table and describe_table; tags and
resource policies: each setting reaches DynamoDB (read back where moto
keeps it, else seen in the request sent) and is checked before anything
is sent."""

import dataclasses
import json
from types import MappingProxyType
import math
from typing import Any

import boto3
import pytest

from services.dynamodb import DynamoDBService, VectorIndex
from services.dynamodb.testing import TableSpec, mock_dynamodb_service
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA
from services.dynamodb.operations.tables import TABLE_WAIT_DELAY_SECONDS
from tests.dynamodb.faults import (
    AnswerInjector,
    inject_answer,
    inject_errors,
    request_params,
)

NEW = "customers"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "123456789012"},
            "Action": "dynamodb:GetItem",
            "Resource": "*",
        }
    ],
}
VECTORS = VectorIndex("by_meaning", "embedding", 3, "EUCLIDEAN", "KEYS_ONLY")
FILTERED = VectorIndex(
    "by_tenant",
    "embedding",
    3,
    projection=["title"],
    search_schema={"tenant": "HASH", "kind": "INLINE_FILTER"},
)


def sent(service: DynamoDBService) -> list[tuple[str, dict[str, Any]]]:
    """Every request the service sends from now on: (operation, params)."""
    requests: list[tuple[str, dict[str, Any]]] = []

    def record(request: Any, event_name: str, **kwargs: Any) -> None:
        requests.append((event_name.rsplit(".", 1)[-1], request_params(request)))

    service._client.meta.events.register("before-send.dynamodb", record)
    return requests


def params_of(requests: list[tuple[str, dict[str, Any]]], name: str) -> dict[str, Any]:
    (params,) = [params for operation, params in requests if operation == name]
    return params


def create(service: DynamoDBService, **settings: Any) -> None:
    service.create_table(NEW, KEY_SCHEMA, ATTRIBUTES, **settings)


def test_a_new_table_describes_with_no_setting_turned_on(
    service: DynamoDBService, table: str
) -> None:
    described = service.describe_table()

    assert described.deletion_protection is False
    assert (described.stream_view_type, described.stream_arn) == (None, None)
    assert described.point_in_time_recovery_days is None
    assert described.max_read_request_units is None
    assert described.vector_indexes == ()


def test_deletion_protection_keeps_the_table_until_turned_off(
    service: DynamoDBService,
) -> None:
    create(service, deletion_protection=True)

    assert service.describe_table(NEW).deletion_protection is True
    with pytest.raises(service.exceptions.ClientError):
        service.delete_table(NEW)
    unprotected = service.update_table(NEW, deletion_protection=False)
    assert unprotected.deletion_protection is False
    service.delete_table(NEW)
    assert not service.table_exists(NEW)


def test_update_table_turns_deletion_protection_on(
    service: DynamoDBService, table: str
) -> None:
    assert service.update_table(deletion_protection=True).deletion_protection is True


def test_tags_given_to_create_table_are_the_tables(service: DynamoDBService) -> None:
    create(service, tags={"team": "billing", "tier": "gold"})

    assert service.table_tags(NEW) == {"team": "billing", "tier": "gold"}


def test_tags_are_added_changed_and_removed(
    service: DynamoDBService, table: str
) -> None:
    service.tag_table(None, {"team": "billing", "tier": "gold"})
    service.tag_table(table, {"tier": "silver"})
    service.untag_table(table, ["team", "never-set"])

    assert service.table_tags() == {"tier": "silver"}


def test_table_tags_follows_every_page(service: DynamoDBService, table: str) -> None:
    many = {"key-%02d" % number: str(number) for number in range(25)}
    requests = sent(service)
    service.tag_table(table, many)

    assert service.table_tags(table) == many
    pages = [params for name, params in requests if name == "ListTagsOfResource"]
    assert len(pages) > 1  # moto answers ten tags a page


def test_the_table_arn_is_described_once_then_remembered(
    service: DynamoDBService, table: str
) -> None:
    fresh = DynamoDBService(service.log, service.config)
    requests = sent(fresh)

    fresh.tag_table(table, {"a": "1"})
    fresh.untag_table(table, ["a"])
    fresh.table_tags(table)

    assert [name for name, _ in requests].count("DescribeTable") == 1
    arn = service.describe_table().arn
    tagged = params_of(requests, "TagResource")
    assert tagged == {"ResourceArn": arn, "Tags": [{"Key": "a", "Value": "1"}]}


def test_a_policy_is_put_read_and_deleted(service: DynamoDBService, table: str) -> None:
    assert service.table_policy() is None

    service.put_table_policy(table, POLICY)
    assert json.loads(service.table_policy(table) or "") == POLICY
    service.delete_table_policy(table)

    assert service.table_policy(table) is None


def test_a_policy_given_as_text_is_sent_as_it_is(
    service: DynamoDBService, table: str
) -> None:
    text = json.dumps(POLICY, indent=1)
    service.put_table_policy(table, text)

    assert service.table_policy(table) == text


def test_table_policy_of_an_unknown_table_is_botocores_error(
    service: DynamoDBService,
) -> None:
    with pytest.raises(service.exceptions.ResourceNotFoundException):
        service.table_policy("missing")


def test_the_recovery_window_is_set_on_create_changed_and_turned_off(
    service: DynamoDBService,
) -> None:
    create(service, point_in_time_recovery_days=7)
    assert service.describe_table(NEW).point_in_time_recovery_days == 7

    longer = service.update_table(NEW, point_in_time_recovery_days=20)
    assert longer.point_in_time_recovery_days == 20
    off = service.update_table(NEW, point_in_time_recovery_days=0)
    assert off.point_in_time_recovery_days is None


def test_a_recovery_window_alone_sends_no_update_table(
    service: DynamoDBService, table: str
) -> None:
    requests = sent(service)

    service.update_table(point_in_time_recovery_days=35)

    names = [name for name, _ in requests]
    assert "UpdateTable" not in names
    assert params_of(requests, "UpdateContinuousBackups") == {
        "TableName": table,
        "PointInTimeRecoverySpecification": {
            "PointInTimeRecoveryEnabled": True,
            "RecoveryPeriodInDays": 35,
        },
    }


def test_a_stream_given_to_create_table_is_described(
    service: DynamoDBService,
) -> None:
    create(service, stream_view_type="NEW_AND_OLD_IMAGES")

    described = service.describe_table(NEW)

    assert described.stream_view_type == "NEW_AND_OLD_IMAGES"
    assert (described.stream_arn or "").startswith((described.arn or "-") + "/stream/")


def test_update_table_turns_the_stream_on_and_off(
    service: DynamoDBService, table: str
) -> None:
    on = service.update_table(stream_view_type="KEYS_ONLY")
    assert on.stream_view_type == "KEYS_ONLY" and on.stream_arn is not None

    off = service.update_table(stream_enabled=False)
    assert off.stream_view_type is None


def test_warm_throughput_is_set_and_changed(service: DynamoDBService) -> None:
    create(service, warm_read_units_per_second=12000, warm_write_units_per_second=4000)
    described = service.describe_table(NEW)
    assert (
        described.warm_read_units_per_second,
        described.warm_write_units_per_second,
    ) == (12000, 4000)

    changed = service.update_table(NEW, warm_read_units_per_second=13000)
    assert changed.warm_read_units_per_second == 13000


def test_settings_moto_does_not_keep_are_sent_to_create_table(
    service: DynamoDBService,
) -> None:
    requests = sent(service)

    create(
        service,
        table_class="STANDARD_INFREQUENT_ACCESS",
        max_read_request_units=10,
        max_write_request_units=-1,
        resource_policy=POLICY,
        vector_indexes=[VECTORS],
    )

    request = params_of(requests, "CreateTable")
    assert request["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert request["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 10,
        "MaxWriteRequestUnits": -1,
    }
    assert json.loads(request["ResourcePolicy"]) == POLICY
    assert request["VectorIndexes"] == [VECTORS.to_request()]
    assert "DeletionProtectionEnabled" not in request  # left to the default


def test_settings_moto_does_not_keep_are_sent_to_update_table(
    service: DynamoDBService, table: str
) -> None:
    requests = sent(service)

    service.update_table(
        table_class="STANDARD", max_write_request_units=50, add_vector_index=VECTORS
    )
    service.update_table(delete_vector_index="by_meaning")

    first, second = [p for name, p in requests if name == "UpdateTable"]
    assert first["TableClass"] == "STANDARD"
    assert first["OnDemandThroughput"] == {"MaxWriteRequestUnits": 50}
    assert first["VectorIndexUpdates"] == [{"Create": VECTORS.to_request()}]
    assert second["VectorIndexUpdates"] == [{"Delete": {"IndexName": "by_meaning"}}]
    assert "StreamSpecification" not in first  # None: unchanged


BAD_CREATES: dict[str, tuple[dict[str, Any], type[Exception], str]] = {
    "window 0": ({"point_in_time_recovery_days": 0}, ValueError, "recovery_days"),
    "window 36": ({"point_in_time_recovery_days": 36}, ValueError, "recovery_days"),
    "window text": ({"point_in_time_recovery_days": "7"}, TypeError, "recovery_days"),
    "negative max": ({"max_read_request_units": -2}, ValueError, "max_read_request"),
    "zero warm": ({"warm_write_units_per_second": 0}, ValueError, "warm_write"),
    "float warm": ({"warm_read_units_per_second": 1.5}, TypeError, "warm_read"),
    "bool max": ({"max_write_request_units": True}, TypeError, "max_write_request"),
    "table class": ({"table_class": "COLD"}, ValueError, "table_class"),
    "view type": ({"stream_view_type": "ALL"}, ValueError, "stream_view_type"),
    "flag": ({"deletion_protection": "yes"}, TypeError, "deletion_protection"),
    "tag value": ({"tags": {"team": 7}}, TypeError, "tags"),
    "tag list": ({"tags": [("team", "x")]}, TypeError, "tags"),
    "policy": ({"resource_policy": 7}, TypeError, "policy"),
    "vectors": ({"vector_indexes": [{"IndexName": "v"}]}, TypeError, "vector_indexes"),
    "max beyond 64 bits": (
        {"max_read_request_units": 2**63},
        ValueError,
        "max_read_request_units must be at most",
    ),
    "warm beyond 64 bits": (
        {"warm_write_units_per_second": 10**30},
        ValueError,
        "warm_write_units_per_second must be at most",
    ),
    "51 tags": ({"tags": {"t%d" % n: "x" for n in range(51)}}, ValueError, "tags"),
    "tag key of 129": ({"tags": {"k" * 129: "x"}}, ValueError, "tags"),
    "tag value of 257": ({"tags": {"team": "v" * 257}}, ValueError, "tags"),
    "reserved tag key": ({"tags": {"aws:team": "x"}}, ValueError, "tags"),
    "policy with NaN": (
        {"resource_policy": {"Version": float("nan")}},
        ValueError,
        "policy must be a JSON document",
    ),
    "policy with a set": (
        {"resource_policy": {"Statement": {"a"}}},
        ValueError,
        "policy must be a JSON document",
    ),
}


@pytest.mark.parametrize("bad", BAD_CREATES.values(), ids=BAD_CREATES.keys())
def test_a_malformed_setting_is_refused_before_create_table_sends_anything(
    service: DynamoDBService, bad: tuple[dict[str, Any], type[Exception], str]
) -> None:
    settings, error, named = bad
    requests = sent(service)

    with pytest.raises(error, match=named):
        create(service, **settings)

    assert requests == []


BAD_UPDATES: dict[str, tuple[dict[str, Any], type[Exception], str]] = {
    "no change": ({}, ValueError, "point_in_time_recovery_days"),
    "window -1": ({"point_in_time_recovery_days": -1}, ValueError, "recovery_days"),
    "window 36": ({"point_in_time_recovery_days": 36}, ValueError, "recovery_days"),
    "stream on without view": ({"stream_enabled": True}, ValueError, "view_type"),
    "stream off with view": (
        {"stream_enabled": False, "stream_view_type": "NEW_IMAGE"},
        ValueError,
        "stream_enabled",
    ),
    "stream flag": ({"stream_enabled": 1}, TypeError, "stream_enabled"),
    "table class": ({"table_class": "standard"}, ValueError, "table_class"),
    "negative warm": ({"warm_read_units_per_second": -1}, ValueError, "warm_read"),
    "vector index": ({"add_vector_index": {"IndexName": "v"}}, TypeError, "vector"),
    "vector name": ({"delete_vector_index": ""}, ValueError, "delete_vector_index"),
    "vector name pattern": (
        {"delete_vector_index": "a b/../c"},
        ValueError,
        "delete_vector_index",
    ),
    "flag": ({"deletion_protection": 0}, TypeError, "deletion_protection"),
}


@pytest.mark.parametrize("bad", BAD_UPDATES.values(), ids=BAD_UPDATES.keys())
def test_a_malformed_setting_is_refused_before_update_table_sends_anything(
    service: DynamoDBService,
    table: str,
    bad: tuple[dict[str, Any], type[Exception], str],
) -> None:
    change, error, named = bad
    requests = sent(service)

    with pytest.raises(error, match=named):
        service.update_table(**change)

    assert requests == []


BAD_TAGS: dict[str, tuple[str, Any, type[Exception]]] = {
    "no tags": ("tag_table", {}, ValueError),
    "not a mapping": ("tag_table", ["a"], TypeError),
    "empty key": ("tag_table", {"": "x"}, TypeError),
    "no keys": ("untag_table", [], ValueError),
    "one string": ("untag_table", "team", TypeError),
    "key not a string": ("untag_table", [1], TypeError),
    "policy not a document": ("put_table_policy", 3, TypeError),
    "empty policy": ("put_table_policy", " ", ValueError),
}


@pytest.mark.parametrize("bad", BAD_TAGS.values(), ids=BAD_TAGS.keys())
def test_malformed_tags_and_policies_are_refused_before_anything_is_sent(
    service: DynamoDBService, table: str, bad: tuple[str, Any, type[Exception]]
) -> None:
    method, value, error = bad
    requests = sent(service)

    with pytest.raises(error, match="tags|keys|policy"):
        getattr(service, method)(table, value)

    assert requests == []


def test_describe_table_reads_what_a_server_without_backups_says(
    service: DynamoDBService, table: str
) -> None:
    inject_errors(
        service._client, "DescribeContinuousBackups", "UnknownOperationException", 9
    )

    described = service.describe_table()

    assert described.status == "ACTIVE"
    assert described.point_in_time_recovery_days is None


def test_update_table_waits_until_a_new_vector_index_is_active(
    service: DynamoDBService, table: str, pauses: list[float]
) -> None:
    creating = {
        "Table": {
            "TableName": table,
            "TableStatus": "ACTIVE",
            "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/" + table,
            "KeySchema": KEY_SCHEMA,
            "AttributeDefinitions": ATTRIBUTES,
            "VectorIndexes": [
                {**VECTORS.to_request(), "IndexStatus": "CREATING"},
            ],
        }
    }
    # The description update_table reads first, then two polls of the wait.
    injected = inject_answer(
        service._client, "DescribeTable", json.dumps(creating).encode(), times=3
    )

    described = service.update_table(add_vector_index=VECTORS)

    assert injected.calls >= 5  # first, three polls, the last description
    assert described.vector_indexes == ()  # moto's own answer: no index


def test_describe_table_reads_every_setting_of_dynamodbs_answer(
    service: DynamoDBService, table: str
) -> None:
    # What moto does not keep, in an answer shaped as DynamoDB's model says.
    answer = {
        "Table": {
            "TableName": table,
            "TableStatus": "ACTIVE",
            "KeySchema": KEY_SCHEMA,
            "AttributeDefinitions": ATTRIBUTES,
            "TableClassSummary": {"TableClass": "STANDARD_INFREQUENT_ACCESS"},
            "StreamSpecification": {
                "StreamEnabled": False,
                "StreamViewType": "KEYS_ONLY",
            },
            "OnDemandThroughput": {
                "MaxReadRequestUnits": 40,
                "MaxWriteRequestUnits": -1,
            },
            "VectorIndexes": [
                {**VECTORS.to_request(), "IndexStatus": "ACTIVE"},
                {**FILTERED.to_request(), "IndexStatus": "CREATING"},
            ],
        }
    }
    inject_answer(
        service._client, "DescribeTable", json.dumps(answer).encode(), times=1
    )

    described = service.describe_table()

    assert described.table_class == "STANDARD_INFREQUENT_ACCESS"
    assert described.stream_view_type is None  # a stream turned off
    assert (described.max_read_request_units, described.max_write_request_units) == (
        40,
        None,
    )
    index, filtered = described.vector_indexes
    assert filtered == dataclasses.replace(FILTERED, status="CREATING")
    assert hash(described) == hash(dataclasses.replace(described))
    assert (index.name, index.attribute, index.dimensions) == (
        "by_meaning",
        "embedding",
        3,
    )
    assert (index.distance_function, index.projection, index.status) == (
        "EUCLIDEAN",
        "KEYS_ONLY",
        "ACTIVE",
    )


def test_table_spec_takes_the_settings_and_the_kit_removes_a_protected_table() -> None:
    spec = TableSpec(
        "protected",
        "pk",
        deletion_protection=True,
        tags={"team": "billing"},
        point_in_time_recovery_days=3,
        stream_view_type="KEYS_ONLY",
    )
    with mock_dynamodb_service(spec) as service:
        described = service.describe_table()
        assert described.deletion_protection is True
        assert described.point_in_time_recovery_days == 3
        assert described.stream_view_type == "KEYS_ONLY"
        assert service.table_tags() == {"team": "billing"}
    # Under this test's own mock_aws, the block's table is gone again.
    client = boto3.client("dynamodb", region_name="us-east-1")
    assert client.list_tables()["TableNames"] == []


BACKUPS_NOT_READY = "ContinuousBackupsUnavailableException"


def backups_unavailable(service: DynamoDBService, times: int) -> AnswerInjector:
    """Answer the first ``times`` UpdateContinuousBackups as DynamoDB does
    while a new table's backups are still being enabled."""
    answer = {"__type": "com.amazonaws.dynamodb.v20120810#" + BACKUPS_NOT_READY}
    injector = AnswerInjector(
        json.dumps({**answer, "message": "Backups are being enabled"}).encode(),
        {"Content-Type": "application/x-amz-json-1.0"},
        times=times,
        status=400,
    )
    service._client.meta.events.register_first(
        "before-send.dynamodb.UpdateContinuousBackups", injector
    )
    return injector


def test_recovery_of_a_new_table_is_asked_again_while_its_backups_are_enabled(
    service: DynamoDBService, pauses: list[float]
) -> None:
    injector = backups_unavailable(service, times=2)

    create(service, point_in_time_recovery_days=7)

    assert injector.calls == 3
    assert service.describe_table(NEW).point_in_time_recovery_days == 7
    assert pauses == [TABLE_WAIT_DELAY_SECONDS] * 2


def test_recovery_that_cannot_be_turned_on_says_the_table_was_created(
    service: DynamoDBService, pauses: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    injector = backups_unavailable(service, times=10**6)
    attempts = math.ceil(
        service.config.table_wait_timeout_seconds / TABLE_WAIT_DELAY_SECONDS
    )

    with pytest.raises(getattr(service.exceptions, BACKUPS_NOT_READY)):
        create(service, point_in_time_recovery_days=7)

    assert injector.calls == attempts  # bounded by the table wait
    assert service.table_exists(NEW)
    assert f"Table {NEW} was created and is ACTIVE" in caplog.text


def test_vector_indexes_are_described_as_dynamodb_gives_them(
    service: DynamoDBService, table: str
) -> None:
    # An index being deleted names little else; a newer distance function
    # is not one this version checks new indexes against.
    deleting = {"IndexName": "old_meaning", "IndexStatus": "DELETING"}
    newer = {**VECTORS.to_request(), "DistanceFunction": "MANHATTAN"}
    answer = {
        "Table": {
            "TableName": table,
            "TableStatus": "UPDATING",
            "KeySchema": KEY_SCHEMA,
            "AttributeDefinitions": ATTRIBUTES,
            "VectorIndexes": [deleting, newer],
        }
    }
    inject_answer(
        service._client, "DescribeTable", json.dumps(answer).encode(), times=1
    )

    gone, kept = service.describe_table().vector_indexes

    assert (gone.name, gone.status, gone.attribute, gone.dimensions) == (
        "old_meaning",
        "DELETING",
        "",
        0,
    )
    assert str(kept.distance_function) == "MANHATTAN"
    assert (kept.name, kept.dimensions) == (VECTORS.name, VECTORS.dimensions)


@pytest.mark.parametrize(
    "fields, named",
    [
        ({"name": "ab"}, "VectorIndex.name"),
        ({"name": "x" * 256}, "VectorIndex.name"),
        ({"name": "by meaning"}, "VectorIndex.name"),
        ({"dimensions": 4097}, "VectorIndex.dimensions"),
        ({"dimensions": 0}, "VectorIndex.dimensions"),
    ],
)
def test_a_vector_index_breaking_dynamodbs_limits_is_refused_when_made(
    fields: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        dataclasses.replace(VECTORS, **fields)


def test_a_policy_mapping_of_any_kind_is_sent_as_its_json(
    service: DynamoDBService, table: str
) -> None:
    policy = MappingProxyType({"Version": "2012-10-17", "Statement": []})
    service.put_table_policy(table, policy)
    assert json.loads(str(service.table_policy(table))) == dict(policy)
