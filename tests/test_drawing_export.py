"""Diagrams, body maps and exports: artists and files, not pixels."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import matplotlib
import networkx as nx
import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main
from myofascial_graph.drawing import EDGE_STYLES, EVIDENCE_ALPHA

matplotlib.use("Agg")


def test_draw_trace_returns_axes_with_columns_labels_and_legend(G) -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    t = mg.trace(G, "S1", min_score=0.001)
    assert mg.draw(t, ax=ax, regions=["neck", "buttock", "lateral_thigh"]) is ax
    texts = {t.get_text() for t in ax.texts}
    assert {"roots", "nerves", "muscles", "fascia", "regions"} <= texts
    neck = f"neck {mg.paths.score_text(t.regions['neck'].score)}"
    assert {"S1", "gluteus maximus 0.50", "inferior gluteal nerve", neck} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"innervates", "continuous with", "lies in"} <= set(legend)
    widths = sorted({round(line.get_linewidth(), 2) for line in ax.lines})
    assert widths[0] < widths[-1]  # line width by score


def test_draw_default_shows_every_pathway(G) -> None:
    ax = mg.draw(mg.trace(G, "S1", min_score=0.001), top=9)
    colours = {line.get_color() for line in ax.lines}
    assert EDGE_STYLES["dermatome"]["color"] in colours
    assert EDGE_STYLES["continuous_with"]["color"] in colours


def test_draw_a_sided_trace_and_a_subgraph(G) -> None:
    t = mg.trace(G, "C7", side="left", min_score=0.001)
    ax = mg.draw(t, regions=[("buttock", "right")])
    texts = {t.get_text() for t in ax.texts}
    right = f"gluteus maximus (R) {t.muscles[('gluteus_maximus', 'right')]:.2f}"
    left = f"latissimus dorsi (L) {t.muscles[('latissimus_dorsi', 'left')]:.2f}"
    assert right in texts and left in texts
    sub = G.subgraph(["S1", "gluteus_maximus", "buttock", "inferior_gluteal_nerve"])
    ax = mg.draw(sub)
    assert "gluteus maximus" in {t.get_text() for t in ax.texts}


def test_the_wpi_body_map_has_the_19_areas_and_head_hands_and_feet(G) -> None:
    wpi = G.graph["body_maps"]["wpi"]
    areas = wpi.areas()
    assert {a for a, area in areas.items() if area.wpi_area} == set(mg.WPI_AREAS)
    assert {a: areas[a].regions for a in ("head", "hand_left", "foot_right")} == {
        "head": ("head",),
        "hand_left": ("hand",),
        "foot_right": ("foot",),
    }
    assert all(len(p) >= 3 for area in areas.values() for p in area.polygons)


def test_a_body_map_is_a_data_file_users_can_layer(write, G) -> None:
    wpi = (mg.data_dir() / "body_map.yaml").read_text(encoding="utf-8")
    mine = wpi.replace("wpi:\n  label: ACR 2016", "mine:\n  label: my copy of the ACR 2016")
    H = mg.load(write("body_map.yaml", mine))
    assert set(H.graph["body_maps"]) == {"wpi", "mine"} and "mine" not in G.graph["body_maps"]
    ax = mg.draw_body_map(mg.trace(H, "S1"), body_map="mine", view="front")
    assert ax.get_title().startswith("Trace from S1: my copy of the ACR 2016")
    bad = mine.replace("regions: [head]", "regions: [haed]", 1)
    with pytest.raises(mg.DataError, match=r"body_map.yaml:\d+: body_map 'mine': unknown region "
                       "'haed'; did you mean 'hand', 'head'"):  # fmt: skip
        mg.load(write("body_map.yaml", bad))


def test_body_map_shades_the_trace_areas_by_side(G) -> None:
    ax = mg.draw_body_map(mg.trace(G, "S1", side="left", min_score=0.001), view="back")
    shaded = {p.get_gid() for p in ax.patches if p.get_gid() and p.get_facecolor()[:3] != (1, 1, 1)}
    assert {"lower_leg_left", "hip_left", "lower_back"} <= shaded
    assert "lower_leg_right" not in shaded
    assert ax.figure.axes[-1].get_ylabel() == "score"  # the colour bar


def test_body_map_from_area_scores_and_bad_view() -> None:
    ax = mg.draw_body_map({"neck": 1.0}, view="front", labels=True)
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("neck")] == ["neck\n1.00"]
    with pytest.raises(ValueError, match="view must be one of"):
        mg.draw_body_map({}, view="side")


def test_json_round_trip_is_lossless(G, tmp_path) -> None:
    path = mg.export(G, tmp_path / "graph.json")
    H = mg.read_json(path)
    assert sorted(H.nodes(data=True)) == sorted(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    assert H.graph == G.graph
    assert nx.utils.graphs_equal(G, H)


def test_trace_exports_its_best_paths(G, tmp_path) -> None:
    t = mg.trace(G, "S1", min_score=0.001)
    H = mg.read_json(mg.export(t, tmp_path / "trace.json"))
    assert H.nodes["neck"]["score"] == t.regions["neck"].score
    assert H.has_edge("gluteus_maximus", "thoracolumbar_fascia", "continuous_with")


def test_graphml_and_gexf_read_back_with_networkx(G, tmp_path) -> None:
    t = mg.trace(G, "L5")
    H = nx.read_graphml(mg.export(t, tmp_path / "t.graphml"))
    assert H.nodes["tensor_fasciae_latae"]["kind"] == "muscle"
    assert all(
        isinstance(v, (str, int, float, bool)) for _, d in H.nodes(data=True) for v in d.values()
    )
    X = nx.read_gexf(mg.export(G, tmp_path / "g.gexf"))
    assert X.number_of_nodes() == G.number_of_nodes()


def test_dot_mermaid_and_cytoscape(G, tmp_path) -> None:
    t = mg.trace(G, "S1")
    dot = mg.export(t, tmp_path / "t.dot").read_text()
    assert dot.startswith("digraph") and '"gluteus_maximus" -> "thoracolumbar_fascia"' in dot
    mmd = mg.export(t, tmp_path / "t.mmd").read_text()
    assert mmd.startswith("flowchart LR") and '|"continuous with"|' in mmd
    cy = json.loads(mg.export(t, tmp_path / "t.cyjs").read_text())
    assert {e["data"]["source"] for e in cy["elements"]["edges"]} >= {"S1"}
    with pytest.raises(ValueError, match="unknown export format"):
        mg.export(G, tmp_path / "g.xlsx")
    with pytest.raises(TypeError, match="can export"):
        mg.export({"not": "a graph"}, tmp_path / "x.json")  # type: ignore[arg-type]


def test_cli_plots_and_exports(tmp_path, capsys) -> None:
    png, svg, out = tmp_path / "s1.png", tmp_path / "map.svg", tmp_path / "s1.graphml"
    argv = ["trace", "S1", "--min-score", "0.001", "--plot", str(png), "--regions", "neck"]
    assert main([*argv, "buttock"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["body-map", "S1", "--view", "back", "-o", str(svg)]) == 0
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert main(["export", "S1", "-o", str(out)]) == 0
    assert nx.read_graphml(out).number_of_nodes() > 10
    assert main(["trace", "S1", "--plot", str(tmp_path / "x.gif")]) == 2
    assert "written as .png, .svg or .pdf" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
        ("[1, 2]", "not a graph written by export: ValueError: expected an object with 'nodes'"),
        ('{"nodes": [{"id": "x", "kind": "root", "record": {"id": "x"}}], "edges": []}',
         "not a graph written by export: id: String should match pattern"),
    ],
)  # fmt: skip
def test_read_json_names_the_file_and_the_problem(tmp_path, text, message) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(mg.DataError) as info:
        mg.read_json(path)
    assert str(info.value).startswith(f"{path}: {message}")


def test_diagram_shows_each_steps_evidence_grade(G) -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    t = mg.trace(G, "S1", side="left", min_score=0.001)
    mg.draw(t, ax=ax, regions=["neck", ("buttock", "left")])
    # the seed's own link (thoracolumbar fascia -> trapezius) is expert opinion: faint and tagged
    alphas = sorted({line.get_alpha() for line in ax.lines})
    assert alphas == sorted({EVIDENCE_ALPHA["textbook"], EVIDENCE_ALPHA["expert_opinion"]})
    assert "opinion" in {text.get_text() for text in ax.texts}
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert {"textbook", "expert opinion"} <= set(legend)
    strict = mg.trace(G, "S1", side="left", min_score=0.001, min_evidence="review")
    _, ax = plt.subplots()
    mg.draw(strict, ax=ax, regions=["neck"])
    assert "opinion" not in {text.get_text() for text in ax.texts}
    assert EVIDENCE_ALPHA["expert_opinion"] not in {line.get_alpha() for line in ax.lines}
    plt.close("all")
