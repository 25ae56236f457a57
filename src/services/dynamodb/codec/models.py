"""Pydantic models as items: dumped by the library's rules, validated on read.

A model instance is stored as the dict :func:`model_to_item` makes of it:

========================  ==================================================
field type                stored as
========================  ==================================================
``str``, ``bool``         S, BOOL
``int``, ``Decimal``      N (a ``Decimal`` exactly as it is)
``float``                 N, exactly as ``Decimal(str(x))``
``bytes``                 B
``datetime``, ``date``,   S, ISO 8601 (``datetime.isoformat()``), so that
``time``                  they sort in time order when their zones agree
``Enum``                  its value (S or N)
``UUID``                  S, e.g. ``"6f1c..."``
``set[...]``              SS, NS or BS; an empty set is left out, and a
                          missing set field of the model is read as empty
``list``, ``tuple``       L
nested model, ``dict``    M
``None``                  left out; NULL when the field is ``KeepNone``
========================  ==================================================

Field aliases are honoured both ways (stored under the alias). Reading with
``model=`` validates each item with ``model.model_validate``; an item that
does not fit raises ``ValueError`` naming the table, the item's key and the
fields, with the ``pydantic.ValidationError`` as its ``__cause__``: its
lines as pydantic gave them, each input hidden, so that no traceback (a
service logs one at DEBUG) ever shows a value read.
"""

import datetime
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any, get_args, get_origin
from uuid import UUID

from boto3.dynamodb.types import Binary
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails
from pydantic.fields import FieldInfo
from typing_extensions import TypeVar

# What a validation error shows in place of a value read.
HIDDEN_INPUT = "<hidden>"

M = TypeVar("M", default=dict[str, Any])
"""What a read returns: ``dict[str, Any]`` unless a ``model=`` is given."""

ItemOrModel = Mapping[str, Any] | BaseModel
"""An item (or a key) as a mapping (a dict, a ``TypedDict``...), or as a
model instance."""

ItemT = TypeVar("ItemT", bound=ItemOrModel)
"""The items (or keys) of a list: ``list[dict[str, Any]]``, ``list[Order]``..."""

ERROR_NOT_MODEL = "model must be a pydantic BaseModel subclass, got %r"
ERROR_INCOMPLETE_MODEL = (
    "model %s cannot validate items: it is BaseModel itself, or has "
    "annotations that name types not defined yet"
)
ERROR_INVALID_ITEM = "item %s of table %s does not fit %s: %s"


class _KeepNone:
    """Marker: store this field's ``None`` as NULL instead of leaving it out."""

    def __repr__(self) -> str:
        return "KeepNone"


KeepNone = _KeepNone()
"""Use as ``Annotated[str | None, KeepNone]`` to store ``None`` as NULL."""


def check_model(model: object) -> None:
    """Check a ``model=`` argument before anything is sent.

    Args:
        model: None, or the class items are validated with.

    Raises:
        TypeError: If it is neither None nor a ``BaseModel`` subclass, or is
            a model that cannot validate anything (``BaseModel`` itself, or
            one naming types not defined yet).
    """
    if model is None:
        return
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(ERROR_NOT_MODEL % (model,))
    if model is BaseModel or not model.__pydantic_complete__ and not _rebuilt(model):
        raise TypeError(ERROR_INCOMPLETE_MODEL % model.__name__)


def _rebuilt(model: type[BaseModel]) -> bool:
    """Tell whether a model whose annotations were not resolved when it was
    defined (a name defined later) can be completed now."""
    try:
        return model.model_rebuild() is not False
    except Exception:
        return False


def as_item(item: object) -> object:
    """Return a model instance as its item; anything else unchanged.

    Args:
        item: An item mapping or a ``BaseModel`` instance (or anything,
            which the item checks then refuse).

    Returns:
        The item to store.
    """
    if isinstance(item, BaseModel):
        return model_to_item(item)
    return item


def model_to_item(instance: BaseModel) -> dict[str, Any]:
    """Dump a model instance as an item, by the rules of the module docstring.

    Args:
        instance: The model instance.

    Returns:
        Attribute name (the alias, when a field has one) to storable value.
    """
    dumped = instance.model_dump(by_alias=True, exclude_none=True)
    if _keeps_none(type(instance)):
        _restore_kept_none(dumped, instance)
    stored: dict[str, Any] = _storable(dumped)
    return stored


def _restore_kept_none(dumped: dict[str, Any], instance: BaseModel) -> None:
    """Put back, as None, the ``KeepNone`` fields that are None, at any depth."""
    for name, field in type(instance).model_fields.items():
        value = getattr(instance, name, None)
        key = field.serialization_alias or field.alias or name
        if value is None:
            if KeepNone in field.metadata and not field.exclude:
                dumped[key] = None
        elif key in dumped:
            _restore_nested(dumped[key], value)


def _restore_nested(dumped: object, value: object) -> None:
    if isinstance(value, BaseModel) and isinstance(dumped, dict):
        _restore_kept_none(dumped, value)
    elif isinstance(value, (list, tuple)) and isinstance(dumped, list):
        for dumped_element, element in zip(dumped, value):
            _restore_nested(dumped_element, element)
    elif isinstance(value, Mapping) and isinstance(dumped, dict):
        for name, element in value.items():
            if name in dumped:
                _restore_nested(dumped[name], element)


# Values a dump holds that DynamoDB stores as they are (the common case, so it
# is checked first and inline).
_AS_IS = frozenset({str, int, float, bool, Decimal, bytes, type(None)})
_SETS = (set, frozenset)


def _storable(value: Any) -> Any:
    """A dumped value with the types DynamoDB has no type for converted."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is dict:
        return {
            name: element if type(element) in _AS_IS else _storable(element)
            for name, element in value.items()
            if type(element) not in _SETS or element
        }
    if kind is list or kind is tuple:
        return [_storable(element) for element in value]
    if kind in _SETS:
        return {_storable(element) for element in value}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return _storable(value.value)
    if isinstance(value, UUID):
        return str(value)
    return value


def model_reader(
    model: type[BaseModel], table: str, key_of: Callable[[dict[str, Any]], str]
) -> Callable[[dict[str, Any]], Any]:
    """A function validating items read from DynamoDB as ``model`` instances.

    What depends on the model alone is worked out once, here, not per item.

    Args:
        model: The model class.
        table: The table, for errors.
        key_of: Names an item's key in an error (called only then).

    Returns:
        A function of an item as decoded (numbers as ``Decimal``) that
        returns the model instance. It raises ``ValueError`` if the item does
        not fit the model, naming the table, the key and each field (never a
        value), with pydantic's ``ValidationError`` as ``__cause__``.
    """
    takes_bytes = _takes_bytes(model)
    set_fields = _set_fields(model)
    validate = model.model_validate

    def read(item: dict[str, Any]) -> Any:
        if takes_bytes:
            item = _bytes_for_binary(item)
        if set_fields:
            item = _with_empty_sets(item, set_fields)
        try:
            return validate(item)
        except ValidationError as error:
            fields = _failed_fields(error)
            message = ERROR_INVALID_ITEM % (key_of(item), table, model.__name__, fields)
            raise ValueError(message) from _hidden_cause(error)

    return read


def without_inputs(error: ValidationError, placeholder: str) -> ValidationError:
    """The same validation error with every input replaced (pydantic's
    message and lines show the value otherwise).

    Args:
        error: What pydantic raised.
        placeholder: What the error shows instead of each input.

    Returns:
        The error, its inputs replaced.

    Raises:
        KeyError: If a line's type is a custom one, which pydantic cannot
            build again.
    """
    details: list[InitErrorDetails] = []
    for line in error.errors(include_url=False):
        detail: InitErrorDetails = {
            "type": line["type"],
            "loc": line["loc"],
            "input": placeholder,
        }
        if "ctx" in line:
            detail["ctx"] = line["ctx"]
        details.append(detail)
    return ValidationError.from_exception_data(error.title, details)


def _hidden_cause(error: ValidationError) -> ValidationError | None:
    """A read's validation error without the values read; None (no cause)
    where pydantic cannot build it again."""
    try:
        return without_inputs(error, HIDDEN_INPUT)
    except KeyError:
        return None


def _with_empty_sets(item: dict[str, Any], set_fields: tuple[str, ...]) -> Any:
    missing = [name for name in set_fields if name not in item]
    if not missing:
        return item
    return {**item, **{name: set() for name in missing}}


def _failed_fields(error: ValidationError) -> str:
    return "; ".join(
        "%s: %s" % (".".join(map(str, line["loc"])) or "(item)", line["msg"])
        for line in error.errors(include_url=False, include_input=False)
    )


@functools.cache
def _set_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The stored names of the model's set fields: DynamoDB cannot hold an
    empty set, so one that was left out is read back as empty."""
    return tuple(
        field.alias or name
        for name, field in model.model_fields.items()
        if get_origin(field.annotation) in (set, frozenset)
    )


@functools.cache
def _takes_bytes(model: type[BaseModel]) -> bool:
    """Whether a field of the model (or of a model inside it) may hold bytes:
    only then are ``Binary`` values turned into ``bytes`` before validation."""
    return _any_field(model, lambda field: _mentions_bytes(field.annotation))


@functools.cache
def _keeps_none(model: type[BaseModel]) -> bool:
    """Whether a field of the model (or of a model inside it) is ``KeepNone``:
    only then is the dump walked to put those ``None`` values back."""
    return _any_field(model, lambda field: KeepNone in field.metadata)


def _mentions_bytes(annotation: Any) -> bool:
    if annotation in (bytes, bytearray):
        return True
    return any(_mentions_bytes(argument) for argument in get_args(annotation))


def _any_field(model: type[BaseModel], test: Callable[[FieldInfo], bool]) -> bool:
    """Whether ``test`` holds for a field of ``model`` or of a model its
    fields can hold (at any depth; ``Any`` may hold anything)."""
    seen: set[type] = set()
    pending: list[Any] = [model]
    while pending:
        annotation = pending.pop()
        if annotation is Any:
            return True
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                continue
            seen.add(annotation)
            for field in annotation.model_fields.values():
                if test(field):
                    return True
                pending.append(field.annotation)
        else:
            pending.extend(get_args(annotation))
    return False


def _bytes_for_binary(value: Any) -> Any:
    kind = type(value)
    if kind is Binary:
        return value.value
    if kind is dict:
        return {name: _bytes_for_binary(element) for name, element in value.items()}
    if kind is list:
        return [_bytes_for_binary(element) for element in value]
    if kind is set:
        return {_bytes_for_binary(element) for element in value}
    return value
