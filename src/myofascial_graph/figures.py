"""Saving a figure with one render.

``savefig(..., bbox_inches="tight")`` draws a figure twice: once to measure it,
once to write it.  :func:`save_figure` measures the figure's tight bounding box
from the text and artist extents alone (no drawing) and writes it once; the
file is the same, pixel for pixel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["save_figure"]


def save_figure(figure: Figure, path: str | Path, *, dpi: float = 150) -> None:
    """Write ``figure`` to ``path`` cropped to what it shows, rendering it once.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or Path
        The file; its suffix picks the format (``.png``, ``.svg``, ``.pdf``).
    dpi : float, default 150

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("one render")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "figure.png"
    >>> save_figure(fig, out)
    >>> out.read_bytes()[:4]
    b'\\x89PNG'
    >>> plt.close(fig)
    """
    import matplotlib as mpl

    get_renderer = getattr(figure.canvas, "get_renderer", None)
    if get_renderer is None:  # a canvas that cannot measure without drawing
        figure.savefig(path, dpi=dpi, bbox_inches="tight")
        return
    box = figure.get_tightbbox(get_renderer()).padded(mpl.rcParams["savefig.pad_inches"])
    figure.savefig(path, dpi=dpi, bbox_inches=box)
