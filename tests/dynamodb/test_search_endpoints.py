"""``search_vectors`` goes where botocore's rule set sends ``SearchVectors``
(its static context parameter ``IsSearchOperation`` picks the
``search-dynamodb`` host; ``ResourceArn`` comes from ``TableName``), on
both transports and both services, in every partition and setting.

The oracle is a plain boto3 client in the same environment: a hook
registered first on ``before-send`` records the URL of each request and
answers it, so nothing leaves the process. The services' constructor ping
is not under test and is skipped (the blocking service's ``_connect``; the
async service pings only on ``async with``).
"""

import asyncio
import logging
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService
from tests.dynamodb.faults import _RawBody

ANSWER = b'{"SearchResults": []}'
TABLE_ARN = "arn:aws:dynamodb:us-east-1:222233334444:table/orders"
# (region, environment, table, what boto3 resolves it to: the expectation
# the comparison also checks, so that the oracle cannot drift unnoticed).
SETTINGS = [
    ("us-east-1", {}, "orders", "https://search-dynamodb.us-east-1.amazonaws.com/"),
    ("eu-west-1", {}, "orders", "https://search-dynamodb.eu-west-1.amazonaws.com/"),
    (
        "cn-north-1",
        {},
        "orders",
        "https://search-dynamodb.cn-north-1.amazonaws.com.cn/",
    ),
    (
        "us-gov-west-1",
        {},
        "orders",
        "https://search-dynamodb.us-gov-west-1.amazonaws.com/",
    ),
    (
        "us-isob-east-1",
        {},
        "orders",
        "https://search-dynamodb.us-isob-east-1.sc2s.sgov.gov/",
    ),
    (
        "us-east-1",
        {"AWS_USE_FIPS_ENDPOINT": "true"},
        "orders",
        "https://search-dynamodb-fips.us-east-1.amazonaws.com/",
    ),
    (
        "us-east-1",
        {"AWS_USE_DUALSTACK_ENDPOINT": "true"},
        "orders",
        "https://search-dynamodb.us-east-1.api.aws/",
    ),
    (
        "us-east-1",
        {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
        "orders",
        "https://search-dynamodb-fips.us-east-1.api.aws/",
    ),
    (
        "us-east-1",
        {"AWS_ACCOUNT_ID": "111122223333"},
        TABLE_ARN,
        "https://222233334444.search-ddb.us-east-1.amazonaws.com/",
    ),
    (
        "eu-west-1",
        {"AWS_ACCOUNT_ID": "111122223333"},
        "orders",
        "https://111122223333.search-ddb.eu-west-1.amazonaws.com/",
    ),
    (
        "us-east-1",
        {"AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:4566/ddb?tenant=a"},
        "orders",
        "http://localhost:4566/ddb?tenant=a",
    ),
]
IDS = [
    "-".join([region, *sorted(env), "arn" if table != "orders" else "name"])
    for region, env, table, _ in SETTINGS
]
SERVICES = [
    pytest.param(
        transport, awaited, id=f"{transport}-{'async' if awaited else 'blocking'}"
    )
    for transport in ("direct", "botocore")
    for awaited in (False, True)
]


class Recorder:
    """Answers every request with an empty search, keeping its URL."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        self.urls.append(request.url)
        return AWSResponse(request.url, 200, HTTPHeaders(), _RawBody(ANSWER))


def url_of_boto3(region: str, table: str) -> str:
    client = boto3.client("dynamodb", region_name=region)
    recorder = Recorder()
    client.meta.events.register_first("before-send.dynamodb", recorder)
    client.search_vectors(
        TableName=table, IndexName="idx", SearchVector=[{"N": "1"}], TopK=1
    )
    (url,) = recorder.urls
    return url


def url_of_service(region: str, table: str, transport: str, awaited: bool) -> str:
    config = DynamoDBConfig(region_name=region, transport=transport)
    logger = logging.getLogger("tests.search")
    recorder = Recorder()
    if awaited:

        async def search() -> None:
            service = AsyncDynamoDBService(logger, config)
            service._client.meta.events.register_first("before-send.dynamodb", recorder)
            try:
                await service.search_vectors(
                    [1.0], index_name="idx", top_k=1, table_name=table
                )
            finally:
                await service.close()

        asyncio.run(search())
    else:
        service = DynamoDBService(logger, config)
        service._client.meta.events.register_first("before-send.dynamodb", recorder)
        service.search_vectors([1.0], index_name="idx", top_k=1, table_name=table)
    (url,) = recorder.urls
    return url


@pytest.fixture(autouse=True)
def no_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DynamoDBService, "_connect", lambda self: None)
    for name in (
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
        "AWS_ACCOUNT_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)


@pytest.mark.parametrize(("transport", "awaited"), SERVICES)
@pytest.mark.parametrize(("region", "env", "table", "expected"), SETTINGS, ids=IDS)
def test_search_goes_where_botocores_rules_send_it(
    monkeypatch: pytest.MonkeyPatch,
    region: str,
    env: dict[str, str],
    table: str,
    expected: str,
    transport: str,
    awaited: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    theirs = url_of_boto3(region, table)
    assert theirs == expected
    assert url_of_service(region, table, transport, awaited) == theirs


def test_other_operations_keep_the_data_host() -> None:
    """The search host is the static context parameter's doing: GetItem in
    the same client is not sent there (the cache keys on the operation)."""
    config = DynamoDBConfig(region_name="us-east-1", transport="direct")
    service = DynamoDBService(logging.getLogger("tests.search"), config)
    recorder = Recorder()
    service._client.meta.events.register_first("before-send.dynamodb", recorder)
    service.search_vectors([1.0], index_name="idx", top_k=1, table_name="orders")
    recorder_items = Recorder()
    events = service._client.meta.events
    events.unregister("before-send.dynamodb", recorder)
    events.register_first("before-send.dynamodb", recorder_items)
    service.get_item({"pk": "a"}, table_name="orders")
    assert recorder.urls == ["https://search-dynamodb.us-east-1.amazonaws.com/"]
    assert recorder_items.urls == ["https://dynamodb.us-east-1.amazonaws.com/"]
