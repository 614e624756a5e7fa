"""Writers of the formats other tools open: GraphML, GEXF, DOT, Mermaid, Cytoscape.js.

Every format keeps, on each node, the fields a reader of the graph needs
(:data:`NODE_FIELDS`: kind, label, synonyms, abbreviations, description,
xrefs, note, sources and the full ``citations`` of those sources), and on each
edge its kind, weight, evidence, sources and citations.  GraphML and GEXF give
every node every field (an empty string where a record has none), so tools
that fill in missing values (igraph reads a missing string as ``''``) read the
same as tools that do not.  Edge ids are unique (``e0``, ``e1``, ...); the
multigraph key is the ``key`` attribute.  Colours and line styles come from the
metagraph (:class:`~myofascial_graph.metagraph.Style`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from .exceptions import InvalidArgumentError
from .kinds import LineStyle
from .metagraph import metagraph_of
from .paths import score_text

__all__ = [
    "MERMAID_MAX_EDGES",
    "MERMAID_MAX_TEXT",
    "NODE_FIELDS",
    "flat",
    "write_cyjs",
    "write_dot",
    "write_gexf",
    "write_graphml",
    "write_mermaid",
]

NODE_FIELDS: tuple[str, ...] = (
    "kind",
    "label",
    "synonyms",
    "abbreviations",
    "description",
    "xrefs",
    "note",
    "sources",
    "citations",
)
"""The node fields every flat format keeps (lists joined by ``"; "``, citations by lines)."""

_RECORD_FIELDS = ("synonyms", "abbreviations", "description", "xrefs", "note", "sources")

MERMAID_MAX_TEXT = 50_000
"""Mermaid's default ``maxTextSize``: longer diagrams draw as an error picture."""

MERMAID_MAX_EDGES = 500
"""Mermaid's default ``maxEdges``."""

LARGE_DOT = 150
"""Edges above which a DOT file asks for the ``sfdp`` layout instead of ranked ``dot``."""

_DOT_STYLES: dict[LineStyle, str] = {
    "solid": "solid",
    "dashed": "dashed",
    "dotted": "dotted",
    "dashdot": "dashed",
    "sparse": "dotted",
}
_DOT_PEN: dict[LineStyle, str] = {"dashdot": "1.6", "sparse": "0.6"}
_MERMAID_DASH: dict[LineStyle, str] = {
    "dashed": "8 4",
    "dotted": "2 3",
    "dashdot": "8 3 2 3",
    "sparse": "1 7",
}


def _citations(G: nx.MultiDiGraph, ids: Any) -> str:
    sources = G.graph.get("sources", {})
    return "\n".join(f"[{s}] {sources[s].citation()}" for s in ids or () if s in sources)


def _scalar(value: Any) -> str | int | float | bool | None:
    if isinstance(value, (tuple, list)):
        return "; ".join(map(str, value))
    if isinstance(value, (str, int, float, bool)):
        return value
    return None


def flat(G: nx.MultiDiGraph, *, edge_ids: bool = True) -> nx.MultiDiGraph:
    """A copy with every attribute a scalar and every node carrying :data:`NODE_FIELDS`.

    Records are dropped after their fields are copied; tuples are joined by
    ``"; "``; the ``sources`` of nodes and edges gain ``citations``, the full
    bibliography entries.  With ``edge_ids``, edge keys become unique ids
    (``e0``, ...) and the original key is kept as ``key``.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> H = flat(mg.trace(mg.load(), "S1").subgraph())
    >>> H.nodes["thoracolumbar_fascia"]["abbreviations"]
    'TLF'
    >>> H.nodes["gluteus_maximus"]["citations"].startswith("[")
    True
    """
    H = nx.MultiDiGraph()
    for node, attrs in G.nodes(data=True):
        out: dict[str, Any] = dict.fromkeys(NODE_FIELDS, "")
        record = attrs.get("record")
        for name in _RECORD_FIELDS:
            value = _scalar(getattr(record, name, None))
            if value is not None:
                out[name] = value
        for key, value in attrs.items():
            value = _scalar(value)
            if key != "record" and value is not None:
                out[key] = value
        out["label"] = str(out["label"] or node)
        out["citations"] = _citations(G, getattr(record, "sources", ()))
        H.add_node(node, **out)
    for index, (u, v, key, attrs) in enumerate(G.edges(keys=True, data=True)):
        edge = {k: s for k, s in ((k, _scalar(a)) for k, a in attrs.items()) if s is not None}
        edge["citations"] = _citations(G, attrs.get("sources", ()))
        new = H.add_edge(u, v, key=f"e{index}" if edge_ids else key)
        H.edges[u, v, new].update({"key": key, **edge} if edge_ids else edge)
    return H


def write_graphml(G: nx.MultiDiGraph, path: Path) -> None:
    """GraphML 1.0: unique edge ids, the graph's name as graph data."""
    H = flat(G)
    H.graph["name"] = str(G.graph.get("name", ""))
    nx.write_graphml(H, path)


def write_gexf(G: nx.MultiDiGraph, path: Path) -> None:
    """GEXF 1.2draft: each edge labelled by its kind (1.2draft has no graph name)."""
    H = flat(G)
    for _, _, data in H.edges(data=True):
        data["label"] = data["kind"]
    text = "\n".join(nx.generate_gexf(H))
    text = re.sub(r'(<graph [^>]*?) name="[^"]*"', r"\1", text, count=1)
    path.write_text(text + "\n", encoding="utf-8")


def write_cyjs(G: nx.MultiDiGraph, path: Path) -> None:
    """Cytoscape.js JSON: ``data`` an object, each node's ``name`` its label."""
    H = flat(G)
    nodes = [
        {"data": {"id": node, "name": attrs["label"], **attrs}}
        for node, attrs in H.nodes(data=True)
    ]
    edges = [
        {"data": {"id": key, "source": u, "target": v, **attrs}}
        for u, v, key, attrs in H.edges(keys=True, data=True)
    ]
    data = {
        "format_version": "1.0",
        "generated_by": "myofascial_graph",
        "data": {"name": str(G.graph.get("name", ""))},
        "elements": {"nodes": nodes, "edges": edges},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _quote(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, a newline as DOT's ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def write_dot(G: nx.MultiDiGraph, path: Path) -> None:
    """Graphviz DOT with the metagraph's colours and line styles.

    A small graph (a trace) is ranked left to right for ``dot``; a large one
    (more than :data:`LARGE_DOT` edges) asks for ``sfdp`` with overlaps
    removed and no edge labels (the colour and line tell the kind), since
    ranking the whole graph takes ``dot`` many minutes.
    """
    metagraph = metagraph_of(G)
    large = G.number_of_edges() > LARGE_DOT
    lines = ["digraph myofascial_graph {"]
    if large:
        lines.append("  layout=sfdp; overlap=prism; splines=false; outputorder=edgesfirst;")
    else:
        lines.append("  rankdir=LR;")
    lines.append('  node [shape=box, style="rounded,filled", fillcolor=white];')
    for node, attrs in G.nodes(data=True):
        label = str(attrs.get("label", node))
        if "score" in attrs:
            label += f"\n{score_text(attrs['score'])}"
        node_kind = metagraph.kinds.get(str(attrs.get("kind", "")))
        color = node_kind.style.color if node_kind and node_kind.style else "#555555"
        lines.append(
            f"  {_quote(node)} [label={_quote(label)}, kind={_quote(str(attrs.get('kind', '')))},"
            f" color={_quote(color)}];"
        )
    for u, v, key, attrs in G.edges(keys=True, data=True):
        kind = str(attrs.get("kind", key))
        edge_kind = metagraph.get(kind)
        line: LineStyle = edge_kind.line if edge_kind else "solid"
        color = edge_kind.style.color if edge_kind else "#555555"
        style = f"style={_DOT_STYLES[line]}, color={_quote(color)}"
        if line in _DOT_PEN:
            style += f", penwidth={_DOT_PEN[line]}"
        label = "" if large else f"label={_quote(kind.replace('_', ' '))}, "
        lines.append(f"  {_quote(u)} -> {_quote(v)} [{label}kind={_quote(kind)}, {style}];")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: markup characters as Mermaid's entity codes."""
    for char, code in (("&", "#amp;"), ("<", "#lt;"), (">", "#gt;"), ('"', "#quot;")):
        text = text.replace(char, code)
    return text.replace("|", "#124;").replace("\n", " ")


def mermaid(G: nx.MultiDiGraph) -> str:
    """A Mermaid flowchart of ``G``, each edge kind in its colour and dash pattern.

    Raises
    ------
    InvalidArgumentError
        If the graph has more edges than :data:`MERMAID_MAX_EDGES` or its text is
        longer than :data:`MERMAID_MAX_TEXT`, Mermaid's default limits, past
        which it draws an error instead of the diagram.
    """
    metagraph = metagraph_of(G)
    ids = {node: f"n{index}" for index, node in enumerate(G.nodes)}
    lines = ["flowchart LR"]
    for node, attrs in G.nodes(data=True):
        label = _mermaid_text(str(attrs.get("label", node)))
        if "score" in attrs:
            label += f" {score_text(attrs['score'])}"
        lines.append(f'  {ids[node]}["{label}"]')
    styles: dict[str, list[int]] = {}
    for index, (u, v, key, attrs) in enumerate(G.edges(keys=True, data=True)):
        kind = str(attrs.get("kind", key))
        edge_kind = metagraph.get(kind)
        arrow = "-->" if edge_kind is None or edge_kind.line == "solid" else "-.->"
        lines.append(f'  {ids[u]} {arrow}|"{_mermaid_text(kind.replace("_", " "))}"| {ids[v]}')
        styles.setdefault(kind, []).append(index)
    for kind, indices in styles.items():
        edge_kind = metagraph.get(kind)
        if edge_kind is None:
            continue
        style = f"stroke:{edge_kind.style.color}"
        if edge_kind.line in _MERMAID_DASH:
            style += f",stroke-dasharray:{_MERMAID_DASH[edge_kind.line]}"
        lines.append(f"  linkStyle {','.join(map(str, indices))} {style}")
    text = "\n".join(lines) + "\n"
    edges = G.number_of_edges()
    if edges > MERMAID_MAX_EDGES or len(text) > MERMAID_MAX_TEXT:
        raise InvalidArgumentError(
            f"too large for Mermaid: {edges:,} edges and {len(text):,} characters, over its "
            f"default limits of {MERMAID_MAX_EDGES} edges and {MERMAID_MAX_TEXT:,} characters "
            "(it would draw an error instead); export a trace or a subgraph to .mmd, "
            "or the whole graph to .dot, .graphml or .gexf"
        )
    return text


def write_mermaid(G: nx.MultiDiGraph, path: Path) -> None:
    """A Mermaid flowchart (see :func:`mermaid`); nothing is written if it is refused."""
    path.write_text(mermaid(G), encoding="utf-8")
