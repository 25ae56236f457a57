"""Each Python DynamoDB library's way of doing the peers benchmark's workloads.

One class per side, each with the same methods (``scan``, ``query``,
``batch_get``, ``batch_write``, ``get``, ``put``, ``update``, ``delete``):
each method takes the workload's data and returns the call the benchmark
times. The library is two sides (its direct and its botocore transport),
plus its pydantic-model form. pydynox needs Python 3.11 or later: where it is
missing, its column shows a dash.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import boto3
from aiodynamo.client import Client as AioClient
from aiodynamo.credentials import Key as AioKey
from aiodynamo.credentials import StaticCredentials
from aiodynamo.expressions import F, HashKey
from aiodynamo.http.aiohttp import AIOHTTP
from aiodynamo.models import BatchGetRequest, BatchWriteRequest, ReturnValues
from boto3.dynamodb.conditions import Key
from pydantic import BaseModel
from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model
from yarl import URL

from services.dynamodb import DynamoDBConfig, DynamoDBService

PydynoxClient: Any
try:
    from pydynox import DynamoDBClient as PydynoxClient
except ImportError:  # Python 3.10: pydynox needs 3.11
    PydynoxClient = None

TABLE = "peers"
SECRET = "bench"
REGION = "us-east-1"
Call = Callable[[], object]
Keys = list[dict[str, Any]]
Rows = list[dict[str, Any]]


class Row(Model):
    """PynamoDB's model of the benchmark's items."""

    class Meta:
        table_name = TABLE
        region = REGION
        aws_access_key_id = SECRET
        aws_secret_access_key = SECRET

    pk = UnicodeAttribute(hash_key=True)
    sk = NumberAttribute(range_key=True)
    name = UnicodeAttribute()
    n = NumberAttribute()
    pad = UnicodeAttribute()
    m = MapAttribute()  # type: ignore[var-annotated,no-untyped-call]


class PeerItem(BaseModel):
    """The library's typed form of the benchmark's items."""

    pk: str
    sk: int
    name: str
    n: int
    pad: str
    m: dict[str, int]


def pages(read: Callable[..., Any], **params: Any) -> int:
    """Follow ``LastEvaluatedKey`` as a plain boto3 user does; items read."""
    count = 0
    while True:
        page = read(**params)
        count += len(page["Items"])
        if "LastEvaluatedKey" not in page:
            return count
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class Boto3Side:
    """A plain boto3 ``Table``: the baseline."""

    def __init__(self, endpoint: str) -> None:
        self.table: Any = boto3.resource(
            "dynamodb",
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id=SECRET,
            aws_secret_access_key=SECRET,
        ).Table(TABLE)

    def scan(self) -> Call:
        return lambda: pages(self.table.scan)

    def query(self, pk: str) -> Call:
        condition = Key("pk").eq(pk)
        return lambda: pages(self.table.query, KeyConditionExpression=condition)

    def batch_get(self, keys: Keys) -> Call:
        def run() -> int:
            client, found = self.table.meta.client, 0
            for start in range(0, len(keys), 100):
                request = {TABLE: {"Keys": keys[start : start + 100]}}
                found += len(client.batch_get_item(RequestItems=request)["Responses"])
            return found

        return run

    def batch_write(self, rows: Rows) -> Call:
        def run() -> None:
            with self.table.batch_writer() as writer:
                for row in rows:
                    writer.put_item(Item=row)

        return run

    def get(self, keys: Keys) -> Call:
        return lambda: [self.table.get_item(Key=key) for key in keys]

    def put(self, rows: Rows) -> Call:
        return lambda: [self.table.put_item(Item=row) for row in rows]

    def update(self, keys: Keys) -> Call:
        return lambda: [
            self.table.update_item(
                Key=key,
                UpdateExpression="SET n = :n",
                ExpressionAttributeValues={":n": 7},
                ReturnValues="ALL_NEW",
            )
            for key in keys
        ]

    def delete(self, keys: Keys) -> Call:
        return lambda: [self.table.delete_item(Key=key) for key in keys]


class LibrarySide:
    """This library on one transport, with dicts or with pydantic models."""

    def __init__(self, endpoint: str, transport: str, typed: bool = False) -> None:
        log = logging.getLogger("bench.peers")
        log.addHandler(logging.NullHandler())
        log.propagate = False
        config = DynamoDBConfig(
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id=SECRET,
            aws_secret_access_key=SECRET,
            billing_mode="PAY_PER_REQUEST",
            default_table_name=TABLE,
            transport=transport,
        )
        self.service = DynamoDBService(log, config)
        self.model = PeerItem if typed else None

    def scan(self) -> Call:
        return lambda: self.service.scan(model=self.model)

    def query(self, pk: str) -> Call:
        return lambda: self.service.query(Key("pk").eq(pk), model=self.model)

    def batch_get(self, keys: Keys) -> Call:
        return lambda: self.service.batch_get_items(keys, model=self.model)

    def batch_write(self, rows: Rows) -> Call:
        items = self._items(rows)
        return lambda: self.service.batch_write_items(items)

    def get(self, keys: Keys) -> Call:
        return lambda: [self.service.get_item(key, model=self.model) for key in keys]

    def put(self, rows: Rows) -> Call:
        items = self._items(rows)
        return lambda: [self.service.put_item(item) for item in items]

    def update(self, keys: Keys) -> Call:
        return lambda: [
            self.service.update_item(key, "SET n = :n", {":n": 7}, model=self.model)
            for key in keys
        ]

    def delete(self, keys: Keys) -> Call:
        return lambda: [self.service.delete_item(key) for key in keys]

    def _items(self, rows: Rows) -> list[Any]:
        if self.model is None:
            return rows
        return [PeerItem.model_validate(row) for row in rows]


class PynamoSide:
    """PynamoDB's model class."""

    def __init__(self, endpoint: str) -> None:
        setattr(Row.Meta, "host", endpoint)  # the server is known only now

    def scan(self) -> Call:
        return lambda: list(Row.scan())

    def query(self, pk: str) -> Call:
        return lambda: list(Row.query(pk))

    def batch_get(self, keys: Keys) -> Call:
        pairs = [(key["pk"], key["sk"]) for key in keys]
        return lambda: list(Row.batch_get(pairs))

    def batch_write(self, rows: Rows) -> Call:
        def run() -> None:
            with Row.batch_write() as batch:
                for row in rows:
                    batch.save(Row(**row))

        return run

    def get(self, keys: Keys) -> Call:
        return lambda: [Row.get(key["pk"], key["sk"]) for key in keys]

    def put(self, rows: Rows) -> Call:
        return lambda: [Row(**row).save() for row in rows]

    def update(self, keys: Keys) -> Call:
        return lambda: [
            Row(key["pk"], key["sk"]).update(actions=[Row.n.set(7)]) for key in keys
        ]

    def delete(self, keys: Keys) -> Call:
        return lambda: [Row(key["pk"], key["sk"]).delete() for key in keys]


class AioSide:
    """aiodynamo over aiohttp, each workload run to completion on one loop."""

    def __init__(self, endpoint: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.http = self.loop.run_until_complete(self._session())
        self.aio = AioClient(
            AIOHTTP(self.http),
            StaticCredentials(AioKey(SECRET, SECRET)),
            REGION,
            URL(endpoint),
            numeric_type=Decimal,
        )

    async def _session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def close(self) -> None:
        self.loop.run_until_complete(self.http.close())
        self.loop.close()

    def _run(self, work: Callable[[], Awaitable[object]]) -> Call:
        return lambda: self.loop.run_until_complete(work())

    def scan(self) -> Call:
        async def run() -> int:
            return len([row async for row in self.aio.scan(TABLE)])

        return self._run(run)

    def query(self, pk: str) -> Call:
        return self._run(lambda: self.queried(pk))

    def batch_get(self, keys: Keys) -> Call:
        return self._run(lambda: self.batch_found(keys))

    async def queried(self, pk: str) -> int:
        """The items of one partition (the async benchmark awaits it too)."""
        return len([row async for row in self.aio.query(TABLE, HashKey("pk", pk))])

    async def batch_found(self, keys: Keys) -> int:
        """The items found for ``keys``, 100 per request."""
        found = 0
        for start in range(0, len(keys), 100):
            request = BatchGetRequest(keys=keys[start : start + 100])
            response = await self.aio.batch_get({TABLE: request})
            found += len(response.items.get(TABLE, []))
        return found

    def batch_write(self, rows: Rows) -> Call:
        async def run() -> None:
            for start in range(0, len(rows), 25):
                request = BatchWriteRequest(items_to_put=rows[start : start + 25])
                await self.aio.batch_write({TABLE: request})

        return self._run(run)

    def get(self, keys: Keys) -> Call:
        async def run() -> None:
            for key in keys:
                await self.aio.get_item(TABLE, key)

        return self._run(run)

    def put(self, rows: Rows) -> Call:
        async def run() -> None:
            for row in rows:
                await self.aio.put_item(TABLE, row)

        return self._run(run)

    def update(self, keys: Keys) -> Call:
        async def run() -> None:
            for key in keys:
                await self.aio.update_item(
                    TABLE, key, F("n").set(7), return_values=ReturnValues.all_new
                )

        return self._run(run)

    def delete(self, keys: Keys) -> Call:
        async def run() -> None:
            for key in keys:
                await self.aio.delete_item(TABLE, key)

        return self._run(run)


class PydynoxSide:
    """pydynox's client (a Rust core: the AWS Rust SDK on hyper), sync calls."""

    def __init__(self, endpoint: str) -> None:
        # Its "slow operation" warnings would interleave with the table.
        logging.getLogger("pydynox").setLevel(logging.ERROR)
        self.client = PydynoxClient(
            region=REGION,
            endpoint_url=endpoint,
            access_key=SECRET,
            secret_key=SECRET,
        )

    def scan(self) -> Call:
        return lambda: list(self.client.sync_scan(TABLE))

    def query(self, pk: str) -> Call:
        return lambda: list(
            self.client.sync_query(
                TABLE,
                "#pk = :pk",
                expression_attribute_names={"#pk": "pk"},
                expression_attribute_values={":pk": pk},
            )
        )

    def batch_get(self, keys: Keys) -> Call:
        return lambda: self.client.sync_batch_get(TABLE, keys)

    def batch_write(self, rows: Rows) -> Call:
        return lambda: self.client.sync_batch_write(TABLE, put_items=rows)

    def get(self, keys: Keys) -> Call:
        return lambda: [self.client.sync_get_item(TABLE, key) for key in keys]

    def put(self, rows: Rows) -> Call:
        return lambda: [self.client.sync_put_item(TABLE, row) for row in rows]

    def update(self, keys: Keys) -> Call:
        return lambda: [
            self.client.sync_update_item(
                TABLE, key, updates={"n": 7}, return_values="ALL_NEW"
            )
            for key in keys
        ]

    def delete(self, keys: Keys) -> Call:
        return lambda: [self.client.sync_delete_item(TABLE, key) for key in keys]


def sides(endpoint: str) -> dict[str, Any]:
    """Every side, by the column name the report gives it."""
    found: dict[str, Any] = {
        "boto3": Boto3Side(endpoint),
        "library": LibrarySide(endpoint, "direct"),
        "library (botocore)": LibrarySide(endpoint, "botocore"),
        "library, model=": LibrarySide(endpoint, "direct", typed=True),
        "PynamoDB": PynamoSide(endpoint),
        "aiodynamo": AioSide(endpoint),
    }
    if PydynoxClient is not None:
        found["pydynox"] = PydynoxSide(endpoint)
    return found
