"""The clinical story of the seed article, told by the shipped data."""

from __future__ import annotations

import myofascial_graph as mg


def test_s1_reaches_neck_midback_and_low_back(G) -> None:
    t = mg.trace(G, "S1")
    assert {"neck", "midback", "low_back"} <= set(t.regions)
    assert t.muscles["gluteus_maximus"] == 1.0  # S1 is its main segment
    assert t.regions["buttock"].pathway == "myotomal"


def test_s1_neck_is_explained_through_gluteus_maximus_and_the_tlf(G) -> None:
    explanation = mg.trace(G, "S1").explain("neck")
    best = explanation.paths[0]
    assert best.nodes[:3] == ("S1", "gluteus_maximus", "thoracolumbar_fascia")
    assert best.pathway == "myofascial"
    assert all(step.sources for step in best.steps)
    text = str(explanation)
    assert "gluteus maximus" in text and "thoracolumbar fascia" in text
    assert "willard2012_tlf" in text and "Willard FH" in text  # the citation is printed


def test_the_seed_claim_is_graded_as_expert_opinion(G) -> None:
    assert G.edges["thoracolumbar_fascia", "trapezius", "continuous_with"]["evidence"] == (
        "expert_opinion"
    )
    best = mg.trace(G, "S1").explain("neck").paths[0]
    assert "trapezius" in best.nodes and best.evidence == "expert_opinion"
    # Without the seed's own claim, dissection evidence still carries S1 to the neck,
    # through the deep lamina's continuity with the splenius tendons, at a lower score.
    strict = mg.trace(G, "S1", min_evidence="review")
    neck = strict.regions["neck"]
    assert "trapezius" not in neck.path.nodes
    assert neck.path.evidence in ("textbook", "dissection")
    assert neck.score < mg.trace(G, "S1").regions["neck"].score
    assert {"midback", "low_back"} <= set(strict.regions)


def test_l5_reaches_the_lateral_thigh_through_tfl_and_the_iliotibial_tract(G) -> None:
    t = mg.trace(G, "L5")
    assert "lateral_thigh" in t.regions
    routes = {p.nodes for p in t.explain("lateral_thigh")}
    assert ("L5", "tensor_fasciae_latae", "lateral_thigh") in routes
    assert any("iliotibial_tract" in nodes for nodes in routes)


def test_c7_reaches_the_arm_and_the_low_back_through_latissimus_and_the_tlf(G) -> None:
    t = mg.trace(G, "C7")
    assert "arm" in t.regions
    routes = [p.nodes for p in t.explain("low_back")]
    assert ("C7", "latissimus_dorsi", "low_back") in routes
    assert ("C7", "latissimus_dorsi", "thoracolumbar_fascia", "low_back") in routes


def test_cervical_and_lumbosacral_roots_send_pain_down_their_limbs(G) -> None:
    assert "upper_limb" in mg.trace(G, "C6").regions
    assert "lower_limb" in mg.trace(G, "L5").regions
    assert "lower_limb" not in mg.trace(G, "C6", fascia=False).regions
