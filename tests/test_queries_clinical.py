"""Sides, several roots, reverse inference, the ACR 2016 criteria and cohorts."""

from __future__ import annotations

import numpy as np
import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main

PATTERNS = {
    "C6": ["thumb", "lateral_forearm"],
    "C7": ["middle_finger", "triceps_brachii"],
    "C8": ["little_finger", "medial_forearm"],
    "L4": ["medial_malleolus", "anterior_knee"],
    "L5": ["dorsum_of_foot", "lateral_leg"],
    "S1": ["lateral_heel", "calf", "buttock"],
}


# --- sides ---------------------------------------------------------------------------------


def test_sided_trace_keys_hits_by_side(G) -> None:
    t = mg.trace(G, "S1", side="left")
    assert t.side == "left"
    assert all(isinstance(k, tuple) and k[1] in ("left", "right", "midline") for k in t.regions)
    plain = mg.trace(G, "S1")
    assert t.regions[("lateral_heel", "left")].score == plain.regions["lateral_heel"].score
    assert ("lateral_heel", "right") not in t.regions
    assert ("low_back", "midline") in mg.trace(G, "S1", side="left", min_score=0.001).regions
    assert t.muscles[("gluteus_maximus", "left")] == plain.muscles["gluteus_maximus"]


def test_crossing_the_midline_gives_contralateral_hits(G) -> None:
    t = mg.trace(G, "C7", side="left", min_score=0.001)
    assert t.muscles[("latissimus_dorsi", "left")] == mg.trace(G, "C7").muscles["latissimus_dorsi"]
    right_gmax = t.hits[("gluteus_maximus", "right")]
    assert right_gmax.side == "right"
    assert "thoracolumbar_fascia" in right_gmax.path.nodes
    assert "to the other side" in str(right_gmax.path)
    plain = mg.trace(G, "C7", side="left", fascia=False, min_score=0.001)
    assert ("gluteus_maximus", "right") not in plain.muscles


def test_back_functional_line_crosses_to_the_contralateral_gluteus_maximus(G) -> None:
    t = mg.trace(G, "C7", side="right", fascia=False, chains=True, min_score=0.001)
    hit = t.hits[("gluteus_maximus", "left")]
    assert [s.kind for s in hit.path.steps][-2:] == ["chain", "chain"]


def test_unsided_and_sided_agree_on_scores(G) -> None:
    plain, left = mg.trace(G, "L5"), mg.trace(G, "L5", side="left")
    for key, hit in left.regions.items():
        assert hit.score <= plain.regions[key[0]].score + 1e-12


def test_explain_a_side(G) -> None:
    t = mg.trace(G, "S1", side="right", min_score=0.001)
    e = t.explain(("buttock", "right"))
    assert all(p.side == "right" for p in e.paths)
    assert {p.side for p in t.explain("buttock", limit=50)} >= {"right", "left"}
    with pytest.raises(ValueError, match="side must be one of"):
        t.explain(("buttock", "up"))


def test_side_parameter_is_checked(G) -> None:
    with pytest.raises(ValueError, match=r"side must be one of \['left', 'right'\], not 'both'"):
        mg.trace(G, "S1", side="both")


# --- several roots ------------------------------------------------------------------------


def test_several_roots_name_their_root_in_each_path(G) -> None:
    t = mg.trace(G, ["C7", "S1"], side="left", min_score=0.001)
    assert t.regions[("lateral_heel", "left")].root == "S1"
    assert t.regions[("middle_finger", "left")].root == "C7"
    assert {p.root for p in t.explain("low_back", limit=50)} == {"C7", "S1"}


# --- reverse inference --------------------------------------------------------------------


@pytest.mark.parametrize(("root", "findings"), PATTERNS.items())
def test_textbook_root_ranks_first_for_classic_patterns(G, root, findings) -> None:
    best = mg.roots_for(G, findings, top=3)
    assert best[0].roots == (root,)
    assert all(best[0].explanation[f] == "explained" for f in findings)
    assert best[0].score > best[1].score


def test_roots_for_with_a_side_and_two_roots(G) -> None:
    found = mg.roots_for(G, ["dorsum_of_foot", "lateral_heel", "lateral_leg"], side="left")
    assert set(found[0].roots) <= {"L5", "S1"}
    assert found[0].explanation[("dorsum_of_foot", "left")] == "explained"
    pair = mg.roots_for(G, ["thumb", "lateral_heel"], max_roots=2)[0]
    assert pair.roots == ("C6", "S1")
    alone = mg.roots_for(G, ["thumb", "lateral_heel"], max_roots=1)[0]
    assert len(alone.roots) == 1 and "unexplained" in alone.explanation.values()
    assert any(v == "predicted but absent" for v in pair.explanation.values())


def test_roots_for_rejects_bad_input(G) -> None:
    with pytest.raises(ValueError, match="a finding is a region or a muscle"):
        mg.roots_for(G, ["S1"])
    with pytest.raises(mg.UnknownIdError):
        mg.roots_for(G, ["nowhere at all"])
    with pytest.raises(ValueError, match="max_roots"):
        mg.roots_for(G, ["thumb"], max_roots=4)


# --- ACR 2016 -----------------------------------------------------------------------------


def test_the_19_areas() -> None:
    assert len(mg.WPI_AREAS) == 19
    assert {"jaw_left", "jaw_right"} <= set(mg.WPI_AREAS) and "jaw" not in mg.WPI_AREAS
    assert sum(len(v) for v in mg.WPI_REGIONS.values()) == 19


def test_wpi_counts_areas_and_rejects_unknown_ones() -> None:
    assert mg.widespread_pain_index(mg.WPI_AREAS) == 19
    assert mg.widespread_pain_index([]) == 0
    with pytest.raises(ValueError, match="unknown WPI area"):
        mg.widespread_pain_index(["jaw"])


def test_generalized_pain_ignores_jaw_chest_and_abdomen() -> None:
    four_with_excluded = ["jaw_left", "jaw_right", "chest", "abdomen", "hip_left", "hip_right"]
    assert not mg.generalized_pain(four_with_excluded)  # only 2 regions count
    assert mg.generalized_pain(["jaw_left", "upper_arm_right", "hip_left", "hip_right", "neck"])
    assert not mg.generalized_pain(["upper_arm_left", "upper_arm_right", "hip_left"])


@pytest.mark.parametrize(
    ("wpi", "sss", "met"),
    [(7, 5, True), (7, 4, False), (6, 9, True), (4, 9, True), (6, 8, False), (3, 12, False)],
)
def test_severity_bands_of_2016_not_2010(wpi: int, sss: int, met: bool) -> None:
    # generalized pain holds for every prefix of this order from 4 areas on
    order = [
        "upper_arm_left",
        "upper_arm_right",
        "hip_left",
        "hip_right",
        "neck",
        "upper_back",
        "lower_back",
        "upper_leg_left",
    ]
    result = mg.fibromyalgia_criteria(order[:wpi], sss)
    assert result.wpi == wpi and result.severity == met
    assert result.met == (met and result.generalized)


def test_criteria_need_generalized_pain_and_three_months() -> None:
    axial_and_jaw = [
        "neck",
        "upper_back",
        "lower_back",
        "chest",
        "abdomen",
        "jaw_left",
        "jaw_right",
    ]
    result = mg.fibromyalgia_criteria(axial_and_jaw, 6)
    assert result.severity and not result.generalized and not result.met
    areas = [
        "upper_arm_left",
        "upper_arm_right",
        "hip_left",
        "hip_right",
        "neck",
        "chest",
        "abdomen",
    ]
    assert mg.fibromyalgia_criteria(areas, 5).met
    assert not mg.fibromyalgia_criteria(areas, 5, months=2).met
    with pytest.raises(ValueError, match="sss must be between 0 and 12"):
        mg.fibromyalgia_criteria(areas, 13)


def test_graph_regions_map_onto_wpi_areas(G) -> None:
    assert mg.wpi_areas(G, [("buttock", "left"), ("lateral_thigh", "right"), "chest"]) == {
        "hip_left",
        "upper_leg_right",
        "chest",
    }
    assert mg.wpi_areas(G, ["jaw"]) == {"jaw_left", "jaw_right"}
    assert mg.wpi_areas(G, ["hand", "foot", "knee"]) == set()
    t = mg.trace(G, "S1", side="left")
    assert t.wpi() == mg.widespread_pain_index(t.wpi_areas())
    assert "lower_leg_left" in t.wpi_areas() and "lower_leg_right" not in t.wpi_areas()


# --- cohorts ------------------------------------------------------------------------------


def test_cohort_from_an_array_agrees_with_roots_for(G) -> None:
    regions = sorted(
        {r for findings in PATTERNS.values() for r in findings if G.nodes[r]["kind"] == "region"}
    )
    maps = np.array([[r in findings for r in regions] for findings in PATTERNS.values()])
    result = mg.score_cohort(G, maps, regions=regions)
    assert result.scores.shape == (len(PATTERNS), 31) and len(result) == len(PATTERNS)
    assert result.roots[0] == "C1"
    expected = {"C6": "C6", "C8": "C8", "L4": "L4", "L5": "L5", "S1": "S1"}
    for (root, _), best in zip(PATTERNS.items(), result.best, strict=True):
        if root in expected:
            assert best == expected[root]


def test_cohort_streams_an_iterable_in_chunks(G) -> None:
    seen: list[int] = []
    maps = (["thumb", "lateral_forearm"] if i % 2 else ["lateral_heel", "calf"] for i in range(7))
    result = mg.score_cohort(G, maps, chunk=3, progress=seen.append)
    assert seen == [3, 6, 7]
    assert result.best == ["S1", "C6", "S1", "C6", "S1", "C6", "S1"]
    assert [t[0] for t in result.top(2)] == result.best


def test_cohort_from_a_dataframe(G) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "thumb": [True, False],
            "lateral_forearm": [True, False],
            "calf": [False, True],
            "lateral_heel": [False, True],
        }
    )
    assert mg.score_cohort(G, frame).best == ["C6", "S1"]


def test_cohort_input_errors(G) -> None:
    with pytest.raises(ValueError, match="needs regions="):
        mg.score_cohort(G, np.zeros((2, 3), dtype=bool))
    with pytest.raises(ValueError, match="maps must be patients x 2 regions"):
        mg.score_cohort(G, np.zeros((2, 3), dtype=bool), regions=["thumb", "calf"])


def test_clinical_cli(tmp_path, capsys) -> None:
    assert main(["roots-for", "thumb", "lateral forearm", "--format", "json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)[0]["roots"] == ["C6"]
    assert main(["wpi", "neck", "jaw_left", "--sss", "3"]) == 0
    assert "criteria not met: WPI 2" in capsys.readouterr().out
    assert main(["wpi", "jaw"]) == 2
    assert "unknown WPI area" in capsys.readouterr().err
    table = tmp_path / "maps.csv"
    table.write_text("id,thumb,lateral_forearm,calf,lateral_heel\na,1,1,0,0\nb,0,0,1,1\n")
    out = tmp_path / "out.csv"
    assert main(["score-cohort", str(table), "-o", str(out)]) == 0
    rows = [line.split(",") for line in out.read_text().splitlines()]
    assert rows[0][:4] == ["id", "best", "second", "third"] and len(rows[0]) == 4 + 31
    assert [r[1] for r in rows[1:]] == ["C6", "S1"]
    table.write_text("id,thumb\na,1,1\n")
    assert main(["score-cohort", str(table), "-o", str(out)]) == 2
    assert "maps.csv:2: 3 fields, expected 2" in capsys.readouterr().err
