"""``services_dynamodb`` is ``services.dynamodb`` under a name that an
application's own ``services`` package cannot hide."""

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import services.dynamodb
import services.dynamodb.errors
import services.dynamodb.testing
import services_dynamodb
import services_dynamodb.errors
import services_dynamodb.testing

SRC = Path(__file__).resolve().parents[2] / "src"


def test_the_alias_is_the_same_package_and_modules() -> None:
    assert services_dynamodb is services.dynamodb
    assert services_dynamodb.testing is services.dynamodb.testing
    assert services_dynamodb.errors is services.dynamodb.errors
    assert services_dynamodb.errors.__spec__ is not None
    assert services_dynamodb.errors.__spec__.name == "services.dynamodb.errors"


def test_an_error_raised_under_one_name_is_caught_under_the_other() -> None:
    error = services_dynamodb.BatchIncompleteError(
        "stopped",
        operation="BatchWriteItem",
        table_name="orders",
        unprocessed=[{"pk": "a"}],
    )

    restored = pickle.loads(pickle.dumps(error))

    assert isinstance(restored, services.dynamodb.BatchIncompleteError)
    assert restored.unprocessed == [{"pk": "a"}]


APPLICATION_CODE = """
    import pickle
    import sys

    import services
    import services_dynamodb
    from services_dynamodb import BatchIncompleteError, DynamoDBService
    from services_dynamodb.testing import TableSpec, mock_dynamodb_service

    assert services.OWN == "the application's", "the application's package"
    assert sys.modules["services.dynamodb"] is services_dynamodb
    with mock_dynamodb_service(TableSpec("orders", "pk")) as service:
        assert isinstance(service, DynamoDBService)
        service.put_item({"pk": "a"}, table_name="orders")
        assert service.get_item({"pk": "a"}, table_name="orders") == {"pk": "a"}
    error = BatchIncompleteError(
        "stopped", operation="BatchWriteItem", table_name="orders",
        unprocessed=[{"pk": "a"}],
    )
    assert pickle.loads(pickle.dumps(error)).unprocessed == [{"pk": "a"}]
    print("ok")
"""


def test_an_application_with_a_regular_services_package_imports_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "__init__.py").write_text('OWN = "the application\'s"\n')
    script = tmp_path / "main.py"
    script.write_text(textwrap.dedent(APPLICATION_CODE))
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(SRC)]),
    }

    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert done.stdout.strip() == "ok", done.stderr[-3000:]
