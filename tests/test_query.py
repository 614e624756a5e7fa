"""Finding nodes by names, synonyms and abbreviations."""

from __future__ import annotations

import pytest

import myofascial_graph as mg


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TLF", "thoracolumbar_fascia"),
        ("tlf", "thoracolumbar_fascia"),
        ("ITB", "iliotibial_tract"),
        ("IT band", "iliotibial_tract"),
        ("TFL", "tensor_fasciae_latae"),
        ("glute max", "gluteus_maximus"),
        ("Gluteus Maximus", "gluteus_maximus"),
        ("gluteus_maximus", "gluteus_maximus"),
        ("lower back", "low_back"),
        ("CN XI", "accessory_nerve"),
        ("s1", "S1"),
    ],
)
def test_find_exact_names(G, query: str, expected: str) -> None:
    assert mg.find(G, query) == [expected]


def test_find_by_word_prefixes_and_kind(G) -> None:
    assert mg.find(G, "lat dors") == ["latissimus_dorsi"]
    assert "gluteus_maximus" in mg.find(G, "glut", kind="muscle")
    assert all(G.nodes[n]["kind"] == "muscle" for n in mg.find(G, "glut", kind="muscle"))
    assert mg.find(G, "no such thing") == []


def test_find_rejects_unknown_kind(G) -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        mg.find(G, "x", kind="bone")


def test_node_id_suggests_nearest(G) -> None:
    with pytest.raises(mg.UnknownIdError) as info:
        mg.node_id(G, "gluteus maximum")
    assert "did you mean 'gluteus_maximus'" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_records_show_themselves_in_jupyter(G) -> None:
    html = G.nodes["gluteus_maximus"]["record"]._repr_html_()
    assert html.startswith("<table><caption>MuscleRecord gluteus_maximus</caption>")
    assert "S1 (primary)" in html and "inferior_gluteal_nerve" in html
    assert "Willard FH" in G.graph["sources"]["willard2012_tlf"]._repr_html_()
