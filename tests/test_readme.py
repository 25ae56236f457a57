"""Every Python block of the README and of each docs page runs as written,
in order, on moto: each page in a namespace of its own."""

import re
import sys
import types
from contextlib import nullcontext
from pathlib import Path

import pytest
from moto import mock_aws

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
# Code that cannot run in this process (worker processes started with
# spawn): an excerpt of the file its first line names, which a test runs.
EXCERPT = re.compile(r"^```py\n(.*?)^```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\]\(([^)#]+)\)")


def python_blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text())


def test_the_readme_and_docs_have_python_blocks() -> None:
    assert len(python_blocks(ROOT / "README.md")) >= 5
    assert sum(len(python_blocks(page)) for page in PAGES) >= 25


@pytest.mark.parametrize(
    "call",
    [
        "execute_statement(",
        "query_page(",
        "scan_page(",
        "next_token=",
        "iter_query(",
        "iter_scan(",
    ],
)
def test_the_readme_shows_partiql_and_paging_in_code_that_runs(call: str) -> None:
    assert any(call in block for block in python_blocks(ROOT / "README.md")), call


def test_the_readme_shows_a_lambda_handler_decoding_stream_records() -> None:
    blocks = python_blocks(ROOT / "README.md")
    assert any(
        "def handler(event" in block and "stream_records(event, model=" in block
        for block in blocks
    )


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_block_of_a_page_runs(
    monkeypatch: pytest.MonkeyPatch, page: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    # A module of its own, so that what a page defines has a module name.
    module = types.ModuleType("readme")
    monkeypatch.setitem(sys.modules, "readme", module)
    # The README runs offline as it is (its quickstart is on the testing
    # kit): no mock around it, so a block that reached AWS would fail here.
    # The docs pages build services of their own, on a mock.
    offline = page.name == "README.md"
    with nullcontext() if offline else mock_aws():
        for number, block in enumerate(python_blocks(page), start=1):
            try:
                exec(
                    compile(block, f"{page.name} block {number}", "exec"), vars(module)
                )
            except Exception as error:
                pytest.fail(f"{page.name} block {number} failed: {error!r}\n{block}")


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_relative_links_of_a_page_lead_to_files(page: Path) -> None:
    for target in LINK.findall(page.read_text()):
        if "://" not in target:
            assert (page.parent / target).exists(), target


def excerpt_lines_missing(excerpt: str) -> list[str]:
    """The lines of an excerpt (``# path`` first) not found, in order, in
    the file it names."""
    header, *lines = excerpt.splitlines()
    assert header.startswith("# "), "an excerpt starts with '# <path>'"
    source = (ROOT / header[2:]).read_text().splitlines()
    missing, position = [], 0
    for line in filter(str.strip, lines):
        try:
            position = source.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_excerpt_of_a_page_is_in_the_file_it_names(page: Path) -> None:
    for excerpt in EXCERPT.findall(page.read_text()):
        assert excerpt_lines_missing(excerpt) == []


def test_the_parallel_scan_example_is_an_excerpt() -> None:
    excerpts = EXCERPT.findall((ROOT / "docs" / "reference.md").read_text())
    assert any('get_context("spawn")' in excerpt for excerpt in excerpts)
