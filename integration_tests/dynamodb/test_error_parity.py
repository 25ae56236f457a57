"""Every modeled DynamoDB error answer is the same exception on both transports:
the same class (one of ``service.exceptions``) and the same ``response``."""

import json
import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.session import Session

from integration_tests.server.fault_proxy import ERROR_TYPE, FaultProxy
from services.dynamodb import DynamoDBConfig, DynamoDBService

KEY = {"pk": "a", "sk": 1}
MODEL = Session().get_service_model("dynamodb")
CODES = sorted(shape.name for shape in MODEL.error_shapes)
# Modeled fields some errors carry besides the message.
EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "TransactionCanceledException": {
        "CancellationReasons": [
            {"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Message": "The condition failed"},
        ]
    },
    "ConditionalCheckFailedException": {"Item": {"pk": {"S": "a"}}},
}


def raised(service: DynamoDBService) -> ClientError:
    with pytest.raises(ClientError) as caught:
        service.put_item({**KEY, "n": 1})
    return caught.value


def comparable(error: ClientError) -> dict[str, Any]:
    """The response without the header that differs by the second."""
    response: dict[str, Any] = dict(error.response)
    metadata: dict[str, Any] = dict(response["ResponseMetadata"])
    metadata["HTTPHeaders"] = {
        name: value for name, value in metadata["HTTPHeaders"].items() if name != "date"
    }
    response["ResponseMetadata"] = metadata
    return response


@pytest.fixture(scope="module")
def services(proxy: FaultProxy, base_config: DynamoDBConfig) -> dict[str, Any]:
    """One service per transport, through the proxy (no table: the proxy
    answers every PutItem itself)."""
    logger = logging.getLogger("integration_tests.errors")
    return {
        transport: DynamoDBService(
            logger,
            base_config.model_copy(
                update={
                    "transport": transport,
                    "max_attempts": 1,
                    "endpoint_url": proxy.url,
                    "default_table_name": "canned",
                }
            ),
        )
        for transport in ("direct", "botocore")
    }


@pytest.mark.parametrize("code", CODES)
def test_modeled_error_is_the_same_on_both_transports(
    services: dict[str, DynamoDBService], proxy: FaultProxy, code: str
) -> None:
    body = {
        "__type": ERROR_TYPE % code,
        "message": "refused",
        **EXTRA_FIELDS.get(code, {}),
    }
    errors = {}
    for transport, service in services.items():
        proxy.reset()
        proxy.faults["PutItem"] = "canned"
        proxy.canned = (400, json.dumps(body).encode())
        errors[transport] = raised(service)
        assert type(errors[transport]) is getattr(service.exceptions, code)
    proxy.reset()

    direct, botocore = errors["direct"], errors["botocore"]
    # Each service has its own session, so its own classes: compare by name.
    assert [c.__name__ for c in type(direct).__mro__] == [
        c.__name__ for c in type(botocore).__mro__
    ]
    assert comparable(direct) == comparable(botocore)
    assert str(direct) == str(botocore)
    assert direct.response["Error"]["Code"] == code
