"""Connection diagrams, drawn with matplotlib (imported only when drawing).

:func:`draw` lays a trace (or a graph) out in five columns — roots, nerves,
muscles, fascia, regions — with the metagraph's colour and line style per edge
kind and line width by score; it takes ``ax=``, returns the Axes and never
calls ``plt.show()``.  Colours are the Okabe-Ito palette, which stays distinct
for colour-blind readers.  Body maps are drawn by :mod:`~myofascial_graph.bodymap`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .display import score_text
from .exceptions import InvalidArgumentError
from .metagraph import METAGRAPH, Metagraph, metagraph_of
from .names import check_choice
from .paths import SIDES, split_key
from .query import node_id, require_graph
from .schema import EVIDENCE_GRADES
from .trace import Hit, Trace

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["COLUMNS", "EDGE_STYLES", "EVIDENCE_ALPHA", "KIND_COLORS", "draw", "edge_styles"]

COLUMNS: tuple[str, ...] = ("root", "nerve", "muscle", "fascia", "region")
"""The columns of a connection diagram, left to right."""

MPL_LINESTYLES: dict[str, Any] = {
    "solid": "-",
    "dashed": "--",
    "dotted": ":",
    "dashdot": "-.",
    "sparse": (0, (1, 3)),
}
"""The matplotlib line style of each of the metagraph's line styles."""

KIND_COLORS: dict[str, str] = {
    name: kind.style.color for name, kind in METAGRAPH.kinds.items() if kind.style
}
"""Okabe-Ito colours of the node kinds (from the metagraph)."""

EDGE_STYLES: dict[str, dict[str, Any]] = {
    name: {"color": kind.style.color, "linestyle": MPL_LINESTYLES[kind.line]}
    for name, kind in METAGRAPH.items()
}
"""Line colour and style of each edge kind of the shipped metagraph."""


EVIDENCE_ALPHA: dict[str, float] = {
    "textbook": 0.9,
    "dissection": 0.8,
    "experimental": 0.7,
    "review": 0.6,
    "web_reference": 0.5,
    "clinical_model": 0.4,
    "expert_opinion": 0.3,
}
"""How opaque a diagram line is for its evidence grade: the weaker, the fainter."""

EVIDENCE_TAGS: dict[str, str] = {"clinical_model": "model", "expert_opinion": "opinion"}
"""The grades whose lines are also tagged in words at their middle."""

BOX_Z, LINE_Z = 1.0, 2.0
"""Drawing order: label boxes, then the lines over them, then dots and the words."""


def edge_styles(metagraph: Metagraph) -> dict[str, dict[str, Any]]:
    """Line colour and matplotlib style of each edge kind of ``metagraph``."""
    return {
        name: {"color": kind.style.color, "linestyle": MPL_LINESTYLES[kind.line]}
        for name, kind in metagraph.items()
    }


def draw(
    obj: Trace | nx.MultiDiGraph,
    *,
    ax: Axes | None = None,
    top: int = 12,
    regions: Iterable[Any] | None = None,
    labels: bool = True,
    **kwargs: Any,
) -> Axes:
    """Draw a layered connection diagram: roots | nerves | muscles | fascia | regions.

    Parameters
    ----------
    obj : Trace or networkx.MultiDiGraph
        A trace (its best paths to its ``top`` regions are drawn, the nerves
        that carry each segmental step included), or a graph or subgraph (all
        of it).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the diagram by default.
    top : int, default 12
        For a trace, how many regions to draw: the best of each pathway in
        turn (radicular, myotomal, myofascial, ...), so that every kind of spread
        shows.
    regions : iterable of str, optional
        For a trace, the regions to draw instead (ids or names).
    labels : bool, default True
        Write each node's label (with its score for a trace).
    **kwargs
        Passed to ``ax.text`` for the node labels (e.g. ``fontsize=8``).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> ax = mg.draw(mg.trace(mg.load(), "S1"), top=6)
    >>> "gluteus maximus 0.50" in [t.get_text() for t in ax.texts]
    True
    """
    import matplotlib.pyplot as plt

    if not isinstance(obj, Trace):
        require_graph(obj, "obj (a trace or a graph)")
    nodes, edges, scores = _diagram(obj, top, regions)
    columns = {kind: [n for n in nodes if nodes[n] == kind] for kind in COLUMNS}
    _order_columns(columns, edges, scores)
    tallest = max((len(c) for c in columns.values()), default=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(13, max(4.0, 0.42 * tallest + 1.5)))
    positions = {
        node: (index, 1 - (row + 0.5) / max(len(columns[kind]), 1))
        for index, kind in enumerate(COLUMNS)
        for row, node in enumerate(columns[kind])
    }
    graph = obj.graph if isinstance(obj, Trace) else obj
    styles = edge_styles(metagraph_of(graph))
    for (u, v, kind), evidence in edges.items():
        style = styles.get(kind, {"color": "#555555", "linestyle": "-"})
        width = 0.6 + 2.4 * scores.get(v, 0.5)
        (x0, y0), (x1, y1) = positions[u], positions[v]
        ax.plot(
            [x0 + 0.06, x1 - 0.06],
            [y0, y1],
            linewidth=width,
            alpha=EVIDENCE_ALPHA.get(evidence, 0.75),
            zorder=LINE_Z,
            solid_capstyle="round",
            **style,
        )
        if evidence in EVIDENCE_TAGS:
            _tag(ax, ((x0 + x1) / 2, (y0 + y1) / 2), EVIDENCE_TAGS[evidence], style["color"])
    text_style = {"fontsize": 8.5, **kwargs}
    for node, (x, y) in positions.items():
        kind = nodes[node]
        label = graph.nodes[_node(node)].get("label", node)
        if kind == "root":
            label = _node(node)
        if "@" in node:
            label += {"left": " (L)", "right": " (R)", "midline": ""}[node.split("@")[1]]
        if node in scores and kind in ("muscle", "fascia", "region") and isinstance(obj, Trace):
            label = f"{label} {score_text(scores[node])}"
        ax.scatter([x], [y], s=40, color=KIND_COLORS[kind], zorder=LINE_Z + 1, edgecolors="white")
        if labels:  # the box under the lines, the words over them: no line vanishes
            box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85,
                   "edgecolor": KIND_COLORS[kind], "linewidth": 0.8}  # fmt: skip
            where = {"ha": "center", "va": "bottom", **text_style}
            ax.text(x, y + 0.012, label, color="none", zorder=BOX_Z, bbox=box, **where)
            ax.text(x, y + 0.012, label, zorder=LINE_Z + 2, gid="label", **where)
    for index, kind in enumerate(COLUMNS):
        title = {"fascia": "fascia"}.get(kind, kind + "s")
        ax.text(
            index,
            1.04,
            title,
            ha="center",
            va="bottom",
            fontsize=11,
            fontweight="bold",
            color=KIND_COLORS[kind],
        )
    _legend(ax, {kind for _, _, kind in edges}, styles, set(edges.values()))
    ax.set_xlim(-0.55, len(COLUMNS) - 0.45)
    ax.set_ylim(-0.02, 1.1)
    ax.set_axis_off()
    if isinstance(obj, Trace):
        count = len(columns["region"])
        roots = obj.source_names + (f" ({obj.side})" if obj.side else "")
        ax.set_title(f"Trace from {roots}: best paths to {count} regions", loc="left", fontsize=11)
    return ax


def _chosen(trace: Trace, top: int, regions: Iterable[Any] | None) -> list[Hit]:
    """The region hits to draw: those named, or the best of each pathway in turn."""
    chosen: list[Hit] = []
    if regions is not None:
        for item in regions:
            chosen += _named(trace, item)
        if not chosen:
            raise InvalidArgumentError("regions= names no region to draw")
        return chosen
    metagraph = metagraph_of(trace.graph)
    climbs = {kind.name for kind in metagraph.values() if kind.climb}
    direct = [h for h in trace.regions.values() if h.path.steps[-1].kind not in climbs]
    queues = [[h for h in direct if h.pathway == p] for p in metagraph.pathways]
    while len(chosen) < top and any(queues):
        for queue in queues:
            if queue and len(chosen) < top:
                chosen.append(queue.pop(0))
    return sorted(chosen, key=lambda h: (-h.score, h.node))


def _named(trace: Trace, item: Any) -> list[Hit]:
    """The hits of a region named as ``id`` or ``(id, side)``; an error if there are none."""
    name, side = split_key(item)
    node = node_id(trace.graph, name, kind="region")
    if side is not None:
        check_choice(side, SIDES, f"the side of region {name!r}")
        if trace.side is None:
            raise InvalidArgumentError(
                f"region {name!r} is given a side ({side}), but the trace has none; "
                "trace with a side (side=, --side) or name the region alone"
            )
    found = [h for h in trace.regions.values() if h.node == node and side in (None, h.side)]
    if not found:
        reached = sorted({h.side or "" for h in trace.regions.values() if h.node == node})
        where = f" on the {side} side; it reaches it on {', '.join(reached)}" if reached else ""
        raise InvalidArgumentError(f"the trace does not reach region {node!r}{where}")
    return found


def _diagram(
    obj: Trace | nx.MultiDiGraph, top: int, regions: Iterable[Any] | None
) -> tuple[dict[str, str], dict[tuple[str, str, str], str], dict[str, float]]:
    """Nodes (id to kind), edges ((u, v, kind) to the weakest evidence grade drawn
    for them) and scores to draw."""
    nodes: dict[str, str] = {}
    edges: dict[tuple[str, str, str], str] = {}
    scores: dict[str, float] = {}
    if isinstance(obj, Trace):
        graph = obj.graph
        for hit in _chosen(obj, top, regions):
            keys = [_name(k) for k in hit.path.keys]
            for step, u, v in zip(hit.path.steps, keys, keys[1:], strict=False):
                for a, b, kind, evidence in _expand(graph, step.source, step.target, step.kind):
                    a = u if a == step.source else _name((a, step.side) if step.side else a)
                    b = v if b == step.target else _name((b, step.side) if step.side else b)
                    _keep_weakest(edges, (a, b, kind), evidence or step.evidence)
            for found_key, name in zip(hit.path.keys, keys, strict=True):
                scores[name] = obj.hits[found_key].score if found_key in obj.hits else 1.0
        for u, v, _ in edges:
            for name in (u, v):
                nodes[name] = graph.nodes[_node(name)]["kind"]
                scores.setdefault(name, scores.get(u, 1.0))
    else:
        for node, kind in obj.nodes(data="kind"):
            if kind in COLUMNS:
                nodes[node] = kind
        for u, v, data in obj.edges(data=True):
            if u in nodes and v in nodes and nodes[u] != nodes[v]:
                _keep_weakest(edges, (u, v, data.get("kind")), data.get("evidence", "textbook"))
    return nodes, edges, scores


def _keep_weakest(
    edges: dict[tuple[str, str, str], str], edge: tuple[str, str, str], evidence: str
) -> None:
    """Record ``edge`` with the weaker of its evidence grades so far and ``evidence``."""
    held = edges.get(edge)
    if held is None or EVIDENCE_GRADES.index(evidence) > EVIDENCE_GRADES.index(held):
        edges[edge] = evidence


def _name(found_key: Any) -> str:
    """A diagram name for a trace key: the id, or ``id@side``."""
    return found_key if isinstance(found_key, str) else "@".join(found_key)


def _node(name: str) -> str:
    return name.split("@", 1)[0]


def _expand(
    graph: nx.MultiDiGraph, u: str, v: str, kind: str
) -> list[tuple[str, str, str, str | None]]:
    """A step drawn through the nodes that carry it (root -> nerve -> muscle), as the
    metagraph's ``via`` declarations name them, each part with its evidence grade
    (None: the step's own)."""
    via = graph.edges[u, v, kind].get("via", ()) if graph.has_edge(u, v, kind) else ()
    edge_kind = metagraph_of(graph).get(kind)
    carriers = [d.via[1] for d in edge_kind.declarations if d.via] if edge_kind else []
    if not (via and carriers):
        return [(u, v, kind, None)]
    parts: list[tuple[str, str, str, str | None]] = []
    for nerve in via:
        carried = graph.get_edge_data(u, nerve, carriers[0]) or {}
        parts += [(u, nerve, carriers[0], carried.get("evidence")), (nerve, v, kind, None)]
    return parts


def _order_columns(
    columns: dict[str, list[str]],
    edges: Mapping[tuple[str, str, str], str],
    scores: Mapping[str, float],
) -> None:
    """Order each column by the mean position of its neighbours to the left (fewer crossings)."""
    columns["root"].sort()
    columns["region"].sort(key=lambda n: (-scores.get(n, 0), n))
    rank: dict[str, float] = {n: i for i, n in enumerate(columns["root"])}
    for kind in ("nerve", "muscle", "fascia"):
        for node in columns[kind]:
            left = [rank[u] for u, v, _ in edges if v == node and u in rank]
            rank[node] = sum(left) / len(left) if left else len(rank)
        columns[kind].sort(key=lambda n: (rank[n], -scores.get(n, 0), n))
        rank.update({n: i for i, n in enumerate(columns[kind])})


def _legend(ax: Axes, kinds: set[str], styles: dict[str, dict[str, Any]], grades: set[str]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([0], [0], label=kind.replace("_", " "), linewidth=2, **styles[kind])
        for kind in styles
        if kind in kinds
    ]
    handles += [
        Line2D(
            [0],
            [0],
            label=grade.replace("_", " "),
            linewidth=2.5,
            color="#333333",
            alpha=EVIDENCE_ALPHA[grade],
        )
        for grade in EVIDENCE_GRADES
        if grade in grades
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=min(len(handles), 8),
        frameon=False,
        fontsize=9,
        title="line: edge kind (colour), evidence (opacity), score (width)",
        title_fontsize=9,
    )


def _tag(ax: Axes, at: tuple[float, float], text: str, color: str) -> None:
    """A small word on a line, saying its evidence is weak."""
    ax.text(
        *at,
        text,
        ha="center",
        va="center",
        fontsize=7,
        fontstyle="italic",
        color=color,
        zorder=LINE_Z + 0.5,
        gid="evidence",
        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
    )
