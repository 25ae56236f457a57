"""A short tour of every operation of DynamoDBService.

Runs against an in-process DynamoDB (moto) unless DYNAMODB_ENDPOINT_URL names
a server, e.g. ``DYNAMODB_ENDPOINT_URL=http://localhost:8000 make demo``.
"""

import logging
import os
import sys
import uuid
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from boto3.dynamodb.conditions import Attr, Key  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from services.dynamodb import DynamoDBConfig, DynamoDBService  # noqa: E402


def backend() -> tuple[AbstractContextManager[Any], str | None]:
    """Return moto's mock (or nothing) and the endpoint to use."""
    endpoint = os.environ.get("DYNAMODB_ENDPOINT_URL")
    if endpoint:
        return nullcontext(), endpoint
    from moto import mock_aws

    return mock_aws(), None


def show(step: str, result: object = "") -> None:
    print(f"  {step:<44} {result}")


def tour_tables(service: DynamoDBService, table: str) -> None:
    print("Tables")
    show("ping()", "ok" if "TableNames" in service.ping() else "?")
    service.create_table(
        table,
        [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
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
    show(f"create_table({table!r}) (waits for ACTIVE)", "created")
    show("table_exists()", service.table_exists(table))
    show("list_tables()", service.list_tables())


def tour_items(service: DynamoDBService) -> None:
    print("Items")
    service.put_item(
        {"pk": "user#1", "sk": 0, "name": "Ann", "email": "ann@example.com"}
    )
    show("put_item(user#1)", "stored")
    show("get_item(user#1)", service.get_item({"pk": "user#1", "sk": 0}))
    updated = service.update_item(
        {"pk": "user#1", "sk": 0},
        "SET #s = :s ADD logins :one",
        {":s": "active", ":one": 1},
        expression_attribute_names={"#s": "status"},  # a reserved word
    )
    show("update_item(SET #s=status ADD logins)", updated)
    try:
        service.put_item(
            {"pk": "user#1", "sk": 0, "name": "Impostor"},
            condition_expression=Attr("pk").not_exists(),
        )
    except ClientError as error:
        show("put_item(if absent) on an existing key", error.response["Error"]["Code"])
    service.put_item({"pk": "user#2", "sk": 0, "price": 19.99, "dims": {"w": 0.5}})
    show(
        "put_item(float 19.99, nested 0.5)", service.get_item({"pk": "user#2", "sk": 0})
    )
    service.delete_item({"pk": "user#2", "sk": 0})
    show(
        "delete_item(user#2) then get_item", service.get_item({"pk": "user#2", "sk": 0})
    )


def tour_reads(service: DynamoDBService) -> None:
    print("Batches, queries, scans")
    orders = [
        {"pk": "orders", "sk": i, "total": i * 10, "paid": i % 3 == 0}
        for i in range(120)
    ]
    service.batch_write_items(orders)
    show("batch_write_items(120 orders)", "stored in 25s")
    got = service.batch_get_items([{"pk": "orders", "sk": i} for i in range(0, 120, 2)])
    show("batch_get_items(60 keys)", f"{len(got)} items")
    recent = service.query(Key("pk").eq("orders") & Key("sk").gte(115))
    show("query(sk >= 115)", [int(o["sk"]) for o in recent])
    paid = service.query(
        "pk = :pk",
        {":pk": "orders", ":t": True},
        limit=3,
        filter_expression="paid = :t",
    )
    show("query(paid, limit=3)", [int(o["sk"]) for o in paid])
    show(
        "scan(total > 1000, limit=4)",
        len(service.scan(Attr("total").gt(1000), limit=4)),
    )
    show("count(paid)", service.count(filter_expression=Attr("paid").eq(True)))
    show(
        "query(index by_email)",
        service.query(Key("email").eq("ann@example.com"), index_name="by_email"),
    )
    page = service.query_page(Key("pk").eq("orders"), page_size=50)
    pages = 1
    while page.next_token is not None:
        page = service.query_page(
            Key("pk").eq("orders"), page_size=50, next_token=page.next_token
        )
        pages += 1
    show("query_page(page_size=50) via next_token", f"{pages} pages")
    streamed = sum(1 for _ in service.iter_scan(total_segments=4))
    show("iter_scan(total_segments=4)", f"{streamed} items, each once")


def tour_transactions(service: DynamoDBService) -> None:
    print("Transactions")
    try:
        service.transact_write_items(
            [
                {"Put": {"Item": {"pk": "acct#a", "sk": 0, "balance": 90}}},
                {"Put": {"Item": {"pk": "acct#b", "sk": 0, "balance": 10}}},
            ]
        )
    except ClientError as error:
        show(
            "transact_write_items",
            f"not supported here: {error.response['Error']['Code']}",
        )
        return
    got = service.transact_get_items(
        [{"pk": "acct#a", "sk": 0}, {"pk": "acct#b", "sk": 0}]
    )
    show(
        "transact_write_items + transact_get_items",
        [g["balance"] if g else None for g in got],
    )


def main() -> None:
    # The tour provokes a refused write on purpose; LOG_LEVEL=INFO shows the log.
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "CRITICAL"))
    mock, endpoint = backend()
    table = f"demo-{uuid.uuid4().hex[:8]}"
    with mock:
        config = DynamoDBConfig(
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "demo"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "demo"),
            default_table_name=table,
        )
        service = DynamoDBService(logging.getLogger("demo"), config)
        print(f"DynamoDBService tour on {endpoint or 'in-process moto'}")
        tour_tables(service, table)
        try:
            tour_items(service)
            tour_reads(service)
            tour_transactions(service)
        finally:
            service.delete_table(table)
            print("Cleanup")
            show(f"delete_table({table!r})", "deleted")


if __name__ == "__main__":
    main()
