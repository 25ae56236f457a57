"""PartiQL through execute_statement: plain values in, items out (moto's
PartiQL runs SELECT with parameters and INSERT; its UPDATE and DELETE fail
inside moto, so they are not tested here)."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from services.dynamodb import DynamoDBService


class Row(BaseModel):
    pk: str
    sk: int
    name: str


def test_insert_then_select_with_parameters(
    service: DynamoDBService, table: str
) -> None:
    # moto's PartiQL takes no ? in INSERT and UPDATE; DynamoDB does.
    inserted = service.execute_statement(
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'sk': 1, 'name': 'Ann'}}"
    )
    service.put_item({"pk": "a", "sk": 2, "name": "Bo", "blob": b"\x01"})

    found = service.execute_statement(
        f'SELECT * FROM "{table}" WHERE pk = ?', ["a"], consistent_read=True
    )

    assert inserted == []
    assert sorted(found, key=lambda item: item["sk"]) == [
        {"pk": "a", "sk": Decimal(1), "name": "Ann"},
        {"pk": "a", "sk": Decimal(2), "name": "Bo", "blob": found[-1]["blob"]},
    ]


def test_select_as_a_model_and_limited(service: DynamoDBService, table: str) -> None:
    for sk in range(3):
        service.put_item({"pk": "m", "sk": sk, "name": "n%d" % sk})

    rows = service.execute_statement(
        f'SELECT * FROM "{table}" WHERE pk = ?', ["m"], model=Row
    )
    two = service.execute_statement(
        f'SELECT * FROM "{table}" WHERE pk = ?', ["m"], limit=2
    )

    assert sorted(row.sk for row in rows) == [0, 1, 2]
    assert len(two) == 2


BAD: dict[str, tuple[Any, Any]] = {
    "empty statement": ("  ", None),
    "statement that is not text": (None, None),
    "parameter DynamoDB cannot hold": ('SELECT * FROM "t" WHERE pk = ?', [object()]),
    "parameters that are not a list": ('SELECT * FROM "t" WHERE pk = ?', "a"),
}


@pytest.mark.parametrize("statement, parameters", BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_before_sending(
    service: DynamoDBService, statement: Any, parameters: Any
) -> None:
    with pytest.raises(ValueError):
        service.execute_statement(statement, parameters)
