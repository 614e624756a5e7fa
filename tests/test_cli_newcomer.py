"""The command line as a newcomer tries it (issue 16): sides, several roots, --top,
--version, JSON everywhere, suggestions, show, plurals and the lint prefix."""

from __future__ import annotations

import json

import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--regions", "buttock:lft"], "must be one of ['left', 'right', 'midline'], not 'lft'"),
        (["--regions", "buttock:left"], "given a side (left), but the trace has none"),
        (["--side", "left", "--regions", "hand"], "does not reach region 'hand'"),
        (
            ["--side", "left", "--min-score", "0.001", "--regions", "low_back:left"],
            "it reaches it on midline",
        ),
    ],
)
def test_plot_regions_that_cannot_be_drawn_are_named(capsys, tmp_path, argv, message) -> None:
    code, _, err = run(capsys, "trace", "S1", "--plot", str(tmp_path / "y.png"), *argv)
    assert code == 2 and message in err and "number sections" not in err
    assert not (tmp_path / "y.png").exists()


def test_regions_without_plot_is_an_error(capsys) -> None:
    code, _, err = run(capsys, "trace", "S1", "--regions", "neck")
    assert code == 2 and "give --plot FILE too" in err


def test_draw_refuses_regions_it_cannot_draw(G) -> None:
    with pytest.raises(mg.InvalidArgumentError, match="does not reach"):
        mg.draw(mg.trace(G, "S1"), regions=["hand"])


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"myofascial-graph {mg.__version__}"


def test_lint_and_schema_take_format_json(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "lint", "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run(capsys, "schema", "-o", str(tmp_path), "--format", "json")
    assert code == 0 and json.loads(out)["written"]


def test_lint_problems_carry_the_program_prefix(capsys) -> None:
    code, out, err = run(capsys, "lint", "nonexist.yaml")
    assert code == 2 and out == ""
    assert err.startswith("myofascial-graph lint: 1 problem:\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "L5", "S1", "neck"],
        ["explain", "L5,S1", "neck"],
        ["explain", "L5,", "S1", "neck"],
    ],
)
def test_several_roots_for_explain(capsys, argv) -> None:
    code, out, _ = run(capsys, *argv, "--min-score", "0.001", "--format", "json")
    assert code == 0 and json.loads(out)["id"] == "neck"


def test_comma_separated_roots_everywhere(capsys) -> None:
    code, out, _ = run(capsys, "trace", "L5,S1", "--format", "json")
    assert code == 0 and json.loads(out)["roots"] == ["L5", "S1"]
    code, out, _ = run(capsys, "risks", "L5,S1", "--format", "json")
    assert code == 0 and json.loads(out)


@pytest.mark.parametrize(
    "argv", [["roots-for", "thumb", "--top", "0"], ["roots-for", "thumb", "--top", "-1"],
             ["risks", "S1", "--top", "0"], ["explain", "S1", "neck", "--limit", "0"]],
)  # fmt: skip
def test_top_below_one_is_a_usage_error(capsys, argv) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("query", "expected"),
    [("glute maxx", "gluteus_maximus"), ("big toe", "flexor_hallucis_longus")],
)
def test_find_suggests_when_nothing_matches(capsys, query, expected) -> None:
    code, out, _ = run(capsys, "find", query)
    assert code == 1 and "did you mean" in out and expected in out


def test_find_reads_a_plural(capsys) -> None:
    code, out, _ = run(capsys, "find", "hamstrings")
    assert code == 0 and "nothing matches" not in out


def test_show_source_has_its_type_and_grade(capsys) -> None:
    code, out, _ = run(capsys, "show", "standring2020_grays")
    assert code == 0 and "type: book" in out and "evidence: textbook" in out


def test_show_root_names_the_nerve_and_level(capsys) -> None:
    code, out, _ = run(capsys, "show", "C7")
    assert code == 0
    header = out.split("\n\n")[1].splitlines()[0].split()
    assert header[:5] == ["from", "edge", "to", "via", "level"]
    row = next(x for x in out.splitlines() if "triceps brachii" in x and "innervates" in x)
    assert "radial nerve" in row and ("primary" in row or "secondary" in row)
    _, out, _ = run(capsys, "show", "C7", "--format", "json")
    edge = next(e for e in json.loads(out)["edges"] if e["target"] == "triceps_brachii")
    assert edge["via"] == ["radial_nerve"] and edge["level"] in ("primary", "secondary")


def test_counts_read_as_english(capsys, tmp_path) -> None:
    _, out, _ = run(capsys, "validate")
    assert "23 activities" in out and "22 fascial structures" in out and "fasciae" not in out
    _, out, _ = run(capsys, "trace", "S1")
    assert " fascial structures, " in out.splitlines()[0]
    assert "fascial structures" in repr(mg.trace(mg.load(), "S1"))
    _, out, _ = run(capsys, "stats")
    assert "22 fascial structures" in out and "31 roots" in out
    _, out, _ = run(capsys, "lint", str(mg.loading.data_dir() / "muscles.yaml"))
    assert "ok: 1 file in canonical layout" in out
    csv = tmp_path / "maps.csv"
    csv.write_text("id,thumb\np1,1\n", encoding="utf-8")
    _, out, _ = run(capsys, "score-cohort", str(csv), "-o", str(tmp_path / "out.csv"))
    assert "scored 1 pain map;" in out


def test_a_sided_trace_table_keeps_the_sides(capsys) -> None:
    _, out, _ = run(capsys, "trace", "S1", "--side", "left")
    row = next(x for x in out.splitlines() if x.startswith("buttock (left)"))
    assert "S1 (left) → gluteus maximus (left) → buttock (left)" in row
