"""Scan, iter_scan (also parallel) and scan_page on moto."""

from collections import Counter

import pytest
from boto3.dynamodb.conditions import Attr

from services.dynamodb import DynamoDBService


@pytest.fixture
def rows(service: DynamoDBService, table: str) -> int:
    """200 items over 20 partitions; qty = i; every 10th is 'red'."""
    service.batch_write_items(
        [
            {
                "pk": f"p{i % 20}",
                "sk": i,
                "qty": i,
                "color": "red" if i % 10 == 0 else "blue",
            }
            for i in range(200)
        ]
    )
    return 200


def test_scan_returns_everything(service: DynamoDBService, rows: int) -> None:
    assert sorted(int(i["sk"]) for i in service.scan()) == list(range(rows))


def test_scan_filter_and_limit_returns_exactly_limit(
    service: DynamoDBService, rows: int
) -> None:
    items = service.scan("color = :c", {":c": "red"}, limit=7)
    assert len(items) == 7
    assert all(i["color"] == "red" for i in items)


def test_scan_limit_larger_than_matches(service: DynamoDBService, rows: int) -> None:
    assert len(service.scan(Attr("color").eq("red"), limit=1000)) == 20


def test_scan_limit_without_filter(service: DynamoDBService, rows: int) -> None:
    assert len(service.scan(limit=13)) == 13


def test_scan_reserved_word_filter(service: DynamoDBService, rows: int) -> None:
    service.put_item({"pk": "z", "sk": 0, "status": "open", "name": "Ann"})
    items = service.scan(
        "#s = :s AND #n = :n",
        {":s": "open", ":n": "Ann"},
        expression_attribute_names={"#s": "status", "#n": "name"},
    )
    assert [i["pk"] for i in items] == ["z"]


def test_parallel_scan_yields_each_item_once(
    service: DynamoDBService, rows: int
) -> None:
    seen = Counter(int(i["sk"]) for i in service.iter_scan(total_segments=4))
    assert sorted(seen) == list(range(rows))
    assert set(seen.values()) == {1}


def test_parallel_scan_with_filter_and_limit(
    service: DynamoDBService, rows: int
) -> None:
    items = service.scan(Attr("qty").lt(50), limit=30, total_segments=3)
    assert len(items) == 30 and all(i["qty"] < 50 for i in items)


def test_parallel_scan_stops_early_when_closed(
    service: DynamoDBService, rows: int
) -> None:
    stream = service.iter_scan(total_segments=4)
    first = next(iter(stream))
    assert "sk" in first
    stream.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("segments", [0, -1, 1_000_001])
def test_total_segments_out_of_range(
    service: DynamoDBService, rows: int, segments: int
) -> None:
    with pytest.raises(ValueError, match="total_segments must be"):
        service.scan(total_segments=segments)


def test_scan_page_walks_all_pages(service: DynamoDBService, rows: int) -> None:
    seen: list[int] = []
    page = service.scan_page(page_size=64)
    seen += [int(i["sk"]) for i in page.items]
    while page.next_token is not None:
        page = service.scan_page(page_size=64, next_token=page.next_token)
        seen += [int(i["sk"]) for i in page.items]
    assert sorted(seen) == list(range(rows))


def test_scan_projection(service: DynamoDBService, rows: int) -> None:
    items = service.scan(Attr("sk").eq(3), projection_expression="qty")
    assert items == [{"qty": 3}]


def test_scan_index(service: DynamoDBService) -> None:
    service.create_table(
        "people",
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
    service.put_item({"pk": "1", "email": "a@x.io"}, "people")
    service.put_item({"pk": "2"}, "people")
    assert service.scan(table_name="people", index_name="by_email") == [
        {"pk": "1", "email": "a@x.io"}
    ]
    assert service.query(
        "email = :e", {":e": "a@x.io"}, "people", index_name="by_email"
    ) == [{"pk": "1", "email": "a@x.io"}]


def test_one_segment_at_a_time_reads_every_item_once(
    service: DynamoDBService, table: str
) -> None:
    service.batch_write_items([{"pk": str(i), "sk": i} for i in range(300)])
    parts = [
        [int(item["sk"]) for item in service.iter_scan(segment=s, total_segments=4)]
        for s in range(4)
    ]
    assert sorted(sk for part in parts for sk in part) == list(range(300))
    assert all(parts)  # each segment holds some of them


@pytest.mark.parametrize("segment", [-1, 4, True, "0"])
def test_segment_outside_total_segments_is_refused(
    service: DynamoDBService, table: str, segment: object
) -> None:
    with pytest.raises(ValueError, match="segment must be an integer from 0"):
        service.iter_scan(segment=segment, total_segments=4)  # type: ignore[arg-type]
