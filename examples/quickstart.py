"""A short tour of every operation of DynamoDBService.

Each step prints the call it makes, exactly as it is run, and the result.
Runs against an in-process DynamoDB (moto) unless DYNAMODB_ENDPOINT_URL names
a server, e.g. ``DYNAMODB_ENDPOINT_URL=http://localhost:8000 make demo``.
"""

import logging
import os
import pprint
import sys
import uuid
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from boto3.dynamodb.conditions import Attr, Key  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from services.dynamodb import (  # noqa: E402
    DynamoDBConfig,
    DynamoDBService,
    stream_records,
)

KEY_SCHEMA = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
]
ATTRIBUTES = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "N"},
    {"AttributeName": "email", "AttributeType": "S"},
]
BY_EMAIL = [
    {
        "IndexName": "by_email",
        "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
    }
]

# What AWS Lambda hands a function subscribed to a table's stream.
LAMBDA_EVENT = {
    "Records": [
        {
            "eventID": "1",
            "eventName": "INSERT",
            "eventSource": "aws:dynamodb",
            "eventSourceARN": (
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
                "/stream/2026-12-07T00:00:00.000"
            ),
            "dynamodb": {
                "Keys": {"pk": {"S": "cust#1"}, "sk": {"N": "1"}},
                "NewImage": {
                    "pk": {"S": "cust#1"},
                    "sk": {"N": "1"},
                    "total": {"N": "19.99"},
                },
                "SequenceNumber": "100",
                "SizeBytes": 40,
                "StreamViewType": "NEW_IMAGE",
            },
        }
    ]
}


class Order(BaseModel):
    """A typed item: stored by the library's rules, validated on read."""

    pk: str
    sk: int
    total: Decimal
    placed_at: datetime
    tags: set[str] = set()


class Tour:
    """Runs calls given as source text, printing each with its result."""

    def __init__(self, service: DynamoDBService, table: str) -> None:
        self.names: dict[str, Any] = {
            "service": service,
            "table": table,
            "Key": Key,
            "Attr": Attr,
            "KEY_SCHEMA": KEY_SCHEMA,
            "ATTRIBUTES": ATTRIBUTES,
            "BY_EMAIL": BY_EMAIL,
            "Order": Order,
            "Decimal": Decimal,
            "placed_at": datetime(2026, 11, 29, 8, 30, tzinfo=timezone.utc),
            "stream_records": stream_records,
            "LAMBDA_EVENT": LAMBDA_EVENT,
            "seen": [],
        }

    def run(self, code: str, summary: str = "") -> Any:
        """Evaluate ``code``; print it and its result (or ``summary`` of it)."""
        print(">>> " + code)
        try:
            result = eval(code, self.names)
        except ClientError as error:
            print(
                "raised %s (%s)"
                % (type(error).__name__, error.response["Error"]["Code"])
            )
            return None
        except ValueError as error:  # the library's own check, before sending
            print("raised ValueError: %s" % error)
            return None
        return self.show(result, summary)

    def run_block(self, code: str, summary: str) -> Any:
        """Run statements (a ``with`` block); print them and ``summary``."""
        print(
            "\n".join(
                ("... " if n else ">>> ") + line
                for n, line in enumerate(code.splitlines())
            )
        )
        exec(code, self.names)
        return self.show(eval(summary, self.names), "")

    def show(self, result: Any, summary: str) -> Any:
        """Print ``result`` (or ``summary`` of it) and return it."""
        shown = eval(summary, {**self.names, "result": result}) if summary else result
        if not isinstance(shown, str):
            shown = pprint.pformat(shown, sort_dicts=False)
        print(shown)
        return result


def tour_tables(tour: Tour) -> None:
    print("\n# Tables")
    tour.run("service.ping()['TableNames'] is not None")
    tour.run(
        "service.create_table(table, KEY_SCHEMA, ATTRIBUTES, "
        "global_secondary_indexes=BY_EMAIL)"
    )
    tour.run("service.table_exists(table)")
    tour.run("table in service.list_tables()")
    tour.run("service.describe_table(table)", "(result.status, result.key.hash_key)")
    tour.run("service.enable_ttl('expires_at', table)")
    tour.run("service.exceptions.ConditionalCheckFailedException.__name__")
    tour.run("table in service.botocore_client().list_tables()['TableNames']")


def tour_items(tour: Tour) -> None:
    print("\n# Items")
    tour.run(
        "service.put_item({'pk': 'user#1', 'sk': 0, 'name': 'Ann', "
        "'email': 'ann@example.com'})"
    )
    tour.run("service.get_item({'pk': 'user#1', 'sk': 0})")
    tour.run(
        "service.update_item({'pk': 'user#1', 'sk': 0}, 'SET #s = :s ADD logins :one',"
        " {':s': 'active', ':one': 1}, expression_attribute_names={'#s': 'status'})"
    )
    tour.run(
        "service.update_attributes({'pk': 'user#1', 'sk': 0}, "
        "set={'year': 1990, 'address': {'city': 'Berlin'}}, add={'tags': {'vip'}})"
    )
    tour.run(
        "service.update_attributes({'pk': 'user#1', 'sk': 0}, "
        "set={('address', 'zip'): '10115'}, remove=['year'], "
        "return_values='UPDATED_NEW')"
    )
    tour.run(
        "service.put_item({'pk': 'user#1', 'sk': 0}, "
        "condition_expression=Attr('pk').not_exists())"
    )
    tour.run("service.put_item({'pk': 'user#2', 'sk': 0, 'price': 19.99})")
    tour.run("service.delete_item({'pk': 'user#2', 'sk': 0}, return_values='ALL_OLD')")
    tour.run("service.get_item({'pk': 'user#2', 'sk': 0})")


def tour_reads(tour: Tour) -> None:
    print("\n# Batches, queries, scans")
    tour.run(
        "service.batch_write_items([{'pk': 'orders', 'sk': i, 'total': i * 10, "
        "'paid': i % 3 == 0} for i in range(120)])"
    )
    tour.run(
        "service.batch_get_items("
        "[{'pk': 'orders', 'sk': i} for i in range(0, 120, 3)])",
        "f'{len(result)} items'",
    )
    tour.run(
        "service.query(Key('pk').eq('orders') & Key('sk').gte(115))",
        "[int(item['sk']) for item in result]",
    )
    tour.run(
        "service.query('pk = :pk', {':pk': 'orders', ':t': True}, limit=3, "
        "filter_expression='paid = :t')",
        "[int(item['sk']) for item in result]",
    )
    tour.run("len(service.scan(Attr('total').gt(1000), limit=4))")
    tour.run("service.count(filter_expression=Attr('paid').eq(True))")
    tour.run("service.query(Key('email').eq('ann@example.com'), index_name='by_email')")
    page = tour.run(
        "service.query_page(Key('pk').eq('orders'), page_size=50)",
        "(len(result.items), result.next_token)",
    )
    tour.names["token"] = page.next_token
    tour.run(
        "service.query_page(Key('pk').eq('orders'), page_size=50, next_token=token)",
        "(len(result.items), result.next_token is not None)",
    )
    tour.run("sum(1 for _ in service.iter_scan(total_segments=4))")
    tour.run("sum(1 for _ in service.iter_query(Key('pk').eq('orders')))")
    tour.run("service.scan_page(page_size=10)", "len(result.items)")
    tour.run(
        "service.execute_statement(f'SELECT * FROM \"{table}\" WHERE pk = ?', "
        "['user#1'])",
        "[item['name'] for item in result]",
    )
    tour.run_block(
        "with service.consumed_capacity() as used:\n"
        "    service.get_item({'pk': 'user#1', 'sk': 0})",
        "used.read_units > 0",
    )
    tour.run(
        "service.batch_delete_items([{'pk': 'orders', 'sk': i} for i in range(100)])"
    )
    tour.run("service.count(Key('pk').eq('orders'))")


def tour_transactions(tour: Tour) -> None:
    print("\n# Transactions")
    tour.run(
        "service.transact_write_items([{'Put': {'Item': {'pk': 'acct#a', 'sk': 0, "
        "'balance': 90}}}, {'Put': {'Item': {'pk': 'acct#b', 'sk': 0, "
        "'balance': 10}}}], client_request_token='demo-transfer-1')"
    )
    tour.run(
        "service.transact_get_items([{'pk': 'acct#a', 'sk': 0}, "
        "{'pk': 'acct#b', 'sk': 0}])"
    )


def tour_typed_items(tour: Tour) -> None:
    print("\n# Typed items (pydantic models)")
    tour.run(
        "service.put_item(Order(pk='cust#1', sk=1, total=Decimal('19.99'), "
        "placed_at=placed_at, tags={'gift'}))"
    )
    tour.run("service.get_item({'pk': 'cust#1', 'sk': 1})")
    tour.run("service.query(Key('pk').eq('cust#1'), model=Order)")
    tour.run(
        "service.delete_item(Order(pk='cust#1', sk=1, total=0, placed_at=placed_at))"
    )


def tour_table_settings(tour: Tour) -> None:
    print("\n# Table settings")
    tour.run("service.tag_table(table, {'team': 'orders', 'env': 'demo'})")
    tour.run("service.untag_table(table, ['env'])")
    tour.run("service.table_tags(table)")
    tour.run(
        "service.put_table_policy(table, {'Version': '2012-10-17', 'Statement': "
        "[{'Effect': 'Deny', 'Principal': '*', 'Action': 'dynamodb:DeleteTable', "
        "'Resource': '*'}]})"
    )
    tour.run("service.table_policy(table) is not None")
    tour.run("service.delete_table_policy(table)")
    tour.run(
        "service.update_table(table, deletion_protection=True)",
        "result.deletion_protection",
    )
    tour.run(
        "service.update_table(table, deletion_protection=False)",
        "result.deletion_protection",
    )


def tour_streams(tour: Tour) -> None:
    print("\n# Streams")
    tour.run(
        "service.update_table(table, stream_view_type='NEW_AND_OLD_IMAGES')",
        "result.stream_view_type",
    )
    tour.run("service.put_item({'pk': 'stream#1', 'sk': 0, 'state': 'new'})")
    tour.run("[(r.event_name, r.keys) for r in service.iter_stream(table)]")
    tour.run("stream_records(LAMBDA_EVENT)[0].new_image")


def tour_search_and_bulk(tour: Tour) -> None:
    print("\n# Vector search (needs AWS; its checks run first, anywhere)")
    tour.run(
        "service.search_vectors([0.1, float('nan')], index_name='by_meaning', "
        "top_k=3)"
    )
    print("\n# Bulk work: paced, with progress")
    tour.run(
        "service.batch_write_items([{'pk': 'bulk', 'sk': i} for i in range(60)], "
        "max_write_units_per_second=50, progress=seen.append)"
    )
    tour.run("seen")
    tour.run("service.count(Key('pk').eq('bulk'), max_read_units_per_second=100)")


def backend() -> tuple[AbstractContextManager[Any], str | None]:
    """Return moto's mock (or nothing) and the endpoint to use."""
    endpoint = os.environ.get("DYNAMODB_ENDPOINT_URL")
    if endpoint:
        return nullcontext(), endpoint
    from moto import mock_aws

    return mock_aws(), None


def main() -> None:
    # LOG_LEVEL=INFO shows the service's log lines between the steps.
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "CRITICAL"))
    mock, endpoint = backend()
    table = "demo-%s" % uuid.uuid4().hex[:8]
    with mock:
        config = DynamoDBConfig(
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "demo"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "demo"),
            default_table_name=table,
        )
        service = DynamoDBService(logging.getLogger("demo"), config)
        print("DynamoDBService tour on %s" % (endpoint or "in-process moto"))
        tour = Tour(service, table)
        tour_tables(tour)
        try:
            tour_items(tour)
            tour_reads(tour)
            tour_transactions(tour)
            tour_typed_items(tour)
            tour_table_settings(tour)
            tour_streams(tour)
            tour_search_and_bulk(tour)
        finally:
            print("\n# Cleanup")
            tour.run("service.delete_table(table)")


if __name__ == "__main__":
    main()
