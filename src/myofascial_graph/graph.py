"""Build the typed ``networkx.MultiDiGraph`` from validated records.

Nodes are keyed by record id and carry ``kind`` (root, nerve, muscle, fascia,
region), ``label`` and ``record`` (the validated pydantic record).

Edges point from the cause to what it affects, and the edge key is the edge
kind, as in obonet.  Every edge has ``kind``, ``weight`` in (0, 1], ``sources``
(a tuple of source ids) and ``evidence`` (the grade of the claim).  The only
edges allowed are the ``(source kind, edge kind, target kind)`` triples of
:data:`EDGE_TYPES`:

========  ===============  ========  ===============================================
source    edge kind        target    meaning
========  ===============  ========  ===============================================
root      supplies         nerve     the root sends fibres into the nerve
root      innervates       muscle    segmental innervation (primary 1.0, secondary 0.5)
nerve     innervates       muscle    the nerve supplies the muscle
root      dermatome        region    the root's skin area: where it refers pain
muscle    lies_in          region    where the muscle lies
fascia    lies_in          region    where the fascial structure lies
muscle    continuous_with  fascia    a muscle joins a fascia (both directions)
fascia    continuous_with  muscle
region    part_of          region    region hierarchy, child to parent
muscle    part_of          muscle    a head or part of a muscle, to the whole
activity  loads            muscle    an activity works the muscle (key ``loads:<contraction>``)
intervention targets       muscle    an intervention works the muscle (key
                                     ``targets:<contraction>``)
muscle    chain            muscle    consecutive stations of a myofascial chain (both
                                     directions; ``chains`` names the chains, and
                                     ``crosses_midline`` marks a change of side)
========  ===============  ========  ===============================================

Chain edges join muscles and fascia in any combination.  Dataset-wide
information is kept in ``G.graph``: ``name``, ``sources`` (source id to
:class:`~myofascial_graph.schema.SourceRecord`), ``chains`` (chain id to
:class:`~myofascial_graph.schema.ChainRecord`) and ``files`` (the files loaded,
in order).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from .schema import EVIDENCE_GRADES, LEVEL_WEIGHTS, Evidence, SourceRecord

if TYPE_CHECKING:
    from .loading import Dataset

__all__ = ["EDGE_TYPES", "NODE_KINDS", "SchemaError", "add_edge", "build_graph"]

NODE_KINDS: tuple[str, ...] = (
    "root", "nerve", "muscle", "fascia", "region", "activity", "intervention", "condition"
)  # fmt: skip
"""The kinds of node: the anatomy in the order of a trace (causes first), then the
clinical layer."""

EDGE_TYPES: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("root", "supplies", "nerve"),
        ("root", "innervates", "muscle"),
        ("nerve", "innervates", "muscle"),
        ("root", "dermatome", "region"),
        ("muscle", "lies_in", "region"),
        ("fascia", "lies_in", "region"),
        ("muscle", "continuous_with", "fascia"),
        ("fascia", "continuous_with", "muscle"),
        ("region", "part_of", "region"),
        ("muscle", "part_of", "muscle"),
        ("muscle", "chain", "muscle"),
        ("muscle", "chain", "fascia"),
        ("fascia", "chain", "muscle"),
        ("fascia", "chain", "fascia"),
        ("activity", "loads", "muscle"),
        ("intervention", "targets", "muscle"),
    }
)
"""The allowed ``(source kind, edge kind, target kind)`` triples."""


class SchemaError(ValueError):
    """An edge that :data:`EDGE_TYPES` does not allow."""


def add_edge(
    G: nx.MultiDiGraph, u: str, v: str, kind: str, *, key: str | None = None, **attrs: Any
) -> None:
    """Add an edge of ``kind`` (keyed by ``key``, default the kind) from ``u`` to ``v``,
    refusing what the schema does not allow.

    Raises
    ------
    SchemaError
        If either node is missing or the triple is not in :data:`EDGE_TYPES`.
    """
    if u not in G or v not in G:
        missing = u if u not in G else v
        raise SchemaError(f"cannot add a {kind!r} edge: node {missing!r} is not in the graph")
    triple = (G.nodes[u]["kind"], kind, G.nodes[v]["kind"])
    if triple not in EDGE_TYPES:
        allowed = sorted(t for t in EDGE_TYPES if t[1] == kind)
        raise SchemaError(f"edge {u!r} -{kind}-> {v!r} is a {triple}, allowed are {allowed}")
    G.add_edge(u, v, key=key or kind, kind=kind, **attrs)


def build_graph(dataset: Dataset, name: str = "myofascial_graph") -> nx.MultiDiGraph:
    """Turn a validated :class:`~myofascial_graph.loading.Dataset` into the graph."""
    chains = {key: entry.record for key, entry in dataset.get("chain").items()}
    G = nx.MultiDiGraph(
        name=name, sources=dataset.sources, chains=chains, files=list(dataset.files)
    )
    for kind in NODE_KINDS:
        for node_id, entry in dataset.get(kind).items():
            label = entry.record.label  # type: ignore[union-attr]
            G.add_node(node_id, kind=kind, label=label, record=entry.record)
    cite = _Citer(dataset.sources)
    for node_id, entry in dataset.get("root").items():
        for link in entry.record.dermatome:  # type: ignore[union-attr]
            add_edge(G, node_id, link.id, "dermatome", weight=link.weight, **cite(entry, link))
    for node_id, entry in dataset.get("nerve").items():
        for root in entry.record.roots:  # type: ignore[union-attr]
            weight = LEVEL_WEIGHTS[root.level]
            attrs = cite(entry, root)
            add_edge(G, root.root, node_id, "supplies", weight=weight, level=root.level, **attrs)
    for node_id, entry in dataset.get("muscle").items():
        record: Any = entry.record
        for link in record.nerves:
            add_edge(G, link.id, node_id, "innervates", weight=link.weight, **cite(entry, link))
        for root in record.roots:
            via = tuple(n.id for n in record.nerves if G.has_edge(root.root, n.id, "supplies"))
            attrs = cite(entry, root)
            weight = LEVEL_WEIGHTS[root.level]
            add_edge(
                G,
                root.root,
                node_id,
                "innervates",
                weight=weight,
                level=root.level,
                via=via,
                **attrs,
            )
        for link in record.regions:
            add_edge(G, node_id, link.id, "lies_in", weight=link.weight, **cite(entry, link))
        for whole in record.part_of:
            add_edge(G, node_id, whole, "part_of", weight=1.0, **cite(entry, None))
    for node_id, entry in dataset.get("fascia").items():
        record = entry.record
        for join in record.muscles:
            attrs = {
                "weight": join.weight,
                "relation": join.relation,
                "crosses_midline": join.crosses_midline,
                **cite(entry, join),
            }
            add_edge(G, join.muscle, node_id, "continuous_with", **attrs)
            add_edge(G, node_id, join.muscle, "continuous_with", **attrs)
        for link in record.regions:
            add_edge(G, node_id, link.id, "lies_in", weight=link.weight, **cite(entry, link))
    for node_id, entry in dataset.get("region").items():
        for parent in entry.record.part_of:  # type: ignore[union-attr]
            add_edge(G, node_id, parent, "part_of", weight=1.0, **cite(entry, None))
    for entry in dataset.get("chain").values():
        _add_chain(G, entry, cite)
    for kind, field, edge in (
        ("activity", "loads", "loads"),
        ("intervention", "targets", "targets"),
    ):
        for node_id, entry in dataset.get(kind).items():
            for link in getattr(entry.record, field):
                _add_load(G, node_id, link, edge, cite(entry, link))
    return G


def _add_load(G: nx.MultiDiGraph, node: str, link: Any, kind: str, attrs: dict[str, Any]) -> None:
    """One edge per (activity, muscle, contraction); repeated claims merge their provenance."""
    key = f"{kind}:{link.contraction}"
    phase = (link.phase,) if link.phase else ()
    if not G.has_edge(node, link.muscle, key):
        add_edge(
            G,
            node,
            link.muscle,
            kind,
            key=key,
            weight=link.weight,
            contraction=link.contraction,
            reciprocal=link.reciprocal,
            phases=phase,
            **attrs,
        )
        return
    data = G.edges[node, link.muscle, key]
    data["sources"] = tuple(dict.fromkeys((*data["sources"], *attrs["sources"])))
    data["evidence"] = strongest([data["evidence"], attrs["evidence"]])
    data["reciprocal"] = data["reciprocal"] or link.reciprocal
    data["phases"] = (*data["phases"], *phase)
    if "note" in attrs:
        data["note"] = " / ".join(filter(None, [data.get("note"), attrs["note"]]))
    data["weight"] = max(data["weight"], link.weight)


def _add_chain(G: nx.MultiDiGraph, entry: Any, cite: _Citer) -> None:
    """Join consecutive stations of a chain both ways; merge chains that share a link."""
    for link in entry.record.transitions:
        attrs = cite(entry, link)
        for u, v in ((link.source, link.target), (link.target, link.source)):
            if G.has_edge(u, v, "chain"):
                data = G.edges[u, v, "chain"]
                data["chains"] = (*data["chains"], entry.id)
                data["sources"] = tuple(dict.fromkeys((*data["sources"], *attrs["sources"])))
                data["evidence"] = strongest([data["evidence"], attrs["evidence"]])
                data["weight"] = max(data["weight"], link.weight)
                data["crosses_midline"] = data["crosses_midline"] or link.crosses_midline
            else:
                add_edge(
                    G,
                    u,
                    v,
                    "chain",
                    weight=link.weight,
                    chains=(entry.id,),
                    crosses_midline=link.crosses_midline,
                    **attrs,
                )


class _Citer:
    """Works out the ``sources``, ``evidence`` and ``note`` of an edge."""

    def __init__(self, sources: dict[str, SourceRecord]) -> None:
        self.grades = {key: source.evidence for key, source in sources.items()}

    def __call__(self, entry: Any, link: Any) -> dict[str, Any]:
        sources: tuple[str, ...] = (link.sources if link else ()) or entry.record.sources
        evidence = getattr(link, "evidence", None) or strongest(self.grades[s] for s in sources)
        attrs: dict[str, Any] = {"sources": sources, "evidence": evidence}
        note = getattr(link, "note", None)
        if note:
            attrs["note"] = note
        return attrs


def strongest(grades: Iterable[Evidence]) -> Evidence:
    """Return the strongest of some evidence grades (see :data:`EVIDENCE_GRADES`).

    Examples
    --------
    >>> strongest(["expert_opinion", "textbook"])
    'textbook'
    """
    return min(grades, key=EVIDENCE_GRADES.index)
