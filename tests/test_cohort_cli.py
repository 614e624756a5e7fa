"""score-cohort streams: the same output as before, hostile files refused with file and line."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from myofascial_graph.cli import main

from .conftest import benchmark_script

DATA = Path(__file__).parent / "data"


def score(capsys, source: Path, out: Path) -> tuple[int, str]:
    code = main(["score-cohort", str(source), "-o", str(out)])
    return code, capsys.readouterr().err


@pytest.fixture(params=["pyarrow", "csv module"])
def reader(request, monkeypatch):
    """Run each test with pyarrow's streaming reader and with the csv-module fallback."""
    if request.param == "pyarrow":
        pytest.importorskip("pyarrow")
    else:
        real = builtins.__import__

        def no_pyarrow(name, *args, **kwargs):
            if name == "pyarrow" or name.startswith("pyarrow."):
                raise ImportError(name)
            return real(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    return request.param


def test_output_is_byte_for_byte_what_the_csv_module_version_wrote(reader, capsys, tmp_path):
    # tests/data/cohort_scores.csv was written by score-cohort before it streamed
    out = tmp_path / "scores.csv"
    assert score(capsys, DATA / "cohort_maps.csv", out)[0] == 0
    assert out.read_bytes() == (DATA / "cohort_scores.csv").read_bytes()


def test_a_map_marking_nothing_has_no_best_root_and_ids_are_quoted(reader, capsys, tmp_path):
    table = tmp_path / "maps.csv"
    table.write_text('id,thumb,calf\na,0,0\n"b,c",1,\n', encoding="utf-8")
    assert score(capsys, table, tmp_path / "out.csv")[0] == 0
    rows = (tmp_path / "out.csv").read_bytes().decode("utf-8").split("\r\n")
    assert rows[1].startswith("a,,,,0.0000,") and rows[2].startswith('"b,c",C6,')
    assert rows[3] == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,thumb,thumb\na,1,0\n", r"maps.csv:1: column 'thumb' \(column 3\) repeats column 2"),
        ("id,thumb,Thumb\na,1,0\n", r"maps.csv:1: two columns name the region 'thumb'"),
        ("id,thumb,calf\na,1,x\n", r"maps.csv:2: column 'calf': 'x' is not 0 or 1"),
        ("id,thumb,calf\na,1,0.5\nb,2,0\n", r"maps.csv:2: column 'calf': '0.5' is not 0 or 1"),
        ("id,thumb,calf\na,1,0\nb,2,0\n", r"maps.csv:3: column 'thumb': '2' is not 0 or 1"),
        ("id,thumb\na,1,1\n", r"maps.csv:2: 3 fields, expected 2"),
        ("id\n", r"maps.csv:1: expected a header: id, then region columns"),
        ("", r"maps.csv:1: expected a header"),
        ("id,thumb\n" + "a" * 140_000 + ",1\n", r"maps.csv:2: .*(over 128 KiB|larger than)"),
    ],
)
def test_hostile_files_are_refused_with_file_line_and_column(
    reader, capsys, tmp_path, text, message
):
    table = tmp_path / "maps.csv"
    table.write_text(text, encoding="utf-8")
    code, err = score(capsys, table, tmp_path / "out.csv")
    assert code == 2 and "Traceback" not in err
    assert pytest.importorskip("re").search(message, err), err


def test_dev_zero_and_folders_are_not_read(capsys, tmp_path) -> None:
    for source in ("/dev/zero", str(tmp_path)):
        code, err = score(capsys, Path(source), tmp_path / "out.csv")
        assert code == 2 and "not a regular file" in err


def test_the_progress_bar_is_shown_only_when_asked(capsys, tmp_path) -> None:
    pytest.importorskip("tqdm")
    import myofascial_graph as mg
    from myofascial_graph.cohort_cli import score_csv

    out = tmp_path / "out.csv"
    assert score_csv(mg.load(), str(DATA / "cohort_maps.csv"), str(out), progress=True) == 200
    assert "200" in capsys.readouterr().err
    assert score(capsys, DATA / "cohort_maps.csv", out) == (0, "")  # not a terminal: no bar


def test_scores_are_formatted_exactly_as_python_formats_them() -> None:
    import numpy as np

    from myofascial_graph.cohort_cli import _fixed4

    rng = np.random.default_rng(17)
    ties = [0.00005, 0.00015, -0.00005, 0.12345, 0.99995, -0.0, 0.0, 1e-9, -1e-9, 12.5, np.nan]
    values = np.concatenate([rng.uniform(-1, 1, 50_000), rng.integers(-10_000, 10_000, 1000)
                             / 10_000 + 0.00005, ties])  # fmt: skip
    assert _fixed4(values).tolist() == [f"{v:.4f}" for v in values.tolist()]
    square = values[:50_000].reshape(500, 100)
    assert _fixed4(square)[7].tolist() == [f"{v:.4f}" for v in square[7].tolist()]


def test_the_cohort_benchmark_runs_in_quick_mode(capsys) -> None:
    pytest.importorskip("pyarrow")
    bench = benchmark_script("cohorts")
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for what in ("score-cohort, 10,000 rows", "maps in memory, float32", "21,659 CHOIR maps"):
        assert what in out
