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
* a **fascia**: ``continuous_with`` edges to muscles and ``lies_in`` to regions.

A region hit also counts for every region it is part of (``part_of`` steps,
which cost no hop).  Paths are *radicular* (root to dermatome), *myotomal*
(root to muscle to where it lies) or *myofascial* (through at least one
fascia).  Results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from .display import explanation_html, explanation_text, trace_html, trace_text
from .exceptions import UnknownIdError
from .names import nearest
from .query import node_id
from .schema import EVIDENCE_GRADES, Evidence

__all__ = ["PATHWAYS", "Explanation", "Hit", "Path", "Step", "Trace", "trace"]

Pathway = Literal["radicular", "myotomal", "myofascial"]
PATHWAYS: tuple[Pathway, ...] = ("radicular", "myotomal", "myofascial")

DEFAULT_CUTOFF = 6
DEFAULT_MIN_SCORE = 0.1

# edge kinds a trace follows out of each node kind
_FOLLOW: dict[str, tuple[str, ...]] = {
    "root": ("dermatome", "innervates"),
    "muscle": ("lies_in", "continuous_with"),
    "fascia": ("continuous_with", "lies_in"),
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
    _citations: dict[str, str] = field(repr=False)
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
            If ``node`` is not in the graph, or the trace does not reach it.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> e = mg.trace(mg.load(), "S1").explain("neck")
        >>> best = e.paths[0]
        >>> best.nodes[:3]
        ('S1', 'gluteus_maximus', 'thoracolumbar_fascia')
        >>> sorted({p.nodes[-2] for p in e})
        ['erector_spinae', 'multifidus', 'trapezius']
        """
        graph = self._search.G
        node = node_id(graph, node)
        paths = sorted(self._search.alternatives(node, self._paths), key=_path_order)[:limit]
        if not paths:
            kind = graph.nodes[node]["kind"]
            reached = [n for n, h in self.hits.items() if h.kind == kind]
            raise UnknownIdError(node, f"{kind} reached by this trace", nearest(node, reached))
        cited = {s: self._citations[s] for p in paths for s in p.sources if s in self._citations}
        return Explanation(node, graph.nodes[node]["label"], tuple(paths), cited)

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
    >>> print(t.regions["lateral_thigh"].path)
    S1 –innervates (primary, via inferior gluteal nerve)→ gluteus maximus –continuous with (insertion)→ iliotibial tract –lies in→ lateral thigh
    """
    root_ids = _resolve_roots(G, roots)
    _check_parameters(cutoff, min_score, min_evidence, weights)
    rank_limit = (
        len(EVIDENCE_GRADES) if min_evidence is None else EVIDENCE_GRADES.index(min_evidence)
    )
    search = _Search(G, cutoff, min_score, fascia, rank_limit, dict(weights or {}))
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
        "min_evidence": min_evidence,
        "weights": dict(weights or {}),
    }
    sources = G.graph.get("sources", {})
    return Trace(
        roots=root_ids,
        regions={h.node: h for h in ordered if h.kind == "region"},
        muscles={h.node: h.score for h in ordered if h.kind == "muscle"},
        fascia={h.node: h.score for h in ordered if h.kind == "fascia"},
        parameters=parameters,
        hits={h.node: h for h in ordered},
        _paths=paths,
        _citations={k: v.citation() for k, v in sources.items()},
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


_Candidate = tuple[float, tuple[Step, ...]]


class _Search:
    """Best paths within a hop limit: a layered Bellman-Ford over (node, pathway) states."""

    def __init__(
        self,
        G: nx.MultiDiGraph,
        cutoff: int,
        min_score: float,
        fascia: bool,
        rank_limit: int,
        weights: dict[str, float],
    ) -> None:
        self.G = G
        self.cutoff = cutoff
        self.min_score = min_score
        self.fascia = fascia
        self.rank_limit = rank_limit
        self.weights = weights

    def run(self, root: str) -> dict[str, list[Path]]:
        """Best path to every reachable (node, pathway) state from ``root``.

        Layer ``h`` holds the best paths of exactly ``h`` edges; a path is
        dropped when a path of fewer edges reaches the same state with at
        least its score, so the result is the best within ``cutoff`` edges.
        """
        best: dict[tuple[str, Pathway], _Candidate] = {}
        layer: dict[tuple[str, Pathway], _Candidate] = {(root, "myotomal"): (1.0, ())}
        for _ in range(self.cutoff):
            following: dict[tuple[str, Pathway], _Candidate] = {}
            for state in sorted(layer):
                score, steps = layer[state]
                visited = {root, *(s.target for s in steps)}
                for target, pathway, step in self._steps(*state):
                    if target in visited:
                        continue
                    candidate = (score * step.weight, (*steps, step))
                    key = (target, pathway)
                    shorter = best.get(key)
                    if candidate[0] < self.min_score or (shorter and shorter[0] >= candidate[0]):
                        continue
                    if _better(candidate, following.get(key)):
                        following[key] = candidate
            best.update(following)
            layer = following
            if not layer:
                break
        self._climb_regions(best)
        found: dict[str, list[Path]] = {}
        for (node, pathway), (score, steps) in best.items():
            found.setdefault(node, []).append(Path(root, steps, score, pathway))
        return found

    def _steps(self, node: str, pathway: Pathway) -> Iterator[tuple[str, Pathway, Step]]:
        G = self.G
        kind = G.nodes[node]["kind"]
        for _, target, key, data in G.out_edges(node, keys=True, data=True):
            if key not in _FOLLOW.get(kind, ()):
                continue
            if key == "continuous_with" and not self.fascia:
                continue
            if EVIDENCE_GRADES.index(data["evidence"]) > self.rank_limit:
                continue
            step = self._step(node, target, key, data)
            if step.weight <= 0.0:
                continue
            if key == "dermatome":
                yield target, "radicular", step
            elif G.nodes[target]["kind"] == "fascia":
                yield target, "myofascial", step
            else:
                yield target, pathway, step

    def _step(self, source: str, target: str, key: str, data: dict[str, Any]) -> Step:
        nodes = self.G.nodes
        weight = data["weight"] * self.weights.get(key, 1.0)
        details = [data.get("level"), data.get("relation")]
        via = data.get("via")
        if via:
            details.append("via " + ", ".join(nodes[n]["label"] for n in via))
        return Step(
            source,
            target,
            key,
            weight,
            tuple(data["sources"]),
            data["evidence"],
            nodes[source]["label"],
            nodes[target]["label"],
            ", ".join(d for d in details if d),
        )

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
        source = path.nodes[-1]
        if target in path.nodes:
            return None
        if key == "part_of":
            data = {**self.G.edges[source, target, key], "weight": 1.0}
            step = self._step(source, target, key, data)
            return Path(path.root, (*path.steps, step), path.score, path.pathway)
        if len(path.steps) >= self.cutoff or any(s.kind == "part_of" for s in path.steps):
            return None
        for following, pathway, step in self._steps(source, path.pathway):
            score = path.score * step.weight
            if following == target and step.kind == key and score >= self.min_score:
                return Path(path.root, (*path.steps, step), score, pathway)
        return None

    def _climb_regions(self, best: dict[tuple[str, Pathway], _Candidate]) -> None:
        """Let each region hit count for the regions it is part of."""
        G = self.G
        queue = sorted(k for k in best if G.nodes[k[0]]["kind"] == "region")
        while queue:
            node, pathway = queue.pop(0)
            score, steps = best[(node, pathway)]
            for _, parent, key, data in sorted(G.out_edges(node, keys=True, data=True)):
                if key != "part_of":
                    continue
                step = self._step(node, parent, key, {**data, "weight": 1.0})
                candidate = (score, (*steps, step))
                if _better(candidate, best.get((parent, pathway))):
                    best[(parent, pathway)] = candidate
                    queue.append((parent, pathway))


def _better(candidate: _Candidate, incumbent: _Candidate | None) -> bool:
    """True if ``candidate`` beats ``incumbent`` in the order of :func:`_path_order`."""
    return incumbent is None or _candidate_order(candidate) < _candidate_order(incumbent)


def _candidate_order(candidate: _Candidate) -> tuple[float, int, int, tuple[str, ...]]:
    score, steps = candidate
    weakest = max((EVIDENCE_GRADES.index(s.evidence) for s in steps), default=0)
    return (-score, len(steps), weakest, tuple(s.target for s in steps))
