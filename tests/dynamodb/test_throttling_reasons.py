"""Throttling errors carry DynamoDB's ThrottlingReasons as a typed attribute
and show their codes (never the resources) in the failure line, while
botocore's exception passes through as the same class."""

import doctest
import json
import logging
from typing import Any

import pytest

from services.dynamodb import DynamoDBService, ThrottlingReason, throttling_reasons
from services.dynamodb import errors
from tests.dynamodb.faults import AnswerInjector

INDEX_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/hidden_gsi"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
REASONS = [
    {"reason": "IndexReadKeyRangeThroughputExceeded", "resource": INDEX_ARN},
    {"reason": "TableReadProvisionedThroughputExceeded", "resource": TABLE_ARN},
]
EXPECTED = (
    ThrottlingReason("IndexReadKeyRangeThroughputExceeded", INDEX_ARN),
    ThrottlingReason("TableReadProvisionedThroughputExceeded", TABLE_ARN),
)
# DynamoDB's model names the field in camel case for ThrottlingException.
FIELDS = {
    "ProvisionedThroughputExceededException": "ThrottlingReasons",
    "RequestLimitExceeded": "ThrottlingReasons",
    "ThrottlingException": "throttlingReasons",
}


def throttle(service: DynamoDBService, code: str, body: dict[str, Any]) -> None:
    """Answer every GetItem with a 400 ``code`` error carrying ``body``."""
    answer = {"__type": "com.amazonaws.dynamodb.v20120810#" + code, **body}
    injector = AnswerInjector(
        json.dumps(answer).encode(),
        {"Content-Type": "application/x-amz-json-1.0"},
        times=99,
        status=400,
    )
    service._client.meta.events.register_first("before-send.dynamodb.GetItem", injector)


@pytest.mark.parametrize("code", sorted(FIELDS))
def test_a_throttling_error_carries_its_reasons_and_stays_botocores_class(
    service: DynamoDBService, table: str, pauses: list[float], code: str
) -> None:
    throttle(service, code, {"message": "slow down", FIELDS[code]: REASONS})

    with pytest.raises(getattr(service.exceptions, code)) as raised:
        service.get_item({"pk": "a", "sk": 1})

    error = raised.value
    assert type(error) is getattr(service.exceptions, code)
    assert error.throttling_reasons == EXPECTED
    assert throttling_reasons(error) == EXPECTED


def test_the_failure_line_shows_the_reason_codes_and_never_the_resources(
    service: DynamoDBService, table: str, pauses: list[float], captured: Any
) -> None:
    code = "ProvisionedThroughputExceededException"
    throttle(service, code, {"message": "m", "ThrottlingReasons": REASONS})

    with pytest.raises(service.exceptions.ProvisionedThroughputExceededException):
        service.get_item({"pk": "a", "sk": 1})

    lines = [text for level, text in captured.records if level >= logging.ERROR]
    (line,) = [text for text in lines if "get_item" in text]
    assert line.endswith(
        "(ProvisionedThroughputExceededException), throttled: "
        "IndexReadKeyRangeThroughputExceeded, TableReadProvisionedThroughputExceeded"
    )
    informative = [text for level, text in captured.records if level >= logging.INFO]
    assert not any("hidden_gsi" in text for text in informative)


def test_an_error_without_reasons_has_none_and_the_usual_line(
    service: DynamoDBService, table: str, pauses: list[float], captured: Any
) -> None:
    throttle(service, "ThrottlingException", {"message": "slow down"})

    with pytest.raises(service.exceptions.ThrottlingException) as raised:
        service.get_item({"pk": "a", "sk": 1})

    assert raised.value.throttling_reasons == ()
    (line,) = [text for level, text in captured.records if level == logging.ERROR]
    assert line.endswith("failed: ThrottlingException (ThrottlingException)")


def test_a_reason_is_read_as_resource_operation_and_limit_type() -> None:
    reason = ThrottlingReason("IndexWriteMaxOnDemandThroughputExceeded")

    assert (reason.resource_type, reason.operation_type, reason.limit_type) == (
        "Index",
        "Write",
        "MaxOnDemandThroughputExceeded",
    )
    assert ThrottlingReason("SomethingNew").limit_type is None


def test_malformed_reasons_in_an_answer_are_left_out() -> None:
    from botocore.exceptions import ClientError

    response: Any = {
        "Error": {"Code": "RequestLimitExceeded"},
        "ThrottlingReasons": [{"resource": TABLE_ARN}, "x", {"reason": "R"}],
    }
    error = ClientError(response, "Query")

    assert throttling_reasons(error) == (ThrottlingReason("R"),)
    assert throttling_reasons(ValueError("not botocore's")) == ()


@pytest.mark.parametrize("name", ["ThrottlingReason", "throttling_reasons"])
def test_the_examples_of_the_errors_module_run(name: str) -> None:
    finder = doctest.DocTestFinder(recurse=False)
    (test,) = finder.find(getattr(errors, name), name, globs=vars(errors).copy())
    assert test.examples
    result = doctest.DocTestRunner().run(test)
    assert result.failed == 0
