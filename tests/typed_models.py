"""Pydantic models of the typed-item tests, shared by unit and integration tests.

``FIELD_VALUES`` gives, for every field type the library promises to store and
read back, a value and what DynamoDB holds for it (as read without a model).
"""

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Annotated, Any

from boto3.dynamodb.types import Binary
from pydantic import BaseModel, ConfigDict, Field

from services.dynamodb import KeepNone

PLACED_AT = datetime.datetime(2026, 11, 29, 8, 30, 15, 123456, datetime.timezone.utc)
REFERENCE = uuid.UUID("6f1c2a4e-8b3d-4c5e-9f70-112233445566")


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Address(BaseModel):
    city: str
    zip: str | None = None


class Order(BaseModel):
    """The README's example."""

    pk: str
    sk: int
    total: Decimal
    placed_at: datetime.datetime
    tags: set[str] = set()


def order(sk: int, **fields: Any) -> Order:
    """An order of customer ``cust#1`` with sort key ``sk``; ``fields`` override."""
    values: dict[str, Any] = {
        "pk": "cust#1",
        "sk": sk,
        "total": Decimal("19.99"),
        "placed_at": "2026-11-29T08:00:00+00:00",
        "tags": {"gift"},
    }
    return Order(**{**values, **fields})


class Everything(BaseModel):
    """One field of every type the library stores."""

    model_config = ConfigDict(populate_by_name=True)

    pk: str
    sk: int
    text: str = "t"
    flag: bool = True
    count: int = 7
    total: Decimal = Decimal("19.99")
    ratio: float = 0.1
    raw: bytes = b"\x00\x01"
    placed_at: datetime.datetime = PLACED_AT
    naive_at: datetime.datetime = datetime.datetime(2026, 1, 2, 3, 4, 5)
    day: datetime.date = datetime.date(2026, 2, 28)
    clock: datetime.time = datetime.time(23, 59, 1)
    colour: Colour = Colour.RED
    priority: Priority = Priority.HIGH
    reference: uuid.UUID = REFERENCE
    tags: set[str] = {"gift", "red"}
    sizes: set[int] = {1, 2}
    blobs: set[bytes] = {b"a"}
    no_tags: set[str] = set()
    items: list[Any] = [1, "two", None]
    pair: tuple[int, str] = (1, "x")
    address: Address = Address(city="Berlin")
    addresses: list[Address] = [Address(city="Paris", zip="75001")]
    note: str | None = None
    kept: Annotated[str | None, KeepNone] = None
    display: str = Field("D", alias="displayName")


# Field name -> (a value of its type, the attribute as stored, read back as a
# dict: its name in DynamoDB and value), for the round-trip tests.
FIELD_VALUES: dict[str, tuple[Any, tuple[str, Any]]] = {
    "text": ("héllo", ("text", "héllo")),
    "flag": (False, ("flag", False)),
    "count": (-3, ("count", Decimal("-3"))),
    "total": (
        Decimal("12345.678901234567890123"),
        ("total", Decimal("12345.678901234567890123")),
    ),
    "ratio": (1 / 3, ("ratio", Decimal(str(1 / 3)))),
    "raw": (b"\xff\x00", ("raw", Binary(b"\xff\x00"))),
    "placed_at": (PLACED_AT, ("placed_at", "2026-11-29T08:30:15.123456+00:00")),
    "naive_at": (
        datetime.datetime(2026, 1, 2, 3, 4, 5),
        ("naive_at", "2026-01-02T03:04:05"),
    ),
    "day": (datetime.date(2026, 2, 28), ("day", "2026-02-28")),
    "clock": (datetime.time(23, 59, 1), ("clock", "23:59:01")),
    "colour": (Colour.BLUE, ("colour", "blue")),
    "priority": (Priority.LOW, ("priority", Decimal("1"))),
    "reference": (REFERENCE, ("reference", str(REFERENCE))),
    "tags": ({"a", "b"}, ("tags", {"a", "b"})),
    "sizes": ({3, 4}, ("sizes", {Decimal("3"), Decimal("4")})),
    "blobs": ({b"x", b"y"}, ("blobs", {Binary(b"x"), Binary(b"y")})),
    "items": ([1, "two", None], ("items", [Decimal("1"), "two", None])),
    "pair": ((2, "y"), ("pair", [Decimal("2"), "y"])),
    "address": (Address(city="Oslo"), ("address", {"city": "Oslo"})),
    "addresses": (
        [Address(city="Rome", zip="00100")],
        ("addresses", [{"city": "Rome", "zip": "00100"}]),
    ),
    "kept": ("here", ("kept", "here")),
    "display": ("Shown", ("displayName", "Shown")),
}
