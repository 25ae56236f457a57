"""Each request goes where boto3 sends it: the endpoint rule set per request.

A plain boto3 client in the same environment is the oracle. A hook
registered first on ``before-send`` records each request's URL and answers
it, so nothing leaves the process (moto is never reached).
"""

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import BotoCoreError

from services.dynamodb import DynamoDBConfig, DynamoDBService
from services.dynamodb.transport.endpoints import Endpoints
from tests.dynamodb.faults import _RawBody
from tests.services import build_service

ACCOUNT = "111122223333"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:222233334444:table/orders"


class Recorder:
    """Answers every request with an empty item, keeping its URL."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: Any, **kwargs: Any) -> Any:
        self.urls.append(request.url)
        body = json.dumps({}).encode()
        return AWSResponse(request.url, 200, HTTPHeaders(), _RawBody(body))


def urls_of_service(
    logger: logging.Logger, config: DynamoDBConfig, table: str
) -> list[str]:
    service = build_service(logger, config)
    recorder = Recorder()
    service._client.meta.events.register_first("before-send.dynamodb", recorder)
    service.get_item({"pk": "a"}, table_name=table)
    return recorder.urls


def urls_of_boto3(config: DynamoDBConfig, table: str) -> list[str]:
    client = boto3.client(
        "dynamodb", region_name="us-east-1", endpoint_url=config.endpoint_url
    )
    recorder = Recorder()
    client.meta.events.register_first("before-send.dynamodb", recorder)
    client.get_item(TableName=table, Key={"pk": {"S": "a"}})
    return recorder.urls


def test_an_account_in_the_environment_selects_boto3s_account_endpoint(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCOUNT_ID", ACCOUNT)
    config = DynamoDBConfig(region_name="us-east-1")
    urls = urls_of_service(logger, config, "orders")
    assert urls == urls_of_boto3(config, "orders")
    assert urls == [f"https://{ACCOUNT}.ddb.us-east-1.amazonaws.com/"]


def test_a_table_arn_goes_where_boto3_sends_it(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCOUNT_ID", ACCOUNT)
    config = DynamoDBConfig(region_name="us-east-1")
    urls = urls_of_service(logger, config, TABLE_ARN)
    assert urls == urls_of_boto3(config, TABLE_ARN)
    assert urls == ["https://222233334444.ddb.us-east-1.amazonaws.com/"]


def test_required_account_mode_without_an_account_fails_as_boto3_fails(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")
    config = DynamoDBConfig(region_name="us-east-1")
    with pytest.raises(BotoCoreError) as expected:
        urls_of_boto3(config, "orders")
    with pytest.raises(type(expected.value)):
        urls_of_service(logger, config, "orders")


class Answering(BaseHTTPRequestHandler):
    """Answers every DynamoDB request with an empty answer; keeps paths."""

    paths: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.paths.append(self.path)
        target = self.headers.get("X-Amz-Target", "")
        body = b'{"TableNames": []}' if target.endswith("ListTables") else b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def answering() -> Iterator[str]:
    """A local server's URL, with a path and a query."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    Answering.paths = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ddb?tenant=a"
    server.shutdown()
    server.server_close()


def test_the_query_of_endpoint_url_is_sent_as_boto3_sends_it(
    logger: logging.Logger, answering: str
) -> None:
    config = DynamoDBConfig(region_name="us-east-1", endpoint_url=answering)
    build_service(logger, config).get_item({"pk": "a"}, table_name="orders")
    ours = Answering.paths[-1]
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=answering)
    client.get_item(TableName="orders", Key={"pk": {"S": "a"}})
    assert ours == Answering.paths[-1] == "/ddb?tenant=a"


def test_search_vectors_goes_to_boto3s_search_host(logger: logging.Logger) -> None:
    service = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    client = service._client
    model = client.meta.service_model.operation_model("SearchVectors")
    params = {"TableName": "orders"}
    found = Endpoints(client).endpoint(model, params, None).url
    context = {"client_region": "us-east-1", "client_config": client.meta.config}
    expected, _, _ = client._resolve_endpoint_ruleset(model, params, context)
    assert found == expected + "/"
    assert found.startswith("https://search-dynamodb.us-east-1.")


def test_the_endpoint_is_resolved_once_per_operation_account_and_table(
    logger: logging.Logger,
) -> None:
    service = DynamoDBService(logger, DynamoDBConfig(region_name="us-east-1"))
    endpoints = Endpoints(service._client)
    model = service._client.meta.service_model.operation_model("GetItem")
    first = endpoints.endpoint(model, {"TableName": "a"}, None)
    assert endpoints.endpoint(model, {"TableName": "a"}, None) is first
    assert endpoints.endpoint(model, {"TableName": TABLE_ARN}, None) is not first
