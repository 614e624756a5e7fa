"""The command line: tables, JSON, exit codes and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from myofascial_graph.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_trace_table(capsys) -> None:
    code, out, err = run(capsys, "trace", "S1")
    assert code == 0 and err == ""
    assert out.startswith("Trace from S1:")
    for region in ("lateral heel", "calf", "buttock"):
        assert f"\n{region} " in out


def test_trace_json(capsys) -> None:
    code, out, _ = run(capsys, "trace", "L5", "S1", "--format", "json", "--no-fascia")
    data = json.loads(out)
    assert code == 0 and data["roots"] == ["L5", "S1"] and data["parameters"]["fascia"] is False
    assert "neck" not in {r["id"] for r in data["regions"]}


def test_explain(capsys) -> None:
    code, out, _ = run(capsys, "explain", "S1", "neck", "--min-score", "0.001")
    assert code == 0
    assert "gluteus maximus" in out and "thoracolumbar fascia" in out and "Sources:" in out
    code, out, _ = run(capsys, "explain", "L5,S1", "buttock", "--format", "json")
    assert {p["root"] for p in json.loads(out)["paths"]} == {"L5", "S1"}


def test_show_node_and_source(capsys) -> None:
    code, out, _ = run(capsys, "show", "TLF")
    assert code == 0 and out.startswith("thoracolumbar fascia (fascia 'thoracolumbar_fascia')")
    code, out, _ = run(capsys, "show", "gluteus_maximus", "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "muscle"
    assert {"source": "S1", "kind": "innervates", "target": "gluteus_maximus"}.items() <= next(
        e for e in data["edges"] if e["source"] == "S1"
    ).items()
    code, out, _ = run(capsys, "show", "willard2012_tlf")
    assert code == 0 and "J Anat 221:507-536" in out


def test_find(capsys) -> None:
    code, out, _ = run(capsys, "find", "ITB", "--format", "json")
    assert code == 0 and json.loads(out)[0]["id"] == "iliotibial_tract"
    assert run(capsys, "find", "zzz")[0] == 1


def test_validate_ok(capsys) -> None:
    code, out, _ = run(capsys, "validate", "--format", "json")
    assert code == 0 and json.loads(out)["nodes"]["root"] == 31


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["trace", "S9"], "myofascial-graph trace: unknown root 'S9'; did you mean 'S1', 'S2'?"),
        (["explain", "S1", "thumb"], "does not reach region 'thumb'"),
        (["show", "nothing_here"], "unknown id 'nothing_here'"),
        (["trace", "S1", "--cutoff", "0"], "cutoff must be a whole number"),
    ],
)
def test_errors_exit_2_without_traceback(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_usage_error_exits_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["trace"])
    assert info.value.code == 2


def test_console_script_runs(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "myofascial_graph.cli", "trace", "C7", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["roots"] == ["C7"]


@pytest.mark.parametrize(
    "command",
    [
        ["body-map", "S1", "--output", "{missing}/map.png"],
        ["trace", "S1", "--plot", "{missing}/trace.png"],
        ["export", "-o", "{missing}/graph.json"],
        ["score-cohort", "{missing}/cohort.csv", "-o", "{missing}/scores.csv"],
    ],
)
def test_a_file_that_cannot_be_opened_is_named_without_a_traceback(
    tmp_path, capsys, command
) -> None:
    missing = tmp_path / "no_such_folder"
    argv = [arg.replace("{missing}", str(missing)) for arg in command]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"cannot open '{missing}/" in err and "No such file or directory" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("argv", "status"), [(["trace", "S1"], 0), (["trace", "XX"], 2)])
def test_the_command_exits_with_mains_status_and_leaves_the_collector_alone(
    monkeypatch, capsys, argv: list[str], status: int
) -> None:
    import gc

    from myofascial_graph import cli

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(sys, "argv", ["myofascial-graph", *argv])
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == status and frozen == [True]
    assert capsys.readouterr().out.startswith("Trace from S1:") == (status == 0)


def test_the_process_entry_imports_with_the_collector_paused_and_restores_it(
    monkeypatch, capsys
) -> None:
    import gc

    import myofascial_graph.__main__ as entry

    seen: list[bool] = []  # whether the collector ran at each freeze
    monkeypatch.setattr(gc, "freeze", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["myofascial-graph", "trace", "S1"])
    assert gc.isenabled()
    with pytest.raises(SystemExit) as info:
        entry.run()
    assert info.value.code == 0 and gc.isenabled()
    assert seen == [False, True]  # after the imports, paused; at the exit, running
    assert capsys.readouterr().out.startswith("Trace from S1:")


def test_the_installed_command_runs_the_process_entry() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "myofascial-graph"]
    assert script.value == "myofascial_graph.__main__:run"
    for module in ("myofascial_graph", "myofascial_graph.cli"):
        command = [sys.executable, "-m", module, "trace", "XX"]
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 2 and "unknown root" in done.stderr
        assert "Traceback" not in done.stderr
