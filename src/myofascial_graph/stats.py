"""Summary figures of a knowledge graph: counts, cross-references, citations, evidence."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from .metagraph import NODE_KINDS
from .query import require_graph
from .schema import EVIDENCE_GRADES

__all__ = ["stats"]


def stats(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Count what the graph holds and how well it is cross-referenced and cited.

    Returns
    -------
    dict
        ``nodes`` (count per kind), ``edges`` (count per edge kind),
        ``xrefs`` (per node kind, the share of records with a UBERON and with
        an FMA id), ``muscles_rooted`` (share of muscles with a segmental
        root), ``edges_cited`` (share of edges citing a source), ``evidence``
        (edges per grade), ``chains`` and ``sources`` (counts).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> figures = mg.stats(mg.load())
    >>> figures["nodes"]["root"], figures["edges_cited"], figures["muscles_rooted"] < 1.0
    (31, 1.0, True)
    """
    require_graph(G)
    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    edges = Counter(kind for *_, kind in G.edges(data="kind"))
    evidence = Counter(grade for *_, grade in G.edges(data="evidence"))
    cited = sum(bool(d.get("sources")) for *_, d in G.edges(data=True))
    muscles = [n for n, kind in G.nodes(data="kind") if kind == "muscle"]
    rooted = sum(
        any(
            G.nodes[u]["kind"] == "root"
            for u, _, k in G.in_edges(m, keys=True)
            if k == "innervates"
        )
        for m in muscles
    )
    return {
        "nodes": {kind: kinds[kind] for kind in NODE_KINDS},
        "edges": dict(sorted(edges.items())),
        "xrefs": {kind: _xref_shares(G, kind) for kind in ("nerve", "muscle", "fascia", "region")},
        "muscles_rooted": _share(rooted, len(muscles)),
        "edges_cited": _share(cited, G.number_of_edges()),
        "evidence": {grade: evidence[grade] for grade in EVIDENCE_GRADES},
        "chains": len(G.graph.get("chains", {})),
        "sources": len(G.graph.get("sources", {})),
    }


def _xref_shares(G: nx.MultiDiGraph, kind: str) -> dict[str, float]:
    records = [d["record"] for _, d in G.nodes(data=True) if d["kind"] == kind]
    return {
        prefix: _share(sum(any(x.startswith(prefix + ":") for x in r.xrefs) for r in records),
                       len(records))
        for prefix in ("UBERON", "FMA")
    }  # fmt: skip


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
