"""The best-path search behind :func:`myofascial_graph.trace`.

A layered Bellman-Ford over states ``(node, side, pathway)``: layer ``h``
holds the best paths of exactly ``h`` edges, and a path is dropped when a path
of fewer edges reaches the same state with at least its score, so the result
is the best path within the hop limit.  ``side`` is ``None`` in an unsided
trace; in a sided one it follows the body: a muscle or fascia keeps the side
it was reached on, a midline region is ``"midline"``, a chain transition that
crosses the midline changes side, and a fascial junction that crosses the
midline reaches the muscle on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple

import networkx as nx

from .schema import EVIDENCE_GRADES, Evidence

__all__ = ["PATHWAYS", "SIDES", "Path", "Pathway", "Search", "Side", "Step", "path_order"]

Pathway = Literal["radicular", "myotomal", "myofascial"]
PATHWAYS: tuple[Pathway, ...] = ("radicular", "myotomal", "myofascial")
Side = Literal["left", "right", "midline"]
SIDES: tuple[Side, ...] = ("left", "right", "midline")
_OPPOSITE: dict[Side, Side] = {"left": "right", "right": "left", "midline": "midline"}

# edge kinds a trace follows out of each node kind
_FOLLOW: dict[str, tuple[str, ...]] = {
    "root": ("dermatome", "innervates"),
    "muscle": ("lies_in", "continuous_with", "chain"),
    "fascia": ("continuous_with", "lies_in", "chain"),
}
FOLLOWED_KINDS: tuple[str, ...] = tuple(sorted({k for kinds in _FOLLOW.values() for k in kinds}))
"""The edge kinds a trace follows, which its ``weights=`` may scale."""


@dataclass(frozen=True)
class Step:
    """One edge of a path, with its provenance (and, in a sided trace, the target's side)."""

    source: str
    target: str
    kind: str
    weight: float
    sources: tuple[str, ...]
    evidence: Evidence
    source_label: str = ""
    target_label: str = ""
    detail: str = ""  # e.g. "primary, via inferior gluteal nerve" or "origin"
    side: Side | None = None

    def to_dict(self) -> dict[str, Any]:
        """The step as JSON-ready data."""
        data: dict[str, Any] = {"source": self.source, "kind": self.kind, "target": self.target}
        if self.side is not None:
            data["side"] = self.side
        data.update(weight=self.weight, evidence=self.evidence, sources=list(self.sources))
        if self.detail:
            data["detail"] = self.detail
        return data

    def __str__(self) -> str:
        kind = self.kind.replace("_", " ")
        if self.detail:
            kind += f" ({self.detail})"
        side = f" ({self.side})" if self.side else ""
        return f"–{kind}→ {self.target_label or self.target}{side}"


@dataclass(frozen=True)
class Path:
    """A path from a root, its score and pathway.

    ``str(path)`` reads as a chain:
    ``S1 –innervates (primary)→ gluteus maximus –lies in→ buttock``.
    """

    root: str
    steps: tuple[Step, ...]
    score: float
    pathway: Pathway
    root_side: Side | None = None

    @property
    def nodes(self) -> tuple[str, ...]:
        """The node ids along the path, root first."""
        return (self.root, *(step.target for step in self.steps))

    @property
    def keys(self) -> tuple[Any, ...]:
        """The nodes as a trace keys them: ids, or ``(id, side)`` in a sided trace."""
        return (key(self.root, self.root_side), *(key(s.target, s.side) for s in self.steps))

    @property
    def side(self) -> Side | None:
        """The side of the node the path ends at (None in an unsided trace)."""
        return self.steps[-1].side if self.steps else self.root_side

    @property
    def evidence(self) -> Evidence:
        """The weakest evidence grade of the path's steps."""
        return max((s.evidence for s in self.steps), key=EVIDENCE_GRADES.index)

    @property
    def sources(self) -> tuple[str, ...]:
        """All sources cited along the path, in order of first citation."""
        return tuple(dict.fromkeys(src for step in self.steps for src in step.sources))

    def to_dict(self) -> dict[str, Any]:
        """The path as JSON-ready data: root, pathway, score, evidence, chain and steps."""
        return {
            "root": self.root,
            "pathway": self.pathway,
            "score": round(self.score, 6),
            "evidence": self.evidence,
            "chain": str(self),
            "steps": [step.to_dict() for step in self.steps],
        }

    def __str__(self) -> str:
        root = self.root + (f" ({self.root_side})" if self.root_side else "")
        return " ".join([root, *(str(step) for step in self.steps)])


def key(node: str, side: Side | None) -> Any:
    """How a trace keys a node: its id, or ``(id, side)`` in a sided trace."""
    return node if side is None else (node, side)


def is_key(value: object) -> bool:
    """Whether ``value`` has the shape of a node as users name one: a string, or a pair."""
    return isinstance(value, str) or (isinstance(value, tuple) and len(value) == 2)


def path_order(path: Path) -> tuple[float, int, int, tuple[str, ...], tuple[str, ...]]:
    """Best first: higher score, fewer steps, stronger evidence, then ids and sides."""
    sides = tuple(s.side or "" for s in path.steps)
    return (-path.score, len(path.steps), EVIDENCE_GRADES.index(path.evidence), path.nodes, sides)


def _out_edges(G: nx.MultiDiGraph, node: str) -> list[tuple[str, str, dict[str, Any]]]:
    """``(target, key, data)`` of the out-edges of ``node``, in the graph's order.

    The order does not change results: ties between paths are broken by
    :func:`path_order`, a total order.
    """
    # the raw adjacency dict, as networkx's own algorithms read it: the views cost more here
    succ: dict[str, dict[str, dict[str, Any]]] = G._succ[node]
    return [(target, key, data) for target, keyed in succ.items() for key, data in keyed.items()]


class _Edge(NamedTuple):
    """An edge as the search sees it; turned into a :class:`Step` only for kept paths."""

    source: str
    target: str
    key: str
    weight: float
    rank: int  # evidence grade, as an index into EVIDENCE_GRADES
    pathway: Pathway | None  # the pathway it switches to, or None to keep the current one
    crossing: str  # "" (same side), "flip" (opposite side) or "both"
    midline: bool  # the target is a midline region


_State = tuple[str, Side | None, Pathway]


class _Compiled(NamedTuple):
    """The edges a trace follows out of one node, and what they were compiled from."""

    edges: list[_Edge]
    kind: str  # the node's kind
    # per edge of a followed kind, what compiling it read: the edge's data dict, its
    # weight, evidence and crosses_midline, the target's data dict, kind and record
    inputs: tuple[tuple[Any, ...], ...]

    def current(self, node_data: dict[str, Any]) -> bool:
        """Whether the graph still holds what the edges were compiled from.

        The inputs hold the very objects compiled from, so an object the graph
        now holds in their place cannot share its identity with one of them.
        """
        if node_data.get("kind") is not self.kind:
            return False
        for data, weight, evidence, crossing, target, kind, record in self.inputs:
            if (
                data.get("weight") is not weight
                or data.get("evidence") is not evidence
                or data.get("crosses_midline") is not crossing
                or target.get("kind") is not kind
                or target.get("record") is not record
            ):
                return False
        return True


_INDEX_KEY = "myofascial_graph.search"
_MOST_SETTINGS = 16


def _shared_index(G: nx.MultiDiGraph, settings: tuple[Any, ...]) -> dict[str, _Compiled]:
    """The compiled edges of ``G`` for a trace's settings, kept in ``G.__networkx_cache__``.

    networkx empties that cache whenever nodes or edges are added or removed
    (or attributes set) through its methods, and :meth:`_Compiled.current`
    notices attributes edited in place.  Views of a graph (``G.subgraph``)
    and graphs whose cache is switched off (``G.__networkx_cache__ = None``)
    get a fresh index each trace.
    """
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None or hasattr(G, "_graph"):  # caching off, networkx < 3.3, or a view
        return {}
    by_settings: dict[tuple[Any, ...], dict[str, _Compiled]] = cache.setdefault(_INDEX_KEY, {})
    if settings not in by_settings and len(by_settings) >= _MOST_SETTINGS:
        by_settings.clear()
    return by_settings.setdefault(settings, {})


_RANK = {grade: index for index, grade in enumerate(EVIDENCE_GRADES)}


class Candidate(NamedTuple):
    """A path under construction, ordered best first like :func:`path_order`."""

    score: float
    edges: tuple[_Edge, ...]
    nodes: tuple[str, ...]  # the root and every node on the path
    sides: tuple[Side | None, ...]  # the side of each of those nodes
    weakest: int
    pathway: Pathway

    @property
    def root(self) -> str:
        return self.nodes[0]

    @property
    def side(self) -> Side | None:
        """The side of the node the path ends at."""
        return self.sides[-1]

    def visits(self, node: str, side: Side | None) -> bool:
        """Whether the path passes ``node`` on ``side``."""
        return (node, side) in zip(self.nodes, self.sides, strict=True)

    def order(self) -> tuple[float, int, int, tuple[str, ...], tuple[Side | None, ...]]:
        """The key :func:`path_order` gives the path this candidate becomes.

        Within one trace the roots share a side, and sides are all None in an
        unsided trace and all set in a sided one, so they compare like
        :func:`path_order`'s.
        """
        return (-self.score, len(self.edges), self.weakest, self.nodes, self.sides)

    def beats(self, other: Candidate | None) -> bool:
        # most comparisons are decided by the score alone, without building the keys
        if other is None:
            return True
        if self.score != other.score:
            return self.score > other.score
        return self.order() < other.order()

    def then(self, edge: _Edge, side: Side | None, score: float) -> Candidate:
        return Candidate(
            score,
            (*self.edges, edge),
            (*self.nodes, edge.target),
            (*self.sides, side),
            max(self.weakest, edge.rank),
            edge.pathway or self.pathway,
        )


def best_candidate(candidates: list[Candidate]) -> Candidate:
    """The best of the candidates found for one trace key, as :func:`path_order` ranks them."""
    return candidates[0] if len(candidates) == 1 else min(candidates, key=Candidate.order)


Found = dict[Any, list[Candidate]]
"""What a search finds: the best candidate per (node, side, pathway), grouped by trace key."""


class Search:
    """Best paths from roots within a hop limit; see the module docstring.

    ``sided=False`` promises that every search starts from side ``None``, so
    midline crossings need not be looked up.
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        cutoff: int,
        min_score: float,
        follow: tuple[bool, bool],
        rank_limit: int,
        weights: dict[str, float],
        sided: bool = True,
    ) -> None:
        self.G = G
        self.sided = sided
        self.cutoff = cutoff
        self.min_score = min_score
        self.skip = {
            k for k, on in zip(("continuous_with", "chain"), follow, strict=True) if not on
        }
        self.rank_limit = rank_limit
        self.weights = weights
        self.follow = {kind: set(kinds) - self.skip for kind, kinds in _FOLLOW.items()}
        settings = (tuple(sorted(self.skip)), rank_limit, tuple(sorted(weights.items())), sided)
        self._index = _shared_index(G, settings)
        self._adjacent: dict[str, list[_Edge]] = {}
        self._parents: dict[str, list[_Edge]] = {}
        self._made: dict[tuple[str, str, str], Step] = {}

    def run(self, root: str, side: Side | None = None, found: Found | None = None) -> Found:
        """The best path to every reachable (node, side, pathway) state from ``root``,
        as candidates grouped by trace key (added to ``found`` if given)."""
        best: dict[_State, Candidate] = {}
        start = Candidate(1.0, (), (root,), (side,), 0, "myotomal")
        layer: dict[_State, Candidate] = {(root, side, "myotomal"): start}
        for _ in range(self.cutoff):
            layer = self._next_layer(layer, best)
            if not layer:
                break
            best.update(layer)
        self._climb_regions(best)
        found = {} if found is None else found
        for (node, node_side, _), candidate in best.items():
            found.setdefault(key(node, node_side), []).append(candidate)
        return found

    def _next_layer(
        self, layer: dict[_State, Candidate], best: dict[_State, Candidate]
    ) -> dict[_State, Candidate]:
        """The best paths one edge longer than those of ``layer`` that beat every
        shorter path to the same state (the hot loop of a trace)."""
        following: dict[_State, Candidate] = {}
        adjacent, min_score = self.adjacent, self.min_score
        for (node, side, pathway), current in layer.items():
            for edge in adjacent(node):
                score = current.score * edge.weight
                if score < min_score:
                    continue
                target = edge.target
                for new_side in (None,) if side is None else _sides(edge, side):
                    if target in current.nodes and current.visits(target, new_side):
                        continue
                    new = (target, new_side, edge.pathway or pathway)
                    shorter = best.get(new)
                    if shorter and shorter.score >= score:
                        continue
                    rival = following.get(new)
                    if rival and rival.score > score:
                        continue
                    candidate = current.then(edge, new_side, score)
                    if candidate.beats(rival):
                        following[new] = candidate
        return following

    def path(self, candidate: Candidate) -> Path:
        """The :class:`Path` a candidate stands for."""
        root_side = candidate.sides[0]
        steps = self.steps(candidate.edges, candidate.sides[1:], root_side)
        return Path(candidate.root, steps, candidate.score, candidate.pathway, root_side)

    def adjacent(self, node: str) -> list[_Edge]:
        """The edges a trace follows out of ``node``.

        Compiled once per graph and settings and shared by later traces (see
        :func:`_shared_index`); checked once per search against the graph.
        """
        edges = self._adjacent.get(node)
        if edges is None:
            compiled = self._index.get(node)
            if compiled is None or not compiled.current(self.G._node[node]):
                compiled = self._index[node] = self._compile(node)
            edges = self._adjacent[node] = compiled.edges
        return edges

    def _compile(self, node: str) -> _Compiled:
        # a hot loop: locals and the raw adjacency dicts, as networkx's own algorithms do
        nodes = self.G._node
        kind = nodes[node]["kind"]
        follow = self.follow.get(kind, ())
        weights, rank_limit, sided = self.weights, self.rank_limit, self.sided
        edges, inputs = [], []
        for target, keyed in self.G._succ[node].items():
            for edge_key, data in keyed.items():
                if edge_key not in follow:
                    continue
                target_data = nodes[target]
                target_kind, record = target_data["kind"], target_data.get("record")
                evidence, raw_weight = data["evidence"], data["weight"]
                crosses = data.get("crosses_midline")
                inputs.append(
                    (data, raw_weight, evidence, crosses, target_data, target_kind, record)
                )
                rank = _RANK[evidence]
                weight = raw_weight * weights.get(edge_key, 1.0)
                if rank > rank_limit or weight <= 0.0:
                    continue
                pathway: Pathway | None = None
                if edge_key == "dermatome":
                    pathway = "radicular"
                elif edge_key == "chain" or target_kind == "fascia":
                    pathway = "myofascial"
                crossing = ""
                if sided and crosses:
                    crossing = "flip" if edge_key == "chain" else "both"
                midline = sided and target_kind == "region" and not _bilateral(record)
                edges.append(
                    _Edge(node, target, edge_key, weight, rank, pathway, crossing, midline)
                )
        return _Compiled(edges, kind, tuple(inputs))

    def steps(
        self, edges: Iterable[_Edge], sides: Iterable[Side | None], start: Side | None = None
    ) -> tuple[Step, ...]:
        """The :class:`Step` of each edge, with labels, details, sources and side;
        ``start`` is the side the first edge leaves from."""
        made = []
        previous = start
        for edge, side in zip(edges, sides, strict=True):
            index = (edge.source, edge.target, edge.key)
            step = self._made.get(index)
            if step is None:
                step = self._made[index] = self._step(edge)
            if side is not None:
                crossed = side != previous and "midline" not in (side, previous)
                detail = ", ".join(filter(None, [step.detail, "to the other side" * crossed]))
                step = replace(step, side=side, detail=detail)
            made.append(step)
            previous = side
        return tuple(made)

    def _step(self, edge: _Edge) -> Step:
        nodes = self.G.nodes
        data = self.G.edges[edge.source, edge.target, edge.key]
        details = [data.get("level"), data.get("relation")]
        via = data.get("via")
        if via:
            details.append("via " + ", ".join(nodes[n]["label"] for n in via))
        return Step(
            edge.source,
            edge.target,
            edge.key,
            edge.weight,
            tuple(data["sources"]),
            data["evidence"],
            nodes[edge.source]["label"],
            nodes[edge.target]["label"],
            ", ".join(d for d in details if d),
        )

    def parents(self, region: str) -> list[_Edge]:
        """The ``part_of`` edges out of a region, weighted 1 (climbing costs nothing)."""
        edges = self._parents.get(region)
        if edges is None:
            edges = self._parents[region] = [
                _Edge(
                    region,
                    parent,
                    k,
                    1.0,
                    _RANK[d["evidence"]],
                    None,
                    "",
                    self.sided and _is_midline(self.G, parent),
                )
                for parent, k, d in _out_edges(self.G, region)
                if k == "part_of"
            ]
        return edges

    def alternatives(self, target: Any, found: Found) -> list[Path]:
        """The target's best paths plus the best path through each of its neighbours.

        ``target`` is a trace key (an id, or ``(id, side)``); in a sided trace an
        id alone stands for the node on every side.
        """
        node = target if isinstance(target, str) else target[0]
        wanted_side = None if isinstance(target, str) else target[1]
        paths: dict[tuple[Any, ...], Path] = {}
        for found_key, candidates in found.items():
            if _matches(found_key, node, wanted_side):
                paths.update(((p.root, p.keys), p) for p in map(self.path, candidates))
        for before, _, edge_key in self.G.in_edges(node, keys=True):
            for found_key, candidates in found.items():
                if not _matches(found_key, before, None):
                    continue
                for candidate in candidates:
                    for extended in self._extend(self.path(candidate), node, edge_key):
                        if wanted_side in (None, extended.side):
                            paths.setdefault((extended.root, extended.keys), extended)
        return list(paths.values())

    def _extend(self, path: Path, target: str, edge_key: str) -> Iterator[Path]:
        """``path`` followed by its edge of ``edge_key`` to ``target``, where a trace could."""
        source, side = path.nodes[-1], path.side
        if edge_key == "part_of":
            edges = [e for e in self.parents(source) if e.target == target]
            for edge in edges:
                new_side = _sides(edge, side)[0]
                steps = (*path.steps, *self.steps([edge], [new_side], side))
                yield Path(path.root, steps, path.score, path.pathway, path.root_side)
            return
        if len(path.steps) >= self.cutoff or any(s.kind == "part_of" for s in path.steps):
            return
        for edge in self.adjacent(source):
            score = path.score * edge.weight
            if edge.target != target or edge.key != edge_key or score < self.min_score:
                continue
            for new_side in _sides(edge, side):
                if key(target, new_side) in path.keys:
                    continue
                steps = (*path.steps, *self.steps([edge], [new_side], side))
                yield Path(path.root, steps, score, edge.pathway or path.pathway, path.root_side)

    def _climb_regions(self, best: dict[_State, Candidate]) -> None:
        """Let each region hit count for the regions it is part of."""
        nodes = self.G._node
        queue = [k for k in best if nodes[k[0]]["kind"] == "region"]
        while queue:
            node, side, pathway = queue.pop()
            current = best[(node, side, pathway)]
            for edge in self.parents(node):
                new_side = _sides(edge, side)[0]
                new = (edge.target, new_side, pathway)
                candidate = current.then(edge, new_side, current.score)
                if candidate.beats(best.get(new)):
                    best[new] = candidate
                    queue.append(new)


def _is_midline(G: nx.MultiDiGraph, node: str) -> bool:
    data = G._node[node]
    return data["kind"] == "region" and not _bilateral(data.get("record"))


def _bilateral(record: Any) -> bool:
    """Whether a region record is paired left and right (records of other kinds are)."""
    return bool(getattr(record, "bilateral", True))


def _sides(edge: _Edge, side: Side | None) -> tuple[Side | None, ...]:
    """The side(s) an edge leads to from ``side``."""
    if side is None:
        return (None,)
    if edge.midline:
        return ("midline",)
    if edge.crossing == "flip":
        return (_OPPOSITE[side],)
    if edge.crossing == "both" and side != "midline":
        return (side, _OPPOSITE[side])
    return (side,)


def _matches(found_key: Any, node: str, side: Side | None) -> bool:
    if isinstance(found_key, str):
        return bool(found_key == node)
    return bool(found_key[0] == node and side in (None, found_key[1]))
