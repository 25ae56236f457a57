"""The built wheel, installed at the dependency floors into a fresh venv outside
the repository, next to an application with its own namespace ``services``
package: the application's moto tests (using the testing kit) and
``mypy --strict`` on it pass."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
# The floors of pyproject.toml's dependencies and of the testing extra.
FLOOR_PINS = [
    "boto3==1.34.0",
    "httptools==0.6.4",
    "msgspec==0.18.6",
    "pydantic==2.7.0",
    "moto==5.0.0",
]
APPLICATION = {
    "services/email.py": '''
        """The application's own module in the shared ``services`` namespace."""


        def sender() -> str:
            return "orders@example.com"
    ''',
    "orders.py": '''
        """Application code under test."""

        from pydantic import BaseModel

        from services.dynamodb import DynamoDBService


        class Order(BaseModel):
            pk: str
            sk: int
            state: str = "placed"


        def place(service: DynamoDBService, customer: str, number: int) -> None:
            service.put_item({"pk": customer, "sk": number, "state": "placed"})


        def placed(service: DynamoDBService, customer: str) -> list[Order]:
            return service.query("pk = :c", {":c": customer}, model=Order)


        def count(service: DynamoDBService, customer: str) -> int:
            return service.count("pk = :c", {":c": customer})
    ''',
    "conftest.py": """
        import pytest

        from services.dynamodb.testing import TableSpec


        @pytest.fixture
        def dynamodb_tables() -> list[TableSpec]:
            from orders import Order

            return [TableSpec("orders", "pk", "sk:N", items=[Order(pk="c1", sk=1)])]
    """,
    "test_orders.py": """
        import asyncio

        import pytest

        import orders
        from services.dynamodb import DynamoDBService, __version__
        from services.dynamodb.testing import (
            TableSpec,
            mock_async_dynamodb_service,
            mock_dynamodb_service,
        )
        from services.email import sender


        def test_both_services_modules_import() -> None:
            assert sender() == "orders@example.com"
            assert __version__ != "0+unknown"


        def test_place_with_the_fixture(dynamodb_service: DynamoDBService) -> None:
            orders.place(dynamodb_service, "c1", 2)
            assert orders.count(dynamodb_service, "c1") == 2
            typed = orders.placed(dynamodb_service, "c1")
            assert [order.sk for order in typed] == [1, 2]


        def test_place_with_the_context_manager() -> None:
            with mock_dynamodb_service(TableSpec("orders", "pk", "sk:N")) as service:
                orders.place(service, "c2", 1)
                assert orders.count(service, "c2") == 1


        def test_the_async_service_needs_no_extra() -> None:
            async def place_and_count() -> int:
                table = TableSpec("orders", "pk", "sk:N")
                async with mock_async_dynamodb_service(table) as service:
                    await service.put_item({"pk": "c3", "sk": 1})
                    return await service.count("pk = :c", {":c": "c3"})

            assert asyncio.run(place_and_count()) == 1


        def test_the_stream_of_changes_as_models(
            dynamodb_service: DynamoDBService,
        ) -> None:
            spec = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
            client = dynamodb_service.botocore_client()
            client.update_table(TableName="orders", StreamSpecification=spec)
            orders.place(dynamodb_service, "c9", 1)
            changes = dynamodb_service.iter_stream("orders", model=orders.Order)
            assert [(change.event_name, change.new_image) for change in changes] == [
                ("INSERT", orders.Order(pk="c9", sk=1))
            ]


        def test_catching_a_failed_condition(dynamodb_service: DynamoDBService) -> None:
            failed = dynamodb_service.exceptions.ConditionalCheckFailedException
            with pytest.raises(failed):
                dynamodb_service.put_item(
                    {"pk": "c1", "sk": 1},
                    condition_expression="attribute_not_exists(pk)",
                )
    """,
}

# An application whose own ``services`` is a regular package: it hides the
# ``services`` namespace, and reaches the library as ``services_dynamodb``.
REGULAR_APPLICATION = {
    "services/__init__.py": '''
        """The application's own services package."""
    ''',
    "services/orders.py": '''
        """Application code with items typed as a TypedDict."""

        from typing import Any, TypedDict

        from services_dynamodb import DynamoDBService, stream_records


        class OrderItem(TypedDict):
            pk: str
            sk: int
            state: str


        def place(service: DynamoDBService, order: OrderItem) -> None:
            service.put_item(order)


        def described(service: DynamoDBService) -> str:
            answer = service.botocore_client().describe_table(TableName="orders")
            return str(answer["Table"]["TableStatus"])


        def pay(service: DynamoDBService, customer: str, number: int) -> Any:
            key = {"pk": customer, "sk": number}
            paid = {"state": "paid"}
            return service.update_attributes(key, set=paid, remove=["note"])


        def changed(event: dict[str, Any]) -> list[str]:
            """A Lambda handler's work: the customers whose orders changed."""
            return [str(change.keys["pk"]) for change in stream_records(event)]
    ''',
    "conftest.py": """
        import pytest

        from services_dynamodb.testing import TableSpec


        @pytest.fixture
        def dynamodb_tables() -> list[TableSpec]:
            return [TableSpec("orders", "pk", "sk:N")]
    """,
    "test_orders.py": """
        import sys

        import services
        import services_dynamodb
        from services.orders import OrderItem, changed, described, pay, place
        from services_dynamodb import DynamoDBService


        def test_the_library_is_one_package_beside_the_applications() -> None:
            assert services.__doc__ == "The application's own services package."
            assert sys.modules["services.dynamodb"] is services_dynamodb


        def test_a_typed_order_is_placed_and_paid(
            dynamodb_service: DynamoDBService,
        ) -> None:
            place(dynamodb_service, OrderItem(pk="c1", sk=1, state="placed"))
            assert pay(dynamodb_service, "c1", 1)["state"] == "paid"
            assert described(dynamodb_service) == "ACTIVE"


        def test_a_lambda_event_is_decoded() -> None:
            arn = "arn:aws:dynamodb:us-east-1:1:table/orders/stream/2026"
            keys = {"pk": {"S": "c1"}}
            change = {"Keys": keys, "SequenceNumber": "1", "SizeBytes": 9}
            record = {"eventID": "1", "eventName": "MODIFY", "eventSourceARN": arn}
            assert changed({"Records": [{**record, "dynamodb": change}]}) == ["c1"]
    """,
}


def write_application(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


def run(command: list[str], cwd: Path) -> str:
    """Run a command; fail the test with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail("%s failed:\n%s" % (" ".join(command), output[-4000:]))
    return output


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv outside the repository with the wheel at the dependency floors."""
    root = tmp_path_factory.mktemp("installed")
    wheels = root / "dist"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(wheels),
            ".",
        ],
        REPOSITORY,
    )
    (wheel,) = wheels.glob("services_dynamodb-*.whl")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], root)
    python = venv / "bin" / "python"
    (root / "floors.txt").write_text("\n".join(FLOOR_PINS) + "\n")
    run(
        [str(python), "-m", "pip", "install", "-q", "-c", "floors.txt"]
        + [f"{wheel}[testing]", "pytest", "mypy"],
        root,
    )
    return python


@pytest.fixture(scope="module")
def application(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway application with its own ``services`` namespace package."""
    return write_application(tmp_path_factory.mktemp("application"), APPLICATION)


@pytest.fixture(scope="module")
def regular_application(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway application whose ``services`` is a regular package."""
    root = tmp_path_factory.mktemp("regular")
    return write_application(root, REGULAR_APPLICATION)


def test_wheel_holds_no_services_init_and_declares_its_plugin(installed: Path) -> None:
    listing = run(
        [str(installed), "-m", "pip", "show", "-f", "services-dynamodb"],
        installed.parent,
    )
    assert "services/dynamodb/__init__.py" in listing
    assert "services/__init__.py" not in listing
    assert "services_dynamodb/__init__.py" in listing
    metadata = run(
        [
            str(installed),
            "-c",
            "import importlib.metadata as m; "
            "print(m.metadata('services-dynamodb').get_all('Project-URL') or [])",
        ],
        installed.parent,
    )
    # An index shows Project-URLs as links: a relative path is a dead one.
    for url in re.findall(r"'[^,']*, ([^']*)'", metadata):
        assert url.startswith("https://"), url
    entry_points = run(
        [
            str(installed),
            "-c",
            "import importlib.metadata as m; "
            "print(m.entry_points(group='pytest11', name='services_dynamodb'))",
        ],
        installed.parent,
    )
    assert "value='services_dynamodb_pytest_plugin'" in entry_points
    license_expression = run(
        [
            str(installed),
            "-c",
            "import importlib.metadata as m; "
            "print(m.metadata('services-dynamodb')['License-Expression'])",
        ],
        installed.parent,
    )
    assert license_expression.strip() == "MIT"


def test_application_tests_pass_on_the_installed_wheel(
    installed: Path, application: Path
) -> None:
    output = run(
        [str(installed), "-m", "pytest", "-q", "-p", "no:cacheprovider"], application
    )
    assert "6 passed" in output


def test_application_is_clean_under_mypy_strict(
    installed: Path, application: Path
) -> None:
    # An application with a namespace package runs mypy with package bases.
    command = ["-m", "mypy", "--strict", "--explicit-package-bases", "."]
    output = run([str(installed), *command], application)
    assert "Success" in output


def test_an_application_with_a_regular_services_package_runs_its_tests(
    installed: Path, regular_application: Path
) -> None:
    output = run(
        [str(installed), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        regular_application,
    )
    assert "3 passed" in output


def test_an_application_with_a_regular_services_package_is_clean_under_mypy(
    installed: Path, regular_application: Path
) -> None:
    output = run([str(installed), "-m", "mypy", "--strict", "."], regular_application)
    assert "Success" in output
