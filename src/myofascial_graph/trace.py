"""Trace an irritated root (or a nerve, a muscle) to what it could involve.

A trace starts from each source with score 1 and follows, out of each node,
the edge kinds the metagraph follows from its kind
(``mg.METAGRAPH.following(kind)``; the table of edge kinds in
``docs/data.md``), some only when an option asks (``fascia=``, ``chains=``,
``trigger_points=``).
A structure scores its best path; a region combines the entries of its
sources by the noisy-OR of ``docs/model.md``.  With ``side=``, hits carry
their side (see :mod:`myofascial_graph.engine`).  Results are deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .display import (
    format_table,
    frame,
    html_table,
    plural,
    score_text,
    short_path,
)
from .engine import Engine, Found, label_order, region_score
from .examination import DEFAULT_DERMATOME_MAP
from .exceptions import InvalidArgumentError, NotReachedError
from .names import check_choice
from .paths import (
    PATHWAYS,
    SIDES,
    NodeKey,
    Path,
    Side,
    Step,
    is_key,
    path_order,
    split_key,
)
from .query import node_id
from .results import Explanation, Hit
from .schema import Evidence
from .settings import DEFAULT_CUTOFF, DEFAULT_MIN_SCORE, engine_for, resolve_sources

__all__ = [
    "PATHWAYS",
    "SIDES",
    "Explanation",
    "Hit",
    "Path",
    "Step",
    "Trace",
    "explain",
    "trace",
]

WPI_THRESHOLD = 0.5
"""Regions scoring at least this count as painful when a trace is read as a pain map."""


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
    regions: dict[NodeKey, Hit]
    muscles: dict[NodeKey, float]
    fascia: dict[NodeKey, float]
    parameters: dict[str, Any]
    hits: dict[NodeKey, Hit] = field(repr=False)
    _found: Found = field(repr=False)
    _engine: Engine = field(repr=False)
    side: Side | None = None

    def explain(self, node: NodeKey, *, limit: int = 10) -> Explanation:
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
            For a region, the best path of each source that enters it (the
            root through its dermatome, each structure that lies there), best
            first; for a muscle or fascia, its best paths through each
            neighbour; each step with its edge kind, weight, evidence grade and
            sources.

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
        >>> e = mg.trace(mg.load(), "S1", min_score=0.001).explain("midback")
        >>> e.paths[0].nodes
        ('S1', 'gluteus_maximus', 'thoracolumbar_fascia', 'midback')
        >>> "latissimus_dorsi" in {p.nodes[-2] for p in e}
        True
        """
        graph = self._engine.G
        if not is_key(node):
            raise TypeError(f"node must be an id or name, or (id, side), not {node!r}")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise InvalidArgumentError(f"limit must be a whole number of at least 1, not {limit!r}")
        name, side = split_key(node)
        if side is not None:
            check_choice(side, SIDES, "side")
        node = node_id(graph, name)
        target = node if side is None else (node, side)
        paths = sorted(self._engine.alternatives(target, self._found), key=path_order)[:limit]
        if not paths:
            kind = graph.nodes[node]["kind"]
            reached = [k for k, h in self.hits.items() if h.kind == kind]
            message = f"the trace from {', '.join(self.roots)} does not reach {kind} {target!r}"
            if reached:
                message += f"; it reaches {len(reached)}, e.g. " + ", ".join(map(repr, reached[:3]))
            raise NotReachedError(message)
        sources = graph.graph.get("sources", {})
        cited = {s: sources[s].citation() for p in paths for s in p.sources if s in sources}
        hit = self.hits.get(target)
        label = graph.nodes[node]["label"]
        return Explanation(node, label, tuple(paths), cited, None if hit is None else hit.score)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph the trace ran on."""
        return self._engine.G

    def subgraph(self) -> nx.MultiDiGraph:
        """The nodes and edges of the trace's best paths, each node with its ``score``
        and ``pathway`` (roots score 1); for drawing and export.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> H = mg.trace(mg.load(), "S1").subgraph()
        >>> H.nodes["gluteus_maximus"]["score"], H.nodes["S1"]["kind"]
        (0.5, 'root')
        """
        G = self._engine.G
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

        An unsided trace counts a bilateral region on both sides.  The same as
        :func:`myofascial_graph.wpi.predicted_areas` of the trace's region scores.
        """
        from .wpi import predicted_areas

        return predicted_areas(self.graph, self.region_scores(), threshold)

    def wpi(self, threshold: float = WPI_THRESHOLD) -> int:
        """The Widespread Pain Index of the predicted spread at ``threshold`` (default 0.5).

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> t = mg.trace(mg.load(), "S1")
        >>> t.wpi() <= t.wpi(threshold=0.1)
        True
        """
        return len(self.wpi_areas(threshold))

    def region_scores(self) -> dict[NodeKey, float]:
        """Region key to score, best first."""
        return {key: hit.score for key, hit in self.regions.items()}

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

    def to_frame(self) -> Any:
        """Every hit as a pandas DataFrame (needs pandas): ``id``, ``side``, ``kind``,
        ``label``, ``score``, ``pathway``, ``root``, ``evidence``, ``path`` (as text)."""
        rows = [
            {"id": h.node, "side": h.side, "kind": h.kind, "label": h.label, "score": h.score,
             "pathway": h.pathway, "root": h.root, "evidence": h.path.evidence,
             "path": str(h.path)}
            for h in self.hits.values()
        ]  # fmt: skip
        columns = ["id", "side", "kind", "label", "score", "pathway", "root", "evidence", "path"]
        return frame(rows, columns)

    def _counts(self) -> str:
        return (
            f"{plural(len(self.muscles), 'muscle')}, "
            f"{plural(len(self.fascia), 'fascial structure')}, "
            f"{plural(len(self.regions), 'region')}"
        )

    def _summary(self) -> str:
        side = f" ({self.side})" if self.side else ""
        return (
            f"Trace from {self.source_names}{side}: {self._counts()} "
            f"(cutoff {self.parameters['cutoff']}, min score {self.parameters['min_score']})"
        )

    def _rows(self) -> list[list[str]]:
        return [
            [_sided(h), score_text(h.score), h.pathway, h.path.evidence, short_path(h.path)]
            for h in self.regions.values()
        ]

    def __str__(self) -> str:
        table = format_table(_COLUMNS, self._rows(), right={1})
        muscles = ", ".join(
            f"{_sided(self.hits[m])} {score_text(s)}" for m, s in self.muscles.items()
        )
        return f"{self._summary()}\n\n{table}\n\nmuscles: {muscles or '(none)'}"

    def __repr__(self) -> str:
        return f"<Trace from {self.source_names}: {self._counts()}>"

    @property
    def source_names(self) -> str:
        """Where the trace starts, as written: roots by name, other nodes by label."""
        nodes = self._engine.G.nodes
        return ", ".join(
            r if nodes[r].get("kind") == "root" else nodes[r].get("label", r) for r in self.roots
        )

    def _repr_html_(self) -> str:
        return html_table(_COLUMNS, self._rows(), title=self._summary(), right={1})


_COLUMNS = ["region", "score", "pathway", "evidence", "best path"]


def _sided(hit: Hit) -> str:
    """A hit's label, with its side in a sided trace."""
    return hit.label if hit.side is None else f"{hit.label} ({hit.side})"


def trace(
    G: nx.MultiDiGraph,
    roots: str | Iterable[str],
    *,
    cutoff: int = DEFAULT_CUTOFF,
    min_score: float = DEFAULT_MIN_SCORE,
    fascia: bool = True,
    chains: bool = False,
    trigger_points: bool = False,
    min_evidence: Evidence | None = None,
    weights: Mapping[str, float] | None = None,
    side: Side | None = None,
    dermatome_map: str = DEFAULT_DERMATOME_MAP,
) -> Trace:
    """Trace which muscles, fascia and regions an irritated root (or nerve, or muscle)
    could involve.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`myofascial_graph.load`.
    roots : str or iterable of str
        Where the trace starts, by id, name or synonym: one root (``"S1"``) or
        several (``["L5", "S1"]``), or a nerve (an entrapment: ``"common
        fibular nerve"``), a muscle or a fascia (what it connects to).
    cutoff : int, default 6
        Most edges a path may have (``part_of`` steps up the region
        hierarchy are free).
    min_score : float, default 0.01
        Paths and region entries scoring below this are dropped (a region's
        combined score is never below its best entry's).
    fascia : bool, default True
        Follow fascial continuity (``False`` keeps radicular and myotomal paths).
    chains : bool, default False
        Also follow the myofascial chains (Anatomy Trains lines) between their
        stations; see :func:`chains`.
    trigger_points : bool, default False
        Also follow the referral of myofascial trigger points
        (``data/trigger_points.yaml``): a muscle the trace reaches refers pain to
        its essential and spillover zones, by the ``referred`` pathway.  Off by
        default because the model's strengths were calibrated on radicular pain
        without it, and nothing measures how often an irritated root activates
        trigger points in the muscles it supplies: with it on, a root trace
        reads as if every muscle it reaches had one (an upper bound).  A trace
        from a muscle with it on (and ``fascia=False``) is that muscle's
        referral pattern; with fascia, the muscles it joins refer too, at the
        full referred strength (a path takes the pathway of its last edge).
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
    dermatome_map : str, default "project"
        The dermatome map a root's radicular pathway follows: one of
        ``mg.DERMATOME_MAPS`` (the project's map, on which the scores were
        calibrated, or a published one: ``"lee2008"``, ``"keegan1948"``, ...).

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
    What a score means is in ``docs/model.md``: a structure scores its best
    path; a region the noisy-OR of its sources' entries, each its path times
    the strength of its pathway (``data/model.yaml``).  The edges a trace
    follows are compiled once per graph and kept in ``G.__networkx_cache__``,
    which networkx empties whenever nodes or edges are added or removed
    through its methods; weights, grades and midline flags are read from the
    edges during each trace, so attributes edited in place (say
    ``G.edges["S1", "gluteus_maximus", "innervates"]["weight"] = 0.25``) are
    seen too.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> t = mg.trace(G, "S1")
    >>> t.muscles["gluteus_maximus"]  # S1's share of its supply (L5, S1, S2)
    0.5
    >>> hit = t.regions["buttock"]
    >>> hit.pathway, hit.score > hit.path.score  # several muscles S1 supplies lie there
    ('myotomal', True)
    >>> print(t.regions["buttock"].path)  # doctest: +NORMALIZE_WHITESPACE
    S1 –innervates (primary, via inferior gluteal nerve)→ gluteus maximus –lies in→ buttock

    A sided trace keys its hits by side; the thoracolumbar fascia reaches the
    gluteus maximus of both sides:

    >>> left = mg.trace(G, "C7", side="left", min_score=0.001)
    >>> left.regions[("low_back", "midline")].pathway, left.muscles[("latissimus_dorsi", "left")]
    ('myotomal', 0.5)
    >>> ("gluteus_maximus", "right") in left.muscles
    True

    With trigger points, a muscle refers pain to its zones (``mg.referral``):

    >>> hit = mg.trace(G, "gluteus minimus", trigger_points=True).regions["lateral_leg"]
    >>> hit.pathway, [step.kind for step in hit.path.steps]
    ('referred', ['refers_pain_to'])
    """
    root_ids = resolve_sources(G, roots)
    engine = engine_for(
        G,
        cutoff=cutoff,
        min_score=min_score,
        fascia=fascia,
        chains=chains,
        trigger_points=trigger_points,
        min_evidence=min_evidence,
        weights=weights,
        side=side,
        dermatome_map=dermatome_map,
    )
    found: Found = {}
    for root in root_ids:
        engine.run(root, side, found)
    nodes, order = G._node, engine.pathway_order
    hits: list[Hit] = []
    for found_key, labels in found.items():
        node, node_side = split_key(found_key)
        data = nodes[node]
        if data["kind"] == "region":
            score, best = region_score(labels, order, engine.index.order, engine.climbs)
        else:
            best = labels[0] if len(labels) == 1 else min(labels, key=label_order)
            score = best[0]
        hits.append(
            Hit(
                node,
                data["label"],
                data["kind"],
                score,
                best[4],
                best[1][0],
                node_side,
                best,
                engine,
            )
        )
    hits.sort(key=_hit_order)
    parameters: dict[str, Any] = {
        "cutoff": cutoff,
        "min_score": min_score,
        "fascia": fascia,
        "chains": chains,
        "trigger_points": trigger_points,
        "min_evidence": min_evidence,
        "weights": dict(weights or {}),
        "dermatome_map": dermatome_map,
    }
    by_key = {hit.key: hit for hit in hits}
    return Trace(
        roots=root_ids,
        regions={k: h for k, h in by_key.items() if h.kind == "region"},
        muscles={k: h.score for k, h in by_key.items() if h.kind == "muscle"},
        fascia={k: h.score for k, h in by_key.items() if h.kind == "fascia"},
        parameters=parameters,
        hits=by_key,
        _found=found,
        _engine=engine,
        side=side,
    )


EXPLAIN_MIN_SCORE = 1e-4
"""The minimum score of :func:`explain`: low, so that weak but cited routes show."""


def explain(
    G: nx.MultiDiGraph,
    sources: str | Iterable[str],
    target: NodeKey,
    *,
    limit: int = 5,
    min_score: float = EXPLAIN_MIN_SCORE,
    **trace_options: Any,
) -> Explanation:
    """The cited paths from one or more roots, nerves, muscles or fascia to any node.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    sources : str or iterable of str
        Where the paths start, as for :func:`trace` (ids, names or synonyms).
    target : str or tuple
        The node they lead to: a region, muscle, fascia or nerve (``(id, side)``
        with ``side=``).
    limit : int, default 5
        Most paths to return.
    min_score : float, default 0.0001
        Paths scoring below this are left out.
    **trace_options
        Passed to :func:`trace` (``side``, ``fascia``, ``dermatome_map``, ...).

    Returns
    -------
    Explanation

    Raises
    ------
    NotReachedError
        If no path within the trace's limits leads from the sources to the target.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> e = mg.explain(G, "S1", "neck")
    >>> e.paths[0].evidence  # the seed article's own link is its weakest step
    'expert_opinion'
    >>> mg.explain(G, "gluteus maximus", "tensor fasciae latae").paths[0].nodes
    ('gluteus_maximus', 'iliotibial_tract', 'tensor_fasciae_latae')
    """
    found = trace(G, sources, min_score=min_score, **trace_options)
    return found.explain(target, limit=limit)


def _hit_order(hit: Hit) -> tuple[float, str, str]:
    return (-hit.score, hit.node, hit.side or "")
