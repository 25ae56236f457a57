"""Checks an answer's JSON against its operation's output shape, before use.

botocore's JSON parser trusts the server: it iterates a string where the
model says list (``{"TableNames": "abc"}`` gives ``["a", "b", "c"]``), keeps
a ``"5"`` where it says integer, and decodes a ``B`` that is not base64 to
``b""``. Every answer is therefore walked here first, by botocore's own
shape model: each field must have its modeled JSON type, numbers must be
finite and not negative (no count, size or capacity in DynamoDB's API is,
but for the -1, "no maximum", of an on-demand maximum),
and every ``AttributeValue`` must be one the codec (:mod:`.load`) takes.
Fields the model does not know are left alone; ``null`` is taken as absent,
as botocore takes it.
"""

import math
from base64 import b64decode
from collections.abc import Callable
from typing import Any

from .load import MALFORMED_ERRORS, load

ERROR_SHAPE = "expected %s"
ERROR_NEGATIVE = "expected a finite number, not negative"
# Fields where DynamoDB answers -1 for "no maximum" (``OnDemandThroughput``).
ON_DEMAND_MAXIMA = frozenset({"MaxReadRequestUnits", "MaxWriteRequestUnits"})
NO_MAXIMUM = -1

Check = Callable[[Any, Any, str], str | None]


def shape_problem(value: Any, shape: Any, path: str) -> tuple[str, str] | None:
    """Find the first field of ``value`` that does not fit ``shape``.

    Args:
        value: Part of an answer, as ``json.loads`` gave it.
        shape: Its botocore shape.
        path: Its place in the answer, for the message (``UnprocessedKeys``).

    Returns:
        None if it fits; else the path of the field that does not, and why.
    """
    if value is None:
        return None
    if shape.name == "AttributeValue":
        return _attribute_value_problem(value, path)
    check = _CHECKS.get(shape.type_name)
    if check is None:
        return None
    reason = check(value, shape, path)
    if reason is not None:
        return path, reason
    return _inner_problem(value, shape, path)


def _inner_problem(value: Any, shape: Any, path: str) -> tuple[str, str] | None:
    kind = shape.type_name
    if kind == "structure":
        parts = [
            (value.get(name), member, _joined(path, name))
            for name, member in shape.members.items()
        ]
    elif kind == "list":
        parts = [
            (inner, shape.member, "%s[%d]" % (path, index))
            for index, inner in enumerate(value)
        ]
    elif kind == "map":
        parts = [
            (inner, shape.value, _joined(path, name)) for name, inner in value.items()
        ]
    else:
        return None
    for inner, inner_shape, inner_path in parts:
        problem = shape_problem(inner, inner_shape, inner_path)
        if problem is not None:
            return problem
    return None


def _joined(path: str, name: str) -> str:
    return "%s.%s" % (path, name) if path else name


def _attribute_value_problem(value: Any, path: str) -> tuple[str, str] | None:
    try:
        load(value)
    except MALFORMED_ERRORS:
        return path, "expected a DynamoDB value"
    return None


def _is_type(kind: type | tuple[type, ...], label: str) -> Check:
    def check(value: Any, shape: Any, path: str) -> str | None:
        if isinstance(value, kind) and not isinstance(value, bool):
            return None
        return ERROR_SHAPE % label

    return check


def _number(kind: type | tuple[type, ...], label: str) -> Check:
    of_type = _is_type(kind, label)

    def check(value: Any, shape: Any, path: str) -> str | None:
        wrong = of_type(value, shape, path)
        if wrong is not None:
            return wrong
        if math.isfinite(value) and value >= 0:
            return None
        if value == NO_MAXIMUM and path.rsplit(".", 1)[-1] in ON_DEMAND_MAXIMA:
            return None
        return ERROR_NEGATIVE

    return check


def _boolean(value: Any, shape: Any, path: str) -> str | None:
    return None if isinstance(value, bool) else ERROR_SHAPE % "true or false"


def _blob(value: Any, shape: Any, path: str) -> str | None:
    try:
        b64decode(value, validate=True)
    except (ValueError, TypeError):
        return ERROR_SHAPE % "base64 text"
    return None


_CHECKS: dict[str, Check] = {
    "structure": _is_type(dict, "a JSON object"),
    "map": _is_type(dict, "a JSON object"),
    "list": _is_type(list, "a JSON array"),
    "string": _is_type(str, "a string"),
    "boolean": _boolean,
    "integer": _number(int, "an integer"),
    "long": _number(int, "an integer"),
    "double": _number((int, float), "a number"),
    "float": _number((int, float), "a number"),
    "timestamp": _is_type((int, float, str), "a timestamp"),
    "blob": _blob,
}
