"""Write graphs and traces to files other tools open; read the JSON back.

The format follows the file's suffix:

=========  ==========================================================================
suffix     format
=========  ==========================================================================
``.json``  networkx node-link JSON, records included; :func:`read_json` gives back an
           equal graph
``.graphml`` GraphML for Cytoscape, Gephi and yEd (attributes flattened to scalars)
``.gexf``  GEXF for Gephi (attributes flattened to scalars)
``.dot``   Graphviz DOT, one style per edge kind
``.mmd``   a Mermaid flowchart, for Markdown
``.cyjs``  Cytoscape.js JSON (elements with flattened data)
=========  ==========================================================================
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from .display import score_text
from .exceptions import DataError, InvalidArgumentError, Problem
from .metagraph import METAGRAPH, Metagraph, metagraph_of
from .trace import Trace
from .yamlio import read_capped

__all__ = ["FORMATS", "export", "read_json", "to_graph"]

_TUPLE_ATTRS = ("sources", "via", "chains", "phases")
_DOT_STYLES = {"solid": "solid", "dashed": "dashed", "dotted": "dotted", "dashdot": "dashed",
               "sparse": "dotted"}  # fmt: skip


def _line(G: nx.MultiDiGraph, kind: str) -> str:
    """The metagraph's line style of an edge kind (solid for a kind it does not know)."""
    edge_kind = metagraph_of(G).get(kind)
    return edge_kind.line if edge_kind else "solid"


def to_graph(obj: nx.MultiDiGraph | Trace) -> nx.MultiDiGraph:
    """The graph to export: a graph as it is, or the subgraph of a trace's best paths."""
    if isinstance(obj, Trace):
        return obj.subgraph()
    if isinstance(obj, nx.MultiDiGraph):
        return obj
    raise TypeError(f"can export a MultiDiGraph or a Trace, not {type(obj).__name__}")


def export(obj: nx.MultiDiGraph | Trace, path: str | Path) -> Path:
    """Write a graph or a trace to ``path`` in the format its suffix names.

    Parameters
    ----------
    obj : networkx.MultiDiGraph or Trace
        A graph from :func:`myofascial_graph.load` (or a subgraph of one), or a
        trace, exported as the subgraph of its best paths with ``score`` and
        ``pathway`` on each node.
    path : str or Path
        The file to write; its suffix is one of :data:`FORMATS`.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If the suffix is not a known format.

    Examples
    --------
    >>> import tempfile, pathlib, myofascial_graph as mg
    >>> G = mg.load()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> mg.export(G, folder / "graph.json").suffix
    '.json'
    >>> H = mg.read_json(folder / "graph.json")
    >>> sorted(H.nodes(data=True)) == sorted(G.nodes(data=True))
    True
    """
    path = Path(path)
    writer = FORMATS.get(path.suffix.lower())
    if writer is None:
        raise InvalidArgumentError(
            f"unknown export format {path.suffix!r}; use one of {sorted(FORMATS)}"
        )
    writer(to_graph(obj), path)
    return path


def read_json(path: str | Path, *, metagraph: Metagraph = METAGRAPH) -> nx.MultiDiGraph:
    """Read a graph written by :func:`export` as ``.json``, records validated again.

    Parameters
    ----------
    path : str or Path
        The file.
    metagraph : Metagraph, default METAGRAPH
        The kinds whose models validate the records (the one the graph was built with).

    Returns
    -------
    networkx.MultiDiGraph
        Equal to the exported graph: same nodes, edges, keys and attributes.

    Raises
    ------
    DataError
        If the file cannot be read, is not JSON, or holds a node, edge or record
        that does not validate; the message names the file and what is wrong.
    """
    name = str(path)
    try:
        data = json.loads(read_capped(path, MAX_JSON_BYTES).decode("utf-8"))
        G = _graph_from_json(data, metagraph)
    except DataError as err:
        raise DataError(
            [Problem(name, p.line, p.record, p.message) for p in err.problems]
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise DataError([Problem(name, None, None, _json_problem(err))]) from None
    if metagraph is not METAGRAPH:
        G.graph["metagraph"] = metagraph
    return G


MAX_JSON_BYTES = 256 * 1024 * 1024
"""Largest JSON graph :func:`read_json` reads (256 MiB)."""


def _json_problem(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"not a graph written by export: {where}: {first['msg']}"
    if isinstance(err, json.JSONDecodeError):
        return f"not JSON: {err.msg} at line {err.lineno}, column {err.colno}"
    if isinstance(err, UnicodeDecodeError):
        return "not UTF-8 text"
    return f"not a graph written by export: {type(err).__name__}: {err}"


def _graph_from_json(data: Any, metagraph: Metagraph) -> nx.MultiDiGraph:
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ValueError("expected an object with 'nodes' and 'edges' lists")
    models = {name: kind.model for name, kind in metagraph.kinds.items()}
    for node in data["nodes"]:
        if "record" in node:
            node["record"] = models[node["kind"]].model_validate(node["record"])
    for edge in data["edges"]:
        for name in _TUPLE_ATTRS:
            if name in edge:
                edge[name] = tuple(edge[name])
    graph = data.get("graph", {})
    for name, kind in metagraph.kinds.items():
        if kind.graph_key:
            held = graph.get(kind.graph_key, {})
            graph[kind.graph_key] = {k: models[name].model_validate(v) for k, v in held.items()}
    return node_link_graph(data)


def node_link_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """``nx.node_link_data`` with the edges under ``"edges"``, on networkx 3.0 and later.

    networkx 3.4 added the ``edges=`` keyword (and warns without it); older
    versions name the list ``"links"``.
    """
    try:
        data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    except TypeError:  # networkx < 3.4
        data = nx.node_link_data(G)
        data["edges"] = data.pop("links")
    return data


def node_link_graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The inverse of :func:`node_link_data`, on networkx 3.0 and later."""
    try:
        G: nx.MultiDiGraph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except TypeError:  # networkx < 3.4
        G = nx.node_link_graph({**data, "links": data["edges"]}, directed=True, multigraph=True)
    return G


def _write_json(G: nx.MultiDiGraph, path: Path) -> None:
    data = node_link_data(G)
    for node in data["nodes"]:
        if "record" in node:
            node["record"] = node["record"].model_dump(mode="json", exclude_none=True)
    kept = {kind.graph_key for kind in metagraph_of(G).kinds.values() if kind.graph_key}
    data["graph"] = {k: v for k, v in G.graph.items() if k not in kept and k != "metagraph"}
    for key in sorted(kept):
        data["graph"][key] = {
            k: v.model_dump(mode="json", by_alias=True, exclude_none=True)
            for k, v in G.graph.get(key, {}).items()
        }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def flat(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with every attribute a scalar: records dropped, tuples joined by ``;``."""
    H = nx.MultiDiGraph(name=str(G.graph.get("name", "")))

    def scalars(attrs: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in attrs.items():
            if key == "record" or value is None:
                continue
            if isinstance(value, (tuple, list)):
                value = ";".join(map(str, value))
            if isinstance(value, (str, int, float, bool)):
                out[key] = value
        return out

    for node, attrs in G.nodes(data=True):
        H.add_node(node, **scalars(attrs))
    for u, v, key, attrs in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=key, **scalars(attrs))
    return H


def _write_graphml(G: nx.MultiDiGraph, path: Path) -> None:
    nx.write_graphml(flat(G), path)


def _write_gexf(G: nx.MultiDiGraph, path: Path) -> None:
    nx.write_gexf(flat(G), path)


def _write_cyjs(G: nx.MultiDiGraph, path: Path) -> None:
    data = nx.cytoscape_data(flat(G))
    for index, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{index}"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_dot(G: nx.MultiDiGraph, path: Path) -> None:
    lines = ["digraph myofascial_graph {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for node, attrs in G.nodes(data=True):
        label = attrs.get("label", node)
        if "score" in attrs:
            label += f"\\n{score_text(attrs['score'])}"
        lines.append(
            f"  {_quote(node)} [label={_quote(label)}, kind={_quote(attrs.get('kind', ''))}];"
        )
    for u, v, key, attrs in G.edges(keys=True, data=True):
        kind = attrs.get("kind", key)
        style = _DOT_STYLES[_line(G, kind)]
        lines.append(f"  {_quote(u)} -> {_quote(v)} [label={_quote(kind)}, style={style}];")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_mermaid(G: nx.MultiDiGraph, path: Path) -> None:
    ids = {node: f"n{index}" for index, node in enumerate(G.nodes)}
    arrows = {
        "dashed": "-.->",
        "dotted": "-.->",
        "solid": "-->",
        "dashdot": "-.->",
        "sparse": "-.->",
    }
    lines = ["flowchart LR"]
    for node, attrs in G.nodes(data=True):
        label = str(attrs.get("label", node)).replace('"', "'")
        lines.append(f'  {ids[node]}["{label}"]')
    for u, v, key, attrs in G.edges(keys=True, data=True):
        kind = attrs.get("kind", key)
        arrow = arrows[_line(G, kind)]
        lines.append(f"  {ids[u]} {arrow}|{kind.replace('_', ' ')}| {ids[v]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


FORMATS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {
    ".json": _write_json,
    ".graphml": _write_graphml,
    ".gexf": _write_gexf,
    ".dot": _write_dot,
    ".mmd": _write_mermaid,
    ".cyjs": _write_cyjs,
}
"""The writer of each suffix."""
