"""The best-path search behind :func:`~myofascial_graph.trace` and its explanations (private).

A layered Bellman-Ford over states ``(node, side, pathway)``: layer ``h``
holds the best paths of exactly ``h`` edges, and a path is dropped when a path
of fewer edges reaches the same state with at least its score, so the result
is the best path within the hop limit.  Which edges are followed out of which
node kinds, the pathway each opens, and what a midline crossing does are the
metagraph's (:mod:`~myofascial_graph.metagraph`).  ``side`` is ``None`` in an
unsided trace; in a sided one it follows the body: a muscle or fascia keeps
the side it was reached on, a midline region is ``"midline"``, an edge kind
whose crossing is ``flip`` leads to the other side and one whose crossing is
``both`` to both sides, where the edge is marked ``crosses_midline``.

A path under construction (a *label*) is a plain tuple, cheap to make in the
hot loop::

    (score, nodes, sides, weakest, pathway, key, parent)

``nodes`` are the ids from the root, ``sides`` their sides (``None`` in an
unsided trace), ``weakest`` the index of the weakest evidence grade, ``key``
the key of the last edge and ``parent`` the label it extends.

The structure of the edges a trace follows (per node, its followed out-edges,
each with the edge's own data dict) is kept in ``G.__networkx_cache__``, which
networkx empties whenever nodes or edges are added or removed; weights,
grades and midline flags are read from the data dicts during the search, so
edits made in place are always seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

import networkx as nx

from .exceptions import SchemaError
from .index import index_of
from .metagraph import Metagraph, metagraph_of
from .paths import NodeKey, Path, Pathway, Side, Step, node_key, split_key
from .schema import EVIDENCE_GRADES

__all__ = ["Engine", "Found", "Label", "best_label", "label_order"]

_OPPOSITE: dict[Side, Side] = {"left": "right", "right": "left", "midline": "midline"}
_RANK = {grade: index for index, grade in enumerate(EVIDENCE_GRADES)}

Label = tuple[
    float, tuple[str, ...], "tuple[Side | None, ...] | None", int, str, str, "Label | None"
]
"""A path under construction; see the module docstring."""

Unsided = tuple[str, str]
"""A state of an unsided search: ``(node, pathway)``."""

Sided = tuple[str, "Side", str]
"""A state of a sided search: ``(node, side, pathway)``."""

Found = dict[NodeKey, list[Label]]
"""What a search finds: the best label per (node, side, pathway), grouped by node key."""


START_PATHWAY: Pathway = "myotomal"
"""The pathway of a path before any edge opens one."""


def label_order(
    label: Label,
) -> tuple[float, int, int, tuple[str, ...], tuple[Side | None, ...]]:
    """Best first: higher score, fewer steps, stronger evidence, then ids and sides."""
    score, nodes, sides, weakest = label[0], label[1], label[2], label[3]
    return (-score, len(nodes), weakest, nodes, sides or ())


def best_label(labels: list[Label]) -> Label:
    """The best of the labels found for one node key."""
    return labels[0] if len(labels) == 1 else min(labels, key=label_order)


def _beats(label: Label, other: Label | None) -> bool:
    if other is None:
        return True
    if label[0] != other[0]:
        return bool(label[0] > other[0])
    return label_order(label) < label_order(other)


class Engine:
    """Best paths from roots within a hop limit, and their alternatives; see the module."""

    def __init__(
        self,
        G: nx.MultiDiGraph,
        cutoff: int,
        min_score: float,
        options: dict[str, bool],
        rank_limit: int,
        weights: dict[str, float],
        sided: bool = True,
    ) -> None:
        self.G = G
        self.metagraph: Metagraph = metagraph_of(G)
        self.sided = sided
        self.cutoff = cutoff
        self.min_score = min_score
        self.rank_limit = rank_limit
        self.weights = weights
        self.follow = self.metagraph.followed_with(options)
        self.climbs = self.metagraph.climbs
        self.index = index_of(G)
        self.adjacent = self.index.edges
        self.parents = self.index.parents
        self._made: dict[tuple[str, str, str], Step] = {}
        self.kinds_followed = frozenset(
            kind
            for kind in self.metagraph.kinds
            if self.follow & set(self.metagraph.following(kind))
        )

    # -- the search --------------------------------------------------------------

    def run(self, root: str, side: Side | None = None, found: Found | None = None) -> Found:
        """The best path to every reachable (node, side, pathway) state from ``root``,
        as labels grouped by node key (added to ``found`` if given)."""
        best: dict[Any, Label] = {}  # Unsided or Sided states
        step: Callable[[Any, Any], dict[Any, Label]]
        if self.sided:
            start: Label = (1.0, (root,), (side,), 0, START_PATHWAY, "", None)
            layer: dict[Any, Label] = {(root, side, START_PATHWAY): start}
            step = self._next_sided_layer
        else:
            start = (1.0, (root,), None, 0, START_PATHWAY, "", None)
            layer = {(root, START_PATHWAY): start}
            step = self._next_layer
        for _ in range(self.cutoff):
            layer = step(layer, best)
            if not layer:
                break
            best.update(layer)
        self._climb_regions(best)
        found = {} if found is None else found
        if self.sided:
            for (node, node_side, _), label in best.items():
                found.setdefault((node, node_side), []).append(label)
        else:
            for (node, _), label in best.items():
                found.setdefault(node, []).append(label)
        return found

    def _next_layer(
        self, layer: dict[Unsided, Label], best: dict[Unsided, Label]
    ) -> dict[Unsided, Label]:
        """The best paths one edge longer than those of ``layer`` that beat every
        shorter path to the same state: the hot loop of an unsided trace, whose
        states are ``(node, pathway)``."""
        following: dict[Unsided, Label] = {}
        adjacent, follow = self.adjacent, self.follow
        min_score, weights, rank_limit = self.min_score, self.weights, self.rank_limit
        for (node, pathway), current in layer.items():
            score0, nodes, weakest = current[0], current[1], current[3]
            for target, key, kind, data, _, opened, _ in adjacent(node):
                if kind not in follow:
                    continue
                try:
                    weight, rank = data["weight"], _RANK[data["evidence"]]
                    valid = 0.0 < weight <= 1.0
                except (KeyError, TypeError):
                    valid = False
                if not valid:
                    raise _bad_edge(node, target, key, data)
                if weights:
                    weight *= weights.get(kind, 1.0)
                    if weight <= 0.0:
                        continue
                score = score0 * weight
                if score < min_score or rank > rank_limit or target in nodes:
                    continue
                state = (target, opened or pathway)
                shorter = best.get(state)
                if shorter is not None and shorter[0] >= score:
                    continue
                if rank < weakest:
                    rank = weakest
                rival = following.get(state)
                path = (*nodes, target)
                # the labels of one layer have as many nodes each: a tie is decided by the
                # evidence grade, then the ids (as label_order would)
                if (
                    rival is None
                    or rival[0] < score
                    or (rival[0] == score and (rank, path) < (rival[3], rival[1]))
                ):
                    following[state] = (score, path, None, rank, state[1], key, current)
        return following

    def _next_sided_layer(
        self, layer: dict[Sided, Label], best: dict[Sided, Label]
    ) -> dict[Sided, Label]:
        """As :meth:`_next_layer`, for a sided trace, whose states are ``(node, side, pathway)``."""
        following: dict[Sided, Label] = {}
        adjacent, min_score, weights = self.adjacent, self.min_score, self.weights
        rank_limit, follow = self.rank_limit, self.follow
        for (node, side, pathway), current in layer.items():
            score0, nodes, weakest = current[0], current[1], current[3]
            sides: tuple[Side | None, ...] = current[2] or ()
            for target, key, kind, data, target_data, opened, crossing in adjacent(node):
                if kind not in follow:
                    continue
                try:
                    weight, rank = data["weight"], _RANK[data["evidence"]]
                    valid = 0.0 < weight <= 1.0
                except (KeyError, TypeError):
                    valid = False
                if not valid:
                    raise _bad_edge(node, target, key, data)
                if weights:
                    weight *= weights.get(kind, 1.0)
                    if weight <= 0.0:
                        continue
                score = score0 * weight
                if score < min_score or rank > rank_limit:
                    continue
                new_pathway = opened or pathway
                for new_side in _sides(side, crossing, data, target_data):
                    if target in nodes and _visits(nodes, sides, target, new_side):
                        continue
                    state = (target, new_side, new_pathway)
                    shorter = best.get(state)
                    if shorter is not None and shorter[0] >= score:
                        continue
                    rival = following.get(state)
                    if rival is not None and rival[0] > score:
                        continue
                    label = (
                        score,
                        (*nodes, target),
                        (*sides, new_side),
                        rank if rank > weakest else weakest,
                        new_pathway,
                        key,
                        current,
                    )
                    if rival is None or rival[0] < score or label_order(label) < label_order(rival):
                        following[state] = label
        return following

    def weight(
        self, source: str, target: str, key: str, kind: str, data: dict[str, Any]
    ) -> float | None:
        """The weight a trace gives an edge (its own times ``weights=``), or None if
        the trace does not follow it (too weak a grade, or a weight of 0)."""
        try:
            weight, rank = data["weight"], _RANK[data["evidence"]]
            valid = 0.0 < weight <= 1.0
        except (KeyError, TypeError):
            valid = False
        if not valid:
            raise _bad_edge(source, target, key, data)
        weight *= self.weights.get(kind, 1.0)
        if rank > self.rank_limit or weight <= 0.0:
            return None
        return float(weight)

    def _climb_regions(self, best: dict[Any, Label]) -> None:
        """Let each region hit count for the regions it is part of."""
        nodes, sided = self.G._node, self.sided
        queue = [state for state in best if nodes[state[0]]["kind"] == "region"]
        while queue:
            state = queue.pop()
            current = best[state]
            score, path, sides, weakest = current[0], current[1], current[2], current[3]
            for parent, key, _, data, parent_data, _, _ in self.parents(state[0]):
                rank = _RANK[data["evidence"]]
                if sided:
                    new_side = _climbed_side(state[1], parent_data)
                    new: Sided | Unsided = (parent, new_side, state[2])
                    climbed = (*(sides or ()), new_side)
                else:
                    new, climbed = (parent, state[1]), None
                label = (
                    score,
                    (*path, parent),
                    climbed,
                    rank if rank > weakest else weakest,
                    current[4],
                    key,
                    current,
                )
                if _beats(label, best.get(new)):
                    best[new] = label
                    queue.append(new)

    # -- paths ---------------------------------------------------------------

    def path(self, label: Label) -> Path:
        """The :class:`Path` a label stands for."""
        keys = []
        walk: Label | None = label
        while walk is not None and walk[6] is not None:
            keys.append(walk[5])
            walk = walk[6]
        keys.reverse()
        nodes = label[1]
        sides = label[2] or (None,) * len(nodes)
        edges = [(nodes[i], nodes[i + 1], key) for i, key in enumerate(keys)]
        steps = self.steps(edges, sides[1:], sides[0])
        return Path(nodes[0], steps, label[0], label[4], sides[0])

    def steps(
        self,
        edges: Iterable[tuple[str, str, str]],
        sides: Iterable[Side | None],
        start: Side | None = None,
    ) -> tuple[Step, ...]:
        """The :class:`Step` of each edge ``(source, target, key)``, with labels, details,
        sources and side; ``start`` is the side the first edge leaves from."""
        made = []
        previous = start
        for edge, side in zip(edges, sides, strict=True):
            step = self._made.get(edge)
            if step is None:
                step = self._made[edge] = self._step(*edge)
            if side is not None:
                crossed = side != previous and "midline" not in (side, previous)
                detail = ", ".join(filter(None, [step.detail, "to the other side" * crossed]))
                step = replace(step, side=side, detail=detail)
            made.append(step)
            previous = side
        return tuple(made)

    def _step(self, source: str, target: str, key: str) -> Step:
        nodes = self.G.nodes
        data = self.G.edges[source, target, key]
        details = [data.get("level"), data.get("relation")]
        via = data.get("via")
        if via:
            details.append("via " + ", ".join(nodes[n]["label"] for n in via))
        weight = data["weight"] * (self.weights.get(data.get("kind", key), 1.0))
        return Step(
            source,
            target,
            data.get("kind", key),
            weight,
            tuple(data["sources"]),
            data["evidence"],
            nodes[source]["label"],
            nodes[target]["label"],
            ", ".join(d for d in details if d),
        )

    # -- explanations --------------------------------------------------------------

    def alternatives(self, target: NodeKey, found: Found) -> list[Path]:
        """The target's best paths plus the best path through each of its neighbours.

        ``target`` is a node key; in a sided trace an id alone stands for the
        node on every side.
        """
        node, wanted_side = split_key(target)
        paths: dict[tuple[str, tuple[NodeKey, ...]], Path] = {}
        for found_key, labels in found.items():
            if _matches(found_key, node, wanted_side):
                paths.update(((p.root, p.keys), p) for p in map(self.path, labels))
        for before, _, edge_key in self.G.in_edges(node, keys=True):
            for found_key, labels in found.items():
                if not _matches(found_key, before, None):
                    continue
                for label in labels:
                    for extended in self._extend(self.path(label), node, edge_key):
                        if wanted_side in (None, extended.side):
                            paths.setdefault((extended.root, extended.keys), extended)
        return list(paths.values())

    def _extend(self, path: Path, target: str, edge_key: str) -> Iterator[Path]:
        """``path`` followed by its edge of ``edge_key`` to ``target``, where a trace could."""
        source, side = path.nodes[-1], path.side
        if self.G.edges[source, target, edge_key].get("kind", edge_key) in self.climbs:
            for parent, key, _, _, parent_data, _, _ in self.parents(source):
                if parent != target or key != edge_key:
                    continue
                new_side = _climbed_side(side, parent_data) if side is not None else None
                steps = (*path.steps, *self.steps([(source, parent, key)], [new_side], side))
                yield Path(path.root, steps, path.score, path.pathway, path.root_side)
            return
        if len(path.steps) >= self.cutoff or any(s.kind in self.climbs for s in path.steps):
            return
        for edge_target, key, kind, data, target_data, opened, crossing in self.adjacent(source):
            if edge_target != target or key != edge_key or kind not in self.follow:
                continue
            weight = data["weight"] * self.weights.get(kind, 1.0)
            if _RANK[data["evidence"]] > self.rank_limit or weight <= 0.0:
                continue
            score = path.score * weight
            if score < self.min_score:
                continue
            news = _sides(side, crossing, data, target_data) if side is not None else (None,)
            for new_side in news:
                if node_key(target, new_side) in path.keys:
                    continue
                steps = (*path.steps, *self.steps([(source, target, key)], [new_side], side))
                yield Path(path.root, steps, score, opened or path.pathway, path.root_side)


def _bad_edge(source: str, target: str, key: str, data: dict[str, Any]) -> SchemaError:
    """The error for an edge whose weight or evidence grade a trace cannot use."""
    edge = f"edge {source!r} -{key}-> {target!r}"
    weight, evidence = data.get("weight", "missing"), data.get("evidence", "missing")
    if evidence not in _RANK:
        grades = list(EVIDENCE_GRADES)
        return SchemaError(f"{edge}: evidence must be one of {grades}, not {evidence!r}")
    return SchemaError(f"{edge}: weight must be a number in (0, 1], not {weight!r}")


def _visits(nodes: tuple[str, ...], sides: tuple[Side | None, ...], node: str, side: Side) -> bool:
    """Whether a path passes ``node`` on ``side``."""
    return any(n == node and s == side for n, s in zip(nodes, sides, strict=True))


def _is_midline(node_data: dict[str, Any]) -> bool:
    """Whether a node is a midline region (records of other kinds are paired left and right)."""
    return node_data.get("kind") == "region" and not getattr(
        node_data.get("record"), "bilateral", True
    )


def _climbed_side(side: Side, parent_data: dict[str, Any]) -> Side:
    if side is None:
        return None
    return "midline" if _is_midline(parent_data) else side


def _sides(
    side: Side, crossing: str, data: dict[str, Any], target_data: dict[str, Any]
) -> tuple[Side, ...]:
    """The side(s) an edge leads to from ``side``."""
    if _is_midline(target_data):
        return ("midline",)
    if crossing and data.get("crosses_midline"):
        if crossing == "flip":
            return (_OPPOSITE[side],)
        if side != "midline":
            return (side, _OPPOSITE[side])
    return (side,)


def _matches(found_key: NodeKey, node: str, side: Side | None) -> bool:
    found_node, found_side = split_key(found_key)
    return found_node == node and side in (None, found_side)
