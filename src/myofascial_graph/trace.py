"""Trace an irritated root to the muscles, fascia and regions it could involve.

Semantics
---------
Each root starts with score 1.  A path's score is the product of the weights
of its edges; a node's score is that of its best path (ties: fewer steps, then
ids in order), and with several roots, of the best path from any of them.  A
trace follows, from

* a **root**: its ``dermatome`` edges to regions and its segmental
  ``innervates`` edges to muscles (the nerves that carry those fibres are named
  on the step as ``via``);
* a **muscle**: ``lies_in`` edges to regions and ``continuous_with`` edges to
  fascia (unless ``fascia=False``);
* a **fascia**: ``continuous_with`` edges to muscles and ``lies_in`` to regions;
* with ``chains=True``, from a muscle or fascia also the ``chain`` edges of the
  myofascial chains (clinical models, graded per transition).

A region hit also counts for every region it is part of (``part_of`` steps,
which cost no hop).  Paths are *radicular* (root to dermatome), *myotomal*
(root to muscle to where it lies) or *myofascial* (through at least one
fascia or chain link).  Results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import networkx as nx

from .display import explanation_html, explanation_text, trace_html, trace_text
from .exceptions import NotReachedError
from .query import node_id
from .schema import EVIDENCE_GRADES, Evidence
from .wpi import widespread_pain_index, wpi_areas

__all__ = ["PATHWAYS", "Explanation", "Hit", "Path", "Step", "Trace", "trace"]

Pathway = Literal["radicular", "myotomal", "myofascial"]
PATHWAYS: tuple[Pathway, ...] = ("radicular", "myotomal", "myofascial")

WPI_THRESHOLD = 0.5
"""Regions scoring at least this count as painful when a trace is read as a pain map."""

DEFAULT_CUTOFF = 6
DEFAULT_MIN_SCORE = 0.1

# edge kinds a trace follows out of each node kind
_FOLLOW: dict[str, tuple[str, ...]] = {
    "root": ("dermatome", "innervates"),
    "muscle": ("lies_in", "continuous_with", "chain"),
    "fascia": ("continuous_with", "lies_in", "chain"),
}


@dataclass(frozen=True)
class Step:
    """One edge of a path, with its provenance."""

    source: str
    target: str
    kind: str
    weight: float
    sources: tuple[str, ...]
    evidence: Evidence
    source_label: str = ""
    target_label: str = ""
    detail: str = ""  # e.g. "primary, via inferior gluteal nerve" or "origin"

    def __str__(self) -> str:
        kind = self.kind.replace("_", " ")
        if self.detail:
            kind += f" ({self.detail})"
        return f"–{kind}→ {self.target_label or self.target}"


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

    @property
    def nodes(self) -> tuple[str, ...]:
        """The node ids along the path, root first."""
        return (self.root, *(step.target for step in self.steps))

    @property
    def evidence(self) -> Evidence:
        """The weakest evidence grade of the path's steps."""
        return max((s.evidence for s in self.steps), key=EVIDENCE_GRADES.index)

    @property
    def sources(self) -> tuple[str, ...]:
        """All sources cited along the path, in order of first citation."""
        return tuple(dict.fromkeys(src for step in self.steps for src in step.sources))

    def __str__(self) -> str:
        return " ".join([self.root, *(str(step) for step in self.steps)])


@dataclass(frozen=True)
class Hit:
    """A node reached by a trace: its best score, pathway and path."""

    node: str
    label: str
    kind: str
    score: float
    path: Path

    @property
    def pathway(self) -> Pathway:
        return self.path.pathway

    @property
    def root(self) -> str:
        return self.path.root


@dataclass(frozen=True)
class Explanation:
    """Why a trace reaches a node: its best path per root and pathway, best first."""

    node: str
    label: str
    paths: tuple[Path, ...]
    citations: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return explanation_text(self)

    def _repr_html_(self) -> str:
        return explanation_html(self)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


@dataclass
class Trace:
    """The result of :func:`trace`.

    Attributes
    ----------
    roots : tuple of str
        The roots traced from.
    regions : dict
        Region id to :class:`Hit`, best first.
    muscles : dict
        Muscle id to score, best first.
    fascia : dict
        Fascia id to score, best first.
    parameters : dict
        The parameters the trace ran with.
    """

    roots: tuple[str, ...]
    regions: dict[str, Hit]
    muscles: dict[str, float]
    fascia: dict[str, float]
    parameters: dict[str, Any]
    hits: dict[str, Hit] = field(repr=False)
    _paths: dict[str, list[Path]] = field(repr=False)
    _search: _Search = field(repr=False)

    def explain(self, node: str, *, limit: int = 10) -> Explanation:
        """Explain how the trace reaches a region (or a muscle or fascia).

        Parameters
        ----------
        node : str
            A node id or an unambiguous name (``"neck"``, ``"low back"``).
        limit : int, default 10
            Most paths to return.

        Returns
        -------
        Explanation
            The best path through each neighbour of the node, from each root
            and along each pathway, best first; each step with its edge kind,
            weight, evidence grade and sources.

        Raises
        ------
        UnknownIdError
            If ``node`` is not in the graph.
        NotReachedError
            If the trace does not reach it.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> e = mg.trace(mg.load(), "S1").explain("midback")
        >>> e.paths[0].nodes
        ('S1', 'gluteus_maximus', 'thoracolumbar_fascia', 'midback')
        >>> "latissimus_dorsi" in {p.nodes[-2] for p in e}
        True
        """
        graph = self._search.G
        node = node_id(graph, node)
        paths = sorted(self._search.alternatives(node, self._paths), key=_path_order)[:limit]
        if not paths:
            kind = graph.nodes[node]["kind"]
            reached = [n for n, h in self.hits.items() if h.kind == kind]
            message = f"the trace from {', '.join(self.roots)} does not reach {kind} {node!r}"
            if reached:
                message += f"; it reaches {len(reached)}, e.g. " + ", ".join(map(repr, reached[:3]))
            raise NotReachedError(message)
        sources = graph.graph.get("sources", {})
        cited = {s: sources[s].citation() for p in paths for s in p.sources if s in sources}
        return Explanation(node, graph.nodes[node]["label"], tuple(paths), cited)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph the trace ran on."""
        return self._search.G

    def subgraph(self) -> nx.MultiDiGraph:
        """The nodes and edges of the trace's best paths, each node with its ``score``
        and ``pathway`` (roots score 1); for drawing and export.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> H = mg.trace(mg.load(), "S1").subgraph()
        >>> H.nodes["gluteus_maximus"]["score"], H.nodes["S1"]["kind"]
        (1.0, 'root')
        """
        G = self._search.G
        H = nx.MultiDiGraph(**G.graph)
        for hit in self.hits.values():
            for node in hit.path.nodes:
                if node not in H:
                    H.add_node(node, **G.nodes[node])
            for step in hit.path.steps:
                H.add_edge(
                    step.source,
                    step.target,
                    key=step.kind,
                    **G.edges[step.source, step.target, step.kind],
                )
        for node, data in H.nodes(data=True):
            reached = self.hits.get(node)
            data["score"] = 1.0 if reached is None else reached.score
            data["pathway"] = "root" if reached is None else reached.pathway
        return H

    def wpi_areas(self, threshold: float = WPI_THRESHOLD) -> set[str]:
        """The WPI areas of the regions reached with at least ``threshold`` score.

        An unsided trace counts a bilateral region on both sides.
        """
        G = self._search.G
        return wpi_areas(G, [r for r, hit in self.regions.items() if hit.score >= threshold])

    def wpi(self, threshold: float = WPI_THRESHOLD) -> int:
        """The Widespread Pain Index of the predicted spread at ``threshold`` (default 0.5).

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> t = mg.trace(mg.load(), "S1")
        >>> t.wpi() <= t.wpi(threshold=0.1)
        True
        """
        return widespread_pain_index(self.wpi_areas(threshold))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: parameters, regions, muscles and fascia with best paths."""

        def hit(h: Hit) -> dict[str, Any]:
            return {
                "id": h.node,
                "label": h.label,
                "score": round(h.score, 6),
                "pathway": h.pathway,
                "root": h.root,
                "evidence": h.path.evidence,
                "path": [
                    {
                        "source": s.source,
                        "kind": s.kind,
                        "target": s.target,
                        "weight": s.weight,
                        "evidence": s.evidence,
                        "sources": list(s.sources),
                    }
                    for s in h.path.steps
                ],
            }

        return {
            "roots": list(self.roots),
            "parameters": self.parameters,
            "regions": [hit(h) for h in self.regions.values()],
            "muscles": [hit(self.hits[m]) for m in self.muscles],
            "fascia": [hit(self.hits[f]) for f in self.fascia],
        }

    def __str__(self) -> str:
        return trace_text(self)

    def __repr__(self) -> str:
        return (
            f"<Trace from {', '.join(self.roots)}: {len(self.muscles)} muscles, "
            f"{len(self.fascia)} fascia, {len(self.regions)} regions>"
        )

    def _repr_html_(self) -> str:
        return trace_html(self)


def trace(
    G: nx.MultiDiGraph,
    roots: str | Iterable[str],
    *,
    cutoff: int = DEFAULT_CUTOFF,
    min_score: float = DEFAULT_MIN_SCORE,
    fascia: bool = True,
    chains: bool = False,
    min_evidence: Evidence | None = None,
    weights: Mapping[str, float] | None = None,
) -> Trace:
    """Trace which muscles, fascia and regions an irritated root could involve.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`myofascial_graph.load`.
    roots : str or iterable of str
        One root (``"S1"``) or several (``["L5", "S1"]``); case-insensitive.
    cutoff : int, default 6
        Most edges a path may have (``part_of`` steps up the region
        hierarchy are free).
    min_score : float, default 0.1
        Paths scoring below this are dropped.
    fascia : bool, default True
        Follow fascial continuity (``False`` keeps radicular and myotomal paths).
    chains : bool, default False
        Also follow the myofascial chains (Anatomy Trains lines) between their
        stations; see :func:`chains`.
    min_evidence : str, optional
        Follow only edges graded at least this strongly, e.g. ``"review"``
        drops clinical models and expert opinion (see ``EVIDENCE_GRADES``).
    weights : mapping, optional
        Multipliers per edge kind, e.g. ``{"continuous_with": 0.3}``.

    Returns
    -------
    Trace

    Raises
    ------
    UnknownIdError
        If a root is not in the graph (the message suggests the nearest).
    ValueError
        If a parameter is out of range.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> t = mg.trace(G, "S1")
    >>> t.muscles["gluteus_maximus"]
    1.0
    >>> hit = t.regions["neck"]
    >>> hit.pathway, "thoracolumbar_fascia" in hit.path.nodes
    ('myofascial', True)
    >>> print(t.regions["low_back"].path)  # doctest: +NORMALIZE_WHITESPACE
    S1 –innervates (primary, via inferior gluteal nerve)→ gluteus maximus
    –continuous with (origin)→ thoracolumbar fascia –lies in→ low back
    """
    root_ids = _resolve_roots(G, roots)
    _check_parameters(cutoff, min_score, min_evidence, weights)
    rank_limit = (
        len(EVIDENCE_GRADES) if min_evidence is None else EVIDENCE_GRADES.index(min_evidence)
    )
    search = _Search(G, cutoff, min_score, (fascia, chains), rank_limit, dict(weights or {}))
    paths: dict[str, list[Path]] = {}
    for root in root_ids:
        for node, found in search.run(root).items():
            paths.setdefault(node, []).extend(found)
    hits: dict[str, Hit] = {}
    for node, found in paths.items():
        best = min(found, key=_path_order)
        data = G.nodes[node]
        hits[node] = Hit(node, data["label"], data["kind"], best.score, best)
    ordered = sorted(hits.values(), key=lambda h: (-h.score, h.node))
    parameters: dict[str, Any] = {
        "cutoff": cutoff,
        "min_score": min_score,
        "fascia": fascia,
        "chains": chains,
        "min_evidence": min_evidence,
        "weights": dict(weights or {}),
    }
    return Trace(
        roots=root_ids,
        regions={h.node: h for h in ordered if h.kind == "region"},
        muscles={h.node: h.score for h in ordered if h.kind == "muscle"},
        fascia={h.node: h.score for h in ordered if h.kind == "fascia"},
        parameters=parameters,
        hits={h.node: h for h in ordered},
        _paths=paths,
        _search=search,
    )


def _path_order(path: Path) -> tuple[float, int, int, tuple[str, ...]]:
    """Best first: higher score, fewer steps, stronger evidence, then ids."""
    return (-path.score, len(path.steps), EVIDENCE_GRADES.index(path.evidence), path.nodes)


def _resolve_roots(G: nx.MultiDiGraph, roots: str | Iterable[str]) -> tuple[str, ...]:
    names = [roots] if isinstance(roots, str) else list(roots)
    if not names:
        raise ValueError("trace needs at least one root")
    return tuple(dict.fromkeys(node_id(G, name, kind="root") for name in names))


def _check_parameters(
    cutoff: int, min_score: float, min_evidence: str | None, weights: Mapping[str, float] | None
) -> None:
    if not isinstance(cutoff, int) or cutoff < 1:
        raise ValueError(f"cutoff must be a whole number of at least 1, not {cutoff!r}")
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be between 0 and 1, not {min_score!r}")
    if min_evidence is not None and min_evidence not in EVIDENCE_GRADES:
        raise ValueError(
            f"min_evidence must be one of {list(EVIDENCE_GRADES)}, not {min_evidence!r}"
        )
    for kind, value in (weights or {}).items():
        if not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0 and math.isfinite(value)):
            raise ValueError(f"weight for {kind!r} must be between 0 and 1, not {value!r}")


def _out_edges(G: nx.MultiDiGraph, node: str) -> list[tuple[str, str, dict[str, Any]]]:
    """``(target, key, data)`` of the out-edges of ``node``, sorted by target and key."""
    return [
        (target, key, data)
        for target, keyed in sorted(G.succ[node].items())
        for key, data in sorted(keyed.items())
    ]


class _Edge(NamedTuple):
    """An edge as the search sees it; turned into a :class:`Step` only for kept paths."""

    source: str
    target: str
    key: str
    weight: float
    rank: int  # evidence grade, as an index into EVIDENCE_GRADES
    pathway: Pathway | None  # the pathway it switches to, or None to keep the current one


class _Candidate(NamedTuple):
    """A path under construction, ordered best first like :func:`_path_order`."""

    score: float
    edges: tuple[_Edge, ...]
    weakest: int

    def order(self) -> tuple[float, int, int, tuple[str, ...]]:
        return (-self.score, len(self.edges), self.weakest, tuple(e.target for e in self.edges))

    def beats(self, other: _Candidate | None) -> bool:
        return other is None or self.order() < other.order()


_State = tuple[str, Pathway]


class _Search:
    """Best paths within a hop limit: a layered Bellman-Ford over (node, pathway) states."""

    def __init__(
        self,
        G: nx.MultiDiGraph,
        cutoff: int,
        min_score: float,
        follow: tuple[bool, bool],
        rank_limit: int,
        weights: dict[str, float],
    ) -> None:
        self.G = G
        self.cutoff = cutoff
        self.min_score = min_score
        self.skip = {
            k for k, on in zip(("continuous_with", "chain"), follow, strict=True) if not on
        }
        self.rank_limit = rank_limit
        self.weights = weights
        self._adjacent: dict[str, list[_Edge]] = {}
        self._parents: dict[str, list[_Edge]] = {}
        self._made: dict[tuple[str, str, str], Step] = {}

    def run(self, root: str) -> dict[str, list[Path]]:
        """Best path to every reachable (node, pathway) state from ``root``.

        Layer ``h`` holds the best paths of exactly ``h`` edges; a path is
        dropped when a path of fewer edges reaches the same state with at
        least its score, so the result is the best within ``cutoff`` edges.
        """
        best: dict[_State, _Candidate] = {}
        layer: dict[_State, _Candidate] = {(root, "myotomal"): _Candidate(1.0, (), 0)}
        for _ in range(self.cutoff):
            following: dict[_State, _Candidate] = {}
            for state in sorted(layer):
                current = layer[state]
                visited = {root, *(e.target for e in current.edges)}
                for edge in self.adjacent(state[0]):
                    if edge.target in visited:
                        continue
                    score = current.score * edge.weight
                    key = (edge.target, edge.pathway or state[1])
                    shorter = best.get(key)
                    if score < self.min_score or (shorter and shorter.score >= score):
                        continue
                    candidate = _Candidate(
                        score, (*current.edges, edge), max(current.weakest, edge.rank)
                    )
                    if candidate.beats(following.get(key)):
                        following[key] = candidate
            best.update(following)
            layer = following
            if not layer:
                break
        self._climb_regions(best)
        found: dict[str, list[Path]] = {}
        for (node, pathway), candidate in best.items():
            path = Path(root, self.steps(candidate.edges), candidate.score, pathway)
            found.setdefault(node, []).append(path)
        return found

    def adjacent(self, node: str) -> list[_Edge]:
        """The edges a trace follows out of ``node`` (computed once per search)."""
        edges = self._adjacent.get(node)
        if edges is None:
            edges = self._adjacent[node] = list(self._followed(node))
        return edges

    def _followed(self, node: str) -> Iterator[_Edge]:
        G = self.G
        follow = _FOLLOW.get(G.nodes[node]["kind"], ())
        for target, key, data in _out_edges(G, node):
            if key not in follow or key in self.skip:
                continue
            rank = EVIDENCE_GRADES.index(data["evidence"])
            weight = data["weight"] * self.weights.get(key, 1.0)
            if rank > self.rank_limit or weight <= 0.0:
                continue
            pathway: Pathway | None = None
            if key == "dermatome":
                pathway = "radicular"
            elif key == "chain" or G.nodes[target]["kind"] == "fascia":
                pathway = "myofascial"
            yield _Edge(node, target, key, weight, rank, pathway)

    def steps(self, edges: Iterable[_Edge]) -> tuple[Step, ...]:
        """The :class:`Step` of each edge, with labels, details and sources."""
        made = []
        for edge in edges:
            index = (edge.source, edge.target, edge.key)
            step = self._made.get(index)
            if step is None:
                step = self._made[index] = self._step(edge)
            made.append(step)
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
                _Edge(region, parent, key, 1.0, EVIDENCE_GRADES.index(d["evidence"]), None)
                for parent, key, d in _out_edges(self.G, region)
                if key == "part_of"
            ]
        return edges

    def alternatives(self, node: str, paths: Mapping[str, list[Path]]) -> list[Path]:
        """The node's best paths plus the best path through each of its neighbours."""
        found = {(p.root, p.nodes): p for p in paths.get(node, ())}
        for before, _, key in self.G.in_edges(node, keys=True):
            for path in paths.get(before, ()):
                extended = self._extend(path, node, key)
                if extended is not None:
                    found.setdefault((extended.root, extended.nodes), extended)
        return list(found.values())

    def _extend(self, path: Path, target: str, key: str) -> Path | None:
        """``path`` followed by its edge of ``key`` to ``target``, if a trace could take it."""
        if target in path.nodes:
            return None
        source = path.nodes[-1]
        if key == "part_of":
            edge = next((e for e in self.parents(source) if e.target == target), None)
            return (
                None
                if edge is None
                else Path(path.root, (*path.steps, *self.steps([edge])), path.score, path.pathway)
            )
        if len(path.steps) >= self.cutoff or any(s.kind == "part_of" for s in path.steps):
            return None
        for edge in self.adjacent(source):
            score = path.score * edge.weight
            if edge.target == target and edge.key == key and score >= self.min_score:
                steps = (*path.steps, *self.steps([edge]))
                return Path(path.root, steps, score, edge.pathway or path.pathway)
        return None

    def _climb_regions(self, best: dict[_State, _Candidate]) -> None:
        """Let each region hit count for the regions it is part of."""
        nodes = self.G.nodes
        queue = sorted(k for k in best if nodes[k[0]]["kind"] == "region")
        while queue:
            node, pathway = queue.pop()
            current = best[(node, pathway)]
            for edge in self.parents(node):
                candidate = _Candidate(
                    current.score, (*current.edges, edge), max(current.weakest, edge.rank)
                )
                if candidate.beats(best.get((edge.target, pathway))):
                    best[(edge.target, pathway)] = candidate
                    queue.append((edge.target, pathway))
