"""Results for people and for pandas (issue 16): readable reprs, to_frame(), the
roots_for combination rule, and load(extra=) taking a string or a Path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import myofascial_graph as mg


def test_a_combination_must_explain_more_than_its_parts(G) -> None:
    found = mg.roots_for(G, ["little_finger", "medial_forearm"])
    assert found[0].roots == ("C8",)
    for candidate in found:
        for root in candidate.roots:
            alone = mg.roots_for(G, ["little_finger", "medial_forearm"], max_roots=1, top=40)
            part = next(c for c in alone if c.roots == (root,))
            if len(candidate.roots) > 1:
                assert len(candidate.explained) > len(part.explained)
    assert all(len(c.roots) == 1 for c in found)  # C8 explains both: no C8 + T5


def test_a_combination_that_explains_more_is_still_listed(G) -> None:
    found = mg.roots_for(G, ["thumb", "lateral_heel"])
    assert found[0].roots == ("C6", "S1")


@pytest.mark.parametrize("top", [0, -1, 1.5, True])
def test_roots_for_top_must_be_at_least_one(G, top) -> None:
    with pytest.raises(mg.InvalidArgumentError, match="top must be"):
        mg.roots_for(G, ["thumb"], top=top)


def test_readable_reprs(G) -> None:
    t = mg.trace(G, "S1", side="left", min_score=0.001)
    assert repr(t.hits[("gluteus_maximus", "left")]) == (
        "<Hit gluteus maximus (left): 0.50, myotomal from S1>"
    )
    assert repr(t.explain(("neck", "midline"))).startswith("<Explanation of neck: ")
    best = mg.roots_for(G, ["thumb", "lateral forearm"])[0]
    assert repr(best).startswith("<Candidate C6: fit ") and "explains 2 of 2 findings" in repr(best)
    assert "<table>" in best._repr_html_()
    result = mg.fibromyalgia_criteria(["neck"], sss=2)
    assert repr(result) == f"<FibromyalgiaResult: {result}>"
    risk = mg.risk_activities(t)[0]
    assert repr(risk).startswith(f"<Risk {risk.label}: score ")
    for obj in (t, t.hits[("gluteus_maximus", "left")], t.regions[("neck", "midline")].path):
        assert obj._repr_html_().startswith("<")


def test_results_to_frame(G) -> None:
    pytest.importorskip("pandas")
    t = mg.trace(G, "S1", side="left", min_score=0.001)
    df = t.to_frame()
    assert len(df) == len(t.hits)
    row = df[(df.id == "gluteus_maximus") & (df.side == "right")].iloc[0]
    assert row.score == t.muscles[("gluteus_maximus", "right")] and row.kind == "muscle"
    e = t.explain(("neck", "midline"))
    assert list(e.to_frame().score) == [p.score for p in e.paths]
    c = mg.roots_for(G, ["thumb"])[0]
    assert c.to_frame().iloc[0]["item"] == "thumb"


def test_to_frame_without_pandas_says_how_to_install_it(G, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        mg.trace(G, "S1").to_frame()


def test_import_loads_neither_matplotlib_nor_pandas() -> None:
    code = (
        "import sys, myofascial_graph; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


@pytest.mark.parametrize("as_", [str, Path, lambda p: str(p) + "/"])
def test_load_extra_takes_one_folder_as_a_string_or_a_path(tmp_path, as_) -> None:
    (tmp_path / "regions.yaml").write_text(
        "my_lab_region:\n  label: my lab region\n  sources: [standring2020_grays]\n",
        encoding="utf-8",
    )
    H = mg.load(extra=as_(tmp_path))
    assert "my_lab_region" in H
