"""Update expressions written as dicts and lists instead of strings.

Every attribute name and value gets a generated placeholder (``#u0``,
``:u0``, ...), so reserved words (``status``, ``name``, ``year``) and names
with dots or spaces just work. A path is an attribute name, or a tuple of
names and list indexes for a nested attribute: ``("address", "zip")`` is
``address.zip``, ``("tags", 0)`` is ``tags[0]``.
"""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

Path = str | tuple[str | int, ...]
# Mapping is invariant in its keys (a dict[str, Any] is not a Mapping[Path,
# Any]): the keys of each action's mapping are a type of their own. The bound
# is the join mypy gives a literal mixing names and tuples (a str is a
# Sequence[str]); the builder checks each key is a Path.
SetPath = TypeVar("SetPath", bound=Sequence[str | int])
AddPath = TypeVar("AddPath", bound=Sequence[str | int])
DeletePath = TypeVar("DeletePath", bound=Sequence[str | int])
Actions = Mapping[Any, Any]  # what the builder reads: it checks every path

ERROR_NO_ACTIONS = (
    "update_attributes needs at least one of set, remove, add or delete with "
    "an attribute in it"
)
ERROR_PATH = (
    "%s: an attribute path is a non-empty string, or a tuple of strings and "
    "list indexes starting with a string, got %r"
)
ERROR_ACTION_TYPE = "%s must be a %s, got %s"


class UpdateBuilder:
    """Builds one ``UpdateExpression`` and its placeholders."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._name_of: dict[str, str] = {}

    def build(
        self,
        set_values: Actions | None,
        remove: Sequence[Path] | None,
        add: Actions | None,
        delete: Actions | None,
    ) -> str:
        """Return the update expression for the given actions.

        Args:
            set_values: Path to new value (``SET``).
            remove: Paths to remove (``REMOVE``).
            add: Path to number to add, or set of members to add (``ADD``).
            delete: Path to set of members to take out (``DELETE``).

        Returns:
            The expression, e.g. ``"SET #u0 = :u0 REMOVE #u1"``.

        Raises:
            ValueError: If no action holds an attribute, or a path is malformed.
            TypeError: If an action has the wrong type.
        """
        clauses = [
            self._clause("SET", "set", set_values, " = "),
            self._remove_clause(remove),
            self._clause("ADD", "add", add, " "),
            self._clause("DELETE", "delete", delete, " "),
        ]
        expression = " ".join(clause for clause in clauses if clause)
        if not expression:
            raise ValueError(ERROR_NO_ACTIONS)
        return expression

    def _clause(
        self,
        keyword: str,
        label: str,
        actions: Actions | None,
        separator: str,
    ) -> str:
        if actions is None:
            return ""
        if not isinstance(actions, Mapping):
            raise TypeError(ERROR_ACTION_TYPE % (label, "dict", type(actions).__name__))
        parts = [
            self._path(path, label) + separator + self._value(value)
            for path, value in actions.items()
        ]
        return keyword + " " + ", ".join(parts) if parts else ""

    def _remove_clause(self, paths: Sequence[Path] | None) -> str:
        if paths is None:
            return ""
        if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence):
            raise TypeError(
                ERROR_ACTION_TYPE % ("remove", "list", type(paths).__name__)
            )
        parts = [self._path(path, "remove") for path in paths]
        return "REMOVE " + ", ".join(parts) if parts else ""

    def _path(self, path: object, label: str) -> str:
        steps = (path,) if isinstance(path, str) else path
        if (
            not isinstance(steps, tuple)
            or not steps
            or not isinstance(steps[0], str)
            or not all(_is_step(step) for step in steps)
        ):
            raise ValueError(ERROR_PATH % (label, path))
        written = ""
        for step in steps:
            if isinstance(step, int):
                written += "[%d]" % step
            else:
                written += ("." if written else "") + self._name(step)
        return written

    def _name(self, name: str) -> str:
        placeholder = self._name_of.get(name)
        if placeholder is None:
            placeholder = self._name_of[name] = "#u%d" % len(self._name_of)
            self.names[placeholder] = name
        return placeholder

    def _value(self, value: Any) -> str:
        placeholder = ":u%d" % len(self.values)
        self.values[placeholder] = value
        return placeholder


def _is_step(step: object) -> bool:
    if isinstance(step, bool):
        return False
    if isinstance(step, int):
        return step >= 0
    return isinstance(step, str) and step != ""
