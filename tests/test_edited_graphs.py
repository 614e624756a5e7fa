"""Graphs edited by users, and arguments of the wrong type: each fails loudly, naming what."""

from __future__ import annotations

import math

import networkx as nx
import pytest

import myofascial_graph as mg

EDGE = ("S1", "gluteus_maximus", "innervates")


@pytest.fixture
def H() -> nx.MultiDiGraph:
    """A private copy of the shipped graph, to edit."""
    return mg.load()


@pytest.mark.parametrize("weight", [5, math.inf, math.nan, -0.5, 0, True, "0.5", None])
def test_a_bad_weight_is_refused_naming_the_edge(H, weight) -> None:
    H.edges[EDGE]["weight"] = weight
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1")
    assert str(info.value) == (
        f"edge 'S1' -innervates-> 'gluteus_maximus': weight must be a number in (0, 1], "
        f"not {weight!r}"
    )


def test_a_bool_weight_is_refused_by_the_spread_too(H) -> None:
    H.edges[EDGE]["weight"] = True
    with pytest.raises(mg.SchemaError, match="weight must be a number in"):
        mg.roots_for(H, ["buttock"])


def test_an_edge_the_metagraph_forbids_is_refused(H) -> None:
    H.add_edge("S1", "thoracolumbar_fascia", key="innervates", kind="innervates",
               weight=1.0, evidence="textbook", sources=("x",))  # fmt: skip
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1")
    assert str(info.value) == (
        "edge 'S1' -innervates-> 'thoracolumbar_fascia' joins a root to a fascia, "
        "which 'innervates' edges may not"
    )


def test_an_edge_of_an_undeclared_kind_is_refused(H) -> None:
    H.add_edge("S1", "calf", key="hurts", kind="hurts", weight=1.0, evidence="textbook",
               sources=("x",))  # fmt: skip
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1")
    assert str(info.value).startswith(
        "edge 'S1' -hurts-> 'calf' is of kind 'hurts', which the metagraph does not declare "
        "(it declares dermatome, supplies, innervates,"
    )


def test_an_added_edge_without_sources_is_refused(H) -> None:
    H.add_edge("S1", "neck", key="dermatome", kind="dermatome", weight=1.0, evidence="textbook")
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1")
    assert str(info.value) == (
        "edge 'S1' -dermatome-> 'neck': sources must be a list of source ids, not None"
    )


def test_sources_removed_in_place_are_refused(H) -> None:
    del H.edges[EDGE]["sources"]
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1").explain("gluteus_maximus")
    assert "sources must be a list of source ids, not None" in str(info.value)


def test_a_part_of_edge_without_evidence_is_refused(H) -> None:
    del H.edges["sole", "foot", "part_of"]["evidence"]
    with pytest.raises(mg.SchemaError) as info:
        mg.trace(H, "S1")
    assert str(info.value).startswith("edge 'sole' -part_of-> 'foot': evidence must be one of")


def test_missing_evidence_is_refused(H) -> None:
    del H.edges[EDGE]["evidence"]
    with pytest.raises(mg.SchemaError, match=r"evidence must be one of .*, not 'missing'"):
        mg.trace(H, "S1")


@pytest.mark.parametrize(
    "call",
    [
        lambda x: mg.trace(x, "S1"),
        lambda x: mg.stats(x),
        lambda x: mg.draw(x),
        lambda x: mg.node_id(x, "S1"),
        lambda x: mg.roots_for(x, ["buttock"]),
    ],
    ids=["trace", "stats", "draw", "node_id", "roots_for"],
)
@pytest.mark.parametrize("value", [[1, 2], None, "S1", {"S1": {}}])
def test_a_non_graph_is_a_type_error(call, value) -> None:
    with pytest.raises(TypeError, match=r"must be a graph from mg.load\(\)"):
        call(value)


AREAS = ["neck", "upper_back", "lower_back", "hip_left", "hip_right", "shoulder_girdle_left",
         "upper_leg_right"]  # fmt: skip


@pytest.mark.parametrize("sss", [5.5, True, -1, 13, "5", math.nan])
def test_criteria_refuse_a_severity_score_that_is_not_a_whole_number_in_range(sss) -> None:
    with pytest.raises(mg.InvalidArgumentError, match="sss must be between 0 and 12"):
        mg.fibromyalgia_criteria(AREAS, sss)


@pytest.mark.parametrize("months", [math.nan, math.inf, -1, "3", True])
def test_criteria_refuse_a_duration_that_is_not_a_finite_number(months) -> None:
    with pytest.raises(mg.InvalidArgumentError, match="months must be a finite number"):
        mg.fibromyalgia_criteria(AREAS, 5, months=months)


def test_criteria_still_take_numbers_of_any_numeric_type() -> None:
    assert mg.fibromyalgia_criteria(AREAS, 5, months=3).met
    assert mg.fibromyalgia_criteria(AREAS, 5, months=3.5).met
