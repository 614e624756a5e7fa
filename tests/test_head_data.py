"""The head: cranial nerves, the muscles they alone supply, the jaw and convergence."""

from __future__ import annotations

import pytest

import myofascial_graph as mg

HEAD_REGIONS = ("temple", "forehead", "ear", "cheek", "teeth", "orbit", "vertex", "occiput", "jaw")
REQUIRED_MUSCLES = {
    "masseter": "mandibular_nerve",
    "temporalis": "mandibular_nerve",
    "medial_pterygoid": "mandibular_nerve",
    "lateral_pterygoid": "mandibular_nerve",
    "mylohyoid": "mandibular_nerve",
    "digastric_anterior_belly": "mandibular_nerve",
    "digastric_posterior_belly": "facial_nerve",
    "stylohyoid": "facial_nerve",
    "occipitofrontalis": "facial_nerve",
    "platysma": "facial_nerve",
    "buccinator": "facial_nerve",
    "orbicularis_oculi": "facial_nerve",
    "orbicularis_oris": "facial_nerve",
    "zygomaticus_major": "facial_nerve",
    "genioglossus": "hypoglossal_nerve",
}


def _record(G, node: str):
    return G.nodes[node]["record"]


def _cranial_only_muscles(G) -> list[str]:
    return [
        m
        for m, kind in G.nodes(data="kind")
        if kind == "muscle" and all(_record(G, n.id).cranial for n in _record(G, m).nerves)
    ]


def _in_head(G, region: str) -> bool:
    seen, stack = set(), [region]
    while stack:
        node = stack.pop()
        if node == "head":
            return True
        seen.add(node)
        stack.extend(p for p in _record(G, node).part_of if p not in seen)
    return False


@pytest.mark.parametrize("region", HEAD_REGIONS)
def test_head_regions_lie_in_the_head(G, region: str) -> None:
    assert G.nodes[region]["kind"] == "region"
    assert _in_head(G, region)


def test_jaw_is_the_wpi_jaw_area(G) -> None:
    record = _record(G, "jaw")
    assert record.wpi_area == "jaw" and record.bilateral


@pytest.mark.parametrize("source", ["trigeminal_nerve", "mandibular_nerve"])
def test_a_trigeminal_trace_reaches_the_jaw_and_wpi_counts_both_jaws(G, source: str) -> None:
    trace = mg.trace(G, source)
    assert trace.region_scores()["jaw"] >= 0.5
    assert {"jaw_left", "jaw_right"} <= trace.wpi_areas()
    assert trace.wpi() >= 2


@pytest.mark.parametrize("root", ["C2", "C3"])
def test_an_upper_cervical_trace_reaches_the_jaw_by_convergence(G, root: str) -> None:
    trace = mg.trace(G, root)
    hit = trace.hits["jaw"]
    assert hit.pathway == "convergent"
    assert 0.0 < hit.score < 0.25  # a weak clinical model, far below the dermatome
    assert {"jaw_left", "jaw_right"} <= trace.wpi_areas(threshold=hit.score)
    assert "jaw_left" not in trace.wpi_areas()  # not at the default threshold of 0.5


def test_a_trigeminal_trace_reaches_the_upper_neck_by_convergence(G) -> None:
    hit = mg.trace(G, "trigeminal_nerve").hits["upper_neck"]
    assert hit.pathway == "convergent"
    assert G.has_edge("trigeminal_nerve", "upper_neck", "convergence")


def test_the_trigeminal_divisions_are_its_branches_with_their_skin(G) -> None:
    for division, skin in (
        ("ophthalmic_nerve", "forehead"),
        ("maxillary_nerve", "cheek"),
        ("mandibular_nerve", "jaw"),
    ):
        assert G.has_edge("trigeminal_nerve", division, "branch")
        assert G.edges[division, skin, "cutaneous"]["weight"] == 1.0
        assert _record(G, division).cranial
    assert not G.has_edge("maxillary_nerve", "jaw", "cutaneous")


@pytest.mark.parametrize(("muscle", "nerve"), sorted(REQUIRED_MUSCLES.items()))
def test_required_cranial_muscle_has_its_nerve_and_no_root(G, muscle: str, nerve: str) -> None:
    assert G.has_edge(nerve, muscle, "innervates")
    assert not [u for u, _, k in G.in_edges(muscle, keys=True) if G.nodes[u]["kind"] == "root"]


def test_digastric_is_doubly_innervated_belly_by_belly(G) -> None:
    assert G.has_edge("mandibular_nerve", "digastric", "innervates")
    assert G.has_edge("facial_nerve", "digastric", "innervates")
    assert not G.has_edge("facial_nerve", "digastric_anterior_belly", "innervates")
    assert not G.has_edge("mandibular_nerve", "digastric_posterior_belly", "innervates")
    for belly in ("digastric_anterior_belly", "digastric_posterior_belly"):
        assert G.has_edge(belly, "digastric", "part_of")


def test_at_least_twenty_muscles_are_supplied_by_cranial_nerves_alone(G) -> None:
    muscles = _cranial_only_muscles(G)
    assert len(muscles) >= 20
    assert {"masseter", "temporalis", "medial_pterygoid", "lateral_pterygoid"} <= set(muscles)


def test_every_cranial_muscle_and_its_innervation_is_cited(G) -> None:
    sources = G.graph["sources"]
    for muscle in _cranial_only_muscles(G):
        record = _record(G, muscle)
        assert record.sources and set(record.sources) <= set(sources), muscle
        assert not record.roots, muscle
        for link in record.nerves:
            data = G.edges[link.id, muscle, "innervates"]
            assert data["sources"] and set(data["sources"]) <= set(sources), muscle
            assert data["evidence"] in mg.EVIDENCE_GRADES
        assert [v for _, v, k in G.out_edges(muscle, keys=True) if k == "lies_in"], muscle


def test_convergence_links_are_cited_graded_and_explained(G) -> None:
    links = [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == "convergence"]
    assert {u for u, _, _ in links} == {"C1", "C2", "C3", "trigeminal_nerve"}
    for u, v, data in links:
        assert data["evidence"] in ("experimental", "clinical_model"), (u, v)
        assert data["sources"] and set(data["sources"]) <= set(G.graph["sources"]), (u, v)
        assert data.get("note"), (u, v)
        assert data["weight"] <= 0.5, (u, v)
    grades = {(u, v): d["evidence"] for u, v, d in links}
    assert grades["C1", "orbit"] == "experimental"  # Johnston et al. 2013
    assert grades["C2", "jaw"] == "clinical_model"
    for root in ("C1", "C2", "C3"):
        assert any(u == root and _in_head(G, v) for u, v, _ in links), root


def test_hypoglossal_carries_c1_to_geniohyoid_and_thyrohyoid(G) -> None:
    hypoglossal = _record(G, "hypoglossal_nerve")
    assert hypoglossal.cranial and not hypoglossal.roots
    for muscle in ("geniohyoid", "thyrohyoid"):
        roots = {u for u, _, k in G.in_edges(muscle, keys=True) if G.nodes[u]["kind"] == "root"}
        assert roots == {"C1"}, muscle
        assert muscle in mg.trace(G, "hypoglossal_nerve").muscles
        assert muscle in mg.trace(G, "C1").muscles


def test_jaw_jerk_is_a_trigeminal_reflex_of_masseter(G) -> None:
    record = _record(G, "jaw_jerk")
    assert not record.roots
    assert G.has_edge("mandibular_nerve", "jaw_jerk", "reflex_arc")
    assert G.has_edge("jaw_jerk", "masseter", "reflex_of")
