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

from typing import Any

import networkx as nx

from .exceptions import SchemaError
from .metagraph import Metagraph, metagraph_of

__all__ = ["Compiled", "Index", "index_of", "prepare"]

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
                if edge_kind not in follow or edge_kind in self.climbs:
                    continue
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
            edges = self._parents[region] = [
                (parent, key, data.get("kind", key), data, nodes[parent], None, "")
                for parent, keyed in self.G._succ[region].items()
                for key, data in keyed.items()
                if data.get("kind", key) in self.climbs
            ]
        return edges


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
