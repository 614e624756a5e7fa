"""The spread of many roots at once, vectorised with numpy (imported when first used).

What :func:`~myofascial_graph.trace` computes for one root, the best score of
every node within the hop limit, this module computes for every root in one go:
a root x state matrix, grown one edge at a time (a gather of the scores at the
edges' sources times their weights, and a maximum per target), then climbed up
the region hierarchy.  A node's score is the best over all paths and pathways,
so it equals the score of the trace's hit; the edges and their live weights,
grades and midline flags come from the trace engine's compiled index, so the
two always follow the same edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from .engine import Engine, _is_midline, _sides
from .paths import NodeKey, Side
from .schema import EVIDENCE_GRADES

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Spread", "spread"]

_SIDES: tuple[Side, ...] = ("left", "right", "midline")
_RANK = {grade: index for index, grade in enumerate(EVIDENCE_GRADES)}


class Spread:
    """Scores of every root over every node state it reaches.

    Attributes
    ----------
    roots : tuple of str
        The row labels.
    keys : tuple
        The column labels: node ids, or ``(id, side)`` in a sided spread.
    scores : numpy.ndarray
        ``roots x keys`` best scores (0 where a root does not reach the node).
    """

    def __init__(self, roots: tuple[str, ...], keys: tuple[NodeKey, ...], scores: Any) -> None:
        self.roots, self.keys, self.scores = roots, keys, scores
        self._column = {key: index for index, key in enumerate(keys)}

    def columns(self, items: Sequence[NodeKey]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The scores over ``items`` (roots x items), 0 for an item no root reaches."""
        import numpy as np

        out = np.zeros((len(self.roots), len(items)))
        for index, item in enumerate(items):
            found = self._column.get(item)
            if found is not None:
                out[:, index] = self.scores[:, found]
        return out


def spread(
    G: nx.MultiDiGraph, roots: Sequence[str], engine: Engine, side: Side | None = None
) -> Spread:
    """The spread of each of ``roots`` under an engine's settings (see :func:`trace`)."""
    import numpy as np

    structure = _structure(G, engine, bool(side))
    weight = _weights(engine, structure)
    source, target = structure.source, structure.target
    start = np.array([_state(structure.index[r], side) for r in roots], dtype=np.intp)
    columns = np.arange(len(roots))
    scores = np.zeros((structure.states, len(roots)))  # states x roots: rows gather fast
    scores[start, columns] = 1.0
    changed = np.zeros(structure.states, dtype=bool)
    changed[start] = True
    for _ in range(engine.cutoff):
        active = np.flatnonzero(changed[source])  # only edges out of improved states
        if not len(active):
            break
        into = target[active]
        heads = np.flatnonzero(np.r_[True, into[1:] != into[:-1]])
        targets = into[heads]
        reached = np.maximum.reduceat(scores[source[active]] * weight[active, None], heads, axis=0)
        before = scores[targets]
        better = (reached > before).any(axis=1)
        changed[:] = False
        changed[targets[better]] = True
        scores[targets] = np.maximum(before, reached, out=reached)
    scores[start, columns] = 0.0  # a root is where a trace starts, not a hit
    scores[scores < engine.min_score] = 0.0
    for child, parent in structure.climbs:
        np.maximum(scores[parent], scores[child], out=scores[parent])
    keep = np.flatnonzero(scores.any(axis=1))
    keys = tuple(_key(structure.nodes, int(s), bool(side)) for s in keep)
    return Spread(tuple(roots), keys, scores[keep].T.copy())


class _Structure:
    """The followed edges of a graph between node states, sorted by target, and the
    region hierarchy's climbs: what a spread needs besides the live weights."""

    def __init__(self, G: nx.MultiDiGraph, engine: Engine, sided: bool) -> None:
        import numpy as np

        self.nodes = list(G)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.states = len(self.nodes) * (3 if sided else 1)
        edges = _followed(G, engine)
        sources, targets, used = [], [], []
        for number, (u, t, _, _, data, target_data, crossing) in enumerate(edges):
            moves: list[tuple[Side | None, Side | None]] = [(None, None)]
            if sided:
                moves = [(s, new) for s in _SIDES for new in _sides(s, crossing, data, target_data)]
            for side, new in moves:
                sources.append(_state(self.index[u], side))
                targets.append(_state(self.index[t], new))
                used.append(number)
        order = np.argsort(np.array(targets, dtype=np.intp), kind="stable")
        self.source = np.array(sources, dtype=np.intp)[order]
        self.target = np.array(targets, dtype=np.intp)[order]  # sorted
        self.edge = np.array(used, dtype=np.intp)[order]  # the followed edge of each
        self.followed = [(u, t, key, kind, data) for u, t, key, kind, data, _, _ in edges]
        self.data = [data for *_, data, _, _ in edges]
        self.kinds = sorted({kind for _, _, _, kind, _ in self.followed})
        kind_index = {kind: i for i, kind in enumerate(self.kinds)}
        self.kind = np.array([kind_index[k] for _, _, _, k, _ in self.followed], dtype=np.intp)
        self.climbs = _climbs(G, engine, self.index, sided)


def _followed(G: nx.MultiDiGraph, engine: Engine) -> list[tuple[Any, ...]]:
    """The edges the engine follows, with their data, target data and crossing."""
    return [
        (u, t, key, kind, data, target_data, crossing)
        for u, node_data in G._node.items()
        if node_data.get("kind") in engine.kinds_followed
        for t, key, kind, data, target_data, _, crossing in engine.adjacent(u)
        if kind in engine.follow
    ]


def _structure(G: nx.MultiDiGraph, engine: Engine, sided: bool) -> _Structure:
    """The structure of a spread, kept with the engine's index where the graph keeps one.

    A sided structure reads midline flags and region records, which may be
    edited in place, so it is built afresh for each spread.
    """
    key = ("spread", engine.follow)
    kept = engine.index.derived.get(key)
    if kept is None or sided:
        kept = _Structure(G, engine, sided)
        if not sided:
            engine.index.derived[key] = kept
    return kept


def _weights(engine: Engine, structure: _Structure) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The weight of each state edge as a trace gives it, read from the graph now (0 for an
    edge the trace does not follow: too weak a grade, or a weight of 0)."""
    import numpy as np

    followed, datas = structure.followed, structure.data
    try:
        raw = np.array([data["weight"] for data in datas], dtype=np.float64)
        ranks = np.array([_RANK[data["evidence"]] for data in datas], dtype=np.intp)
        valid = bool(np.all((raw > 0.0) & (raw <= 1.0)))
    except (KeyError, TypeError, ValueError):
        valid = False
    if not valid:  # name the first edge at fault, as the search would
        for u, t, key, kind, data in followed:
            engine.weight(u, t, key, kind, data)
    factors = np.array([engine.weights.get(kind, 1.0) for kind in structure.kinds])
    weight = raw * factors[structure.kind] if len(factors) else raw
    weight[ranks > engine.rank_limit] = 0.0
    return weight[structure.edge]


def _state(node: int, side: Side | None) -> int:
    return node if side is None else node * 3 + _SIDES.index(side)


def _key(nodes: list[str], state: int, sided: bool) -> NodeKey:
    return (nodes[state // 3], _SIDES[state % 3]) if sided else nodes[state]


def _climbs(
    G: nx.MultiDiGraph, engine: Engine, index: dict[str, int], sided: bool
) -> list[tuple[int, int]]:
    """``(child, parent)`` state pairs of the region hierarchy, children before parents."""
    hierarchy = nx.DiGraph()
    for node, data in G._node.items():
        if data.get("kind") != "region":
            continue
        for parent, _, _, _, parent_data, _, _ in engine.parents(node):
            if not sided:
                hierarchy.add_edge(index[node], index[parent])
                continue
            for s, side in enumerate(_SIDES):
                up = "midline" if _is_midline(parent_data) else side
                hierarchy.add_edge(index[node] * 3 + s, index[parent] * 3 + _SIDES.index(up))
    return [edge for child in nx.topological_sort(hierarchy) for edge in hierarchy.out_edges(child)]
