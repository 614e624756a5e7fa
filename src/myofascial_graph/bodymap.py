"""Body maps: which areas a trace's scores shade, and the pictures (matplotlib, imported lazily).

A body map is data (``data/body_map.yaml``, a :class:`~myofascial_graph.schema.BodyMapRecord`
per map), loaded, validated and layerable like every other data file, and kept
in ``G.graph["body_maps"]``.  An area is shaded by the regions lying in its WPI
area and by the regions it lists, on its side: a sided hit shades the area of
its side, an unsided hit both sides, a midline hit the areas without a side.
"""

from __future__ import annotations

import functools
import itertools
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from .display import score_text
from .geometry import BodyMapArea, BodyMapRecord
from .names import check_choice
from .paths import NodeKey, split_key

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["area_scores", "body_map", "draw_body_map"]

VIEWS = {"both": ("front", "back"), "front": ("front",), "back": ("back",)}


@functools.lru_cache(maxsize=1)
def _shipped() -> dict[str, BodyMapRecord]:
    """The shipped body maps, validated (for drawing a plain mapping of area scores)."""
    from .loading import read_body_maps

    return read_body_maps()


def body_map(G: nx.MultiDiGraph | None, name: str = "wpi") -> BodyMapRecord:
    """The body map ``name`` of a graph (or of the shipped data when ``G`` is None).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> wpi = body_map(mg.load())
    >>> len([a for a in wpi.areas().values() if a.wpi_area]), wpi.views["front"].title
    (19, 'front')
    """
    maps = _shipped() if G is None else G.graph.get("body_maps", {})
    return maps[check_choice(name, list(maps), "body_map")]


def area_scores(
    G: nx.MultiDiGraph, scores: Mapping[NodeKey, float], name: str = "wpi"
) -> dict[str, float]:
    """The best score of the regions shading each area of a body map.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    scores : mapping
        Region key (an id, or ``(id, side)``) to score, e.g. a trace's region scores.
    name : str, default "wpi"
        The body map.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> area_scores(G, {("lateral_thigh", "left"): 0.5, "neck": 1.0, ("thumb", "right"): 0.25})
    {'upper_leg_left': 0.5, 'neck': 1.0, 'hand_right': 0.25}
    """
    from .wpi import region_wpi_area

    chosen = body_map(G, name)
    by_region: dict[str, list[tuple[str, BodyMapArea]]] = {}
    by_wpi: dict[str, list[tuple[str, BodyMapArea]]] = {}
    for area_id, area in chosen.areas().items():
        for region in area.regions:
            by_region.setdefault(region, []).append((area_id, area))
        if area.wpi_area:
            by_wpi.setdefault(area.wpi_area, []).append((area_id, area))
    best: dict[str, float] = {}
    for key, score in scores.items():
        region, side = split_key(key)
        if region not in G:
            continue
        wpi = region_wpi_area(G, region)
        shading = [a for r in _within(G, region) for a in by_region.get(r, ())]
        for area_id, area in [*shading, *by_wpi.get(wpi or "", ())]:
            if _same_side(area.side, side):
                best[area_id] = max(best.get(area_id, 0.0), score)
    return best


def _within(G: nx.MultiDiGraph, region: str) -> list[str]:
    """The region and every region it lies within (its ``part_of`` ancestors)."""
    found = [region]
    for current in found:
        for _, parent, kind in G.out_edges(current, data="kind"):
            if kind == "part_of" and parent not in found:
                found.append(parent)
    return found


def _same_side(area_side: str | None, side: str | None) -> bool:
    if side is None:  # an unsided hit: both sides
        return True
    if side == "midline":
        return area_side is None
    return area_side in (None, side)


def draw_body_map(
    obj: Any,
    *,
    body_map: str = "wpi",
    view: str = "both",
    ax: Axes | None = None,
    labels: bool = False,
    cmap: str = "YlOrRd",
    **kwargs: Any,
) -> Axes:
    """Shade the areas of a body map by score: by default the ACR 2016 WPI areas.

    Parameters
    ----------
    obj : Trace or mapping
        A trace (each area takes the best score of the regions shading it; an
        unsided trace shades both sides) or a mapping of area id to score.
    body_map : str, default "wpi"
        The body map to draw (``G.graph["body_maps"]``).
    view : {"front", "back", "both"}, default "both"
        The side of the body to show, or both side by side.  The front view
        shows the person's left on the viewer's right.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    labels : bool, default False
        Write each shaded area's name and score.
    cmap : str, default "YlOrRd"
        A matplotlib colour map for the scores (0 to 1).
    **kwargs
        Passed to the ``Polygon`` of each area (e.g. ``edgecolor``).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> ax = mg.draw_body_map(mg.trace(mg.load(), "S1"), view="back", labels=True)
    >>> any(t.get_text().startswith("lower leg L") for t in ax.texts)
    True
    >>> scored = [p for p in ax.patches if p.get_gid() == "lower_leg_left"]
    >>> scored[0].get_facecolor() != (1.0, 1.0, 1.0, 1.0)
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    views = VIEWS[check_choice(view, VIEWS, "view")]
    graph = getattr(obj, "graph", None)
    chosen = _body_map_of(graph, body_map)
    if isinstance(obj, Mapping):
        scores = {str(k): float(v) for k, v in obj.items()}
    else:
        scores = area_scores(graph, obj.region_scores(), body_map)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6 * len(views) + 1.4, 8.5))
    colours, norm = colormaps[cmap], Normalize(0.0, 1.0)
    for index, name in enumerate(views):
        _draw_view(
            ax, chosen, name, index * (chosen.width + 10), scores, colours, norm, labels, kwargs
        )
    if any(scores.get(a) and not area.wpi_area for a, area in chosen.areas().items()):
        ax.text(
            len(views) * (chosen.width + 10) / 2 - 5,
            chosen.height + 3,
            "hatched: shaded areas outside the 19 WPI areas (head, hands, feet)",
            ha="center",
            va="top",
            fontsize=8,
        )
    ax.set_xlim(-5, len(views) * (chosen.width + 10) - 5)
    ax.set_ylim(chosen.height + 9, -14)
    ax.set_aspect("equal")
    ax.set_axis_off()
    mappable = ScalarMappable(norm=norm, cmap=colours)
    ax.figure.colorbar(mappable, ax=ax, fraction=0.035, shrink=0.6, pad=0.02, label="score")
    if graph is not None:
        roots = obj.source_names + (f" ({obj.side})" if obj.side else "")
        ax.set_title(f"Trace from {roots}: {chosen.label} by score", fontsize=11)
    _declutter(ax, [t for t in ax.texts if str(t.get_gid()).startswith("label:")])
    return ax


def _body_map_of(graph: nx.MultiDiGraph | None, name: str) -> BodyMapRecord:
    return body_map(graph if graph is not None and "body_maps" in graph.graph else None, name)


def _draw_view(
    ax: Axes,
    chosen: BodyMapRecord,
    name: str,
    shift: float,
    scores: Mapping[str, float],
    colours: Any,
    norm: Any,
    labels: bool,
    style: dict[str, Any],
) -> None:
    from matplotlib.patches import Polygon

    layout = chosen.views.get(name)  # type: ignore[call-overload]
    if layout is None:
        return
    for polygon in layout.outline:
        outline = [(x + shift, y) for x, y in polygon]
        ax.add_patch(
            Polygon(outline, closed=True, facecolor="#F2F2F2", edgecolor="#555555", linewidth=1.2)
        )
    for area_id, area in layout.areas.items():
        score = scores.get(area_id)
        face = colours(norm(score)) if score else "#FFFFFF"
        hatch = "////" if score and not area.wpi_area else None
        for polygon in area.polygons:
            patch = Polygon(
                [(x + shift, y) for x, y in polygon],
                closed=True,
                **{"facecolor": face, "edgecolor": "#777777", "linewidth": 0.6, "hatch": hatch,
                   **style},
            )  # fmt: skip
            patch.set_gid(area_id)
            ax.add_patch(patch)
        if labels and score and area.label_at is not None:
            x, y = area.label_at
            written = ax.text(
                x + shift,
                y,
                f"{textwrap.fill(_short(area_id, area), 11)}\n{score_text(score)}",
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
            written.set_gid(f"label:{area_id}")
    side = "person's left on the right" if name == "front" else "person's left on the left"
    ax.text(shift + chosen.width / 2, -6, f"{layout.title}\n({side})", ha="center", fontsize=9)


def _declutter(ax: Axes, texts: list[Any], smallest: float = 4.0) -> None:
    """Shrink labels that overlap one another until none does (or they reach ``smallest``);
    run after the axes are laid out, so that the extents are those of the picture."""
    ax.figure.canvas.draw_idle()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for _ in range(12):
        boxes = [text.get_window_extent(renderer).padded(2) for text in texts]
        crowded: set[int] = set()
        for i, j in itertools.combinations(range(len(texts)), 2):
            if boxes[i].overlaps(boxes[j]):
                crowded.update((i, j))
        crowded = {i for i in crowded if texts[i].get_fontsize() > smallest}
        if not crowded:
            return
        for i in crowded:
            texts[i].set_fontsize(texts[i].get_fontsize() - 0.5)


def _short(area_id: str, area: BodyMapArea) -> str:
    """An area's name on the map: its label, or its id read as words with the side as L/R."""
    if area.label:
        return area.label
    name = area_id.removesuffix("_left").removesuffix("_right").replace("_", " ")
    return name + {"left": " L", "right": " R", None: ""}[area.side]
