"""``myofascial-graph show``: a record with its links and sources, or a source entry."""

from __future__ import annotations

from typing import Any

import networkx as nx

from .display import format_table

__all__ = ["edges_of", "referral_text", "show", "source_text"]

_DETAILS = ("level", "relation", "contraction")


def show(G: nx.MultiDiGraph, node: str) -> tuple[dict[str, Any], str]:
    """The JSON data and the text of a node's record, its edges and their citations."""
    record = G.nodes[node]["record"]
    fields = record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    edges = edges_of(G, node)
    data = {"id": node, "kind": G.nodes[node]["kind"], "record": fields, "edges": edges}
    return data, _show_text(G, node, fields, edges)


def referral_text(G: nx.MultiDiGraph, muscle: str) -> tuple[dict[str, Any], str]:
    """The JSON data and the text of a muscle's referral pattern (``mg.referral``)."""
    from dataclasses import asdict

    from .referral import referral

    pattern = referral(G, muscle)
    data = {
        "muscle": pattern.muscle,
        "trigger_points": list(pattern.trigger_points),
        "zones": [asdict(z) for z in pattern],
    }
    if not len(pattern):
        return data, f"{pattern.label}: no trigger-point records in data/trigger_points.yaml"
    return data, str(pattern)


def source_text(G: nx.MultiDiGraph, source: str) -> tuple[dict[str, Any], str]:
    """The JSON data and the text of a bibliography entry, its type and grade included."""
    record = G.graph["sources"][source]
    data = record.model_dump(mode="json", exclude_none=True)
    cited = sum(source in d.get("sources", ()) for _, _, d in G.edges(data=True))
    lines = [
        f"{source} (source)",
        f"  {record.citation()}",
        f"  type: {record.type}",
        f"  evidence: {record.evidence}",
        f"  cited by: {cited} edge{'s' * (cited != 1)}",
    ]
    if record.note:
        lines.append(f"  note: {record.note}")
    data["cited_by_edges"] = cited
    return data, "\n".join(lines)


def edges_of(G: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """The edges into and out of ``node``, with the nerves they run through and their level."""
    found = []
    for u, v, key, d in [
        *G.in_edges(node, keys=True, data=True),
        *G.out_edges(node, keys=True, data=True),
    ]:
        edge = {"source": u, "kind": d.get("kind", key), "target": v, "weight": d["weight"]}
        edge.update({name: d[name] for name in _DETAILS if d.get(name) is not None})
        if d.get("via"):
            edge["via"] = list(d["via"])
        edge.update(evidence=d["evidence"], sources=list(d["sources"]))
        found.append(edge)
    return found


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node)) if node in G else node


def _show_text(G: nx.MultiDiGraph, node: str, fields: dict[str, Any], edges: list[Any]) -> str:
    data = G.nodes[node]
    lines = [f"{data['label']} ({data['kind']} {node!r})"]
    for key in ("synonyms", "abbreviations", "xrefs", "description", "actions", "note"):
        if key in fields:
            value = fields[key]
            lines.append(f"  {key}: {'; '.join(value) if isinstance(value, list) else value}")
    rows = [
        [
            _label(G, e["source"]),
            e["kind"].replace("_", " "),
            _label(G, e["target"]),
            ", ".join(_label(G, n) for n in e.get("via", ())),
            next((str(e[name]) for name in _DETAILS if name in e), ""),
            f"{e['weight']:g}",
            e["evidence"],
            ", ".join(e["sources"]),
        ]
        for e in edges
    ]
    header = ["from", "edge", "to", "via", "level", "weight", "evidence", "sources"]
    keep = [i for i, name in enumerate(header) if name not in ("via", "level") or any(
        row[i] for row in rows
    )]  # fmt: skip
    table = format_table([header[i] for i in keep], [[row[i] for i in keep] for row in rows])
    lines += ["", table]
    cited = sorted({s for e in edges for s in e["sources"]} | set(fields.get("sources", [])))
    lines += ["", "Sources:"]
    sources = G.graph["sources"]
    lines += [f"  [{s}] {sources[s].citation()} ({sources[s].evidence})" for s in cited]
    return "\n".join(lines)
