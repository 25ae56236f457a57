"""``services.dynamodb`` under a name that no application package can hide.

An application whose own ``services`` is a regular package (it has a
``services/__init__.py``) hides the ``services`` namespace this library is
installed in, and ``import services.dynamodb`` fails there. ``import
services_dynamodb`` works in every application and gives the very same
package: one module object per module whichever name imports it
(``services_dynamodb.testing is services.dynamodb.testing``), so classes,
exceptions, ``isinstance`` checks and pickles agree.

Where ``services.dynamodb`` cannot be imported by name, the package is loaded
from its files under that name (``sys.modules["services.dynamodb"]``), so
its own imports, and pickles naming its modules, work there too.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.dynamodb import *  # noqa: F401,F403 - what this name gives

_CANONICAL = "services.dynamodb"
_HOME = Path(__file__).resolve().parent.parent / "services" / "dynamodb"
_ERROR_OTHER = (
    "services_dynamodb: 'services.dynamodb' is already another package (%s); "
    "rename the application's services/dynamodb"
)


class _AliasLoader(importlib.abc.Loader):
    """Gives ``services_dynamodb.X`` the module ``services.dynamodb.X``."""

    def __init__(self, canonical: str) -> None:
        self._canonical = canonical
        self._spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self._canonical)
        self._spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set the alias's spec on the module: put back the
        # module's own (its name is what pickles and reloads use).
        module.__spec__ = self._spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``services_dynamodb.X`` as an alias of ``services.dynamodb.X``."""

    def find_spec(
        self, name: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        prefix = __name__ + "."
        if not name.startswith(prefix):
            return None
        canonical = _CANONICAL + "." + name[len(prefix) :]
        return importlib.machinery.ModuleSpec(name, _AliasLoader(canonical))


def _canonical_package() -> ModuleType:
    """``services.dynamodb``: imported by name, or else from its files."""
    try:
        package = importlib.import_module(_CANONICAL)
    except ImportError:
        return _load_from_files()
    if Path(package.__file__ or "").resolve().parent != _HOME:
        raise ImportError(_ERROR_OTHER % package.__file__)
    return package


def _load_from_files() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        _CANONICAL, _HOME / "__init__.py", submodule_search_locations=[str(_HOME)]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[_CANONICAL] = package
    try:
        spec.loader.exec_module(package)
    except BaseException:
        del sys.modules[_CANONICAL]
        raise
    return package


if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())
sys.modules[__name__] = _canonical_package()
