"""Credentials that expire are refreshed: a call made after they expire is
signed with the new key, on every transport (botocore's own signer refreshes
them for its client; the direct transports must too)."""

import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from botocore.credentials import RefreshableCredentials

from services.dynamodb import DynamoDBConfig
from tests.dynamodb.conftest import ATTRIBUTES, KEY_SCHEMA, TABLE
from tests.services import build_service

KEY = {"pk": "a", "sk": 1}


class Expiring:
    """Temporary credentials on a clock the test moves; each refresh hands
    out a new access key, valid for an hour."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)
        self.refreshes = 0
        self.credentials = RefreshableCredentials(
            access_key="AKIDFIRST",
            secret_key="first-secret",
            token="first-token",
            expiry_time=self.now + timedelta(hours=1),
            refresh_using=self.refresh,
            method="test-expiring",
            time_fetcher=lambda: self.now,
        )

    def refresh(self) -> dict[str, str]:
        self.refreshes += 1
        return {
            "access_key": "AKIDREFRESHED%d" % self.refreshes,
            "secret_key": "refreshed-secret",
            "token": "refreshed-token",
            "expiry_time": (self.now + timedelta(hours=1)).isoformat(),
        }


def access_key_of(request: Any) -> str:
    """The access key a signed request's Authorization header names."""
    authorization = request.headers["Authorization"]
    if isinstance(authorization, bytes):
        authorization = authorization.decode()
    credential = authorization.split("Credential=", 1)[1]
    return str(credential.split("/", 1)[0])


def test_a_call_after_the_credentials_expire_is_signed_with_refreshed_ones(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    expiring = Expiring()
    monkeypatch.setattr(
        botocore.session.Session,
        "get_credentials",
        lambda session: expiring.credentials,
    )
    config = DynamoDBConfig(region_name="us-east-1", default_table_name=TABLE)
    service = build_service(logger, config)
    service.create_table(TABLE, KEY_SCHEMA, ATTRIBUTES)
    signed_with: list[str] = []

    def record(request: Any, **kwargs: Any) -> None:
        signed_with.append(access_key_of(request))

    service._client.meta.events.register("before-send.dynamodb.GetItem", record)

    service.get_item(KEY)
    expiring.now += timedelta(hours=2)
    service.get_item(KEY)

    assert signed_with == ["AKIDFIRST", "AKIDREFRESHED1"]
    assert expiring.refreshes == 1
