"""The async service never refreshes credentials on the event loop: in
botocore's advisory window (temporary credentials with less than 15 minutes
left) a refresh runs in a worker thread, and the call is signed with what it
returned."""

import asyncio
import logging
import threading
from datetime import timedelta
from typing import Any

import botocore.session
import pytest

from services.dynamodb import AsyncDynamoDBService, DynamoDBConfig
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE
from tests.dynamodb.test_credential_refresh import Expiring, access_key_of


class ShortSessions(Expiring):
    """Each refresh hands out credentials with 12 minutes left: always in
    botocore's advisory window, never in its mandatory one."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []
        expiry = self.now + timedelta(minutes=12)
        setattr(self.credentials, "_expiry_time", expiry)

    def refresh(self) -> dict[str, str]:
        self.threads.append(threading.get_ident())
        fresh = super().refresh()
        fresh["expiry_time"] = (self.now + timedelta(minutes=12)).isoformat()
        return fresh


def test_credentials_in_the_advisory_window_are_refreshed_off_the_loop(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = ShortSessions()
    monkeypatch.setattr(
        botocore.session.Session, "get_credentials", lambda _: sessions.credentials
    )
    config = DynamoDBConfig(
        region_name="us-east-1", default_table_name=TABLE, transport="direct"
    )
    signed_with: list[str] = []

    def record(request: Any, **kwargs: Any) -> None:
        signed_with.append(access_key_of(request))

    async def calls() -> int:
        async with AsyncDynamoDBService(logger, config) as service:
            await service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
            service._client.meta.events.register("before-send.dynamodb.GetItem", record)
            sessions.threads.clear()
            for _ in range(3):
                await service.get_item({"pk": "a", "sk": 1})
        return threading.get_ident()

    loop_thread = asyncio.run(calls())
    assert len(sessions.threads) >= 3
    assert loop_thread not in sessions.threads
    assert all(key.startswith("AKIDREFRESHED") for key in signed_with)
