"""Packaging hygiene: a light import, strict typing and a clean lint."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO, benchmark_script


def test_import_does_not_load_matplotlib() -> None:
    code = "import sys, myofascial_graph; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_package_is_typed() -> None:
    import myofascial_graph

    assert (REPO / "src" / "myofascial_graph" / "py.typed").is_file()
    assert myofascial_graph.__version__


@pytest.mark.skipif(not (REPO / "src").is_dir(), reason="needs the source tree")
def test_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "src/myofascial_graph"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not (REPO / "src").is_dir(), reason="needs the source tree")
def test_ruff() -> None:
    for args in (["check", "src", "tests", "benchmarks"], ["format", "--check", "src"]):
        command = [sys.executable, "-m", "ruff", *args]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_benchmarks_run_in_quick_mode(capsys) -> None:
    assert benchmark_script("run").main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = ("load(), cold", "trace(G, 'S1'), new graph", "import myofascial_graph", "body map")
    for what in rows:
        assert what in out


def test_synthetic_knowledge_base_loads_and_traces(tmp_path) -> None:
    import myofascial_graph as mg

    synth = benchmark_script("synthetic")
    layers = synth.write_synthetic(tmp_path, 3)
    G = mg.load(extra=layers)
    assert G.number_of_nodes() > 2.5 * mg.load().number_of_nodes()
    t = mg.trace(G, "S1")
    plain = mg.trace(mg.load(), "S1").muscles["gluteus_maximus"]
    assert t.muscles["gluteus_maximus_c2"] == t.muscles["gluteus_maximus"] == plain > 0.3
    assert ("lateral_heel_c1") in t.regions


def test_synthetic_benchmark_reports_each_factor(capsys) -> None:
    synth = benchmark_script("synthetic")
    assert synth.main(["--factors", "1", "2", "--repeat", "1"]) == 0
    import myofascial_graph as mg

    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:3]]
    assert [row[0] for row in rows] == ["1x", "2x"]
    shipped = mg.load().number_of_nodes()
    assert rows[0][1] == f"{shipped:,}" and int(rows[1][1].replace(",", "")) > 1.8 * shipped
    assert rows[0][3] == rows[0][6] == "1.00x"  # per node, relative to the first factor
    assert int(rows[1][-1].replace(",", "")) == 2 * int(rows[0][-1])  # hits grow with the data
