"""Retry pauses of every transport, recorded instead of slept."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest


def record_async_sleeps(pauses: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    """Add every ``asyncio.sleep`` to ``pauses`` (the ``pauses`` fixture's
    list), yielding to the loop without waiting: the async transport may
    wait between attempts with it rather than with the driver's pause."""
    original: Callable[..., Awaitable[Any]] = asyncio.sleep

    async def record(seconds: float, result: Any = None) -> Any:
        pauses.append(seconds)
        await original(0)
        return result

    monkeypatch.setattr("asyncio.sleep", record)
