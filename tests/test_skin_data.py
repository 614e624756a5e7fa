"""The skin and the dermatome maps as data: cutaneous territories, the nerve
hierarchy they hang from, the published dermatome maps, and the cited clinical
cases the differential is checked against (benchmarks/observations/)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
import yaml

import myofascial_graph as mg

from .conftest import REPO

CASES_FILE = REPO / "benchmarks" / "observations" / "differential_cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
FINDINGS = ("pain", "numb", "weak", "reflexes", "normal")

# The nerves issue 13 names, each of which must have a cutaneous territory.
NAMED_CUTANEOUS = (
    "lateral_femoral_cutaneous_nerve",
    "posterior_femoral_cutaneous_nerve",
    "anterior_femoral_cutaneous_nerves",
    "saphenous_nerve",
    "cutaneous_branch_of_obturator_nerve",
    "genitofemoral_nerve",
    "ilioinguinal_nerve",
    "iliohypogastric_nerve",
    "superior_cluneal_nerves",
    "middle_cluneal_nerves",
    "superficial_fibular_nerve",
    "deep_fibular_nerve",
    "sural_nerve",
    "medial_plantar_nerve",
    "lateral_plantar_nerve",
    "median_nerve",
    "palmar_cutaneous_branch_of_median_nerve",
    "palmar_cutaneous_branch_of_ulnar_nerve",
    "dorsal_branch_of_ulnar_nerve",
    "superficial_branch_of_radial_nerve",
    "superior_lateral_cutaneous_nerve_of_arm",
    "lateral_antebrachial_cutaneous_nerve",
    "medial_brachial_cutaneous_nerve",
    "medial_antebrachial_cutaneous_nerve",
    "intercostobrachial_nerve",
    "greater_occipital_nerve",
    "lesser_occipital_nerve",
    "great_auricular_nerve",
    "supraclavicular_nerves",
)


def _skin(G: nx.MultiDiGraph, nerve: str) -> dict[str, dict[str, Any]]:
    return {v: d for _, v, d in G.out_edges(nerve, data=True) if d.get("kind") == "cutaneous"}


def _cutaneous_nerves(G: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, k in G.nodes(data="kind") if k == "nerve" and _skin(G, n))


def test_at_least_thirty_nerves_have_a_cutaneous_territory(G) -> None:
    assert len(_cutaneous_nerves(G)) >= 30


@pytest.mark.parametrize("nerve", NAMED_CUTANEOUS)
def test_each_named_nerve_has_its_skin(G, nerve: str) -> None:
    assert _skin(G, nerve), f"{nerve} has no cutaneous territory"


def test_the_textbook_territories_are_where_the_textbooks_put_them(G) -> None:
    assert {"lateral_thigh", "anterolateral_thigh"} <= set(
        _skin(G, "lateral_femoral_cutaneous_nerve")
    )
    assert set(_skin(G, "deep_fibular_nerve")) == {"first_web_space_of_foot"}
    assert "lateral_foot" in _skin(G, "sural_nerve")
    assert "medial_leg" in _skin(G, "saphenous_nerve")
    assert set(_skin(G, "palmar_cutaneous_branch_of_median_nerve")) == {"thenar_eminence"}
    assert "thenar_eminence" not in _skin(G, "median_nerve")  # spared in carpal tunnel
    assert "medial_forearm" not in _skin(G, "ulnar_nerve")  # medial antebrachial cutaneous
    assert "deltoid_region" in _skin(G, "superior_lateral_cutaneous_nerve_of_arm")


def test_every_cutaneous_edge_is_cited_and_graded(G) -> None:
    known = G.graph["sources"]
    for nerve in _cutaneous_nerves(G):
        for region, data in _skin(G, nerve).items():
            assert data["sources"], f"{nerve} -> {region} has no source"
            assert set(data["sources"]) <= set(known)
            assert data["evidence"] in mg.EVIDENCE_GRADES
            assert G.nodes[region]["kind"] == "region"
            assert 0 < data["weight"] <= 1


def test_a_branch_is_reached_from_its_parent_and_shares_its_roots(G) -> None:
    branches = nx.DiGraph((u, v) for u, v, d in G.edges(data=True) if d.get("kind") == "branch")
    assert "sural_nerve" in nx.descendants(branches, "sciatic_nerve")
    assert "dorsal_branch_of_ulnar_nerve" in branches.successors("ulnar_nerve")
    for parent, branch in branches.edges:
        roots = {u for u, _, d in G.in_edges(branch, data=True) if d.get("kind") == "supplies"}
        parents = {u for u, _, d in G.in_edges(parent, data=True) if d.get("kind") == "supplies"}
        if roots and parents:
            assert roots & parents, f"{branch} shares no root with {parent}"


def test_a_nerve_trace_reaches_its_skin_by_the_cutaneous_pathway(G) -> None:
    t = mg.trace(G, "lateral femoral cutaneous nerve")
    assert t.regions["lateral_thigh"].pathway == "cutaneous"
    assert mg.trace(G, "common fibular nerve").regions["first_web_space_of_foot"].score > 0


def test_new_regions_sit_under_their_parents(G) -> None:
    parents = {
        "anterolateral_thigh": {"anterior_thigh", "lateral_thigh"},
        "first_web_space_of_foot": {"dorsum_of_foot"},
        "thenar_eminence": {"palm"},
        "index_finger": {"hand"},
        "superior_gluteal_region": {"buttock"},
    }
    for region, expected in parents.items():
        found = {v for _, v, k in G.out_edges(region, keys=True) if k == "part_of"}
        assert found == expected, region


# --- dermatome maps ----------------------------------------------------------

MAPS = ("project", "lee2008", "keegan1948", "foerster1933", "isncsci2011")


def test_the_standard_dermatome_maps_are_recorded(G) -> None:
    maps = G.graph["dermatome_maps"]
    assert set(MAPS) <= set(maps)
    for name in MAPS:
        record = maps[name]
        assert record.method and record.sources, name
        if name != "project":
            assert record.dermatomes, f"{name} lists no dermatomes"


def test_each_map_is_followed_by_its_own_edges(G) -> None:
    for name in MAPS[1:]:
        record = G.graph["dermatome_maps"][name]
        for entry in record.dermatomes:
            found = [
                d
                for d in G.get_edge_data(entry.root, entry.region, default={}).values()
                if d.get("kind") == "dermatome" and d.get("map") == name
            ]
            assert found, f"{name}: {entry.root} -> {entry.region} is not an edge"
            assert found[0]["sources"], f"{name}: {entry.root} -> {entry.region} uncited"


def test_the_isncsci_map_holds_every_key_point(G) -> None:
    isncsci = {(e.root, e.region) for e in G.graph["dermatome_maps"]["isncsci2011"].dermatomes}
    for region, data in G.nodes(data=True):
        if data.get("kind") != "region":
            continue
        for root in data["record"].key_points:
            assert (root, region) in isncsci, f"{root} key point {region} missing"


def test_the_sparse_dermatomes_are_completed(G) -> None:
    def regions(root: str) -> set[str]:
        return {
            v
            for _, v, d in G.out_edges(root, data=True)
            if d.get("kind") == "dermatome" and d.get("map", "project") == "project"
        }

    assert len(regions("C4")) >= 3 and len(regions("C7")) >= 3
    assert len(regions("L1")) >= 3 and len(regions("S4")) >= 2


def test_a_trace_can_follow_keegan_and_garrett(G) -> None:
    keegan = mg.trace(G, "C7", dermatome_map="keegan1948")
    assert keegan.parameters["dermatome_map"] == "keegan1948"
    assert keegan.regions["hand"].pathway == "radicular"
    isncsci = mg.trace(G, "C7", dermatome_map="isncsci2011")
    assert isncsci.regions["middle_finger"].pathway == "radicular"
    assert (
        "dorsum_of_hand" not in isncsci.regions
        or isncsci.regions["dorsum_of_hand"].pathway != "radicular"
    )


# --- cited clinical cases for the differential -------------------------------


def test_the_cases_file_is_well_formed(G) -> None:
    sources = G.graph["sources"]
    assert len(CASES) >= 10
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert case["source"] and set(case["source"]) <= set(sources), case["id"]
        assert case["expect"], case["id"]
        for kind in FINDINGS:
            for item in case.get(kind, ()):
                assert item in G, f"{case['id']}: unknown {kind} finding {item!r}"


def _passes(G: nx.MultiDiGraph, case: dict[str, Any]) -> list[str]:
    """The expectations a case fails (empty when it passes)."""
    given = {k: case.get(k, []) for k in FINDINGS}
    kinds = tuple(case.get("kinds", ("root", "nerve")))
    ranked = mg.differential(G, given.pop("pain"), kinds=kinds, top=500, **given)
    rank = {s.nodes[0]: i for i, s in enumerate(ranked)}
    failed = []
    for expect in case["expect"]:
        if "first" in expect:
            if ranked[0].nodes != (expect["first"],):
                failed.append(f"first is {ranked[0].nodes[0]}, not {expect['first']}")
        else:
            a, b = expect["above"]
            if a not in rank or rank[a] >= rank.get(b, len(ranked)):
                failed.append(f"{a} (rank {rank.get(a)}) is not above {b} (rank {rank.get(b)})")
    return failed


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c["id"],
            marks=[pytest.mark.xfail(reason=c["known_failure"], strict=True)]
            if c.get("known_failure")
            else [],
        )
        for c in CASES
    ],
)
def test_the_differential_meets_each_cited_case(G, case: dict[str, Any]) -> None:
    assert _passes(G, case) == []


def test_a_dermatome_map_may_give_a_root_several_regions(write) -> None:
    layer = write(
        "dermatome_maps.yaml",
        "teaching:\n  label: a teaching map\n  dermatomes:\n"
        "    - {root: C7, region: middle_finger}\n    - {root: C7, region: index_finger}\n"
        "  sources: [standring2020_grays]\n",
    )
    G = mg.load(extra=[layer])
    assert {"middle_finger", "index_finger"} <= set(
        mg.trace(G, "C7", dermatome_map="teaching").regions
    )


def test_a_pair_listed_twice_in_a_map_is_an_error(write) -> None:
    layer = write(
        "dermatome_maps.yaml",
        "teaching:\n  label: a teaching map\n  dermatomes:\n"
        "    - {root: C7, region: middle_finger}\n    - {root: C7, region: middle_finger}\n"
        "  sources: [standring2020_grays]\n",
    )
    with pytest.raises(mg.DataError, match="'C7' to 'middle_finger' is listed twice"):
        mg.load(extra=[layer])
