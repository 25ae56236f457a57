"""The package's layers import one way only (docs/architecture.md).

Each module's imports of the library's own modules are read from its source
(relative imports and ``services.dynamodb`` ones, at any depth, those under
``TYPE_CHECKING`` too) and checked against what its layer may import.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "services" / "dynamodb"
PREFIX = "services.dynamodb"
# The vocabulary: public data types every layer above the codec may use.
VOCABULARY = {"dynamodb_models", "errors"}
# What each layer may import of the library (besides itself).
MAY_IMPORT: dict[str, set[str]] = {
    "codec": set(),
    "sansio": set(),
    "vocabulary": {"codec"},
    "operations": {"codec", "sansio", "vocabulary"},
    "transport": {"codec", "sansio", "vocabulary"},
    "drivers": {"operations", "transport", "codec", "sansio", "vocabulary"},
    "face": {"drivers", "operations", "transport", "codec", "sansio", "vocabulary"},
    "testing": {"face", "operations", "vocabulary"},
}


def layer_of(module: str) -> str:
    """The layer of a module, by its dotted name under the package."""
    first = module.split(".")[0]
    if first in VOCABULARY:
        return "vocabulary"
    if first in MAY_IMPORT:
        return first
    return "face"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """The library modules a source file imports, as dotted names under the
    package ("" for the package itself)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            elif (node.module or "").startswith(PREFIX):
                name = (node.module or "")[len(PREFIX) :].strip(".")
            else:
                continue
            found.add(name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PREFIX + "."):
                    found.add(alias.name[len(PREFIX) + 1 :])
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def breaches(path: Path) -> list[str]:
    """What a module imports that its layer may not."""
    own = layer_of(module_name(path))
    allowed = MAY_IMPORT[own] | {own}
    return sorted(
        name
        for name in imported_modules(path)
        if name and layer_of(name) not in allowed
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: module_name(path))
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    assert breaches(path) == []


def test_operations_never_import_the_transport() -> None:
    importing = {
        module_name(path): imported_modules(path)
        for path in SOURCES
        if layer_of(module_name(path)) == "operations"
    }
    assert importing, "no operations modules found"
    assert {
        module: sorted(name for name in names if layer_of(name) == "transport")
        for module, names in importing.items()
    } == {module: [] for module in importing}


def test_codec_imports_nothing_of_the_library_but_the_codec() -> None:
    codec = [path for path in SOURCES if layer_of(module_name(path)) == "codec"]
    assert len(codec) > 5
    outside = {
        module_name(path): sorted(
            name for name in imported_modules(path) if layer_of(name) != "codec"
        )
        for path in codec
    }
    assert outside == {module: [] for module in outside}


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The reader of imports finds relative imports two levels up."""
    fake = PACKAGE / "codec" / "wire.py"
    names = imported_modules(fake)
    assert all(layer_of(name) == "codec" for name in names)
    items = imported_modules(PACKAGE / "operations" / "items.py")
    assert "operations.core" in items and "codec.codec" in items


def test_the_top_holds_only_the_public_face() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= 12
    assert not [name for name in top if name.startswith("_") and name != "__init__.py"]
