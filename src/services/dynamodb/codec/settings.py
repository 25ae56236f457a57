"""Table settings as ``CreateTable``, ``UpdateTable`` and the tag, policy
and recovery calls take them, each checked before anything is sent: an
error names the parameter."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from .vectors import INDEX_NAME, VectorIndex

TableClass = Literal["STANDARD", "STANDARD_INFREQUENT_ACCESS"]
StreamViewType = Literal["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]
RECOVERY_DAYS_MAX = 35
NO_MAXIMUM = -1  # DynamoDB's on-demand maximum "none"
MAX_UNITS = 2**63 - 1  # DynamoDB's throughputs are 64-bit "long"s
# Tags as botocore's model and DynamoDB limit them.
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
RESERVED_TAG_PREFIX = "aws:"

ERROR_FLAG = "%s must be True or False, got %r"
ERROR_CHOICE = "%s must be one of %s, got %r"
ERROR_INTEGER = "%s must be an integer, got %r"
ERROR_UNITS = "%s must be a positive integer, got %r"
ERROR_MAX_UNITS = "%s must be a positive integer or -1 (no maximum), got %r"
ERROR_RECOVERY_DAYS = "point_in_time_recovery_days must be from %d to %d, got %r"
ERROR_STREAM_OFF = "stream_enabled=False turns the stream off: give no stream_view_type"
ERROR_STREAM_ON = "stream_enabled=True needs a stream_view_type"
ERROR_TAGS = "tags must map non-empty strings to strings, got %s"
ERROR_UNITS_LARGE = "%s must be at most %d (a 64-bit integer), got %r"
ERROR_TAG_LIMITS = (
    "tags must be at most %d, each key 1 to %d characters not starting with "
    "'aws:' (reserved) and each value at most %d characters; %s breaks this"
)
ERROR_POLICY_JSON = (
    "policy must be a JSON document: a mapping of JSON values (no NaN or "
    "infinity), got %s"
)
ERROR_NO_TAGS = "tags must hold at least one tag"
ERROR_TAG_KEYS = "keys must be a non-empty sequence of tag keys (strings), got %r"
ERROR_POLICY = "policy must be a non-empty JSON string or a mapping, got %s"
ERROR_VECTOR_INDEXES = "vector_indexes must be a sequence of VectorIndex, got %r"
ERROR_VECTOR_INDEX = "add_vector_index must be a VectorIndex, got %r"
ERROR_VECTOR_NAME = (
    "delete_vector_index must be an index name (3 to 255 letters, digits, "
    "'_', '-' or '.'), got %r"
)


@dataclass(frozen=True)
class Settings:
    """The settings ``CreateTable`` and ``UpdateTable`` both take; None
    leaves one out of the request (unchanged, or DynamoDB's default)."""

    deletion_protection: bool | None = None
    table_class: str | None = None
    stream_enabled: bool | None = None
    stream_view_type: str | None = None
    max_read_request_units: int | None = None
    max_write_request_units: int | None = None
    warm_read_units_per_second: int | None = None
    warm_write_units_per_second: int | None = None

    def __post_init__(self) -> None:
        check_flag("deletion_protection", self.deletion_protection)
        check_flag("stream_enabled", self.stream_enabled)
        check_choice("table_class", self.table_class, TableClass)
        check_choice("stream_view_type", self.stream_view_type, StreamViewType)
        if self.stream_enabled is False and self.stream_view_type is not None:
            raise ValueError(ERROR_STREAM_OFF)
        if self.stream_enabled is True and self.stream_view_type is None:
            raise ValueError(ERROR_STREAM_ON)
        for label in ("max_read_request_units", "max_write_request_units"):
            check_units(label, getattr(self, label), ERROR_MAX_UNITS)
        for label in ("warm_read_units_per_second", "warm_write_units_per_second"):
            check_units(label, getattr(self, label), ERROR_UNITS)

    def changes(self) -> bool:
        """Whether any setting is given."""
        return any(getattr(self, each.name) is not None for each in fields(self))

    def request(self) -> dict[str, Any]:
        """The given settings as request parameters."""
        request: dict[str, Any] = {}
        if self.deletion_protection is not None:
            request["DeletionProtectionEnabled"] = self.deletion_protection
        if self.table_class is not None:
            request["TableClass"] = self.table_class
        if self.stream_enabled is not None:
            stream: dict[str, Any] = {"StreamEnabled": self.stream_enabled}
            if self.stream_view_type is not None:
                stream["StreamViewType"] = self.stream_view_type
            request["StreamSpecification"] = stream
        on_demand = _given(
            MaxReadRequestUnits=self.max_read_request_units,
            MaxWriteRequestUnits=self.max_write_request_units,
        )
        if on_demand:
            request["OnDemandThroughput"] = on_demand
        warm = _given(
            ReadUnitsPerSecond=self.warm_read_units_per_second,
            WriteUnitsPerSecond=self.warm_write_units_per_second,
        )
        if warm:
            request["WarmThroughput"] = warm
        return request


def check_flag(label: str, value: object) -> None:
    """Refuse a flag that is neither None, True nor False."""
    if value is not None and not isinstance(value, bool):
        raise TypeError(ERROR_FLAG % (label, value))


def check_choice(label: str, value: object, choices: Any) -> None:
    """Refuse a name that is neither None nor one of the Literal's."""
    if value is not None and value not in get_args(choices):
        raise ValueError(ERROR_CHOICE % (label, ", ".join(get_args(choices)), value))


def check_units(label: str, value: object, message: str) -> None:
    """Refuse a throughput that is not a positive integer (or -1, DynamoDB's
    "no maximum", where ``message`` allows it)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(ERROR_INTEGER % (label, value))
    if value < 1 and not (message == ERROR_MAX_UNITS and value == NO_MAXIMUM):
        raise ValueError(message % (label, value))
    if value > MAX_UNITS:
        raise ValueError(ERROR_UNITS_LARGE % (label, MAX_UNITS, value))


def check_recovery_days(days: object, minimum: int) -> None:
    """Refuse a recovery window outside ``minimum``..35 days (None passes)."""
    if days is None:
        return
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(ERROR_INTEGER % ("point_in_time_recovery_days", days))
    if not minimum <= days <= RECOVERY_DAYS_MAX:
        raise ValueError(ERROR_RECOVERY_DAYS % (minimum, RECOVERY_DAYS_MAX, days))


def recovery_specification(days: int) -> dict[str, Any]:
    """``PointInTimeRecoverySpecification`` for a window of ``days`` (0: off)."""
    if days == 0:
        return {"PointInTimeRecoveryEnabled": False}
    return {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": days}


def recovery_days(backups: Mapping[str, Any] | None) -> int | None:
    """The recovery window ``DescribeContinuousBackups`` gives; None when
    recovery is off or the server cannot say."""
    recovery = (backups or {}).get("PointInTimeRecoveryDescription") or {}
    if recovery.get("PointInTimeRecoveryStatus") != "ENABLED":
        return None
    return int(recovery.get("RecoveryPeriodInDays", RECOVERY_DAYS_MAX))


def tag_list(tags: object, *, allow_empty: bool = False) -> list[dict[str, str]]:
    """Tags as DynamoDB takes them (``[{"Key": ..., "Value": ...}]``)."""
    if not isinstance(tags, Mapping):
        raise TypeError(ERROR_TAGS % _shown(tags))
    for key, value in tags.items():
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise TypeError(ERROR_TAGS % ("%r mapped to %s" % (key, _shown(value))))
    if not tags and not allow_empty:
        raise ValueError(ERROR_NO_TAGS)
    _check_tag_limits(tags)
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def _check_tag_limits(tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        problem = "%d tags" % len(tags)
        raise ValueError(
            ERROR_TAG_LIMITS % (MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE, problem)
        )
    for position, (key, value) in enumerate(tags.items()):
        if (
            len(key) > MAX_TAG_KEY
            or key.startswith(RESERVED_TAG_PREFIX)
            or len(value) > MAX_TAG_VALUE
        ):
            problem = "tag number %d (counted from 0)" % position
            limits = (MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE, problem)
            raise ValueError(ERROR_TAG_LIMITS % limits)


def tag_keys(keys: object) -> list[str]:
    """Tag keys to remove, checked."""
    if (
        isinstance(keys, str)
        or not isinstance(keys, Sequence)
        or not all(isinstance(key, str) and key for key in keys)
    ):
        raise TypeError(ERROR_TAG_KEYS % (keys,))
    if not keys:
        raise ValueError(ERROR_TAG_KEYS % (keys,))
    return list(keys)


def policy_text(policy: object) -> str:
    """A resource policy as DynamoDB takes it: a JSON document."""
    if isinstance(policy, Mapping):
        try:
            return json.dumps(dict(policy), allow_nan=False)
        except (TypeError, ValueError):
            raise ValueError(ERROR_POLICY_JSON % _shown(policy)) from None
    if not isinstance(policy, str):
        raise TypeError(ERROR_POLICY % _shown(policy))
    if not policy.strip():
        raise ValueError(ERROR_POLICY % "an empty string")
    return policy


def vector_index_list(indexes: object) -> list[dict[str, Any]]:
    """``VectorIndexes`` of ``CreateTable``."""
    if (
        isinstance(indexes, (str, Mapping))
        or not isinstance(indexes, Sequence)
        or not all(isinstance(index, VectorIndex) for index in indexes)
    ):
        raise TypeError(ERROR_VECTOR_INDEXES % (indexes,))
    return [index.to_request() for index in indexes]


def vector_index_updates(add: object, delete: object) -> list[dict[str, Any]]:
    """``VectorIndexUpdates`` of ``UpdateTable``: an index added, one removed."""
    updates: list[dict[str, Any]] = []
    if add is not None:
        if not isinstance(add, VectorIndex):
            raise TypeError(ERROR_VECTOR_INDEX % (add,))
        updates.append({"Create": add.to_request()})
    if delete is not None:
        if not isinstance(delete, str) or not INDEX_NAME.fullmatch(delete):
            raise ValueError(ERROR_VECTOR_NAME % (delete,))
        updates.append({"Delete": {"IndexName": delete}})
    return updates


def created_extras(
    tags: object, policy: object, vector_indexes: object
) -> dict[str, Any]:
    """``CreateTable``'s tags, resource policy and vector indexes, checked."""
    extras: dict[str, Any] = {}
    if tags is not None:
        listed = tag_list(tags, allow_empty=True)
        if listed:
            extras["Tags"] = listed
    if policy is not None:
        extras["ResourcePolicy"] = policy_text(policy)
    if vector_indexes is not None:
        extras["VectorIndexes"] = vector_index_list(vector_indexes)
    return extras


def _given(**values: int | None) -> dict[str, int]:
    return {name: value for name, value in values.items() if value is not None}


def _shown(value: object) -> str:
    """A wrong value's type, not its contents (tags and policies may be
    confidential)."""
    return "a %s" % type(value).__name__
