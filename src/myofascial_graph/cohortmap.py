"""Cohort pictures: how often each CHOIR body-map segment is marked, and what each root explains.

:func:`draw_cohort` shades the CBM's front and back figures (the polygons of
``data/choir_body_map.yaml``) by the share of patients who marked each
segment, and beside them draws :func:`root_overlap`: for each root, the share
of patients' maps its trace explains wholly, and the mean share of each map it
explains.  matplotlib and pandas are imported when a picture is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from .cbm import SEGMENT_IDS, ChoirFigure, choir_body_map
from .exceptions import InvalidArgumentError
from .names import check_choice

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_cohort", "root_overlap"]

_GAP = 30.0
"""Space between the front and back figures, in figure units."""


def root_overlap(G: nx.MultiDiGraph, maps: Any, *, per_patient: bool = False) -> Any:
    """How much of a cohort's CBM maps each root's trace explains.

    A root explains a marked region when its trace reaches the region with at
    least the model's ``explained`` score (``data/model.yaml``); maps marking
    nothing are left out.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    maps : pandas.DataFrame
        CBM maps, as :func:`~myofascial_graph.read_choir` gives them.
    per_patient : bool, default False
        Give each patient's share instead of the cohort's summary.

    Returns
    -------
    pandas.DataFrame
        Indexed by root, in spinal order: ``wholly`` (the share of maps every
        marked region of which the root explains) and ``mean_share`` (the
        mean share of a map's marked regions it explains).  With
        ``per_patient``, indexed by patient (those marking something), one
        column per root: the share of the patient's marked regions it explains.

    Examples
    --------
    >>> import pandas as pd
    >>> import myofascial_graph as mg
    >>> maps = pd.DataFrame([[n in (233, 237) for n in SEGMENT_IDS]], columns=SEGMENT_IDS)
    >>> overlap = root_overlap(mg.load(), maps)
    >>> float(overlap.loc["S1", "wholly"]), float(overlap.loc["C5", "wholly"])
    (1.0, 0.0)
    """
    import numpy as np
    import pandas as pd

    from .inference import parameters, spread_matrix
    from .registry import is_choir_frame, segment_matrix

    if not is_choir_frame(maps):
        raise InvalidArgumentError("maps must be CBM maps, as mg.read_choir gives them")
    regions, lift = segment_matrix("regions")
    present = (maps.to_numpy(dtype=np.float32) @ lift) > 0  # patients x regions
    matrix = spread_matrix(G, list(regions))
    reached = (matrix.scores >= parameters(G)[0]).astype(np.float32)  # roots x regions
    marked = present.sum(axis=1)
    keep = marked > 0
    explained = present[keep].astype(np.float32) @ reached.T  # patients x roots
    counts = marked[keep][:, None]
    if per_patient:
        return pd.DataFrame(explained / counts, index=maps.index[keep], columns=list(matrix.roots))
    wholly = (explained >= counts).mean(axis=0) if keep.any() else np.zeros(len(matrix.roots))
    share = (explained / counts).mean(axis=0) if keep.any() else np.zeros(len(matrix.roots))
    return pd.DataFrame({"wholly": wholly, "mean_share": share}, index=list(matrix.roots))


def draw_cohort(
    maps: Any,
    *,
    body_map: str = "choir",
    sex: str | None = None,
    ax: Axes | None = None,
    overlap: Any = True,
    G: nx.MultiDiGraph | None = None,
    labels: bool = True,
    cmap: str = "YlOrRd",
) -> Axes:
    """Draw the share of patients with pain in each CBM segment, front and back.

    Parameters
    ----------
    maps : pandas.DataFrame
        CBM maps, as :func:`~myofascial_graph.read_choir` gives them.
    body_map : {"choir"}, default "choir"
        The body map the maps were drawn on.
    sex : {"male", "female"}, optional
        The figure to draw on (default the male figure, the standard one).
        The maps are in the standard numbering either way.
    ax : matplotlib Axes, optional
        Where to draw the figures; a new figure by default.
    overlap : bool or matplotlib Axes, default True
        Also draw :func:`root_overlap` as bars: beside the figures when a new
        figure is made, or in the Axes given.
    G : networkx.MultiDiGraph, optional
        The graph whose traces the overlap uses (default :func:`~myofascial_graph.load`).
    labels : bool, default True
        Write each segment's share (in %) on it.
    cmap : str, default "YlOrRd"
        A matplotlib colour map for the shares.

    Returns
    -------
    matplotlib Axes
        The Axes of the figures (the overlap's is ``ax.figure.axes``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import myofascial_graph as mg
    >>> maps = mg.read_choir(mg.datasets.choir_alter2021().dropna(subset=["PATIENT_NUM"]))
    >>> ax = mg.draw_cohort(maps, sex="female")
    >>> len([p for p in ax.patches if p.get_gid()]), ax.get_title()[:22]
    (74, '21,658 patients: share')
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    from .registry import is_choir_frame

    check_choice(body_map, ["choir"], "body_map")
    female = check_choice(sex or "male", ["male", "female"], "sex") == "female"
    figure = choir_body_map().figures["female" if female else "male"]
    if not is_choir_frame(maps):
        raise InvalidArgumentError("maps must be CBM maps, as mg.read_choir gives them")
    shares = {n: float(v) for n, v in zip(SEGMENT_IDS, maps.to_numpy().mean(axis=0), strict=True)}
    bars: Any = overlap if overlap is not True and overlap is not False else None
    if ax is None:
        if overlap is True:
            _, (ax, bars) = plt.subplots(
                1, 2, figsize=(13, 8.5), gridspec_kw={"width_ratios": [2.6, 1]}
            )
        else:
            _, ax = plt.subplots(figsize=(9.5, 8.5))
    top = max(max(shares.values(), default=0.0), 0.01)
    norm, colours = Normalize(0.0, top), colormaps[cmap]
    _draw_figure(ax, figure, shares, colours, norm, labels)
    mappable = ScalarMappable(norm=norm, cmap=colours)
    bar = ax.figure.colorbar(mappable, ax=ax, fraction=0.03, shrink=0.6, pad=0.01)
    bar.set_label("share of patients marking the segment")
    bar.ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_title(
        f"{len(maps):,} patients: share marking each CHOIR body-map segment "
        f"({sex or 'male'} figure)",
        fontsize=11,
    )
    if bars is not None:
        from .graph import load

        _draw_overlap(bars, root_overlap(G if G is not None else load(), maps))
    return ax


def _draw_figure(
    ax: Axes, figure: ChoirFigure, shares: dict[int, float], colours: Any, norm: Any, labels: bool
) -> None:
    from matplotlib.patches import Polygon

    for index, (view, polygons) in enumerate((("front", figure.front), ("back", figure.back))):
        shift = index * (figure.width + _GAP)
        for number, polygon in polygons.items():
            share = shares[number]
            points = [(x + shift, y) for x, y in polygon]
            patch = Polygon(points, closed=True, facecolor=colours(norm(share)),
                            edgecolor="#444444", linewidth=0.6)  # fmt: skip
            patch.set_gid(str(number))
            ax.add_artist(patch)  # the limits are set below, not widened by each patch
            if labels:
                xs, ys = zip(*points, strict=True)
                ink = "white" if norm(share) > 0.6 else "#222222"  # readable on dark red
                ax.text(sum(xs) / len(xs), sum(ys) / len(ys), f"{share:.0%}", ha="center",
                        va="center", fontsize=5.5, color=ink, gid=f"share:{number}")  # fmt: skip
        side = "patient's right on the left" if view == "front" else "patient's left on the left"
        ax.text(shift + figure.width / 2, -8, f"{view}\n({side})", ha="center", fontsize=9)
    ax.set_xlim(-5, 2 * figure.width + _GAP + 5)
    ax.set_ylim(figure.height + 5, -40)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _draw_overlap(ax: Axes, overlap: Any) -> None:
    """Bars of the share of maps each root explains wholly, dots of the mean share."""
    positions = list(range(len(overlap)))
    ax.barh(positions, overlap["wholly"], color="#D9653B", label="maps wholly explained")
    ax.plot(overlap["mean_share"], positions, "o", color="#333333", markersize=3,
            label="mean share of a map explained")  # fmt: skip
    ax.set_yticks(positions, list(overlap.index), fontsize=7)
    ax.invert_yaxis()
    widest = float(max(overlap["mean_share"].max(), overlap["wholly"].max(), 0.04))
    ax.set_xlim(0, min(1.0, widest * 1.2))
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_title("what each root's trace explains", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
