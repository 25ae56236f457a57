"""Table settings on a real server: tags, the description of a table with
no setting turned on (also where the server has no continuous backups),
and DynamoDB's throttling reasons on the error, read from its answer."""

import json
import logging
from typing import Any

import pytest

from integration_tests.server.fault_proxy import ERROR_TYPE, FaultProxy
from services.dynamodb import DynamoDBConfig, DynamoDBService, ThrottlingReason
from tests.services import build_service

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/throttled"
# DynamoDB's model names the field in camel case for ThrottlingException.
FIELDS = {
    "ProvisionedThroughputExceededException": "ThrottlingReasons",
    "ThrottlingException": "throttlingReasons",
}


def test_tags_are_added_listed_changed_and_removed(
    service: DynamoDBService, table: str
) -> None:
    service.tag_table(table, {"team": "billing", "tier": "gold"})
    assert service.table_tags(table) == {"team": "billing", "tier": "gold"}

    service.tag_table(table, {"tier": "silver"})
    service.untag_table(table, ["team"])

    assert service.table_tags(table) == {"tier": "silver"}


def test_a_new_table_describes_with_no_setting_turned_on(
    service: DynamoDBService, table: str
) -> None:
    described = service.describe_table(table)

    assert described.status == "ACTIVE"
    assert described.deletion_protection is False
    assert (described.stream_view_type, described.stream_arn) == (None, None)
    assert described.point_in_time_recovery_days is None
    assert described.vector_indexes == ()


@pytest.fixture(params=sorted(FIELDS))
def throttled(
    request: pytest.FixtureRequest,
    proxy: FaultProxy,
    base_config: DynamoDBConfig,
    logger: logging.Logger,
) -> Any:
    """A service through the proxy, one attempt per call, and the proxy
    answering every GetItem with a throttling error (of each code) carrying
    reasons."""
    proxy.reset()
    config = base_config.model_copy(
        update={"endpoint_url": proxy.url, "max_attempts": 1}
    )
    service = build_service(logger, config)
    code = request.param
    body = {
        "__type": ERROR_TYPE % code,
        "message": "throttled",
        FIELDS[code]: [
            {"reason": "TableReadProvisionedThroughputExceeded", "resource": TABLE_ARN}
        ],
    }
    proxy.faults["GetItem"] = "canned"
    proxy.canned = (400, json.dumps(body).encode())
    yield service, code
    proxy.reset()


def test_a_throttling_error_carries_the_reasons_of_the_answer(
    throttled: tuple[DynamoDBService, str],
) -> None:
    service, code = throttled
    error_class = getattr(service.exceptions, code)

    with pytest.raises(error_class) as raised:
        service.get_item({"pk": "a", "sk": 1}, "throttled")

    assert type(raised.value) is error_class
    assert raised.value.throttling_reasons == (
        ThrottlingReason("TableReadProvisionedThroughputExceeded", TABLE_ARN),
    )
