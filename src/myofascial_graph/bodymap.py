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
from .exceptions import InvalidArgumentError
from .geometry import BodyMapArea, BodyMapRecord
from .names import check_choice
from .paths import NodeKey, Side, split_key

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = ["area_scores", "body_map", "draw_body_map", "draw_referral"]

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
    if graph is not None and obj.parameters.get("trigger_points"):
        referred = {  # the zones themselves, not the larger regions they lie within
            k: h.score
            for k, h in obj.regions.items()
            if h.path.steps and h.path.steps[-1].kind == "refers_pain_to"
        }
        outlined = area_scores(graph, referred, body_map)
        for index, name in enumerate(views):
            _outline(ax, chosen, name, index * (chosen.width + 10), outlined)
        if outlined:
            note = "dashed outline: areas of regions whose best source is a trigger point"
            ax.text(len(views) * (chosen.width + 10) / 2 - 5, chosen.height + 7, note,
                    ha="center", va="top", fontsize=8, color=_REFERRED)  # fmt: skip
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


_REFERRED = "#EE3377"
"""The colour of referred pain (the ``refers_pain_to`` edges' colour)."""


def _place(ax: Axes, patch: Artist) -> None:
    """Add ``patch`` to ``ax`` without widening the data limits.

    A body map sets its limits itself; working them out again from the curves
    of every patch (as ``add_patch`` does) was a third of the drawing time.
    """
    ax.add_artist(patch)


def _outline(
    ax: Axes, chosen: BodyMapRecord, name: str, shift: float, areas: Mapping[str, float]
) -> None:
    """Outline, dashed, the areas of a view that are in ``areas``."""
    from matplotlib.patches import Polygon

    layout = chosen.views.get(name)  # type: ignore[call-overload]
    for area_id, area in layout.areas.items() if layout is not None else ():
        if area_id not in areas:
            continue
        for polygon in area.polygons:
            patch = Polygon([(x + shift, y) for x, y in polygon], closed=True, fill=False,
                            edgecolor=_REFERRED, linewidth=1.6, linestyle="--")  # fmt: skip
            patch.set_gid(f"referred:{area_id}")
            _place(ax, patch)


def draw_referral(
    G: nx.MultiDiGraph,
    muscle: str,
    ax: Axes | None = None,
    *,
    side: str = "right",
    view: str = "both",
    body_map: str = "wpi",
) -> Axes:
    """Draw a muscle's referral pattern on the body outline, as the trigger-point manual does.

    The areas of the essential zone are shaded dark, those of the spillover zone
    light, and the areas the muscle lies in are marked with an X (where its
    trigger points are).  The pattern is drawn on one side of the body.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    muscle : str
        A muscle with trigger-point records (by id, name or synonym), or one
        trigger-point record id (``"trapezius_upper"``); see :func:`~myofascial_graph.referral`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    side : {"right", "left"}, default "right"
        The side of the trigger point; its zones are drawn on that side.
    view : {"front", "back", "both"}, default "both"
    body_map : str, default "wpi"

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    InvalidArgumentError
        If the muscle has no trigger-point records.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> ax = mg.draw_referral(mg.load(), "gluteus minimus")
    >>> sorted({p.get_gid() for p in ax.patches if str(p.get_gid()).startswith("zone:")})
    ['zone:essential:hip_right', 'zone:essential:lower_leg_right', 'zone:essential:upper_leg_right']
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .referral import referral

    where: Side = "left" if check_choice(side, ("left", "right"), "side") == "left" else "right"
    views = VIEWS[check_choice(view, VIEWS, "view")]
    pattern = referral(G, muscle)
    if not len(pattern):
        raise InvalidArgumentError(
            f"{pattern.label} has no trigger-point records (data/trigger_points.yaml); "
            "mg.referring_muscles(G, region) lists the muscles that have"
        )
    chosen = _body_map_of(G, body_map)
    essential = area_scores(G, {(r, where): 1.0 for r in pattern.regions("essential")}, body_map)
    spillover = area_scores(G, {(r, where): 1.0 for r in pattern.regions("spillover")}, body_map)
    shades = {a: 0.3 for a in spillover} | {a: 0.85 for a in essential}
    lies = [v for _, v, k in G.out_edges(pattern.muscle, keys=True) if k == "lies_in"]
    located = area_scores(G, {(r, where): 1.0 for r in lies}, body_map)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6 * len(views) + 1.4, 8.5))
    colours, norm = colormaps["Reds"], Normalize(0.0, 1.0)
    for index, name in enumerate(views):
        shift = index * (chosen.width + 10)
        _draw_view(ax, chosen, name, shift, shades, colours, norm, False, {})
        layout = chosen.views.get(name)  # type: ignore[call-overload]
        for area_id, area in layout.areas.items() if layout is not None else ():
            for patch in ax.patches:
                if patch.get_gid() == area_id and area_id in shades:
                    zone = "essential" if area_id in essential else "spillover"
                    patch.set_gid(f"zone:{zone}:{area_id}")
            if area_id in located and area.label_at is not None:
                x, y = area.label_at
                ax.plot([x + shift], [y], marker="X", markersize=11, color="black",
                        markeredgecolor="white", linestyle="none",
                        gid=f"muscle:{area_id}")  # fmt: skip
    handles = [
        Patch(facecolor=colours(norm(0.85)), edgecolor="#777777", label="essential zone"),
        Patch(facecolor=colours(norm(0.3)), edgecolor="#777777", label="spillover zone"),
        Line2D([], [], marker="X", color="black", linestyle="none", markersize=9,
               label=f"{pattern.label} (where it lies)"),
    ]  # fmt: skip
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncol=3,
              fontsize=8, frameon=False)  # fmt: skip
    ax.set_xlim(-5, len(views) * (chosen.width + 10) - 5)
    ax.set_ylim(chosen.height + 9, -14)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"Referred pain from {pattern.label} trigger points ({side} side)", fontsize=11)
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
        _place(
            ax,
            Polygon(outline, closed=True, facecolor="#F2F2F2", edgecolor="#555555", linewidth=1.2),
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
            _place(ax, patch)
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
    run once the axes are placed, so that the extents are those of the picture.

    The extents are measured without drawing the figure (the axes' aspect is applied
    and the text laid out), so that a saved body map is rendered once.
    """
    if not texts:
        return
    ax.apply_aspect()
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
