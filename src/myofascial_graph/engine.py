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

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import networkx as nx

from .exceptions import SchemaError
from .metagraph import Metagraph, metagraph_of
from .paths import NodeKey, Path, Pathway, Side, Step, node_key, split_key
from .schema import EVIDENCE_GRADES

__all__ = ["Engine", "Found", "Label", "best_label", "label_order"]

_OPPOSITE: dict[Side, Side] = {"left": "right", "right": "left", "midline": "midline"}
_RANK = {grade: index for index, grade in enumerate(EVIDENCE_GRADES)}
_INDEX_KEY = "myofascial_graph.engine"

Label = tuple[Any, ...]
"""A path under construction; see the module docstring."""

Found = dict[NodeKey, list[Label]]
"""What a search finds: the best label per (node, side, pathway), grouped by node key."""

# a compiled edge: (target, key, kind, data, target's node data, pathway opened, crossing)
_Compiled = tuple[str, str, str, dict[str, Any], dict[str, Any], "Pathway | None", str]

START_PATHWAY: Pathway = "myotomal"
"""The pathway of a path before any edge opens one."""


def label_order(label: Label) -> tuple[Any, ...]:
    """Best first: higher score, fewer steps, stronger evidence, then ids and sides."""
    score, nodes, sides, weakest = label[0], label[1], label[2], label[3]
    return (-score, len(nodes), weakest, nodes, sides)


def best_label(labels: list[Label]) -> Label:
    """The best of the labels found for one node key."""
    return labels[0] if len(labels) == 1 else min(labels, key=label_order)


def _beats(label: Label, other: Label | None) -> bool:
    if other is None:
        return True
    if label[0] != other[0]:
        return bool(label[0] > other[0])
    return label_order(label) < label_order(other)


def _index(G: nx.MultiDiGraph, follow: frozenset[str]) -> dict[str, tuple[str, list[_Compiled]]]:
    """The compiled out-edges of ``G`` for a set of followed edge kinds, kept on the graph.

    Views of a graph (``G.subgraph``) and graphs whose cache is switched off
    (``G.__networkx_cache__ = None``) get a fresh index each trace.
    """
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None or hasattr(G, "_graph"):  # caching off, networkx < 3.3, or a view
        return {}
    by_follow: dict[frozenset[str], dict[str, Any]] = cache.setdefault(_INDEX_KEY, {})
    return by_follow.setdefault(follow, {})


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
        kinds = self.metagraph.values()
        self.follow = frozenset(
            k.name
            for k in kinds
            if k.followed_from and not k.climb and options.get(k.option or "", True)
        )
        self.climbs = frozenset(k.name for k in kinds if k.climb)
        self._index = _index(G, self.follow)
        self._adjacent: dict[str, list[_Compiled]] = {}
        self._parents: dict[str, list[_Compiled]] = {}
        self._made: dict[tuple[str, str, str], Step] = {}

    # -- the search --------------------------------------------------------------

    def run(self, root: str, side: Side | None = None, found: Found | None = None) -> Found:
        """The best path to every reachable (node, side, pathway) state from ``root``,
        as labels grouped by node key (added to ``found`` if given)."""
        best: dict[tuple[str, Side | None, Pathway], Label] = {}
        start: Label = (1.0, (root,), (side,), 0, START_PATHWAY, "", None)
        layer = {(root, side, START_PATHWAY): start}
        for _ in range(self.cutoff):
            layer = self._next_layer(layer, best)
            if not layer:
                break
            best.update(layer)
        self._climb_regions(best)
        found = {} if found is None else found
        for (node, node_side, _), label in best.items():
            found.setdefault(node_key(node, node_side), []).append(label)
        return found

    def _next_layer(self, layer: dict[Any, Label], best: dict[Any, Label]) -> dict[Any, Label]:
        """The best paths one edge longer than those of ``layer`` that beat every
        shorter path to the same state (the hot loop of a trace)."""
        following: dict[Any, Label] = {}
        adjacent, min_score, weights = self.adjacent, self.min_score, self.weights
        rank_limit, sided = self.rank_limit, self.sided
        for (_, side, pathway), current in layer.items():
            score0, nodes, sides, weakest = current[0], current[1], current[2], current[3]
            for target, key, kind, data, target_data, opened, crossing in adjacent(nodes[-1]):
                weight = data.get("weight")
                if not (isinstance(weight, float | int) and 0.0 < weight <= 1.0):
                    raise _bad_edge(nodes[-1], target, key, "weight", weight)
                if weights:
                    weight *= weights.get(kind, 1.0)
                    if weight <= 0.0:
                        continue
                score = score0 * weight
                if score < min_score:
                    continue
                rank = _RANK.get(data.get("evidence"), -1)  # type: ignore[arg-type]
                if rank < 0:
                    raise _bad_edge(nodes[-1], target, key, "evidence", data.get("evidence"))
                if rank > rank_limit:
                    continue
                new_pathway = opened or pathway
                news = _sides(side, crossing, data, target_data) if sided else (None,)
                for new_side in news:
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
                    if rival is None or _beats(label, rival):
                        following[state] = label
        return following

    def adjacent(self, node: str) -> list[_Compiled]:
        """The edges a trace follows out of ``node`` (compiled once per graph)."""
        edges = self._adjacent.get(node)
        if edges is None:
            kind = self.G._node[node]["kind"]
            kept = self._index.get(node)
            if kept is None or kept[0] is not kind:
                kept = self._index[node] = (kind, self._compile(node, kind))
            edges = self._adjacent[node] = kept[1]
        return edges

    def _compile(self, node: str, kind: str) -> list[_Compiled]:
        metagraph, nodes = self.metagraph, self.G._node
        follow = self.follow.intersection(metagraph.following(kind))
        compiled: list[_Compiled] = []
        if not follow:
            return compiled
        for target, keyed in self.G._succ[node].items():
            for key, data in keyed.items():
                edge_kind = data.get("kind", key)
                if edge_kind not in follow:
                    continue
                target_data = nodes[target]
                if (kind, edge_kind, target_data.get("kind")) not in metagraph.triples:
                    message = (
                        f"edge {node!r} -{key}-> {target!r} joins a {kind} to a "
                        f"{target_data.get('kind')}, which {edge_kind!r} edges may not"
                    )
                    raise SchemaError(message)
                meaning = metagraph[edge_kind]
                compiled.append(
                    (target, key, edge_kind, data, target_data, meaning.pathway, meaning.crossing)
                )
        return compiled

    def parents(self, region: str) -> list[_Compiled]:
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

    def _climb_regions(self, best: dict[Any, Label]) -> None:
        """Let each region hit count for the regions it is part of."""
        nodes = self.G._node
        queue = [state for state in best if nodes[state[0]]["kind"] == "region"]
        while queue:
            state = queue.pop()
            node, side, pathway = state
            current = best[state]
            for parent, key, _, data, parent_data, _, _ in self.parents(node):
                new_side = _climbed_side(side, parent_data) if self.sided else None
                new = (parent, new_side, pathway)
                rank = _RANK[data["evidence"]]
                label = (
                    current[0],
                    (*current[1], parent),
                    (*current[2], new_side),
                    max(current[3], rank),
                    pathway,
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
        nodes, sides = label[1], label[2]
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
        paths: dict[tuple[Any, ...], Path] = {}
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
                new_side = _climbed_side(side, parent_data) if self.sided else None
                steps = (*path.steps, *self.steps([(source, parent, key)], [new_side], side))
                yield Path(path.root, steps, path.score, path.pathway, path.root_side)
            return
        if len(path.steps) >= self.cutoff or any(s.kind in self.climbs for s in path.steps):
            return
        for edge_target, key, kind, data, target_data, opened, crossing in self.adjacent(source):
            if edge_target != target or key != edge_key:
                continue
            weight = data["weight"] * self.weights.get(kind, 1.0)
            if _RANK[data["evidence"]] > self.rank_limit or weight <= 0.0:
                continue
            score = path.score * weight
            if score < self.min_score:
                continue
            news = _sides(side, crossing, data, target_data) if self.sided else (None,)
            for new_side in news:
                if node_key(target, new_side) in path.keys:
                    continue
                steps = (*path.steps, *self.steps([(source, target, key)], [new_side], side))
                yield Path(path.root, steps, score, opened or path.pathway, path.root_side)


def _bad_edge(source: str, target: str, key: str, name: str, value: object) -> SchemaError:
    wanted = "a number in (0, 1]" if name == "weight" else f"one of {list(EVIDENCE_GRADES)}"
    return SchemaError(
        f"edge {source!r} -{key}-> {target!r}: {name} must be {wanted}, not {value!r}"
    )


def _visits(nodes: tuple[str, ...], sides: tuple[Any, ...], node: str, side: Any) -> bool:
    """Whether a path passes ``node`` on ``side``."""
    return any(n == node and s == side for n, s in zip(nodes, sides, strict=True))


def _is_midline(node_data: dict[str, Any]) -> bool:
    """Whether a node is a midline region (records of other kinds are paired left and right)."""
    return node_data.get("kind") == "region" and not getattr(
        node_data.get("record"), "bilateral", True
    )


def _climbed_side(side: Any, parent_data: dict[str, Any]) -> Any:
    if side is None:
        return None
    return "midline" if _is_midline(parent_data) else side


def _sides(
    side: Any, crossing: str, data: dict[str, Any], target_data: dict[str, Any]
) -> tuple[Any, ...]:
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
