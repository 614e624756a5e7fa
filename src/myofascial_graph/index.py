"""The edges a trace can follow out of each node, compiled once per graph (private).

For every node: its kind and its out-edges of the kinds the metagraph follows
from that kind (whatever the trace's options), each as ``(target, key, kind,
data, target's node data, pathway it opens, crossing)``, split into the
*moves* to structures a search goes on from and the *entries* into regions,
where it ends; for every region, the edges it climbs at no cost.

The index is kept in ``G.__networkx_cache__``, which networkx empties whenever
nodes or edges are added or removed, and :func:`prepare` fills it when a graph
is loaded, so the first trace on a graph costs what any other does.  It holds
the edges' own data dicts: weights, grades and midline flags are read from them
during a search, so edits made in place are always seen.  Views of a graph
(``G.subgraph``) and graphs whose cache is switched off
(``G.__networkx_cache__ = None``) get a fresh index each time.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import networkx as nx

from .exceptions import SchemaError, shown
from .metagraph import Metagraph, metagraph_of
from .schema import EVIDENCE_GRADES

__all__ = ["Compiled", "Index", "bad_edge", "check_edge", "index_of", "prepare"]

Compiled = tuple[str, str, str, dict[str, Any], dict[str, Any], "str | None", str]
"""A followed edge: (target, key, kind, data, target's node data, pathway opened, crossing)."""

_KEY = "myofascial_graph.index"


class Index:
    """The compiled out-edges and climbs of one graph; see the module docstring."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.metagraph: Metagraph = metagraph_of(G)
        self.meaning = {name: (k.pathway, k.crossing) for name, k in self.metagraph.items()}
        self.climbs = self.metagraph.climbs
        self._edges: dict[str, tuple[Any, list[Compiled], list[Compiled]]] = {}
        self._parents: dict[str, list[Compiled]] = {}
        self.derived: dict[Any, Any] = {}
        """Structures derived from the index (emptied with it)."""
        self.order = {node: number for number, node in enumerate(G)}
        """The graph's node order, in which a region's sources are combined."""

    def edges(self, node: str) -> list[Compiled]:
        """The out-edges of ``node`` a search moves along (to nodes that are not regions)."""
        return self._kept(node)[1]

    def entries(self, node: str) -> list[Compiled]:
        """The out-edges of ``node`` into regions, where a search ends."""
        return self._kept(node)[2]

    def _kept(self, node: str) -> tuple[Any, list[Compiled], list[Compiled]]:
        kind = self.G._node[node]["kind"]
        kept = self._edges.get(node)
        if kept is None or kept[0] is not kind:  # a node whose kind was edited in place
            compiled = self._compile(node, kind)
            moves = [edge for edge in compiled if edge[4].get("kind") != "region"]
            entries = [edge for edge in compiled if edge[4].get("kind") == "region"]
            kept = self._edges[node] = (kind, moves, entries)
        return kept

    def _compile(self, node: str, kind: str) -> list[Compiled]:
        follow = self.metagraph.following(kind)
        compiled: list[Compiled] = []
        if not follow:
            return compiled
        nodes, triples, meaning = self.G._node, self.metagraph.triples, self.meaning
        for target, keyed in self.G._succ[node].items():
            target_data = nodes[target]
            for key, data in keyed.items():
                edge_kind = data.get("kind", key)
                if edge_kind not in meaning:
                    known = ", ".join(meaning)
                    raise SchemaError(
                        f"edge {node!r} -{key}-> {target!r} is of kind {shown(edge_kind)}, "
                        f"which the metagraph does not declare (it declares {known})"
                    )
                if edge_kind not in follow or edge_kind in self.climbs:
                    continue
                check_edge(node, target, key, data)
                if (kind, edge_kind, target_data.get("kind")) not in triples:
                    raise SchemaError(
                        f"edge {node!r} -{key}-> {target!r} joins a {kind} to a "
                        f"{target_data.get('kind')}, which {edge_kind!r} edges may not"
                    )
                pathway, crossing = meaning[edge_kind]
                compiled.append((target, key, edge_kind, data, target_data, pathway, crossing))
        return compiled

    def parents(self, region: str) -> list[Compiled]:
        """The edges a region climbs at no cost (``part_of``), with their data."""
        edges = self._parents.get(region)
        if edges is None:
            nodes = self.G._node
            edges = [
                (parent, key, data.get("kind", key), data, nodes[parent], None, "")
                for parent, keyed in self.G._succ[region].items()
                for key, data in keyed.items()
                if data.get("kind", key) in self.climbs
            ]
            for parent, key, _, data, _, _, _ in edges:
                check_edge(region, parent, key, data, weighted=False)
            self._parents[region] = edges
        return edges


_RANK = frozenset(EVIDENCE_GRADES)


def check_edge(
    source: str, target: str, key: str, data: dict[str, Any], *, weighted: bool = True
) -> None:
    """Raise :class:`SchemaError` unless the edge has what a trace reads: a grade in
    ``EVIDENCE_GRADES``, a list of sources and (if ``weighted``) a weight in (0, 1]."""
    weight = data.get("weight")
    if not weighted:
        weight = 1.0
    if (
        data.get("evidence") not in _RANK
        or isinstance(weight, bool)
        or not isinstance(weight, Real)
        or not 0.0 < float(weight) <= 1.0
    ):
        raise bad_edge(source, target, key, data)
    sources = data.get("sources")
    if not isinstance(sources, (list, tuple)) or not all(isinstance(s, str) for s in sources):
        edge = f"edge {source!r} -{key}-> {target!r}"
        raise SchemaError(f"{edge}: sources must be a list of source ids, not {shown(sources)}")


def bad_edge(source: str, target: str, key: str, data: dict[str, Any]) -> SchemaError:
    """The error for an edge whose weight or evidence grade a trace cannot use."""
    edge = f"edge {source!r} -{key}-> {target!r}"
    weight, evidence = data.get("weight", "missing"), data.get("evidence", "missing")
    if evidence not in _RANK:
        grades = list(EVIDENCE_GRADES)
        return SchemaError(f"{edge}: evidence must be one of {grades}, not {shown(evidence)}")
    return SchemaError(f"{edge}: weight must be a number in (0, 1], not {shown(weight)}")


def index_of(G: nx.MultiDiGraph) -> Index:
    """The graph's index, kept on it where networkx lets it be kept."""
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None or hasattr(G, "_graph"):  # caching off, networkx < 3.3, or a view
        return Index(G)
    index = cache.get(_KEY)
    if not isinstance(index, Index) or index.G is not G:
        index = cache[_KEY] = Index(G)
    return index


def prepare(G: nx.MultiDiGraph) -> None:
    """Compile the index of a graph now (as :func:`~myofascial_graph.load` does)."""
    index = index_of(G)
    for node, data in G._node.items():
        index.edges(node)
        if data.get("kind") == "region":
            index.parents(node)
