"""A new edge kind needs only its metagraph entry, its record field and its data.

This test declares an edge kind of its own (a trigger point in a muscle refers
pain to a region), a muscle model with the field that declares it, and a small
user file that uses it; then it loads, traces, explains, draws, exports and
writes the JSON Schema through it, with no change to the library.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from pydantic import Field

import myofascial_graph as mg
from myofascial_graph.json_schema import file_schema
from myofascial_graph.schema import Link, MuscleRecord


class ReferringMuscle(MuscleRecord):
    """A muscle whose trigger points refer pain to regions."""

    refers_to: tuple[Link, ...] = Field(default=(), description="Where its trigger points refer.")


REFERS = mg.EdgeKind(
    "refers_to",
    ("muscle",),
    ("region",),
    "refers_to",
    "a trigger point in the muscle refers pain to the region",
    mg.Style("#882255", "dotted"),
    default_weight=0.6,
    followed_from=("muscle",),
    pathway="provoked",
)
METAGRAPH = mg.METAGRAPH.extend(
    kinds=[dataclasses.replace(mg.METAGRAPH.kinds["muscle"], model=ReferringMuscle)],
    edges=[REFERS],
)

MUSCLE = """\
test_minimus:
  label: test minimus
  nerves: [superior_gluteal_nerve]
  roots: [L5]
  regions: [buttock]
  refers_to: [thumb, {id: lateral_leg, weight: 0.9}]
  sources: [standring2020_grays]
"""


MODEL = (
    (mg.data_dir() / "model.yaml")
    .read_text(encoding="utf-8")
    .replace("default:\n", "default:\n  replace: true\n")
    .replace("  strengths:\n", "  strengths:\n    provoked: 0.5\n")
)


@pytest.fixture
def H(write):
    write("model.yaml", MODEL)
    return mg.load(write("muscles.yaml", MUSCLE).parent, metagraph=METAGRAPH)


def test_the_new_field_declares_edges_of_the_new_kind(H) -> None:
    edge = H.edges["test_minimus", "thumb", "refers_to"]
    assert (edge["kind"], edge["weight"], edge["sources"]) == (
        "refers_to",
        0.6,
        ("standring2020_grays",),
    )
    assert H.edges["test_minimus", "lateral_leg", "refers_to"]["weight"] == 0.9
    assert ("muscle", "refers_to", "region") in mg.metagraph.metagraph_of(H).triples
    assert "refers_to" not in mg.METAGRAPH  # the shipped metagraph is untouched


def test_references_of_the_new_kind_are_checked(write) -> None:
    write("model.yaml", MODEL)
    path = write("muscles.yaml", MUSCLE.replace("thumb", "thumbb"))
    with pytest.raises(mg.DataError, match=r"muscles.yaml:6: muscle 'test_minimus': "
                       r"unknown region 'thumbb'; did you mean 'thumb'"):  # fmt: skip
        mg.load(path.parent, metagraph=METAGRAPH)


def test_a_new_pathway_needs_a_strength_in_the_model(write) -> None:
    path = write("muscles.yaml", MUSCLE)
    with pytest.raises(mg.DataError, match=r"data/model.yaml:\d+: model 'default': no strength "
                       "for the pathway 'provoked'; add it to strengths"):  # fmt: skip
        mg.load(path, metagraph=METAGRAPH)


def test_a_trace_follows_the_new_kind_and_explains_it(H) -> None:
    t = mg.trace(H, "L5")
    hit = t.regions["thumb"]
    share = t.muscles["test_minimus"]
    assert (hit.pathway, hit.score) == ("provoked", pytest.approx(share * 0.6 * 0.5))
    assert [s.kind for s in hit.path.steps] == ["innervates", "refers_to"]
    assert "test minimus refers to thumb: weight 0.6" in str(t.explain("thumb"))
    halved = mg.trace(H, "L5", weights={"refers_to": 0.5}).regions["thumb"].score
    assert halved == pytest.approx(hit.score / 2)
    assert "thumb" not in mg.trace(mg.load(), "L5").regions


def test_the_new_kind_is_drawn_and_exported_in_its_style(H, tmp_path) -> None:
    t = mg.trace(H, "L5")
    ax = mg.draw(t, regions=["thumb"])
    legend = {text.get_text() for text in ax.get_legend().get_texts()}
    assert "refers to" in legend
    lines = [line for line in ax.get_lines() if line.get_color() == "#882255"]
    assert lines and all(line.get_linestyle() == ":" for line in lines)
    dot = mg.export(t, tmp_path / "t.dot").read_text(encoding="utf-8")
    line = next(x for x in dot.splitlines() if x.startswith('  "test_minimus" -> "thumb"'))
    assert 'kind="refers_to"' in line and "style=dotted" in line and 'color="#882255"' in line
    whole = json.loads(mg.export(H, tmp_path / "g.json").read_text(encoding="utf-8"))
    assert any(e["kind"] == "refers_to" for e in whole["edges"])


def test_the_json_schema_of_the_file_has_the_new_field(H) -> None:
    schema = file_schema("muscles.yaml", METAGRAPH)
    field = schema["$defs"]["ReferringMuscle"]["properties"]["refers_to"]
    assert field["description"].endswith("Declares refers_to edges: a trigger point in the "
                                          "muscle refers pain to the region.")  # fmt: skip


def test_a_graph_of_the_new_kind_reads_back_from_json(H, tmp_path) -> None:
    path = mg.export(H, tmp_path / "g.json")
    again = mg.read_json(path, metagraph=METAGRAPH)
    assert again.edges["test_minimus", "thumb", "refers_to"]["weight"] == 0.6
    assert mg.trace(again, "L5").regions["thumb"].pathway == "provoked"
    with pytest.raises(mg.DataError, match=r"g.json: not a graph written by export: .*refers_to"):
        mg.read_json(path)  # the shipped muscle model has no refers_to field
