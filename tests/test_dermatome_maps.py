"""The published dermatome maps hold the regions their sources give each root.

Each test names what a source says (the ISNCSCI key points, Netter's list of
principal dermatomes after Keegan and Garrett, Grant's caption after Foerster)
and checks that data/dermatome_maps.yaml records it, so a dropped or misplaced
entry fails here.
"""

from __future__ import annotations

import networkx as nx
import pytest

import myofascial_graph as mg

PUBLISHED = ("lee2008", "keegan1948", "foerster1933", "isncsci2011")

# The ISNCSCI levels, C2 to S4-5, each a root (S4-5 is two roots on one point).
ISNCSCI_ROOTS = (
    [f"C{n}" for n in range(2, 9)]
    + [f"T{n}" for n in range(1, 13)]
    + [f"L{n}" for n in range(1, 6)]
    + [f"S{n}" for n in range(1, 6)]
)


def _regions(G: nx.MultiDiGraph, name: str) -> dict[str, set[str]]:
    """Root to the set of regions a map gives it."""
    found: dict[str, set[str]] = {}
    for entry in G.graph["dermatome_maps"][name].dermatomes:
        found.setdefault(entry.root, set()).add(entry.region)
    return found


def _within(G: nx.MultiDiGraph, region: str, part: str) -> bool:
    """Whether a region is a part, or lies in it through part_of."""
    seen, todo = set(), [region]
    while todo:
        node = todo.pop()
        if node == part:
            return True
        seen.add(node)
        todo += [v for _, v, k in G.out_edges(node, keys=True) if k == "part_of" and v not in seen]
    return False


def test_isncsci_gives_every_level_from_c2_to_s4_5_its_point(G) -> None:
    isncsci = _regions(G, "isncsci2011")
    assert sorted(isncsci) == sorted(ISNCSCI_ROOTS)
    assert all(len(regions) == 1 for regions in isncsci.values()), isncsci
    assert isncsci["S4"] == isncsci["S5"] == {"perianal_area"}
    assert "C1" not in isncsci


def test_isncsci_thoracic_points_run_down_the_chest_and_abdomen(G) -> None:
    isncsci = _regions(G, "isncsci2011")
    assert isncsci["T4"] == {"nipple_line"} and isncsci["T10"] == {"umbilical_region"}
    for root in ("T3", "T5", "T6"):
        assert isncsci[root] == {"chest"}, root
    for root in ("T7", "T8", "T9", "T11"):
        assert isncsci[root] == {"abdomen"}, root


def test_every_key_point_in_regions_is_in_the_isncsci_map(G) -> None:
    isncsci = _regions(G, "isncsci2011")
    for region, data in G.nodes(data=True):
        if data.get("kind") == "region":
            for root in data["record"].key_points:
                assert region in isncsci[root], f"{root} key point {region} missing"


def test_lee_gives_l5_and_s1_their_regions(G) -> None:
    lee = _regions(G, "lee2008")
    assert "dorsum_of_foot" in lee["L5"] and "lateral_heel" in lee["S1"]
    assert "lateral_heel" not in lee["L5"] and "dorsum_of_foot" not in lee["S1"]
    # The map shows neither C1 nor S3-S5 (WikiMSK).
    assert not {"C1", "S3", "S4", "S5"} & set(lee)


def test_keegan_shares_the_hand_the_perineum_and_the_foot_as_netter_lists(G) -> None:
    keegan = _regions(G, "keegan1948")
    assert {r for r, regions in keegan.items() if "hand" in regions} == {"C6", "C7", "C8"}
    assert {r for r, regions in keegan.items() if "perineum" in regions} == {"S2", "S3", "S4"}
    for root in ("L4", "L5", "S1"):
        assert any(_within(G, region, "foot") for region in keegan[root]), root
    assert {"thumb"} <= keegan["C6"] and {"little_finger", "ring_finger"} <= keegan["C8"]
    for root in ("C8", "T1"):
        assert {"medial_arm", "medial_forearm"} & keegan[root], root
    for root in ("C5", "C6"):
        assert "lateral_forearm" in keegan[root], root


def test_keegan_lists_several_regions_for_a_root_and_a_trace_follows_them(G) -> None:
    keegan = _regions(G, "keegan1948")
    assert len(keegan["C8"]) >= 4
    weights = mg.dermatome(G, "C6", "keegan1948")
    assert weights["thumb"] == 1.0 and weights["hand"] == 0.5
    result = mg.trace(G, "S2", dermatome_map="keegan1948")
    assert {"perineum", "posterior_thigh", "calf"} <= set(result.regions)


def test_foerster_gives_c7_the_arm_forearm_and_hand_and_nothing_else(G) -> None:
    foerster = _regions(G, "foerster1933")
    assert foerster == {"C7": {"arm", "forearm", "hand"}}
    assert mg.dermatome(G, "C7", "foerster1933")["hand"] == pytest.approx(0.8)


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_entry_of_a_published_map_is_cited_and_its_note_says_what_is_left_out(
    G, name: str
) -> None:
    sources = G.graph["sources"]
    record = G.graph["dermatome_maps"][name]
    assert set(record.sources) <= set(sources), name
    for entry in record.dermatomes:
        cited = entry.sources or record.sources
        assert cited and set(cited) <= set(sources), f"{name}: {entry.root} -> {entry.region}"
        assert G.nodes[entry.region]["kind"] == "region", entry.region
    assert record.note and "left out" in record.note.lower(), name


def test_the_isncsci_thoracic_points_cite_the_list_they_were_read_from(G) -> None:
    record = G.graph["dermatome_maps"]["isncsci2011"]
    for entry in record.dermatomes:
        if entry.root in {"T5", "T6", "T7", "T8", "T9", "T11"}:
            assert entry.sources == ("medscape_sci_sensory_testing",), entry.root
            assert entry.weight == 0.5 and entry.note, entry.root
    assert G.graph["sources"]["medscape_sci_sensory_testing"].evidence == "web_reference"
