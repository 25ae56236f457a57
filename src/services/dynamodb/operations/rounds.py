"""Finishing a batch: resend what DynamoDB hands back, in bounded rounds.

DynamoDB may process only part of a ``BatchWriteItem`` or ``BatchGetItem``
and return the rest as ``UnprocessedItems``/``UnprocessedKeys``. Resending them
completes the call; doing it at once and forever (as boto3's ``batch_writer``
does) is a hot loop against a server that keeps refusing. Here every round
sends what is pending, in chunks, and the next round waits with exponential
backoff and jitter; after :data:`MAX_ROUNDS` rounds the caller learns what is
still pending.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..sansio.steps import Sleep
from .steps import Steps

MAX_ROUNDS = 8
FIRST_BACKOFF_SECONDS = 0.05
MAX_BACKOFF_SECONDS = 1.0

Entry = TypeVar("Entry")


@dataclass(frozen=True)
class Outcome(Generic[Entry]):
    """What a batch left undone.

    Attributes:
        unconfirmed: Entries DynamoDB did not confirm; empty when all were.
        error: The error that stopped the batch, or None.
    """

    unconfirmed: list[Entry]
    error: Exception | None


def backoff_seconds(round_number: int) -> float:
    """The pause before a round: doubling from 50 ms up to 1 s, with jitter.

    Args:
        round_number: The round about to start, 1 for the first resend.

    Returns:
        Seconds to wait, between half and all of the doubled delay.
    """
    ceiling = min(FIRST_BACKOFF_SECONDS * 2 ** (round_number - 1), MAX_BACKOFF_SECONDS)
    return random.uniform(ceiling / 2, ceiling)


def send_in_rounds(
    entries: list[Entry],
    chunk_size: int,
    send_chunk: Callable[[list[Entry]], Steps[list[Entry]]],
    confirmed: Callable[[int], None] | None = None,
) -> Steps[Outcome[Entry]]:
    """Send every entry, resending the unprocessed ones, for bounded rounds.

    Args:
        entries: What to send.
        chunk_size: Entries per request.
        send_chunk: The steps of one request; they return the entries it
            left unprocessed.
        confirmed: Called after each request with the running count of
            entries confirmed; what it raises stops the batch like a failed
            request (the entries it confirmed stay confirmed).

    Returns:
        The steps; they return the entries still unconfirmed (those of a
        failed request and of every request not sent after it included), and
        the error, if one stopped it.
    """
    pending, done = entries, 0
    for round_number in range(MAX_ROUNDS):
        if round_number:
            yield Sleep(backoff_seconds(round_number))
        left: list[Entry] = []
        for start in range(0, len(pending), chunk_size):
            chunk = pending[start : start + chunk_size]
            try:
                unprocessed = yield from send_chunk(chunk)
            except Exception as error:
                return Outcome(left + pending[start:], error)
            left += unprocessed
            done += len(chunk) - len(unprocessed)
            try:
                if confirmed is not None:
                    confirmed(done)
            except Exception as error:
                return Outcome(left + pending[start + chunk_size :], error)
        pending = left
        if not pending:
            break
    return Outcome(pending, None)
