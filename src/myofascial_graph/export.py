"""Write graphs and traces to files other tools open; read the JSON back.

The format follows the file's suffix:

=========  ==========================================================================
suffix     format
=========  ==========================================================================
``.json``  networkx node-link JSON, records included; :func:`read_json` gives back an
           equal graph
``.graphml`` GraphML 1.0 for Cytoscape, Gephi, yEd and igraph (attributes flattened)
``.gexf``  GEXF 1.2draft for Gephi (attributes flattened)
``.dot``   Graphviz DOT, the metagraph's colour and line per edge kind
``.mmd``   a Mermaid flowchart, for Markdown (refused past Mermaid's size limits)
``.cyjs``  Cytoscape.js JSON (elements with flattened data, named by label)
=========  ==========================================================================

The flat formats keep each node's synonyms, abbreviations, description,
xrefs, note, sources and the full citations (:mod:`~myofascial_graph.formats`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from . import formats
from .exceptions import DataError, InvalidArgumentError, Problem
from .metagraph import METAGRAPH, Metagraph, metagraph_of
from .reading import read_bounded
from .trace import Trace

__all__ = ["FORMATS", "export", "read_json", "to_graph"]

_TUPLE_ATTRS = ("sources", "via", "chains", "phases", "trigger_points")


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
    InvalidArgumentError
        If the suffix is not a known format, or the graph is too large for
        Mermaid's limits (``.mmd``).

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
        data = json.loads(read_bounded(path, limit=MAX_JSON_BYTES).decode("utf-8"))
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


FORMATS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {
    ".json": _write_json,
    ".graphml": formats.write_graphml,
    ".gexf": formats.write_gexf,
    ".dot": formats.write_dot,
    ".mmd": formats.write_mermaid,
    ".cyjs": formats.write_cyjs,
}
"""The writer of each suffix."""
