"""Data tooling: canonical layout, JSON Schemas, stats and the promised coverage."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main
from myofascial_graph.json_schema import file_schema
from myofascial_graph.lint import canonical_text, lint_files
from myofascial_graph.loading import DATA_FILES
from myofascial_graph.yamlio import read_yaml

DATA = mg.data_dir()


def test_shipped_data_is_in_canonical_layout() -> None:
    problems = lint_files([DATA / name for name in DATA_FILES])
    assert not problems, "run `myofascial-graph lint --fix`:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_committed_json_schema_is_up_to_date(name: str) -> None:
    committed = json.loads((DATA / "schema" / name.replace(".yaml", ".schema.json")).read_text())
    assert committed == file_schema(name), "run `myofascial-graph schema -o data/schema`"


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_shipped_data_satisfies_its_json_schema(name: str) -> None:
    jsonschema.validate(read_yaml(DATA / name).data or {}, file_schema(name))


def test_json_schema_rejects_what_the_loader_rejects() -> None:
    bad = {"gluteus_test": {"label": "x", "colour": "red"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, file_schema("muscles.yaml"))
    short = {"x_nerve": {"label": "x", "roots": ["S1"], "sources": ["a"]}}
    jsonschema.validate(short, file_schema("nerves.yaml"))  # bare ids are allowed


def test_lint_fix_rewrites_and_keeps_the_records(tmp_path, capsys) -> None:
    messy = tmp_path / "regions.yaml"
    messy.write_text(
        "# my regions\nnape_test: {sources: [standring2020_grays], label: nape,\n"
        "  part_of: [neck], bilateral: false}\n"
    )
    assert main(["lint", str(messy)]) == 2
    assert f"{messy}:2: not in canonical layout" in capsys.readouterr().err
    assert main(["lint", "--fix", str(messy)]) == 0
    assert messy.read_text() == (
        "# my regions\nnape_test:\n  label: nape\n  part_of: [neck]\n  bilateral: false\n"
        "  sources: [standring2020_grays]\n"
    )
    assert mg.load(extra=[messy]).nodes["nape_test"]["label"] == "nape"


def test_lint_will_not_drop_comments_inside_records(tmp_path) -> None:
    path = tmp_path / "regions.yaml"
    text = "nape_test:\n  # a remark\n  label: nape\n  sources: [standring2020_grays]\n"
    path.write_text(text)
    problems = lint_files([path], fix=True)
    assert [p.line for p in problems] == [2, 2]
    assert "comment inside a record" in problems[0].message
    assert path.read_text() == text


def test_canonical_text_quotes_only_where_needed() -> None:
    text = canonical_text(
        "a_b:\n  label: 'yes'\n  note: 'x: y'\n  synonyms: ['a, b', c]\n", "region"
    )
    assert text == 'a_b:\n  label: "yes"\n  synonyms: ["a, b", c]\n  note: "x: y"\n'


def test_stats_cli(capsys) -> None:
    assert main(["stats", "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures == mg.stats(mg.load())


def test_schema_cli_writes_the_committed_files(tmp_path) -> None:
    assert main(["schema", "-o", str(tmp_path)]) == 0
    for name in DATA_FILES:
        schema = name.replace(".yaml", ".schema.json")
        assert (tmp_path / schema).read_text() == (DATA / "schema" / schema).read_text()


def test_knowledge_base_coverage(G) -> None:
    figures = mg.stats(G)
    nodes = figures["nodes"]
    assert nodes["root"] == 31
    assert nodes["muscle"] >= 150
    assert nodes["nerve"] >= 40
    assert nodes["fascia"] >= 15
    assert nodes["region"] >= 60
    # a muscle has a segmental root unless every nerve of it is cranial (the head and face)
    muscles = [n for n, kind in G.nodes(data="kind") if kind == "muscle"]
    cranial_only = [
        m
        for m in muscles
        if all(G.nodes[link.id]["record"].cranial for link in G.nodes[m]["record"].nerves)
    ]
    assert len(cranial_only) >= 20
    assert figures["muscles_rooted"] == round(1 - len(cranial_only) / len(muscles), 4)
    assert figures["edges_cited"] == 1.0
    assert figures["xrefs"]["muscle"]["UBERON"] >= 0.8


def test_copy_of_shipped_data_loads_as_base(tmp_path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    assert mg.load(base=tmp_path / "data").number_of_nodes() == mg.load().number_of_nodes()


def test_anatomy_trains_lines_graded_after_wilke(G) -> None:
    chains = G.graph["chains"]
    expected = {
        "superficial_back_line",
        "superficial_front_line",
        "lateral_line",
        "spiral_line",
        "back_functional_line",
        "front_functional_line",
        "ipsilateral_functional_line",
        "deep_front_line",
    }
    assert expected <= set(chains)
    assert sum("arm_line" in key for key in chains) == 4
    grades = {key: {t.evidence for t in c.transitions} for key, c in chains.items()}
    for strong in ("superficial_back_line", "back_functional_line", "front_functional_line"):
        assert grades[strong] == {"dissection"}, strong
    assert grades["superficial_front_line"] == {"clinical_model"}  # no transition verified
    assert "dissection" in grades["spiral_line"] and "clinical_model" in grades["spiral_line"]
    bfl = chains["back_functional_line"]
    crossing = [t for t in bfl.transitions if t.crosses_midline]
    assert [(t.source, t.target) for t in crossing] == [("thoracolumbar_fascia", "gluteus_maximus")]
