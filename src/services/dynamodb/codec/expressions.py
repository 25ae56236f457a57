"""Builds the expression parameters of a DynamoDB request.

Condition objects (``Key(...)``, ``Attr(...)``) are turned into strings here,
with a builder made for each request: boto3's resource layer would use one
builder shared by every thread, whose placeholder counter two threads can
interleave.
"""

import re
from collections.abc import Mapping
from typing import Any

from boto3.dynamodb.conditions import ConditionBase, ConditionExpressionBuilder

from .codec import value_to_wire
from .wire import name_utf8_size

Expression = str | ConditionBase

PLACEHOLDER_PATTERN = re.compile(r"[#:][A-Za-z0-9_]+")

ERROR_EXPRESSION_TYPE = (
    "%s must be a string or a boto3.dynamodb.conditions object, got %s"
)
ERROR_MISSING_PLACEHOLDERS = (
    "%s used but not supplied in expression_attribute_names or "
    "expression_attribute_values: %s"
)
ERROR_NAMES_TYPE = (
    "expression_attribute_names must map '#placeholder' strings to attribute "
    "name strings, got %r"
)
ERROR_VALUES_TYPE = (
    "expression_attribute_values must map ':placeholder' strings to values, got %s"
)
ERROR_PLACEHOLDER_CLASH = (
    "placeholders %s are generated for condition objects; rename yours"
)


def expression_params(
    *,
    names: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    **expressions: Expression | None,
) -> dict[str, Any]:
    """Build the expression part of a request.

    Args:
        names: ``ExpressionAttributeNames`` given by the caller.
        values: ``ExpressionAttributeValues`` given by the caller, as Python
            values (sent as DynamoDB JSON; floats as ``Decimal(str(x))``).
        **expressions: Expressions by DynamoDB parameter name, e.g.
            ``KeyConditionExpression=Key("pk").eq("a")``; ``None`` means absent.

    Returns:
        Request parameters holding the expressions as strings and every
        placeholder they use.

    Raises:
        ValueError: If an expression has the wrong type, a placeholder it uses
            is not supplied, a caller's placeholder clashes with a generated
            one, or a value cannot be stored in DynamoDB.
    """
    if not names and not values and all(e is None for e in expressions.values()):
        return {}
    all_names = _checked_names(names) if names else {}
    if values is not None and not isinstance(values, Mapping):
        raise TypeError(ERROR_VALUES_TYPE % type(values).__name__)
    all_values = dict(values) if values else {}
    builder = ConditionExpressionBuilder()
    params: dict[str, Any] = {}
    for parameter, expression in expressions.items():
        if expression is None:
            continue
        if isinstance(expression, ConditionBase):
            built = builder.build_expression(
                expression, is_key_condition=parameter == "KeyConditionExpression"
            )
            _merge_generated(all_names, built.attribute_name_placeholders)
            _merge_generated(all_values, built.attribute_value_placeholders)
            params[parameter] = built.condition_expression
        elif isinstance(expression, str):
            params[parameter] = expression
        else:
            raise ValueError(
                ERROR_EXPRESSION_TYPE % (parameter, type(expression).__name__)
            )
    _check_placeholders(params.values(), all_names, all_values)
    if all_names:
        params["ExpressionAttributeNames"] = all_names
    if all_values:
        params["ExpressionAttributeValues"] = {
            placeholder: value_to_wire(value, "expression value %s" % placeholder)
            for placeholder, value in all_values.items()
        }
    return params


def _checked_names(names: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(names, Mapping) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in names.items()
    ):
        raise TypeError(ERROR_NAMES_TYPE % (names,))
    for placeholder, name in names.items():
        name_utf8_size(placeholder + name, "expression_attribute_names")
    return dict(names)


def _merge_generated(target: dict[str, Any], generated: Mapping[str, Any]) -> None:
    clashes = sorted(set(target) & set(generated))
    if clashes:
        raise ValueError(ERROR_PLACEHOLDER_CLASH % ", ".join(clashes))
    target.update(generated)


def _check_placeholders(
    expressions: Any, names: Mapping[str, str], values: Mapping[str, Any]
) -> None:
    used = {
        placeholder
        for expression in expressions
        for placeholder in PLACEHOLDER_PATTERN.findall(expression)
    }
    missing = sorted(used - set(names) - set(values))
    if missing:
        kinds = "placeholder" if len(missing) == 1 else "placeholders"
        raise ValueError(ERROR_MISSING_PLACEHOLDERS % (kinds, ", ".join(missing)))
