"""Both transports make the same attempts and end the same way, fault by fault.

The fault proxy damages GetItem answers; each case runs the same call on a
``transport="direct"`` and a ``transport="botocore"`` service through the
proxy, and compares the number of requests the server saw, the outcome's
class and the ``RetryAttempts`` an error reports.
"""

import logging
from typing import Any

import pytest
from botocore.exceptions import ClientError

from integration_tests.server.fault_proxy import RETRY_FAULTS, Fault, FaultProxy
from services.dynamodb import DynamoDBService

KEY = {"pk": "a", "sk": 1}
FAULTS = RETRY_FAULTS

ATTEMPTS = 3


def attempt(
    service: DynamoDBService, proxy: FaultProxy, fault: Fault, times: int
) -> tuple[str, int, Any]:
    """Run one get_item under the fault: outcome, requests seen, retries."""
    proxy.reset()
    proxy.stall_seconds = 1.5
    proxy.faults["GetItem"] = fault
    proxy.times["GetItem"] = times
    try:
        found = service.get_item(KEY)
    except Exception as error:
        retries = None
        if isinstance(error, ClientError):
            retries = error.response["ResponseMetadata"].get("RetryAttempts")
        return type(error).__name__, proxy.requests["GetItem"], retries
    return repr(found), proxy.requests["GetItem"], None


@pytest.mark.parametrize("fault, times", FAULTS.values(), ids=FAULTS.keys())
def test_same_attempts_and_outcome_on_both_transports(
    proxied: DynamoDBService,
    proxy: FaultProxy,
    logger: logging.Logger,
    fault: Fault,
    times: int,
) -> None:
    item = {**KEY, "name": "Ann"}
    proxied.put_item(item)
    outcomes = {}
    for transport in ("direct", "botocore"):
        config = proxied.config.model_copy(
            update={
                "transport": transport,
                "read_timeout_seconds": 1,
                "max_attempts": ATTEMPTS,
            }
        )
        service = DynamoDBService(logger, config)
        outcomes[transport] = attempt(service, proxy, fault, times)
    proxy.reset()

    assert outcomes["direct"] == outcomes["botocore"]
    outcome, requests, _ = outcomes["direct"]
    assert requests == min(times + 1, ATTEMPTS)
    assert (outcome == repr(proxied.get_item(KEY))) == (times < requests)


@pytest.mark.parametrize("transport", ["direct", "botocore"])
def test_headers_a_before_send_hook_sets_are_sent(
    proxied: DynamoDBService,
    proxy: FaultProxy,
    logger: logging.Logger,
    transport: str,
) -> None:
    config = proxied.config.model_copy(update={"transport": transport})
    service = DynamoDBService(logger, config)

    def tag(request: Any, **kwargs: Any) -> None:
        request.headers["X-Request-Tag"] = "tagged-by-hook"

    service._client.meta.events.register("before-send.dynamodb.GetItem", tag)
    proxy.reset()
    service.get_item(KEY)
    tagged = dict(proxy.last_headers["GetItem"])
    service._client.meta.events.unregister("before-send.dynamodb.GetItem", tag)
    service.get_item(KEY)

    assert tagged.get("X-Request-Tag") == "tagged-by-hook"
    assert "X-Request-Tag" not in proxy.last_headers["GetItem"]
    assert tagged["X-Amz-Target"] == "DynamoDB_20120810.GetItem"
