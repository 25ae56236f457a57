"""execute_statement on a real server: items in and out where the server
has PartiQL; where it has not (dynalite), a whole-call failure."""

import pytest
from botocore.exceptions import ClientError

from integration_tests.dynamodb.conftest import ServerFeatures
from services.dynamodb import DynamoDBService


def test_insert_then_select(
    service: DynamoDBService, table: str, server_features: ServerFeatures
) -> None:
    insert = f"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'sk': ?, 'name': ?}}"
    select = f'SELECT * FROM "{table}" WHERE pk = ?'
    if not server_features.partiql:
        with pytest.raises(ClientError) as raised:
            service.execute_statement(insert, ["a", 1, "Ann"])
        assert raised.value.response["Error"]["Code"] == "UnknownOperationException"
        assert service.get_item({"pk": "a", "sk": 1}) is None
        return

    service.execute_statement(insert, ["a", 1, "Ann"])

    assert service.execute_statement(select, ["a"]) == [
        {"pk": "a", "sk": 1, "name": "Ann"}
    ]
