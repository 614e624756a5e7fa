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


def _console_commands() -> list[str]:
    """The ``myofascial-graph`` lines of the README's console blocks, comments cut."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```console\n")[1:]
    lines = [line for block in blocks for line in block.split("```", 1)[0].splitlines()]
    return [
        line.split("  #", 1)[0].strip() for line in lines if line.startswith("myofascial-graph ")
    ]


def test_readme_commands_run(tmp_path, monkeypatch, capsys) -> None:
    import shlex

    from myofascial_graph.cli import main

    commands = _console_commands()
    assert len(commands) >= 15
    monkeypatch.chdir(tmp_path)
    # the files the examples read: a pain-map CSV and a lab's own data file
    (tmp_path / "maps.csv").write_text("id,thumb,lateral_forearm\np1,1,1\n", encoding="utf-8")
    (tmp_path / "my_lab").mkdir()
    (tmp_path / "my_lab" / "muscles.yaml").write_text(
        "lab_muscle:\n  label: lab muscle\n  nerves: [inferior_gluteal_nerve]\n"
        "  roots:\n    - {root: S1, level: primary}\n"
        "  regions: [buttock]\n  sources: [standring2020_grays]\n",
        encoding="utf-8",
    )
    for command in commands:
        args = shlex.split(command)[1:]
        if args[:2] == ["lint", "--fix"]:
            args = ["lint"]  # the shipped data is checked, not rewritten, by the tests
        try:
            status = main(args)
        except SystemExit as done:  # --version and --help exit through argparse
            status = done.code
        assert status in (0, None), (command, capsys.readouterr())
    assert (tmp_path / "scores.csv").is_file() and (tmp_path / "s1.graphml").is_file()
