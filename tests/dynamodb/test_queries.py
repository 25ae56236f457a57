"""Query, iter_query, query_page and count on moto."""

from collections.abc import Iterator

import pytest
from boto3.dynamodb.conditions import Attr, Key

from services.dynamodb import DynamoDBService

BIG = "x" * 30_000  # 40 such items pass DynamoDB's 1 MB page size


@pytest.fixture
def rows(service: DynamoDBService, table: str) -> int:
    """Partition 'a' holds sk 0..59 (every 10th 'hot', each item 30 KB)."""
    service.batch_write_items(
        [{"pk": "a", "sk": i, "hot": i % 10 == 0, "pad": BIG} for i in range(60)]
        + [{"pk": "b", "sk": 0, "hot": True}]
    )
    return 60


def count_requests(service: DynamoDBService, operation: str) -> list[int]:
    calls: list[int] = []
    service._client.meta.events.register(
        f"before-send.dynamodb.{operation}", lambda **kwargs: calls.append(1)
    )
    return calls


def test_query_follows_every_page(service: DynamoDBService, rows: int) -> None:
    calls = count_requests(service, "Query")
    items = service.query("pk = :pk", {":pk": "a"})
    assert [int(i["sk"]) for i in items] == list(range(rows))
    assert len(calls) >= 2


def test_query_with_sort_key_condition(service: DynamoDBService, rows: int) -> None:
    items = service.query(
        "pk = :pk AND sk BETWEEN :lo AND :hi", {":pk": "a", ":lo": 5, ":hi": 9}
    )
    assert [int(i["sk"]) for i in items] == [5, 6, 7, 8, 9]


def test_query_limit_returns_exactly_limit(service: DynamoDBService, rows: int) -> None:
    assert len(service.query("pk = :pk", {":pk": "a"}, limit=45)) == 45
    assert len(service.query("pk = :pk", {":pk": "a"}, limit=500)) == rows


def test_query_limit_counts_filtered_items_not_evaluated_ones(
    service: DynamoDBService, rows: int
) -> None:
    items = service.query(
        Key("pk").eq("a"), filter_expression=Attr("hot").eq(True), limit=5
    )
    assert [int(i["sk"]) for i in items] == [0, 10, 20, 30, 40]


def test_query_accepts_condition_objects(service: DynamoDBService, rows: int) -> None:
    items = service.query(Key("pk").eq("a") & Key("sk").lt(3))
    assert [int(i["sk"]) for i in items] == [0, 1, 2]


def test_query_descending_with_projection(service: DynamoDBService, rows: int) -> None:
    items = service.query(
        "pk = :pk",
        {":pk": "a"},
        limit=2,
        scan_index_forward=False,
        projection_expression="sk",
        consistent_read=True,
    )
    assert items == [{"sk": 59}, {"sk": 58}]


def test_iter_query_is_lazy(service: DynamoDBService, rows: int) -> None:
    calls = count_requests(service, "Query")
    stream: Iterator[dict[str, object]] = service.iter_query("pk = :pk", {":pk": "a"})
    assert calls == []
    first = next(stream)
    assert first["sk"] == 0 and len(calls) == 1
    assert len(list(stream)) == rows - 1


def test_iter_query_checks_arguments_at_call(
    service: DynamoDBService, rows: int
) -> None:
    with pytest.raises(ValueError, match="limit must be 0"):
        service.iter_query("pk = :pk", {":pk": "a"}, limit=-1)


def test_query_page_walks_with_next_token(service: DynamoDBService, rows: int) -> None:
    seen: list[int] = []
    token: str | None = None
    pages = 0
    while True:
        page = service.query_page(
            "pk = :pk", {":pk": "a"}, page_size=25, next_token=token
        )
        seen += [int(i["sk"]) for i in page.items]
        pages += 1
        token = page.next_token
        if token is None:
            break
    assert seen == list(range(rows))
    assert pages >= 3


def test_query_page_rejects_foreign_token(service: DynamoDBService, rows: int) -> None:
    with pytest.raises(ValueError, match="not a page token issued by this library"):
        service.query_page("pk = :pk", {":pk": "a"}, next_token="garbage!")


def test_query_page_rejects_bad_page_size(service: DynamoDBService, rows: int) -> None:
    with pytest.raises(ValueError, match="page_size must be a positive"):
        service.query_page("pk = :pk", {":pk": "a"}, page_size=0)


def test_count_query_and_scan(service: DynamoDBService, rows: int) -> None:
    assert service.count("pk = :pk", {":pk": "a"}) == rows
    assert service.count(Key("pk").eq("a"), filter_expression=Attr("hot").eq(True)) == 6
    assert service.count() == rows + 1
    assert (
        service.count(
            filter_expression="hot = :t", expression_attribute_values={":t": True}
        )
        == 7
    )


def test_query_missing_placeholder_is_named(
    service: DynamoDBService, rows: int
) -> None:
    with pytest.raises(ValueError, match=":pk"):
        service.query("pk = :pk", {})


def test_query_unknown_table_raises_resource_not_found(
    service: DynamoDBService,
) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as error:
        service.query("pk = :pk", {":pk": "a"}, table_name="missing-table")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
