"""The shards of a stream being read: their order, and where each reading is.

A stream is a set of shards, each holding records in sequence order, open
(still written) or closed; when a shard closes, the records that follow go
to its children (``ParentShardId``). :mod:`.streams` reads each shard after
its parent (:func:`lineage_order`), keeping each shard's position
(:class:`ShardPosition`) from one round of reading to the next.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ShardPosition:
    """Where the reading of one shard is.

    Attributes:
        shard_id: The shard.
        start: The iterator type its first iterator is asked with.
        iterator: The iterator of the next ``GetRecords``, once asked for.
        last_sequence: The sequence number of the last record read.
        ended: True once the shard's end was read (it is closed).
    """

    shard_id: str
    start: str
    iterator: str | None = None
    last_sequence: str | None = None
    ended: bool = False


@dataclass
class Reading:
    """The reading of one stream: each shard's position, and counts."""

    start: str
    positions: dict[str, ShardPosition] = field(default_factory=dict)
    described: int = 0
    records: int = 0

    def position(self, shard: dict[str, Any]) -> ShardPosition:
        """The position in a described shard; a shard first seen after the
        first description is new since the reading began: read from its
        start. A closed shard of the first description is skipped from
        ``LATEST`` (all its records are older)."""
        shard_id = shard["ShardId"]
        if shard_id not in self.positions:
            start = self.start if self.described == 1 else "TRIM_HORIZON"
            ended = start == "LATEST" and is_closed(shard)
            self.positions[shard_id] = ShardPosition(shard_id, start, ended=ended)
        return self.positions[shard_id]


def is_closed(shard: dict[str, Any]) -> bool:
    """Whether a described shard is closed (it has an ending sequence number)."""
    return "EndingSequenceNumber" in shard.get("SequenceNumberRange", {})


def lineage_order(shards: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shards with each parent before its children (``ParentShardId``);
    otherwise in the order given. A parent not among them (trimmed) is
    not waited for.

    Args:
        shards: The shards, as ``DescribeStream`` gives them.

    Returns:
        The same shards, parents first.
    """
    by_id = {shard["ShardId"]: shard for shard in shards}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()
    for shard in shards:
        chain: list[dict[str, Any]] = []
        current: dict[str, Any] | None = shard
        while current is not None and current["ShardId"] not in placed:
            placed.add(current["ShardId"])
            chain.append(current)
            current = by_id.get(current.get("ParentShardId", ""))
        ordered.extend(reversed(chain))
    return ordered
