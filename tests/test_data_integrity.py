"""The shipped data, tested like code: one invariant per test, per record."""

from __future__ import annotations

import csv
import hashlib

import pytest

import myofascial_graph as mg
from myofascial_graph.loading import DATA_FILES, read_dataset
from myofascial_graph.names import normalize

from .conftest import REFERENCE

DATASET = read_dataset()
RECORDS = DATASET.records
ISNCSCI_KEY_POINT_ROOTS = {
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "C7",
    "C8",
    "T1",
    "T2",
    "T4",
    "T10",
    "L2",
    "L3",
    "L4",
    "L5",
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
}
ALL_ROOTS = (
    [f"C{i}" for i in range(1, 9)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + [f"S{i}" for i in range(1, 6)]
    + ["Co1"]
)


def ids(kind: str) -> list[str]:
    return list(RECORDS[kind])


def test_all_31_roots_in_segmental_order() -> None:
    assert ids("root") == ALL_ROOTS


@pytest.mark.parametrize("muscle", ids("muscle"))
def test_muscle_roots_reach_it_through_one_of_its_nerves(G, muscle: str) -> None:
    record = RECORDS["muscle"][muscle].record
    for link in record.roots:
        carriers = [n.id for n in record.nerves if G.has_edge(link.root, n.id, "supplies")]
        assert carriers, f"{muscle}: none of its nerves carries {link.root}"


@pytest.mark.parametrize("nerve", ids("nerve"))
def test_nerve_has_roots_unless_cranial(nerve: str) -> None:
    record = RECORDS["nerve"][nerve].record
    assert bool(record.roots) != record.cranial


@pytest.mark.parametrize("root", ids("root"))
def test_root_reaches_a_muscle_or_region(G, root: str) -> None:
    reached = {G.nodes[v]["kind"] for _, v, k in G.out_edges(root, keys=True) if k != "supplies"}
    assert reached & {"muscle", "region"}, f"{root} innervates nothing and has no dermatome"


def test_every_edge_cites_known_sources_and_has_a_grade(G) -> None:
    sources = G.graph["sources"]
    for u, v, key, data in G.edges(keys=True, data=True):
        assert data["sources"], (u, key, v)
        assert set(data["sources"]) <= set(sources), (u, key, v)
        assert data["evidence"] in mg.EVIDENCE_GRADES
        assert 0.0 < data["weight"] <= 1.0


def test_edges_citing_only_the_seed_are_expert_opinion(G) -> None:
    assert G.graph["sources"]["seed_gluteus_maximus"].evidence == "expert_opinion"
    seed_only = [d for *_, d in G.edges(data=True) if d["sources"] == ("seed_gluteus_maximus",)]
    assert seed_only
    assert {d["evidence"] for d in seed_only} == {"expert_opinion"}


@pytest.mark.parametrize(
    "source", [key for key, entry in RECORDS["source"].items() if entry.record.isbn]
)
def test_isbn_checksum(source: str) -> None:
    isbn = RECORDS["source"][source].record.isbn
    assert isbn is not None
    digits = [10 if c == "X" else int(c) for c in isbn]
    if len(digits) == 13:
        assert sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    else:
        assert sum(d * (10 - i) for i, d in enumerate(digits)) % 11 == 0


def _uberon_rows() -> dict[str, dict[str, str]]:
    with open(REFERENCE, encoding="utf-8", newline="") as handle:
        return {row["uberon"]: row for row in csv.DictReader(handle, delimiter="\t")}


NODE_IDS = [
    (kind, key)
    for kind in ("nerve", "muscle", "fascia", "region")
    for key, entry in RECORDS[kind].items()
    if entry.record.xrefs
]


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference is not beside the repo")
@pytest.mark.parametrize(("kind", "key"), NODE_IDS)
def test_xrefs_agree_with_uberon(kind: str, key: str) -> None:
    record = RECORDS[kind][key].record
    uberon = [x for x in record.xrefs if x.startswith("UBERON:")]
    fma = {x for x in record.xrefs if x.startswith("FMA:")}
    assert len(uberon) == 1, "give one UBERON id (with the FMA id of its row)"
    row = _uberon_rows().get(uberon[0])
    assert row is not None, f"{uberon[0]} is not in the UBERON table"
    assert fma <= set(filter(None, row["fma"].split("|"))), f"FMA ids do not match {row['fma']}"
    theirs = {normalize(n) for n in [row["name"], *row["synonyms"].split("|")] if n}
    ours = {normalize(n) for n in [record.label, *record.synonyms]}
    assert theirs & ours, f"{uberon[0]} is {row['name']!r}, which names none of {sorted(ours)}"


@pytest.mark.parametrize("region", ids("region"))
def test_key_points_lie_in_their_roots_dermatome(G, region: str) -> None:
    for root in RECORDS["region"][region].record.key_points:
        assert G.has_edge(root, region, "dermatome"), f"{root} has no dermatome edge to {region}"


def test_isncsci_key_points_all_present() -> None:
    found = {r for e in RECORDS["region"].values() for r in e.record.key_points}
    assert found == ISNCSCI_KEY_POINT_ROOTS


def test_region_hierarchy_has_five_top_level_parts() -> None:
    top = {k for k, e in RECORDS["region"].items() if not e.record.part_of}
    assert top == {"head", "neck", "trunk", "upper_limb", "lower_limb"}


@pytest.mark.parametrize("region", ids("region"))
def test_parts_of_bilateral_regions_are_bilateral(region: str) -> None:
    record = RECORDS["region"][region].record
    for parent in record.part_of:
        if RECORDS["region"][parent].record.bilateral:
            assert record.bilateral, f"{region} is part of the bilateral {parent}"


@pytest.mark.parametrize("region", ids("region"))
def test_wpi_area_matches_sidedness(region: str) -> None:
    record = RECORDS["region"][region].record
    axial = {"neck", "upper_back", "lower_back", "chest", "abdomen"}
    if record.wpi_area is not None:
        assert (record.wpi_area in axial) == (not record.bilateral)


def test_loading_never_writes_the_data_files() -> None:
    folder = mg.data_dir()
    before = {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in DATA_FILES}
    mg.load()
    after = {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in DATA_FILES}
    assert before == after


# ISNCSCI key muscles (Kirshblum et al. 2011) and their key roots
ISNCSCI_KEY_MUSCLES = {
    "C5": ["biceps_brachii", "brachialis"],  # elbow flexors
    "C6": ["extensor_carpi_radialis_longus", "extensor_carpi_radialis_brevis"],  # wrist extensors
    "C7": ["triceps_brachii"],  # elbow extensors
    "C8": ["flexor_digitorum_profundus"],  # finger flexors (middle finger)
    "T1": ["abductor_digiti_minimi_hand"],  # small finger abductors
    "L2": ["iliacus", "psoas_major"],  # hip flexors
    "L3": ["quadriceps_femoris"],  # knee extensors
    "L4": ["tibialis_anterior"],  # ankle dorsiflexors
    "L5": ["extensor_hallucis_longus"],  # long toe extensors
    "S1": ["gastrocnemius", "soleus"],  # ankle plantar flexors
}


@pytest.mark.parametrize(
    ("root", "muscle"), [(r, m) for r, ms in ISNCSCI_KEY_MUSCLES.items() for m in ms]
)
def test_isncsci_key_muscle_has_its_key_root_as_primary(G, root: str, muscle: str) -> None:
    assert G.edges[root, muscle, "innervates"]["level"] == "primary"


ALL_NODE_IDS = [key for kind, table in RECORDS.items() if kind != "source" for key in table]


@pytest.mark.parametrize("key", ALL_NODE_IDS)
def test_id_is_well_formed_and_unique_across_kinds(key: str) -> None:
    import re

    assert re.fullmatch(
        r"[a-z][a-z0-9]*(_[a-z0-9]+)*|C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1", key
    )
    assert ALL_NODE_IDS.count(key) == 1


@pytest.mark.parametrize("muscle", ids("muscle"))
def test_muscle_is_complete(muscle: str) -> None:
    record = RECORDS["muscle"][muscle].record
    assert record.actions, "give its principal actions"
    assert record.synonyms or record.abbreviations, "give another name"
    assert any(link.level == "primary" for link in record.roots) or all(
        link.note or record.note for link in record.roots
    ), "mark the main segment, or say in a note why none is"
