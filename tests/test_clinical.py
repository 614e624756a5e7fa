"""The seed's clinical layer: contraction types, activities, interventions, risks."""

from __future__ import annotations

import json

import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main


def by_name(G, name: str) -> str:
    (found,) = mg.find(G, name, kind="activity") or mg.find(G, name, kind="intervention")
    return found


def test_gluteus_maximus_lengthening_activities_include_walking_sitting_lunging(G) -> None:
    lengthening = set(mg.activities(G, "gluteus_maximus", contraction="lengthening"))
    for name in ("walking", "sitting down", "forward lunge", "holding a squat"):
        assert by_name(G, name) in lengthening, name


def test_gluteus_maximus_shortening_activities_include_standing_cycling_swimming(G) -> None:
    shortening = set(mg.activities(G, "gluteus_maximus", contraction="shortening"))
    for name in ("standing up", "cycling", "swimming", "squat"):
        assert by_name(G, name) in shortening, name


def test_seed_claims_keep_their_source_and_grade(G) -> None:
    edge = G.edges["walking", "gluteus_maximus", "loads:lengthening"]
    assert edge["sources"] == ("seed_gluteus_maximus",)
    assert edge["evidence"] == "expert_opinion"
    assert edge["reciprocal"] is True
    # what measurement says about walking sits beside it, graded as such
    measured = G.edges["walking", "gluteus_maximus", "loads:isometric"]
    assert measured["evidence"] in ("textbook", "experimental", "review")
    strict = mg.activities(G, "gluteus_maximus", contraction="lengthening", min_evidence="review")
    assert "walking" not in strict and "swimming" not in mg.activities(
        G, "gluteus_maximus", contraction="shortening", min_evidence="review"
    )


def test_interventions_for_gluteus_maximus(G) -> None:
    found = mg.interventions_for(G, "glute max")
    assert by_name(G, "walking backwards") in found
    assert by_name(G, "eToims") in found
    backwards = G.edges["walking_backwards", "gluteus_maximus", "targets:shortening"]
    assert backwards["reciprocal"] is False and backwards["evidence"] == "expert_opinion"
    twitch = G.edges["etoims_twitch_relief_method", "gluteus_maximus", "targets:twitch"]
    assert twitch["sources"] == ("seed_gluteus_maximus",)
    assert G.nodes["etoims_twitch_relief_method"]["record"].mechanism


def test_conditions_named_by_the_seed(G) -> None:
    for condition in ("myofascial_pain", "fibromyalgia", "chronic_fatigue"):
        record = G.nodes[condition]["record"]
        assert "seed_gluteus_maximus" in record.sources
    assert "wolfe2016_acr" in G.nodes["fibromyalgia"]["record"].sources


def test_risk_activities_for_an_s1_trace(G) -> None:
    t = mg.trace(G, "S1")
    risks = mg.risk_activities(t)
    names = [r.activity for r in risks]
    assert {"walking", "forward_lunge", "stand_to_sit"} <= set(names)
    assert [r.score for r in risks] == sorted((r.score for r in risks), reverse=True)
    walking = risks[names.index("walking")]
    assert ("gluteus_maximus", t.muscles["gluteus_maximus"]) in walking.muscles
    assert any("seed_gluteus_maximus" in reason for reason in walking.reasons)
    assert "lengthening" in str(walking)
    for risk in risks:  # every activity really loads a traced muscle by lengthening
        for muscle, _ in risk.muscles:
            assert G.has_edge(risk.activity, muscle, "loads:lengthening")


def test_risk_activities_with_sides_and_evidence(G) -> None:
    t = mg.trace(G, "S1", side="left")
    risks = mg.risk_activities(t, min_evidence="experimental")
    assert all(r.evidence != "expert_opinion" for r in risks)
    keys = {muscle for r in risks for muscle, _ in r.muscles}
    assert ("gluteus_maximus", "left") in keys


def test_unknown_contraction(G) -> None:
    with pytest.raises(ValueError, match="contraction must be one of"):
        mg.activities(G, "gluteus_maximus", contraction="concentric")


def test_activities_cli(capsys) -> None:
    assert main(["activities", "glute max", "--contraction", "lengthening"]) == 0
    out = capsys.readouterr().out
    assert "walking" in out and "expert_opinion" in out and "walking backwards" in out
    assert main(["activities", "gluteus_maximus", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"walking_backwards", "etoims_twitch_relief_method"} <= set(data["interventions"])
    assert main(["risks", "S1", "--side", "left", "--top", "3", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
