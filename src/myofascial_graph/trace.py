"""Trace an irritated root to the muscles, fascia and regions it could involve.

Semantics
---------
Each root starts with score 1.  A path's score is the product of the weights
of its edges; a node's score is that of its best path (ties: fewer steps,
stronger evidence, then ids in order), and with several roots, of the best
path from any of them.  With ``side=``, hits carry their side (see
:mod:`myofascial_graph.search`).  A
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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from numbers import Real
from typing import Any

import networkx as nx

from .display import explanation_html, explanation_text, trace_html, trace_text
from .exceptions import NotReachedError
from .names import require_str
from .query import node_id
from .schema import EVIDENCE_GRADES, Evidence
from .search import (
    FOLLOWED_KINDS,
    PATHWAYS,
    SIDES,
    Candidate,
    Found,
    Path,
    Pathway,
    Search,
    Side,
    Step,
    best_candidate,
    is_key,
    path_order,
)
from .wpi import widespread_pain_index, wpi_areas

__all__ = ["PATHWAYS", "SIDES", "Explanation", "Hit", "Path", "Step", "Trace", "trace"]

WPI_THRESHOLD = 0.5
"""Regions scoring at least this count as painful when a trace is read as a pain map."""

DEFAULT_CUTOFF = 6
DEFAULT_MIN_SCORE = 0.1


@dataclass(frozen=True)
class Hit:
    """A node reached by a trace: its best score, pathway, root and path.

    The path is built when first asked for, so a trace stays cheap when only
    scores are read.
    """

    node: str
    label: str
    kind: str
    score: float
    pathway: Pathway
    root: str
    side: Side | None
    _make_path: Callable[[], Path] = field(repr=False, compare=False)

    @property
    def key(self) -> Any:
        """How the trace keys this hit: the id, or ``(id, side)`` in a sided trace."""
        return self.node if self.side is None else (self.node, self.side)

    @cached_property
    def path(self) -> Path:
        """The best path to the node (ties broken by :func:`path_order`)."""
        return self._make_path()

    @classmethod
    def _of(cls, node: str, data: Mapping[str, Any], best: Candidate, search: Search) -> Hit:
        """The hit for ``best``, the best candidate a search found for ``node``."""
        hit = object.__new__(cls)
        # filled in one go: a frozen dataclass's __init__ sets fields one by one, 4x slower,
        # and a trace makes a hit for every node it reaches
        hit.__dict__.update(
            node=node,
            label=data["label"],
            kind=data["kind"],
            score=best.score,
            pathway=best.pathway,
            root=best.root,
            side=best.side,
            _make_path=partial(search.path, best),
        )
        return hit


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
        Region key to :class:`Hit`, best first.  Keys are region ids, or in a
        sided trace ``(region_id, side)`` with side ``"left"``, ``"right"`` or
        ``"midline"``.
    muscles : dict
        Muscle key (id, or ``(id, side)``) to score, best first.
    fascia : dict
        Fascia key to score, best first.
    parameters : dict
        The parameters the trace ran with.
    side : str or None
        The side of the irritated roots, or None for an unsided trace.
    """

    roots: tuple[str, ...]
    regions: dict[Any, Hit]
    muscles: dict[Any, float]
    fascia: dict[Any, float]
    parameters: dict[str, Any]
    hits: dict[Any, Hit] = field(repr=False)
    _found: Found = field(repr=False)
    _search: Search = field(repr=False)
    side: Side | None = None

    def explain(self, node: Any, *, limit: int = 10) -> Explanation:
        """Explain how the trace reaches a region (or a muscle or fascia).

        Parameters
        ----------
        node : str or tuple
            A node id or an unambiguous name (``"neck"``, ``"low back"``); in a
            sided trace also ``(id, side)``, while an id alone explains every side.
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
        TypeError, ValueError
            If ``node`` or ``limit`` is of the wrong type or out of range.

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
        if not is_key(node):
            raise TypeError(f"node must be an id or name, or (id, side), not {node!r}")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(f"limit must be a whole number of at least 1, not {limit!r}")
        name, side = (node, None) if isinstance(node, str) else node
        if side is not None and side not in SIDES:
            raise ValueError(f"side must be one of {list(SIDES)}, not {side!r}")
        node = node_id(graph, name)
        target = node if side is None else (node, side)
        paths = sorted(self._search.alternatives(target, self._found), key=path_order)[:limit]
        if not paths:
            kind = graph.nodes[node]["kind"]
            reached = [k for k, h in self.hits.items() if h.kind == kind]
            message = f"the trace from {', '.join(self.roots)} does not reach {kind} {target!r}"
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
        best: dict[str, Hit] = {}
        for hit in self.hits.values():  # in a sided trace, a node's best side
            best.setdefault(hit.node, hit)
        for hit in self.hits.values():
            for node in hit.path.nodes:
                if node not in H:
                    H.add_node(node, **G.nodes[node])
            for step in hit.path.steps:
                data = G.edges[step.source, step.target, step.kind]
                H.add_edge(step.source, step.target, key=step.kind, **data)
        for node, data in H.nodes(data=True):
            reached = best.get(node)
            data["score"] = 1.0 if reached is None else reached.score
            data["pathway"] = "root" if reached is None else reached.pathway
        return H

    def wpi_areas(self, threshold: float = WPI_THRESHOLD) -> set[str]:
        """The WPI areas of the regions reached with at least ``threshold`` score.

        An unsided trace counts a bilateral region on both sides.
        """
        if not isinstance(threshold, Real):
            raise TypeError(f"threshold must be a number, not {type(threshold).__name__}")
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
                **({} if h.side is None else {"side": h.side}),
                "label": h.label,
                "score": round(h.score, 6),
                "pathway": h.pathway,
                "root": h.root,
                "evidence": h.path.evidence,
                "path": [step.to_dict() for step in h.path.steps],
            }

        return {
            "roots": list(self.roots),
            "side": self.side,
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
    side: Side | None = None,
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
        Multipliers between 0 and 1 per edge kind a trace follows (``chain``,
        ``continuous_with``, ``dermatome``, ``innervates``, ``lies_in``), e.g.
        ``{"continuous_with": 0.3}``.
    side : {"left", "right"}, optional
        The side of the irritated roots.  Every hit then carries its side:
        ``regions`` and ``muscles`` are keyed by ``(id, side)``, midline
        regions by ``(id, "midline")``; fascial junctions and chain
        transitions that cross the midline give contralateral hits.

    Returns
    -------
    Trace

    Raises
    ------
    UnknownIdError
        If a root is not in the graph (the message suggests the nearest).
    ValueError
        If a parameter is out of range.
    TypeError
        If a root name, ``min_score`` or ``weights`` is of the wrong type.

    Notes
    -----
    The edges a trace follows are compiled once per graph and settings and
    kept in ``G.__networkx_cache__``, which networkx empties whenever nodes
    or edges are added or removed through its methods.  Each trace checks
    what it reuses against the graph, so attributes edited in place (say
    ``G.edges["S1", "gluteus_maximus", "innervates"]["weight"] = 0.5``) are
    seen too.  ``G.__networkx_cache__ = None`` keeps nothing on the graph.

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

    A sided trace keys its hits by side; the thoracolumbar fascia reaches the
    gluteus maximus of both sides:

    >>> left = mg.trace(G, "C7", side="left")
    >>> left.regions[("low_back", "midline")].score, left.muscles[("latissimus_dorsi", "left")]
    (1.0, 1.0)
    >>> ("gluteus_maximus", "right") in left.muscles
    True
    """
    root_ids = _resolve_roots(G, roots)
    _check_parameters(cutoff, min_score, min_evidence, weights)
    rank_limit = (
        len(EVIDENCE_GRADES) if min_evidence is None else EVIDENCE_GRADES.index(min_evidence)
    )
    if side not in (None, "left", "right"):
        raise ValueError(f"side must be 'left', 'right' or None, not {side!r}")
    search = Search(
        G, cutoff, min_score, (fascia, chains), rank_limit, dict(weights or {}), side is not None
    )
    found: Found = {}
    for root in root_ids:
        search.run(root, side, found)
    hits: dict[Any, Hit] = {}
    for found_key, candidates in found.items():
        best = best_candidate(candidates)
        node = found_key if side is None else found_key[0]
        hits[found_key] = Hit._of(node, G._node[node], best, search)
    ordered = sorted(
        hits.items(), key=lambda item: (-item[1].score, item[1].node, item[1].side or "")
    )
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
        regions={k: h for k, h in ordered if h.kind == "region"},
        muscles={k: h.score for k, h in ordered if h.kind == "muscle"},
        fascia={k: h.score for k, h in ordered if h.kind == "fascia"},
        parameters=parameters,
        hits=dict(ordered),
        _found=found,
        _search=search,
        side=side,
    )


def _resolve_roots(G: nx.MultiDiGraph, roots: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(roots, str):
        names = [roots]
    elif isinstance(roots, Iterable):
        names = [require_str(name, "a root name") for name in roots]
    else:
        kind = type(roots).__name__
        raise TypeError(f"roots must be a root name or an iterable of them, not {kind}")
    if not names:
        raise ValueError("trace needs at least one root")
    return tuple(dict.fromkeys(node_id(G, name, kind="root") for name in names))


def _check_parameters(
    cutoff: int, min_score: float, min_evidence: str | None, weights: Mapping[str, float] | None
) -> None:
    if not isinstance(cutoff, int) or isinstance(cutoff, bool) or cutoff < 1:
        raise ValueError(f"cutoff must be a whole number of at least 1, not {cutoff!r}")
    if not isinstance(min_score, Real):
        raise TypeError(f"min_score must be a number, not {type(min_score).__name__}")
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(f"min_score must be between 0 and 1, not {min_score!r}")
    if min_evidence is not None and min_evidence not in EVIDENCE_GRADES:
        raise ValueError(
            f"min_evidence must be one of {list(EVIDENCE_GRADES)}, not {min_evidence!r}"
        )
    if weights is not None and not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of edge kinds, not {type(weights).__name__}")
    for kind, value in (weights or {}).items():
        if kind not in FOLLOWED_KINDS:
            raise ValueError(f"weights are for the edge kinds {list(FOLLOWED_KINDS)}, not {kind!r}")
        if not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0 and math.isfinite(value)):
            raise ValueError(f"weight for {kind!r} must be between 0 and 1, not {value!r}")
