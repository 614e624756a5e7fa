"""The best-path search behind :func:`~myofascial_graph.trace` and its explanations (private).

The search runs in three steps.

1. **Structures.**  A layered Bellman-Ford over states ``(node, side,
   pathway)`` of the nodes a trace moves through (nerves, muscles, fascia):
   layer ``h`` holds the best paths of exactly ``h`` edges, and a path is
   dropped when a path of fewer edges reaches the same state with at least
   its score, so each state gets its best walk within the hop limit (a walk
   back to a state it passed is never better, so it is dropped the same way).
   A path takes on the pathway of its last edge that opens one.
2. **Entries.**  Each structure (and the root itself) enters the regions its
   edges lead to through the state that gives the most, its path's score
   times the strength of its pathway (ties: the pathway earlier in the
   metagraph's order), within the hop limit.  An entry scores the
   structure's path times the edge's weight times the strength of its
   pathway (``data/model.yaml``); a source's entry into a region also counts
   for the regions it is part of (``part_of`` steps are free).
3. **Scores.**  A structure scores its best path; a region combines its
   sources by a noisy-OR, ``1 - prod(1 - entry)``, each source counted once
   with its best entry into the region or any region within it.

Which edges are followed out of which node kinds, the pathway each opens, and
what a midline crossing does are the metagraph's
(:mod:`~myofascial_graph.metagraph`).  ``side`` is ``None`` in an unsided
trace; in a sided one it follows the body: a muscle or fascia keeps the side
it was reached on, a midline region is ``"midline"``, an edge kind whose
crossing is ``flip`` leads to the other side and one whose crossing is
``both`` to both sides, where the edge is marked ``crosses_midline``.

A path under construction (a *label*) is a plain tuple, cheap to make in the
hot loop::

    (score, nodes, sides, weakest, pathway, key, parent)

``nodes`` are the ids from the root, ``sides`` their sides (``None`` in an
unsided trace), ``weakest`` the index of the weakest evidence grade, ``key``
the key of the last edge and ``parent`` the label it extends.

The edges are compiled once per graph (:mod:`~myofascial_graph.index`);
weights, grades and midline flags are read from the edges' data dicts during
the search, so edits made in place are always seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import networkx as nx

from .exceptions import SchemaError
from .index import bad_edge as _bad_edge
from .index import check_edge, index_of
from .metagraph import Metagraph, metagraph_of
from .paths import NodeKey, Path, Pathway, Side, Step, split_key
from .schema import EVIDENCE_GRADES

__all__ = ["Engine", "Found", "Label", "best_label", "label_order"]

_OPPOSITE: dict[Side, Side] = {"left": "right", "right": "left", "midline": "midline"}
_RANK: dict[Any, int] = {grade: index for index, grade in enumerate(EVIDENCE_GRADES)}

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
        strengths: Mapping[str, float] | None = None,
        variants: Mapping[str, str] | None = None,
    ) -> None:
        self.G = G
        self.metagraph: Metagraph = metagraph_of(G)
        self.strengths = dict(strengths) if strengths is not None else model_strengths(G)
        self.pathway_order = {p: i for i, p in enumerate(self.metagraph.pathways)}
        self.sided = sided
        self.cutoff = cutoff
        self.min_score = min_score
        self.rank_limit = rank_limit
        self.weights = weights
        self.follow = self.metagraph.followed_with(options)
        self.variants: dict[str, tuple[str, str, str]] = {
            kind: (attribute, chosen, default)
            for kind, chosen in (variants or {}).items()
            for attribute, _, default in (self.metagraph.variants[kind],)
        }
        """Edge kind to (attribute, version followed, version of edges without it)."""
        if any(set(self.metagraph[k].target_kinds) - {"region"} for k in self.variants):
            raise SchemaError("edge kinds with versions must lead to regions only")
        self.climbs = self.metagraph.climbs
        self.index = index_of(G)
        self.adjacent = self.index.edges
        self.entries = self.index.entries
        self.parents = self.index.parents
        self._made: dict[tuple[str, str, str], Step] = {}
        self.entered: Found = {}
        """Per structure (and root) key, the labels it entered regions with."""
        self.kinds_followed = frozenset(
            kind
            for kind in self.metagraph.kinds
            if self.follow & set(self.metagraph.following(kind))
        )

    # -- the search --------------------------------------------------------------

    def run(self, root: str, side: Side | None = None, found: Found | None = None) -> Found:
        """The best paths from ``root``: per structure state, and per region and pathway
        its best entry; as labels grouped by node key (added to ``found`` if given)."""
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
        within: dict[Any, Label] = {}  # the states reached in fewer edges than the cutoff
        for hop in range(self.cutoff):
            if hop == self.cutoff - 1:
                within = dict(best)
            layer = step(layer, best)
            if not layer:
                break
            best.update(layer)
        else:
            hop = self.cutoff
        regions = self._enter(start, within if hop == self.cutoff else best)
        self._climb_regions(regions)
        found = {} if found is None else found
        for state, label in best.items():
            found.setdefault(state[0] if len(state) == 2 else state[:2], []).append(label)
        for (region, region_side, _, _), label in regions.items():
            found.setdefault(region if region_side is None else (region, region_side), []).append(
                label
            )
        return found

    def _enter(self, start: Label, reached: dict[Any, Label]) -> dict[Any, Label]:
        """Each source's (structure's or root's) best entry into each region, keyed
        ``(region, side, source, source side)``; a structure enters through the
        pathway of its best state."""
        chosen: dict[tuple[str, Side | None], Label] = {
            (start[1][-1], start[2][-1] if start[2] else None): start
        }
        order, strengths = self.pathway_order, self.strengths
        for state, label in reached.items():
            at = (state[0], state[1]) if self.sided else (state[0], None)
            held = chosen.get(at)
            mine = (label[0] * strengths.get(label[4], 0.0), -order.get(label[4], 0))
            if held is None or mine > (
                held[0] * strengths.get(held[4], 0.0),
                -order.get(held[4], 0),
            ):
                chosen[at] = label
        regions: dict[Any, Label] = {}
        for (node, side), label in chosen.items():
            entered = False
            if label is not start and label[0] < self.min_score:
                continue
            for target, key, kind, data, target_data, opened, crossing in self.entries(node):
                weight = (
                    self.weight(node, target, key, kind, data) if self.follows(kind, data) else None
                )
                if weight is None:
                    continue
                pathway = opened or label[4]
                score = label[0] * weight * self.strengths.get(pathway, 0.0)
                if score < self.min_score or score <= 0.0:
                    continue
                rank = max(label[3], _RANK[data["evidence"]])
                news = _sides(side, crossing, data, target_data) if side is not None else (None,)
                for new_side in news:
                    sides = None if label[2] is None else (*label[2], new_side)
                    entry = (score, (*label[1], target), sides, rank, pathway, key, label)
                    state = (target, new_side, node, side)
                    if _beats(entry, regions.get(state)):
                        regions[state] = entry
                    entered = True
            if entered:
                found_key = node if side is None else (node, side)
                self.entered.setdefault(found_key, []).append(label)
        return regions

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
                    valid = 0.0 < weight <= 1.0 and weight is not True
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
                    valid = 0.0 < weight <= 1.0 and weight is not True
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

    def follows(self, kind: str, data: Mapping[str, Any]) -> bool:
        """Whether the search follows an edge of ``kind`` with ``data``: its kind is
        followed, and for a kind with versions (dermatome maps), its version is chosen."""
        if kind not in self.follow:
            return False
        variant = self.variants.get(kind)
        return variant is None or data.get(variant[0], variant[2]) == variant[1]

    def weight(
        self, source: str, target: str, key: str, kind: str, data: dict[str, Any]
    ) -> float | None:
        """The weight a trace gives an edge (its own times ``weights=``), or None if
        the trace does not follow it (too weak a grade, or a weight of 0)."""
        try:
            weight, rank = data["weight"], _RANK[data["evidence"]]
            valid = 0.0 < weight <= 1.0 and weight is not True
        except (KeyError, TypeError):
            valid = False
        if not valid:
            raise _bad_edge(source, target, key, data)
        weight *= self.weights.get(kind, 1.0)
        if rank > self.rank_limit or weight <= 0.0:
            return None
        return float(weight)

    def _climb_regions(self, regions: dict[Any, Label]) -> None:
        """Let each source's entry into a region count for the regions it is part of."""
        queue = list(regions)
        while queue:
            state = queue.pop()
            region, side, source, source_side = state
            current = regions[state]
            score, path, sides, weakest = current[0], current[1], current[2], current[3]
            for parent, key, _, data, parent_data, _, _ in self.parents(region):
                rank = _RANK.get(data.get("evidence"), -1)
                if rank < 0:
                    raise _bad_edge(region, parent, key, data)
                new_side = None if side is None else _climbed_side(side, parent_data)
                climbed = None if sides is None else (*sides, new_side)
                label = (
                    score,
                    (*path, parent),
                    climbed,
                    rank if rank > weakest else weakest,
                    current[4],
                    key,
                    current,
                )
                new = (parent, new_side, source, source_side)
                if _beats(label, regions.get(new)):
                    regions[new] = label
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
        check_edge(source, target, key, data, weighted=data.get("kind", key) not in self.climbs)
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
        node on every side.  A region's neighbours are the structures (and
        roots) that enter it, each through the pathway it enters by, and the
        regions that are part of it.
        """
        node, wanted_side = split_key(target)
        paths: dict[tuple[str, tuple[NodeKey, ...]], Path] = {}
        for found_key, labels in found.items():
            if _matches(found_key, node, wanted_side):
                paths.update(((p.root, p.keys), p) for p in map(self.path, labels))
        is_region = self.G._node[node].get("kind") == "region"
        for before, _, edge_key in self.G.in_edges(node, keys=True):
            kind = self.G.edges[before, node, edge_key].get("kind", edge_key)
            entering = is_region and kind not in self.climbs
            for found_key, labels in (self.entered if entering else found).items():
                if not _matches(found_key, before, None):
                    continue
                for label in labels:
                    for extended in self._extend(label, node, edge_key):
                        path = self.path(extended)
                        if wanted_side in (None, path.side):
                            paths.setdefault((path.root, path.keys), path)
        return list(paths.values())

    def _extend(self, label: Label, target: str, edge_key: str) -> Iterator[Label]:
        """``label`` followed by its edge of ``edge_key`` to ``target``, where a trace could."""
        source, side = label[1][-1], (label[2][-1] if label[2] else None)
        if self.G._node[source].get("kind") == "region":
            for parent, key, _, data, parent_data, _, _ in self.parents(source):
                if parent == target and key == edge_key:
                    new_side = _climbed_side(side, parent_data) if side is not None else None
                    yield self._then(label, parent, new_side, label[0], label[4], key, data)
            return
        into_region = self.G._node[target].get("kind") == "region"
        edges = self.entries(source) if into_region else self.adjacent(source)
        for edge_target, key, kind, data, target_data, opened, crossing in edges:
            if edge_target != target or key != edge_key or not self.follows(kind, data):
                continue
            weight = self.weight(source, target, key, kind, data)
            if weight is None or len(label[1]) > self.cutoff - (0 if into_region else 1):
                continue
            pathway = opened or label[4]
            score = label[0] * weight * (self.strengths.get(pathway, 0.0) if into_region else 1)
            if score < self.min_score or score <= 0.0:
                continue
            news = _sides(side, crossing, data, target_data) if side is not None else (None,)
            for new_side in news:
                yield self._then(label, target, new_side, score, pathway, key, data)

    @staticmethod
    def _then(
        label: Label,
        target: str,
        side: Side | None,
        score: float,
        pathway: str,
        key: str,
        data: dict[str, Any],
    ) -> Label:
        """``label`` one edge longer."""
        sides = None if label[2] is None else (*label[2], side)
        rank = max(label[3], _RANK[data["evidence"]])
        return (score, (*label[1], target), sides, rank, pathway, key, label)


def region_score(
    labels: list[Label],
    order: Mapping[str, int],
    nodes: Mapping[str, int],
    climbs: frozenset[str],
) -> tuple[float, Label]:
    """A region's score and the entry that contributes most.

    The score is the noisy-OR of its sources, each counted once with its best
    entry, taken in the graph's node order (then left, right, midline), so that
    every computation of it multiplies in the same order; the top entry is the
    highest (ties: the pathway earlier in the metagraph's order, then
    :func:`label_order`).
    """
    best: dict[tuple[int, int], Label] = {}
    for label in labels:
        node, side = source_of(label, climbs)
        at = (nodes[node], _SIDE_ORDER[side])
        if _beats(label, best.get(at)):
            best[at] = label
    top = min(best.values(), key=lambda e: (-e[0], order.get(e[4], len(order)), label_order(e)))
    return combined(best[at][0] for at in sorted(best)), top


_SIDE_ORDER: dict[Side | None, int] = {None: 0, "left": 0, "right": 1, "midline": 2}


def source_of(label: Label, climbs: frozenset[str]) -> tuple[str, Side | None]:
    """The source (structure or root) whose entry a region label stands for, and its side."""
    entry = label
    while entry[5] in climbs and entry[6] is not None:
        entry = entry[6]
    source = entry[6]
    if source is None:
        raise ValueError(f"{label[1]!r} is not the path of a region's entry")
    return source[1][-1], (source[2][-1] if source[2] else None)


def model_strengths(G: nx.MultiDiGraph) -> dict[str, float]:
    """The pathway strengths of the graph's model (``data/model.yaml``); 1 for every
    pathway of a graph without one, so that a score is then the best path's."""
    model = G.graph.get("models", {}).get("default")
    if model is None:
        return {pathway: 1.0 for pathway in metagraph_of(G).pathways}
    return dict(model.strengths)


def combined(scores: Iterable[float]) -> float:
    """The noisy-OR of some scores, ``1 - prod(1 - s)`` (one score is itself).

    Examples
    --------
    >>> round(combined([0.5, 0.5]), 6), combined([0.071])
    (0.75, 0.071)
    """
    values = list(scores)
    if len(values) == 1:
        return values[0]
    rest = 1.0
    for score in values:
        rest *= 1.0 - score
    return 1.0 - rest


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
