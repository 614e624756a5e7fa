"""The spread of many roots at once, vectorised with numpy (imported when first used).

What :func:`~myofascial_graph.trace` computes for one root this module computes
for every root in one go, in the same three steps as the engine
(:mod:`~myofascial_graph.engine`): the best score of every structure state
``(node, side, pathway)``, grown one edge at a time (a gather of the scores at
the edges' sources times their weights, and a maximum per target); the entries
of each structure into regions through the pathway of its best state, times
the pathway's strength; each source's best entry into each region or any region
within it; and a noisy-OR over a region's sources.  The scores equal the trace's hits;
the edges and their live weights, grades and midline flags come from the
engine's compiled index, so the two always follow the same edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from .engine import START_PATHWAY, Engine, _is_midline, _sides
from .paths import NodeKey, Side

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Spread", "spread"]

_SIDES: tuple[Side, ...] = ("left", "right", "midline")


class Spread:
    """Scores of every root over every node it reaches.

    Attributes
    ----------
    roots : tuple of str
        The row labels.
    keys : tuple
        The column labels: node ids, or ``(id, side)`` in a sided spread.
    scores : numpy.ndarray
        ``roots x keys`` scores, as a trace gives them (0 where a root does not reach).
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

    s = _structure(G, engine, bool(side))
    move, entry = _weights(engine, s.moves), _weights(engine, s.entries)
    columns = np.arange(len(roots))
    start = np.array([s.state(s.index[r], side, s.start) for r in roots], dtype=np.intp)
    scores = np.zeros((s.states, len(roots)))  # states x roots: rows gather fast
    scores[start, columns] = 1.0
    within = _grow(scores, s.moves.source, s.moves.target, move, start, engine.cutoff)
    best = within.reshape(-1, s.pathways, len(roots))  # (node, side) x pathway x root
    strength = np.array([engine.strengths.get(name, 0.0) for name in s.names])
    # each structure enters through the state that gives the most (ties: earlier pathway)
    pathway = (best * strength[None, :, None]).argmax(axis=1)
    entering = np.take_along_axis(best, pathway[:, None, :], axis=1)[:, 0, :]
    entering[entering < engine.min_score] = 0.0
    entering[start // s.pathways, columns] = 1.0  # the root enters by its start pathway
    pathway[start // s.pathways, columns] = s.start
    values = _entries(s, entering, pathway, entry, engine)  # entry edge x root
    combined = np.zeros((s.nodesides, len(roots)))  # (node, side) x root
    if len(s.pair_edge):
        # each source's best entry into each region (its own or one within it), then the
        # noisy-OR over the sources, multiplied in node order as the engine does; a region
        # with a single source scores that source's entry
        best = np.maximum.reduceat(values[s.pair_edge], s.group_heads, axis=0)
        rest = np.multiply.reduceat(1.0 - best, s.region_heads, axis=0)
        present = np.add.reduceat((best > 0).astype(np.intp), s.region_heads, axis=0)
        only = np.maximum.reduceat(best, s.region_heads, axis=0)
        combined[s.regions] = np.where(present == 1, only, 1.0 - rest)
    structures = scores.reshape(-1, s.pathways, len(roots)).max(axis=1)
    structures[start // s.pathways, columns] = 0.0  # a root is where a trace starts
    structures[structures < engine.min_score] = 0.0
    total = np.where(s.is_region[:, None], combined, structures)
    keep = np.flatnonzero(total.any(axis=1))
    keys = tuple(s.key(int(i)) for i in keep)
    return Spread(tuple(roots), keys, total[keep].T.copy())


def _grow(scores: Any, source: Any, target: Any, weight: Any, start: Any, cutoff: int) -> Any:
    """Grow the best score of every state for ``cutoff`` edges, in place; return a copy of
    the scores within ``cutoff - 1`` edges (those that may still enter a region)."""
    import numpy as np

    changed = np.zeros(len(scores), dtype=bool)
    changed[start] = True
    within = scores.copy()
    for hop in range(cutoff):
        if hop == cutoff - 1:
            within = scores.copy()
        active = np.flatnonzero(changed[source])  # only edges out of improved states
        if not len(active):
            return scores.copy()
        into = target[active]
        heads = np.flatnonzero(np.r_[True, into[1:] != into[:-1]])
        targets = into[heads]
        reached = np.maximum.reduceat(scores[source[active]] * weight[active, None], heads, axis=0)
        before = scores[targets]
        better = (reached > before).any(axis=1)
        changed[:] = False
        changed[targets[better]] = True
        scores[targets] = np.maximum(before, reached, out=reached)
    return within


def _entries(s: _Structure, entering: Any, pathway: Any, weight: Any, engine: Engine) -> Any:
    """The score of every entry edge for every root: the entering structure's score times
    the edge's weight times the strength of its pathway (0 below the minimum score)."""
    import numpy as np

    edges = s.entries
    source = edges.source
    strength = np.array([engine.strengths.get(name, 0.0) for name in s.names])
    # an edge that opens a pathway takes it; the others carry the entering structure's
    channel = np.where(edges.opened[:, None] >= 0, edges.opened[:, None], pathway[source])
    values = entering[source] * weight[:, None] * strength[channel]
    values[values < engine.min_score] = 0.0
    return values


class _Edges:
    """Edges between states as arrays sorted by target, and the followed edge of each."""

    def __init__(self, rows: list[tuple[int, int, int, int]], followed: list[Any]) -> None:
        import numpy as np

        table = np.array(rows, dtype=np.intp).reshape(-1, 4)
        table = table[np.argsort(table[:, 1], kind="stable")]
        self.source, self.target, self.edge, self.opened = table.T.copy()
        self.followed = followed  # (source, target, key, kind, data) of each followed edge
        self.data = [edge[-1] for edge in followed]
        self.kinds = sorted({edge[3] for edge in followed})
        kind_index = {kind: i for i, kind in enumerate(self.kinds)}
        self.kind = np.array([kind_index[edge[3]] for edge in followed], dtype=np.intp)


class _Structure:
    """The state edges of a spread: moves between structure states, entries from
    (node, side) into region (node, side) per pathway, and the region climbs."""

    def __init__(self, G: nx.MultiDiGraph, engine: Engine, sided: bool) -> None:
        import numpy as np

        self.nodes = list(G)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.sides: tuple[Side | None, ...] = _SIDES if sided else (None,)
        self.names = engine.metagraph.pathways
        self.pathways = len(self.names)
        self.start = self.names.index(START_PATHWAY)
        self.nodesides = len(self.nodes) * len(self.sides)
        self.states = self.nodesides * self.pathways
        self.is_region = np.repeat(
            np.array([G._node[n].get("kind") == "region" for n in self.nodes]), len(self.sides)
        )
        self.moves = self._edges(G, engine, engine.adjacent, moves=True)
        self.entries = self._edges(G, engine, engine.entries, moves=False)
        self._pairs(_ancestors(G, engine, self))

    def _pairs(self, ancestors: dict[int, list[int]]) -> None:
        """Each entry edge with every region it counts for (its own and those it lies
        within), grouped by region and then by source in node order."""
        import numpy as np

        rows = [
            (region, int(source), edge)
            for edge, (source, target) in enumerate(
                zip(self.entries.source, self.entries.target, strict=True)
            )
            for region in ancestors.get(int(target), [int(target)])
        ]
        table = np.array(rows, dtype=np.intp).reshape(-1, 3)
        table = table[np.lexsort((table[:, 1], table[:, 0]))]
        region, source, self.pair_edge = table.T.copy()
        new_group = np.r_[True, (region[1:] != region[:-1]) | (source[1:] != source[:-1])]
        self.group_heads = np.flatnonzero(new_group)
        group_region = region[self.group_heads]
        starts = np.r_[True, group_region[1:] != group_region[:-1]] if len(group_region) else []
        self.region_heads = np.flatnonzero(starts)
        self.regions = group_region[self.region_heads]

    def state(self, node: int, side: Side | None, pathway: int) -> int:
        return self.nodeside(node, side) * self.pathways + pathway

    def nodeside(self, node: int, side: Side | None) -> int:
        return node * len(self.sides) + self.sides.index(side)

    def key(self, nodeside: int) -> NodeKey:
        node, side = divmod(nodeside, len(self.sides))
        found = self.sides[side]
        return self.nodes[node] if found is None else (self.nodes[node], found)

    def _edges(self, G: nx.MultiDiGraph, engine: Engine, lists: Any, moves: bool) -> _Edges:
        followed: list[Any] = []
        rows: list[tuple[int, int, int, int]] = []
        names = {name: i for i, name in enumerate(self.names)}
        for u, data in G._node.items():
            if data.get("kind") not in engine.kinds_followed and moves:
                continue
            for t, key, kind, edge, target_data, opened, crossing in lists(u):
                if not engine.follows(kind, edge):
                    continue
                number = len(followed)
                followed.append((u, t, key, kind, edge))
                channel = names.get(opened, -1) if opened else -1
                for side in self.sides:
                    news = (None,) if side is None else _sides(side, crossing, edge, target_data)
                    for new in news:
                        source = self.nodeside(self.index[u], side)
                        target = self.nodeside(self.index[t], new)
                        if not moves:
                            rows.append((source, target, number, channel))
                            continue
                        for p in range(self.pathways):
                            q = p if channel < 0 else channel
                            rows.append((source * self.pathways + p, target * self.pathways + q,
                                         number, channel))  # fmt: skip
        return _Edges(rows, followed)


def _structure(G: nx.MultiDiGraph, engine: Engine, sided: bool) -> _Structure:
    """The structure of a spread, kept with the engine's index where the graph keeps one.

    A sided structure reads midline flags and region records, which may be
    edited in place, so it is built afresh for each spread.
    """
    key = ("spread", engine.follow, tuple(sorted(engine.variants.items())))
    kept = engine.index.derived.get(key)
    if kept is None or sided:
        kept = _Structure(G, engine, sided)
        if not sided:
            engine.index.derived[key] = kept
    return kept


def _weights(engine: Engine, edges: _Edges) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The weight of each state edge as a trace gives it, read from the graph now (0 for an
    edge the trace does not follow: too weak a grade, or a weight of 0)."""
    import numpy as np

    from .engine import _RANK

    try:
        raw = np.array([data["weight"] for data in edges.data], dtype=np.float64)
        ranks = np.array([_RANK[data["evidence"]] for data in edges.data], dtype=np.intp)
        valid = bool(np.all((raw > 0.0) & (raw <= 1.0)))
        valid = valid and not any(isinstance(data["weight"], bool) for data in edges.data)
    except (KeyError, TypeError, ValueError):
        valid = False
    if not valid:  # name the first edge at fault, as the search would
        for u, t, key, kind, data in edges.followed:
            engine.weight(u, t, key, kind, data)
    if not len(raw):
        return raw
    factors = np.array([engine.weights.get(kind, 1.0) for kind in edges.kinds])
    weight: np.ndarray[Any, np.dtype[np.float64]] = raw * factors[edges.kind]
    weight[ranks > engine.rank_limit] = 0.0
    return weight[edges.edge]


def _ancestors(G: nx.MultiDiGraph, engine: Engine, s: _Structure) -> dict[int, list[int]]:
    """Each region (node, side) with every region (node, side) it lies within, itself first."""
    parents: dict[int, set[int]] = {}
    for node, data in G._node.items():
        if data.get("kind") != "region":
            continue
        for parent, _, _, _, parent_data, _, _ in engine.parents(node):
            for side in s.sides:
                up = None if side is None else ("midline" if _is_midline(parent_data) else side)
                child = s.nodeside(s.index[node], side)
                parents.setdefault(child, set()).add(s.nodeside(s.index[parent], up))
    found: dict[int, list[int]] = {}
    for start in {int(t) for t in s.entries.target}:
        seen = [start]
        for current in seen:
            seen.extend(p for p in sorted(parents.get(current, ())) if p not in seen)
        found[start] = seen
    return found
