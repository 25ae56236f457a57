"""The escape hatch: a plain botocore client with the service's configuration."""

import pytest
from botocore.exceptions import ParamValidationError

from services.dynamodb import DynamoDBService


def test_it_speaks_dynamodb_json_in_and_out(
    service: DynamoDBService, table: str
) -> None:
    client = service.botocore_client()
    service.put_item({"pk": "a", "sk": 1, "tags": {"x"}})

    answer = client.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    client.put_item(TableName=table, Item={"pk": {"S": "b"}, "sk": {"N": "2"}})

    assert answer["Item"] == {"pk": {"S": "a"}, "sk": {"N": "1"}, "tags": {"SS": ["x"]}}
    # The service's own calls still decode: the hatch has a parser of its own.
    assert service.get_item({"pk": "b", "sk": 2}) == {"pk": "b", "sk": 2}


def test_its_parameters_are_validated(service: DynamoDBService, table: str) -> None:
    client = service.botocore_client()
    with pytest.raises(ParamValidationError, match="Key"):
        client.get_item(TableName=table, Key="pk")  # type: ignore[arg-type]


def test_its_errors_are_the_services_exception_classes(
    service: DynamoDBService,
) -> None:
    client = service.botocore_client()

    with pytest.raises(service.exceptions.ResourceNotFoundException):
        client.describe_table(TableName="missing")
    assert client.exceptions.ConditionalCheckFailedException is (
        service.exceptions.ConditionalCheckFailedException
    )


def test_it_has_the_services_configuration_and_is_kept(
    service: DynamoDBService,
) -> None:
    client = service.botocore_client()
    own = service._connection.client

    assert service.botocore_client() is client
    assert client is not own
    assert client.meta.region_name == own.meta.region_name
    assert client.meta.endpoint_url == own.meta.endpoint_url
    settings, own_settings = client.meta.config, own.meta.config
    assert getattr(settings, "retries") == getattr(own_settings, "retries")
    assert getattr(settings, "read_timeout") == service.config.read_timeout_seconds
