"""What is logged at which level: one line per failure, traceback at DEBUG."""

import logging

import pytest
from botocore.exceptions import ClientError

from services.dynamodb import DynamoDBService

SECRET_VALUE = "value-that-must-never-be-logged"


def records(caplog: pytest.LogCaptureFixture, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


def test_failed_condition_the_caller_asked_for_is_one_info_line(
    service: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    service.put_item({"pk": "a", "sk": 1, "v": SECRET_VALUE})
    with caplog.at_level(logging.DEBUG, logger=service.log.name):
        with pytest.raises(service.exceptions.ConditionalCheckFailedException):
            service.put_item(
                {"pk": "a", "sk": 1, "v": SECRET_VALUE},
                condition_expression="attribute_not_exists(pk)",
            )
    logged = records(caplog, service.log.name)
    failures = [r for r in logged if "fail" in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in failures] == [
        (
            logging.INFO,
            "DynamoDB put_item on table orders failed: "
            "ConditionalCheckFailedException (ConditionalCheckFailedException)",
        ),
        (logging.DEBUG, "DynamoDB put_item failure in full"),
    ]
    assert failures[1].exc_info is not None
    assert not [r for r in logged if r.levelno >= logging.WARNING]
    assert not [r for r in logged if SECRET_VALUE in r.getMessage()]


def test_other_failure_is_one_error_line_without_the_message_text(
    service: DynamoDBService, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=service.log.name):
        with pytest.raises(ClientError):
            service.get_item({"pk": SECRET_VALUE, "sk": 1}, "missing-table")
    logged = records(caplog, service.log.name)
    errors = [r for r in logged if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in errors] == [
        "DynamoDB get_item on table missing-table failed: "
        "ResourceNotFoundException (ResourceNotFoundException)"
    ]
    assert errors[0].exc_info is None
    assert [r.levelno for r in logged if r.exc_info] == [logging.DEBUG]
    at_info = [r.getMessage() for r in logged if r.levelno >= logging.INFO]
    assert not [text for text in at_info if SECRET_VALUE in text]


def test_success_is_debug_at_start_and_info_at_completion(
    service: DynamoDBService, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=service.log.name):
        service.put_item({"pk": "a", "sk": 1})
    levels = [r.levelno for r in records(caplog, service.log.name)]
    assert levels == [logging.DEBUG, logging.INFO]


def test_table_exists_answering_no_logs_no_failure(
    service: DynamoDBService, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=service.log.name):
        assert service.table_exists("missing") is False
    logged = records(caplog, service.log.name)
    assert not [r for r in logged if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in logged if r.levelno == logging.INFO] == [
        "Table missing does not exist"
    ]
