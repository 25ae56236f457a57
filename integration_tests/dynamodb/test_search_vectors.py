"""search_vectors on a real server, with nothing mocked. No local server
implements SearchVectors (dynalite answers an unknown target with
``UnknownOperationException``): the server's own error must reach the
caller unchanged, as botocore's exception, exactly as a plain boto3 client
gets it, and the search must change nothing. Where a server knows the
operation (DynamoDB), the table has no vector index and both are refused
alike."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBService


def test_the_servers_own_refusal_passes_through_unchanged(
    service: DynamoDBService, table: str, plain_boto3_settings: dict[str, Any]
) -> None:
    service.put_item({"pk": "a", "sk": 1})
    client = boto3.client("dynamodb", **plain_boto3_settings)
    with pytest.raises(ClientError) as theirs:
        client.search_vectors(
            TableName=table, IndexName="idx", SearchVector=[{"N": "0.5"}], TopK=1
        )
    with pytest.raises(ClientError) as ours:
        service.search_vectors([0.5], index_name="idx", top_k=1)
    names = [type(error.value).__name__ for error in (ours, theirs)]
    assert names[0] == names[1]
    assert ours.value.response["Error"] == theirs.value.response["Error"]
    assert ours.value.operation_name == "SearchVectors"
    assert service.scan() == [{"pk": "a", "sk": 1}]


def test_dynalite_does_not_know_the_operation(
    service: DynamoDBService, table: str, endpoint_url: str
) -> None:
    if "amazonaws.com" in endpoint_url:
        pytest.skip("DynamoDB itself knows SearchVectors")
    with pytest.raises(ClientError) as raised:
        service.search_vectors([0.5], index_name="idx", top_k=1)
    assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
    assert type(raised.value) is ClientError
