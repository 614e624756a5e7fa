"""The README's examples and every docstring example run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import myofascial_graph

from .conftest import REPO

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
MODULES = sorted(
    m.name for m in pkgutil.iter_modules(myofascial_graph.__path__, "myofascial_graph.")
)


def test_readme_examples() -> None:
    result = doctest.testfile(str(REPO / "README.md"), module_relative=False, optionflags=FLAGS)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize("name", ["myofascial_graph", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0


def test_readme_counts_match_the_data(G) -> None:
    import myofascial_graph as mg

    nodes = mg.stats(G)["nodes"]
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    for kind, words in (
        ("region", "body regions"),
        ("muscle", "muscles"),
        ("nerve", "nerves"),
        ("fascia", "fascial structures"),
        ("activity", "activities"),
    ):
        assert f"{nodes[kind]} {words}" in text, f"README should say {nodes[kind]} {words}"


def test_readme_gives_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install . && myofascial-graph trace S1" in text
    assert 'pip install ".[test]" && python -m pytest' in text
    assert "not a diagnostic device" in text
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install ".[test]"' in ci and "python -m pytest" in ci
