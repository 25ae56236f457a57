"""A BOOL (or NULL) in an answer is JSON true or false, never a number that
compares equal to one: ``{"BOOL": 1}`` is refused, not read as True."""

import json
from typing import Any

import pytest
from botocore.parsers import ResponseParserError

from services.dynamodb import DynamoDBService
from tests.dynamodb.faults import inject_answer

NUMBERS_AS_BOOLEANS: dict[str, Any] = {
    "bool-one": {"BOOL": 1},
    "bool-zero": {"BOOL": 0},
    "bool-one-point-zero": {"BOOL": 1.0},
    "bool-one-in-a-list": {"L": [{"BOOL": 1}]},
    "bool-zero-in-a-map": {"M": {"inner": {"BOOL": 0}}},
    "null-one": {"NULL": 1},
}


@pytest.mark.parametrize(
    "value", NUMBERS_AS_BOOLEANS.values(), ids=NUMBERS_AS_BOOLEANS.keys()
)
def test_a_number_given_as_a_bool_in_an_answer_is_refused(
    service: DynamoDBService, table: str, value: Any
) -> None:
    answer = {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": value}}
    inject_answer(service._client, "GetItem", json.dumps(answer).encode())

    with pytest.raises(ResponseParserError, match="malformed Item field"):
        service.get_item({"pk": "a", "sk": 1})
