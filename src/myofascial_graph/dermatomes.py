"""Dermatome maps compared: a root's dermatome in each published map, on the body.

The standard dermatome maps disagree (each was made a different way; see
``data/dermatome_maps.yaml`` and :data:`myofascial_graph.DERMATOME_MAPS`).
:func:`dermatome` gives a root's regions in one map, and
:func:`draw_dermatome_maps` draws them side by side on a body map.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from .display import plural
from .examination import DEFAULT_DERMATOME_MAP
from .names import check_choice
from .query import node_id

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["dermatome", "draw_dermatome_maps"]


def dermatome(
    G: nx.MultiDiGraph, root: str, dermatome_map: str = DEFAULT_DERMATOME_MAP
) -> dict[str, float]:
    """The regions of a root's dermatome in one map, each with its edge weight.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    root : str
        A root, by id or name.
    dermatome_map : str, default "project"
        One of the graph's dermatome maps (``G.graph["dermatome_maps"]``).

    Returns
    -------
    dict
        Region id to weight, in the order of the data.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> dermatome(mg.load(), "L5")
    {'dorsum_of_foot': 1.0, 'lateral_leg': 1.0}
    """
    maps = list(G.graph.get("dermatome_maps", {})) or [DEFAULT_DERMATOME_MAP]
    check_choice(dermatome_map, maps, "dermatome_map")
    node = node_id(G, root)
    found: dict[str, float] = {}
    for _, region, data in G.out_edges(node, data=True):
        if (
            data.get("kind") == "dermatome"
            and (data.get("map") or DEFAULT_DERMATOME_MAP) == dermatome_map
        ):
            found[region] = max(found.get(region, 0.0), float(data["weight"]))
    return found


def draw_dermatome_maps(
    G: nx.MultiDiGraph,
    root: str,
    *,
    maps: Sequence[str] | None = None,
    view: str = "both",
    columns: int = 2,
    body_map: str = "wpi",
) -> list[Axes]:
    """Draw a root's dermatome in several maps side by side, one panel per map.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    root : str
        A root, by id or name.
    maps : sequence of str, optional
        The maps to compare, in order; by default every map of the graph.
    view : {"front", "back", "both"}, default "both"
    columns : int, default 2
        Panels per row.
    body_map : str, default "wpi"
        The body map drawn on (its areas are shaded by the regions within them).

    Returns
    -------
    list of matplotlib Axes
        One per map, each titled with the map.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> axes = mg.draw_dermatome_maps(mg.load(), "L5", maps=["project"])
    >>> axes[0].get_title().startswith("L5 in the project's dermatome map")
    True
    """
    import matplotlib.pyplot as plt

    from .bodymap import VIEWS, area_scores, draw_body_map

    node = node_id(G, root)
    chosen = list(maps) if maps is not None else list(G.graph.get("dermatome_maps", {}))
    if not chosen:
        chosen = [DEFAULT_DERMATOME_MAP]
    regions = {name: dermatome(G, node, name) for name in chosen}
    columns = max(1, min(columns, len(chosen)))
    rows = -(-len(chosen) // columns)
    width = 4.6 * len(VIEWS[check_choice(view, VIEWS, "view")]) + 1.4
    figure, grid = plt.subplots(rows, columns, figsize=(width * columns, 8.5 * rows), squeeze=False)
    axes: list[Axes] = []
    for ax, name in zip(grid.flat, chosen, strict=False):
        scores: dict[Any, float] = dict(regions[name])
        draw_body_map(area_scores(G, scores, body_map), body_map=body_map, view=view, ax=ax)
        record = G.graph.get("dermatome_maps", {}).get(name)
        label = record.label if record is not None else name
        ax.set_title(f"{node} in {label}: {plural(len(scores), 'region')}", fontsize=11, pad=24)
        axes.append(ax)
    for ax in list(grid.flat)[len(chosen) :]:
        ax.set_axis_off()
    figure.suptitle(f"The {node} dermatome in {len(chosen)} published maps", fontsize=13)
    return axes
