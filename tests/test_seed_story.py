"""The clinical story of the seed article, told by the shipped data and the calibrated model.

The seed's myofascial spread is there to follow, cited and graded, but the
published pain distributions the model is fitted on give it little weight: a
trace shows it once its minimum score is lowered (``min_score=0.001``), far
below the S1 dermatome.
"""

from __future__ import annotations

import myofascial_graph as mg

SEED = {"min_score": 0.001}


def test_s1_reaches_neck_midback_and_low_back_well_below_its_dermatome(G) -> None:
    t = mg.trace(G, "S1", **SEED)
    assert {"neck", "midback", "low_back"} <= set(t.regions)
    dermatome = t.regions["lateral_heel"].score
    assert all(t.regions[r].score < dermatome / 10 for r in ("neck", "midback", "low_back"))
    assert G.edges["S1", "gluteus_maximus", "innervates"]["level"] == "primary"
    assert t.muscles["gluteus_maximus"] == 0.5  # its main segment, beside L5 and S2
    assert t.regions["buttock"].pathway == "myotomal"
    assert {"neck", "midback"}.isdisjoint(mg.trace(G, "S1").regions)  # below the default


def test_s1_neck_is_explained_through_gluteus_maximus_and_the_tlf(G) -> None:
    explanation = mg.trace(G, "S1", **SEED).explain("neck")
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
    best = mg.trace(G, "S1", **SEED).explain("neck").paths[0]
    assert "trapezius" in best.nodes and best.evidence == "expert_opinion"
    # Without the seed's own claim, dissection evidence still carries S1 to the neck,
    # through the deep lamina's continuity with the splenius tendons, at a lower score.
    strict = mg.trace(G, "S1", min_evidence="review", **SEED)
    neck = strict.regions["neck"]
    assert "trapezius" not in neck.path.nodes
    assert neck.path.evidence in ("textbook", "dissection")
    assert neck.score < mg.trace(G, "S1", **SEED).regions["neck"].score
    assert {"midback", "low_back"} <= set(strict.regions)


def test_l5_reaches_the_lateral_thigh_through_tfl_and_the_iliotibial_tract(G) -> None:
    t = mg.trace(G, "L5", **SEED)
    assert "lateral_thigh" in t.regions
    routes = {p.nodes for p in t.explain("lateral_thigh", limit=20)}
    assert ("L5", "tensor_fasciae_latae", "lateral_thigh") in routes
    assert any("iliotibial_tract" in nodes for nodes in routes)


def test_c7_reaches_the_arm_and_the_low_back_through_latissimus_and_the_tlf(G) -> None:
    t = mg.trace(G, "C7", **SEED)
    assert "arm" in t.regions
    routes = [p.nodes for p in t.explain("low_back", limit=20)]
    assert ("C7", "latissimus_dorsi", "low_back") in routes
    assert ("C7", "latissimus_dorsi", "thoracolumbar_fascia", "low_back") in routes


def test_cervical_and_lumbosacral_roots_send_pain_down_their_limbs(G) -> None:
    assert "upper_limb" in mg.trace(G, "C6").regions
    assert "lower_limb" in mg.trace(G, "L5").regions
    assert "lower_limb" not in mg.trace(G, "C6", fascia=False).regions
