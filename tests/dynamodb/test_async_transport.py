"""The async direct transport on moto in-process: moto answers its
requests through the same ``before-send`` event as the blocking transport's."""

import asyncio
from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBService
from services.dynamodb.transport.aio import AsyncDirectTransport

KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}


def async_transport(service: DynamoDBService) -> AsyncDirectTransport:
    connection = service._connection
    return AsyncDirectTransport(connection.client, connection.session, service.config)


def test_moto_answers_the_async_transport(service: DynamoDBService, table: str) -> None:
    transport = async_transport(service)

    async def run() -> Any:
        item = {**KEY, "name": {"S": "Ann"}}
        await transport.call("PutItem", {"TableName": table, "Item": item})
        try:
            return await transport.call("GetItem", {"TableName": table, "Key": KEY})
        finally:
            await transport.close()

    answer = asyncio.run(run())
    assert answer["Item"] == {"pk": "a", "sk": 1, "name": "Ann"}
    assert service.get_item({"pk": "a", "sk": 1}) == answer["Item"]


def test_errors_are_the_services_exception_classes(service: DynamoDBService) -> None:
    transport = async_transport(service)

    async def run() -> Any:
        return await transport.call("GetItem", {"TableName": "absent", "Key": KEY})

    with pytest.raises(ClientError) as raised:
        asyncio.run(run())
    assert isinstance(raised.value, service.exceptions.ResourceNotFoundException)
