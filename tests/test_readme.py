"""Every Python block of the README runs as written, in order, on moto."""

import re
import sys
import types
from pathlib import Path

import pytest
from moto import mock_aws

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text())


def test_readme_has_python_blocks() -> None:
    assert len(python_blocks()) >= 15


def test_every_readme_block_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # A module of its own, so that functions it defines can be pickled (to
    # processes forked by the README's ProcessPoolExecutor example).
    readme = types.ModuleType("readme")
    monkeypatch.setitem(sys.modules, "readme", readme)
    with mock_aws():
        for number, block in enumerate(python_blocks(), start=1):
            try:
                exec(compile(block, f"README.md block {number}", "exec"), vars(readme))
            except Exception as error:
                pytest.fail(f"README block {number} failed: {error!r}\n{block}")
