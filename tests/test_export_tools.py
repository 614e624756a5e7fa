"""Exports opened by the tools themselves: xmllint against the GraphML 1.0 and GEXF
1.2draft XSDs (tests/data/xsd), Graphviz's dot and sfdp, and Mermaid's mmdc on
Debian's chromium.  A test whose tool is absent skips, except in CI (``CI`` set),
where .ci/run installs every tool and an absent one fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

import myofascial_graph as mg
from myofascial_graph.formats import MERMAID_MAX_EDGES, NODE_FIELDS, mermaid

XSD = Path(__file__).parent / "data" / "xsd"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def _tool(name: str, env: str | None = None) -> str:
    """The path of a command-line tool; skip (or fail in CI) when it is not installed."""
    found = os.environ.get(env or "") or shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (see .ci/run for how CI installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def trace_s1(G):
    return mg.trace(G, "S1", side="left")


def _xmllint(schema: str, path: Path) -> None:
    done = subprocess.run(
        [_tool("xmllint"), "--noout", "--schema", str(XSD / schema), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "validates" in done.stderr


@pytest.mark.parametrize("whole", [True, False], ids=["graph", "trace"])
def test_graphml_is_valid_graphml_1_0(G, trace_s1, tmp_path, whole) -> None:
    path = mg.export(G if whole else trace_s1, tmp_path / "g.graphml")
    _xmllint("graphml.xsd", path)


@pytest.mark.parametrize("whole", [True, False], ids=["graph", "trace"])
def test_gexf_is_valid_gexf_1_2draft(G, trace_s1, tmp_path, whole) -> None:
    path = mg.export(G if whole else trace_s1, tmp_path / "g.gexf")
    _xmllint("gexf.xsd", path)


def test_graphml_edge_ids_are_unique_and_keys_kept(G, tmp_path) -> None:
    path = mg.export(G, tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    assert H.number_of_edges() == G.number_of_edges()
    ids = [k for _, _, k in H.edges(keys=True)]
    assert len(set(ids)) == len(ids)
    keys = {(u, v, d["key"]) for u, v, d in H.edges(data=True)}
    assert keys == set(G.edges(keys=True))


def test_flat_formats_keep_the_fields_a_user_needs(G, tmp_path) -> None:
    record = G.nodes["thoracolumbar_fascia"]["record"]
    record = record.model_copy(update={"xrefs": ("UBERON:0000000",)})
    G = G.copy()
    G.nodes["thoracolumbar_fascia"]["record"] = record
    citation = G.graph["sources"][record.sources[0]].citation()
    H = nx.read_graphml(mg.export(G, tmp_path / "g.graphml"))
    X = nx.read_gexf(mg.export(G, tmp_path / "g.gexf"))
    cy = json.loads(mg.export(G, tmp_path / "g.cyjs").read_text(encoding="utf-8"))
    cy_nodes = {n["data"]["id"]: n["data"] for n in cy["elements"]["nodes"]}
    for data in (H.nodes["thoracolumbar_fascia"], X.nodes["thoracolumbar_fascia"],
                 cy_nodes["thoracolumbar_fascia"]):  # fmt: skip
        assert set(NODE_FIELDS) <= set(data)
        assert "lumbodorsal fascia" in data["synonyms"] and data["abbreviations"] == "TLF"
        assert data["description"] == record.description
        assert data["xrefs"] == "; ".join(record.xrefs)
        assert citation in data["citations"]
    # every node carries every field (written even when empty, which networkx < 3.1 reads
    # as absent), so igraph's filling-in of gaps changes nothing
    root = ET.parse(tmp_path / "g.graphml").getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    for node in root.iter(f"{GRAPHML}node"):
        assert set(NODE_FIELDS) <= {keys[d.get("key")] for d in node.iter(f"{GRAPHML}data")}
    edge = next(d for _, _, d in H.edges(data=True) if d["kind"] == "innervates")
    assert edge["citations"].startswith("[") and edge["evidence"]


def test_cytoscape_data_is_an_object_and_nodes_are_named_by_label(trace_s1, tmp_path) -> None:
    cy = json.loads(mg.export(trace_s1, tmp_path / "t.cyjs").read_text(encoding="utf-8"))
    assert isinstance(cy["data"], dict)
    glute = next(n["data"] for n in cy["elements"]["nodes"] if n["data"]["id"] == "gluteus_maximus")
    assert glute["name"] == "gluteus maximus"
    ids = [e["data"]["id"] for e in cy["elements"]["edges"]]
    assert len(set(ids)) == len(ids)


def test_dot_labels_have_real_newlines(trace_s1, tmp_path) -> None:
    dot = mg.export(trace_s1, tmp_path / "t.dot").read_text(encoding="utf-8")
    assert 'label="gluteus maximus\\n0.50"' in dot
    assert "\\\\n" not in dot


def test_dot_renders_with_graphviz(trace_s1, tmp_path) -> None:
    dot = _tool("dot")
    path = mg.export(trace_s1, tmp_path / "t.dot")
    done = subprocess.run(
        [dot, "-Tsvg", str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert "gluteus maximus" in done.stdout
    assert "maximus\\n" not in done.stdout  # the newline is a line break, not a backslash


def test_whole_graph_dot_lays_out_quickly_without_a_hairball_of_labels(G, tmp_path) -> None:
    dot = _tool("dot")
    path = mg.export(G, tmp_path / "g.dot")
    text = path.read_text(encoding="utf-8")
    assert "layout=sfdp" in text and "overlap=prism" in text and "rankdir" not in text
    done = subprocess.run(
        [dot, "-Tsvg", str(path)], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.count('<g id="node') == G.number_of_nodes()


def test_dot_styles_come_from_the_metagraph(trace_s1, tmp_path) -> None:
    dot = mg.export(trace_s1, tmp_path / "t.dot").read_text(encoding="utf-8")
    kind = mg.METAGRAPH["continuous_with"]
    line = next(x for x in dot.splitlines() if 'kind="continuous_with"' in x)
    assert f'color="{kind.style.color}"' in line and "style=dotted" in line


def test_mermaid_tells_dashed_from_dotted_and_escapes_markup(trace_s1, tmp_path) -> None:
    H = trace_s1.subgraph()
    H.nodes["gluteus_maximus"]["label"] = 'glute <b>max</b> "x" & y'
    text = mermaid(H)
    assert '["glute #lt;b#gt;max#lt;/b#gt; #quot;x#quot; #amp; y 0.50"]' in text
    assert "<b>" not in text
    dashed = mg.METAGRAPH["dermatome"].style
    dotted = mg.METAGRAPH["continuous_with"].style
    styles = [x for x in text.splitlines() if x.lstrip().startswith("linkStyle")]
    assert any(f"stroke:{dashed.color},stroke-dasharray:8 4" in x for x in styles)
    assert any(f"stroke:{dotted.color},stroke-dasharray:2 3" in x for x in styles)


def test_mermaid_refuses_the_whole_graph_with_a_clear_message(G, tmp_path) -> None:
    assert G.number_of_edges() > MERMAID_MAX_EDGES
    with pytest.raises(mg.InvalidArgumentError, match=r"too large for Mermaid.*export a trace"):
        mg.export(G, tmp_path / "g.mmd")
    assert not (tmp_path / "g.mmd").exists()


def test_mermaid_renders_with_mmdc(trace_s1, tmp_path) -> None:
    mmdc = _tool("mmdc", "MMDC")
    chromium = _tool("chromium", "CHROMIUM")
    config = tmp_path / "puppeteer.json"
    config.write_text(
        json.dumps(
            {
                "executablePath": chromium,
                "args": [
                    "--no-sandbox",
                    "--headless",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            }
        )
    )
    source = mg.export(trace_s1, tmp_path / "t.mmd")
    out = tmp_path / "t.svg"
    done = subprocess.run(
        [mmdc, "-q", "-p", str(config), "-i", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    svg = out.read_text(encoding="utf-8")
    # mmdc exits 0 with an error picture; the drawing must be the diagram
    assert "Syntax error" not in svg and "Maximum text size" not in svg
    assert "gluteus maximus 0.50" in svg and "thoracolumbar fascia" in svg
