"""What users' tools see of the services' methods: coroutine functions on
the async service, the caller's types on both, never the step machinery."""

import inspect
import re
import pickle
import typing
from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest.mock import AsyncMock, MagicMock, create_autospec

import pytest

from services.dynamodb import AsyncDynamoDBService, DynamoDBService

STREAMS = {"iter_query", "iter_scan", "iter_stream"}
# Public, but not operations: the same object on both services.
NOT_OPERATIONS = {"exceptions", "botocore_client", "consumed_capacity"}


def public_methods(service: type) -> list[str]:
    return sorted(
        name
        for name in dir(service)
        if not name.startswith("_") and name not in NOT_OPERATIONS
    )


ASYNC_CALLS = [
    name for name in public_methods(AsyncDynamoDBService) if name not in STREAMS
]


def test_both_services_have_the_same_public_methods() -> None:
    extra = set(public_methods(AsyncDynamoDBService)) - set(
        public_methods(DynamoDBService)
    )
    assert extra == {"close"}
    assert len(ASYNC_CALLS) >= 25


@pytest.mark.parametrize("name", ASYNC_CALLS)
def test_every_async_operation_is_a_coroutine_function(name: str) -> None:
    assert inspect.iscoroutinefunction(getattr(AsyncDynamoDBService, name))


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_the_streams_are_plain_functions_returning_async_iterators(name: str) -> None:
    method = getattr(AsyncDynamoDBService, name)
    assert not inspect.iscoroutinefunction(method)
    returned = typing.get_type_hints(method)["return"]
    assert typing.get_origin(returned) is AsyncIterator
    blocking = typing.get_type_hints(getattr(DynamoDBService, name))["return"]
    assert typing.get_origin(blocking) is Iterator


@pytest.mark.parametrize("service", [DynamoDBService, AsyncDynamoDBService])
@pytest.mark.parametrize("name", public_methods(DynamoDBService))
def test_signatures_show_the_callers_types_never_a_step(
    service: type, name: str
) -> None:
    method = getattr(service, name)
    shown = str(inspect.signature(method))
    hints = typing.get_type_hints(method)
    assert "return" in hints
    for word in ("Generator", "Step", "Call", "Sleep", "Interleave"):
        whole_word = re.compile(r"\b%s\b" % word)  # Callable is the caller's type
        assert whole_word.search(shown) is None
        assert whole_word.search(repr(hints["return"])) is None
    assert method.__doc__ and "Raises:" in method.__doc__


def test_get_item_returns_an_optional_item_on_both_services() -> None:
    for service in (DynamoDBService, AsyncDynamoDBService):
        # Read off the class by name: mypy types an operation for instances.
        get_item = getattr(service, "get_item")
        returned = typing.get_type_hints(get_item)["return"]
        assert type(None) in typing.get_args(returned)
        assert list(inspect.signature(get_item).parameters)[:3] == [
            "self",
            "key",
            "table_name",
        ]


@pytest.mark.asyncio
async def test_an_autospec_of_the_async_service_is_awaited_as_the_real_one() -> None:
    stand_in = create_autospec(AsyncDynamoDBService, instance=True)
    assert isinstance(stand_in.get_item, AsyncMock)
    stand_in.get_item.return_value = {"pk": "a"}
    assert await stand_in.get_item({"pk": "a"}) == {"pk": "a"}
    stand_in.get_item.assert_awaited_once_with({"pk": "a"})
    with pytest.raises(TypeError):
        await stand_in.get_item({"pk": "a"}, "orders", "extra")


@pytest.mark.asyncio
async def test_an_autospec_of_an_async_stream_can_be_iterated() -> None:
    stand_in = create_autospec(AsyncDynamoDBService, instance=True)
    assert isinstance(stand_in.iter_query, MagicMock)
    assert not isinstance(stand_in.iter_query, AsyncMock)
    stand_in.iter_query.return_value.__aiter__.return_value = [{"pk": "a"}]
    items = [item async for item in stand_in.iter_query("pk = :p", {":p": "a"})]
    assert items == [{"pk": "a"}]


def test_an_autospec_of_the_blocking_service_returns_plainly() -> None:
    stand_in = create_autospec(DynamoDBService, instance=True)
    assert not isinstance(stand_in.get_item, AsyncMock)
    stand_in.get_item.return_value = None
    assert stand_in.get_item({"pk": "a"}) is None


def test_a_subclass_keeps_its_own_override() -> None:
    class Audited(DynamoDBService):
        def get_item(self, *args: Any, **kwargs: Any) -> Any:
            return "audited"

    assert getattr(Audited, "get_item")(None, {"pk": "a"}) == "audited"
    assert getattr(Audited, "put_item") is getattr(DynamoDBService, "put_item")


@pytest.mark.parametrize("service", [DynamoDBService, AsyncDynamoDBService])
def test_wrong_arguments_are_refused_when_the_call_is_made(service: type) -> None:
    """As for any ``async def``: no coroutine is made for a call that does
    not bind, so the mistake is not deferred to ``await`` (or lost)."""
    stand_in: Any = object.__new__(service)
    with pytest.raises(TypeError, match="positional arguments"):
        getattr(service, "put_item")(stand_in, {"pk": "a"}, "orders", "extra")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        getattr(service, "get_item")(stand_in, {"pk": "a"}, bogus=1)


@pytest.mark.parametrize("service", [DynamoDBService, AsyncDynamoDBService])
def test_methods_belong_to_their_service_for_pickle_and_help(service: type) -> None:
    method = getattr(service, "put_item")
    get_item = getattr(service, "get_item")
    assert method.__qualname__ == f"{service.__name__}.put_item"
    assert method.__module__ == service.__module__
    assert pickle.loads(pickle.dumps(method)) is method
    assert get_item.__kwdefaults__["model"] is None
    assert get_item.__defaults__ == (None,)
