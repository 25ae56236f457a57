"""Every public method's docstring has an ``Example:`` section, and each runs
as written (doctest) on moto, against a fresh "orders" table seeded with
:data:`ORDERS` (the autouse ``aws`` fixture starts each test on an empty
moto). The same docstring serves the async service: the examples of its
coroutine methods run there too, each ``service.<method>(...)`` awaited.

moto does not implement ``SearchVectors`` (it answers 404 "Not yet
implemented"), and no local server does: the ``search_vectors`` example
is answered by :data:`CANNED`, an answer of the service model's shape,
given by a hook registered first on the service client's ``before-send``
(the request itself is built, checked and signed as always)."""

import ast
import asyncio
import contextlib
import doctest
import inspect
import io
import logging
import textwrap
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig, DynamoDBService
from services.dynamodb.testing import (
    TableSpec,
    mock_async_dynamodb_service,
    mock_dynamodb_service,
)
from tests.dynamodb.faults import inject_answer

# The setting every example assumes: a service named ``service`` whose
# default table "orders" has a string "pk" and a number "sk", holding these.
ORDERS = [
    {"pk": "a", "sk": 1, "state": "open", "qty": 3},
    {"pk": "a", "sk": 2, "state": "shipped", "qty": 1},
    {"pk": "b", "sk": 1, "state": "open", "qty": 7},
]
# Answers for the operations no local server implements, by method.
CANNED = {
    "search_vectors": (
        "SearchVectors",
        b'{"SearchResults": ['
        b'{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "Score": 0.125},'
        b'{"Item": {"pk": {"S": "a"}, "sk": {"N": "2"}}, "Score": 0.5}]}',
    )
}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
HEADER = "Example:"
# Not re-run on the async service with each call awaited: its streams are
# iterated with ``async for``, and these three are not coroutines there.
NOT_AWAITED = {
    "iter_query",
    "iter_scan",
    "iter_stream",
    "exceptions",
    "botocore_client",
    "consumed_capacity",
}


def orders() -> TableSpec:
    return TableSpec("orders", "pk", "sk:N", items=ORDERS)


def answer_canned(service: Any, name: str) -> None:
    """Give the method's operation its canned answer, if it has one."""
    if name in CANNED:
        operation, body = CANNED[name]
        inject_answer(service._client, operation, body)


def public_names() -> list[str]:
    return sorted(name for name in dir(DynamoDBService) if not name.startswith("_"))


AWAITED = sorted(set(public_names()) - NOT_AWAITED)


def example_of(name: str) -> str:
    """The ``Example:`` section of a public method's docstring, dedented;
    ``""`` when it has none."""
    lines = inspect.cleandoc(getattr(DynamoDBService, name).__doc__ or "").split("\n")
    for start, line in enumerate(lines):
        if line.strip() == HEADER:
            indent = len(line) - len(line.lstrip())
            section: list[str] = []
            for body in lines[start + 1 :]:
                if body.strip() and len(body) - len(body.lstrip()) <= indent:
                    break
                section.append(body)
            return textwrap.dedent("\n".join(section)).strip() + "\n"
    return ""


def examples_of(name: str) -> list[doctest.Example]:
    return doctest.DocTestParser().get_examples(example_of(name), name)


def namespace(service: object) -> dict[str, Any]:
    """What an example may use without importing it."""
    return {
        "service": service,
        "Key": Key,
        "Attr": Attr,
        "Decimal": Decimal,
        "logging": logging,
        "DynamoDBConfig": DynamoDBConfig,
        "DynamoDBService": DynamoDBService,
        "AsyncDynamoDBService": AsyncDynamoDBService,
    }


def test_the_public_methods_are_the_ones_the_examples_cover() -> None:
    names = public_names()
    assert len(names) == 37
    assert {"exceptions", "botocore_client", "consumed_capacity"} <= set(names)


@pytest.mark.parametrize("name", public_names())
def test_every_public_method_has_a_short_example(name: str) -> None:
    examples = examples_of(name)
    assert examples, f"{name}'s docstring has no {HEADER} section with >>> lines"
    lines = sum(example.source.count("\n") for example in examples)
    assert lines <= 10, f"{name}'s example has {lines} lines"


@pytest.mark.parametrize("name", public_names())
def test_the_async_service_shows_the_same_example(name: str) -> None:
    documented = getattr(AsyncDynamoDBService, name).__doc__
    assert documented == getattr(DynamoDBService, name).__doc__


@pytest.mark.parametrize("name", public_names())
def test_every_public_methods_example_runs_as_written(name: str) -> None:
    text = example_of(name)
    with mock_dynamodb_service(orders()) as service:
        answer_canned(service, name)
        test = doctest.DocTestParser().get_doctest(
            text, namespace(service), f"DynamoDBService.{name}", None, 0
        )
        assert test.examples, f"{name} has no example to run"
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=FLAGS)
        result = runner.run(test, out=report.write, clear_globs=True)
    assert result.failed == 0, report.getvalue()


class Awaited(ast.NodeTransformer):
    """Await every call of a method of ``service``."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        target = node.func
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "service"
        ):
            return ast.Await(node)
        return node


async def run_awaited(source: str, names: dict[str, Any]) -> str:
    """Run one example's source with its service calls awaited, as an
    interactive line is run; return what it printed (its value included)."""
    tree = ast.fix_missing_locations(Awaited().visit(ast.parse(source, mode="single")))
    code = compile(tree, "<example>", "single", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = eval(code, names)
        if inspect.iscoroutine(result):
            await result
    return printed.getvalue()


@pytest.mark.parametrize("name", AWAITED)
def test_examples_run_on_the_async_service_with_each_call_awaited(name: str) -> None:
    async def run() -> list[tuple[str, str, str]]:
        outputs: list[tuple[str, str, str]] = []
        async with mock_async_dynamodb_service(orders()) as service:
            answer_canned(service, name)
            names = namespace(service)
            for example in examples_of(name):
                got = await run_awaited(example.source, names)
                outputs.append((example.source, example.want, got))
        return outputs

    outputs = asyncio.run(run())
    assert outputs
    checker = doctest.OutputChecker()
    for source, want, got in outputs:
        assert checker.check_output(want, got, FLAGS), (source, want, got)
