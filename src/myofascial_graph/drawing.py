"""Connection diagrams and body maps, drawn with matplotlib (imported only when drawing).

:func:`draw` lays a trace (or a graph) out in five columns — roots, nerves,
muscles, fascia, regions — with one line style per edge kind and line width by
score.  :func:`draw_body_map` shades the areas of the ACR 2016 Widespread Pain
Index on a front and back outline of the body by the trace's scores; the
outline is data (``data/body_map.yaml``).  Both take ``ax=``, return the
Axes and never call ``plt.show()``.  Colours are the Okabe-Ito palette, which
stays distinct for colour-blind readers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .loading import data_dir
from .metagraph import METAGRAPH, Metagraph, metagraph_of
from .names import check_choice
from .paths import split_key
from .query import node_id
from .trace import Hit, Trace
from .wpi import area_scores
from .yamlio import read_yaml

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["COLUMNS", "EDGE_STYLES", "KIND_COLORS", "draw", "draw_body_map"]

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
    >>> "gluteus maximus 1.00" in [t.get_text() for t in ax.texts]
    True
    """
    import matplotlib.pyplot as plt

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
    for u, v, kind in edges:
        style = styles.get(kind, {"color": "#555555", "linestyle": "-"})
        width = 0.6 + 2.4 * scores.get(v, 0.5)
        (x0, y0), (x1, y1) = positions[u], positions[v]
        ax.plot(
            [x0 + 0.06, x1 - 0.06],
            [y0, y1],
            linewidth=width,
            alpha=0.75,
            zorder=1,
            solid_capstyle="round",
            **style,
        )
    text_style = {"fontsize": 8.5, **kwargs}
    for node, (x, y) in positions.items():
        kind = nodes[node]
        label = graph.nodes[_node(node)].get("label", node)
        if kind == "root":
            label = _node(node)
        if "@" in node:
            label += {"left": " (L)", "right": " (R)", "midline": ""}[node.split("@")[1]]
        if node in scores and kind in ("muscle", "fascia", "region") and isinstance(obj, Trace):
            label = f"{label} {scores[node]:.2f}"
        ax.scatter([x], [y], s=40, color=KIND_COLORS[kind], zorder=3, edgecolors="white")
        if labels:
            ax.text(
                x,
                y + 0.012,
                label,
                ha="center",
                va="bottom",
                zorder=4,
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "alpha": 0.85,
                    "edgecolor": KIND_COLORS[kind],
                    "linewidth": 0.8,
                },
                **text_style,
            )
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
    _legend(ax, {kind for _, _, kind in edges}, styles)
    ax.set_xlim(-0.55, len(COLUMNS) - 0.45)
    ax.set_ylim(-0.02, 1.1)
    ax.set_axis_off()
    if isinstance(obj, Trace):
        count = len(columns["region"])
        roots = ", ".join(obj.roots) + (f" ({obj.side})" if obj.side else "")
        ax.set_title(f"Trace from {roots}: best paths to {count} regions", loc="left", fontsize=11)
    return ax


def _chosen(trace: Trace, top: int, regions: Iterable[Any] | None) -> list[Hit]:
    """The region hits to draw: those named, or the best of each pathway in turn."""
    chosen: list[Hit] = []
    if regions is not None:
        for item in regions:
            name, side = split_key(item)
            node = node_id(trace.graph, name, kind="region")
            chosen += [
                h for h in trace.regions.values() if h.node == node and side in (None, h.side)
            ]
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


def _diagram(
    obj: Trace | nx.MultiDiGraph, top: int, regions: Iterable[Any] | None
) -> tuple[dict[str, str], list[tuple[str, str, str]], dict[str, float]]:
    """Nodes (id to kind), edges (u, v, kind) and scores to draw."""
    nodes: dict[str, str] = {}
    edges: dict[tuple[str, str, str], None] = {}
    scores: dict[str, float] = {}
    if isinstance(obj, Trace):
        graph = obj.graph
        for hit in _chosen(obj, top, regions):
            keys = [_name(k) for k in hit.path.keys]
            for step, u, v in zip(hit.path.steps, keys, keys[1:], strict=False):
                for a, b, kind in _expand(graph, step.source, step.target, step.kind):
                    a = u if a == step.source else _name((a, step.side) if step.side else a)
                    b = v if b == step.target else _name((b, step.side) if step.side else b)
                    edges[(a, b, kind)] = None
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
        for u, v, kind in obj.edges(data="kind"):
            if u in nodes and v in nodes and nodes[u] != nodes[v]:
                edges[(u, v, kind)] = None
    return nodes, list(edges), scores


def _name(found_key: Any) -> str:
    """A diagram name for a trace key: the id, or ``id@side``."""
    return found_key if isinstance(found_key, str) else "@".join(found_key)


def _node(name: str) -> str:
    return name.split("@", 1)[0]


def _expand(graph: nx.MultiDiGraph, u: str, v: str, kind: str) -> list[tuple[str, str, str]]:
    """A step drawn through the nodes that carry it (root -> nerve -> muscle), as the
    metagraph's ``via`` declarations name them."""
    via = graph.edges[u, v, kind].get("via", ()) if graph.has_edge(u, v, kind) else ()
    edge_kind = metagraph_of(graph).get(kind)
    carriers = [d.via[1] for d in edge_kind.declarations if d.via] if edge_kind else []
    if via and carriers:
        return [e for n in via for e in ((u, n, carriers[0]), (n, v, kind))]
    return [(u, v, kind)]


def _order_columns(
    columns: dict[str, list[str]], edges: list[tuple[str, str, str]], scores: Mapping[str, float]
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


def _legend(ax: Axes, kinds: set[str], styles: dict[str, dict[str, Any]]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([0], [0], label=kind.replace("_", " "), linewidth=2, **styles[kind])
        for kind in styles
        if kind in kinds
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=len(handles),
        frameon=False,
        fontsize=9,
        title="line width: score",
    )


@functools.lru_cache(maxsize=1)
def body_map_geometry() -> dict[str, Any]:
    """The outline and WPI area shapes of ``data/body_map.yaml``."""
    data: dict[str, Any] = read_yaml(data_dir() / "body_map.yaml").data
    return data


def draw_body_map(
    trace: Trace | Mapping[str, float],
    *,
    view: str = "both",
    ax: Axes | None = None,
    labels: bool = False,
    cmap: str = "YlOrRd",
    **kwargs: Any,
) -> Axes:
    """Shade the ACR 2016 Widespread Pain Index areas on a body outline by score.

    Parameters
    ----------
    trace : Trace or mapping
        A trace (each area takes the best score of the regions lying in it; an
        unsided trace shades both sides) or a mapping of area id to score.
    view : {"front", "back", "both"}, default "both"
        The side of the body to show, or both side by side.  The front view
        shows the person's left on the viewer's right.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    labels : bool, default False
        Write each area's name and score.
    cmap : str, default "YlOrRd"
        A matplotlib colour map for the scores (0 to 1).
    **kwargs
        Passed to the ``PathPatch`` of each area (e.g. ``edgecolor``).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> ax = mg.draw_body_map(mg.trace(mg.load(), "S1"), view="back", labels=True)
    >>> any(t.get_text().startswith("lower back") for t in ax.texts)
    True
    >>> scored = [p for p in ax.patches if p.get_gid() == "lower_back"]
    >>> scored[0].get_facecolor() != (1.0, 1.0, 1.0, 1.0)
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    views = {"both": ("front", "back"), "front": ("front",), "back": ("back",)}
    check_choice(view, views, "view")
    scores = _area_scores(trace)
    geometry = body_map_geometry()
    width, height = float(geometry["width"]), float(geometry["height"])
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6 * len(views[view]) + 1.4, 8.5))
    colours, norm = colormaps[cmap], Normalize(0.0, 1.0)
    for index, name in enumerate(views[view]):
        shift = index * (width + 10)
        layout = geometry["views"][name]
        for polygon in layout["outline"]:
            ax.add_patch(
                Polygon(
                    [(x + shift, y) for x, y in polygon],
                    closed=True,
                    facecolor="#F2F2F2",
                    edgecolor="#555555",
                    linewidth=1.2,
                )
            )
        for area, shape in layout["areas"].items():
            score = scores.get(area)
            face = colours(norm(score)) if score else "#FFFFFF"
            for polygon in shape["polygons"]:
                patch = Polygon(
                    [(x + shift, y) for x, y in polygon],
                    closed=True,
                    **{"facecolor": face, "edgecolor": "#777777", "linewidth": 0.6, **kwargs},
                )
                patch.set_gid(area)
                ax.add_patch(patch)
            if labels and score and "label_at" in shape:
                x, y = shape["label_at"]
                short = area.replace("_left", " L").replace("_right", " R").replace("_", " ")
                ax.text(
                    x + shift,
                    y,
                    f"{short}\n{score:.2f}",
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    bbox={
                        "boxstyle": "round,pad=0.15",
                        "facecolor": "white",
                        "alpha": 0.7,
                        "linewidth": 0,
                    },
                )
        side = "person's left on the right" if name == "front" else "person's left on the left"
        ax.text(
            shift + width / 2, -6, f"{layout.get('title', name)}\n({side})", ha="center", fontsize=9
        )
    ax.set_xlim(-5, len(views[view]) * (width + 10) - 5)
    ax.set_ylim(height + 5, -14)
    ax.set_aspect("equal")
    ax.set_axis_off()
    mappable = ScalarMappable(norm=norm, cmap=colours)
    ax.figure.colorbar(mappable, ax=ax, fraction=0.035, shrink=0.6, pad=0.02, label="score")
    if isinstance(trace, Trace):
        ax.set_title(
            f"Trace from {', '.join(trace.roots)}{f' ({trace.side})' if trace.side else ''}: "
            "WPI areas by score",
            fontsize=11,
        )
    return ax


def _area_scores(trace: Trace | Mapping[str, float]) -> dict[str, float]:
    """Scores of the body map's areas: the WPI areas, and head, hands and feet."""
    if not isinstance(trace, Trace):
        return dict(trace)
    scores = area_scores(trace.graph, {k: hit.score for k, hit in trace.regions.items()})
    for hit in trace.regions.values():
        if hit.node not in ("head", "hand", "foot"):
            continue
        sides = (hit.side,) if hit.side in ("left", "right") else ("left", "right")
        names = ["head"] if hit.node == "head" else [f"{hit.node}_{side}" for side in sides]
        for name in names:
            scores[name] = max(scores.get(name, 0.0), hit.score)
    return scores
