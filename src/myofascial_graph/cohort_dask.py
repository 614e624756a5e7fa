"""Cohorts beyond one machine: score a Dask DataFrame or Array partition by partition.

The spread matrix is computed once, here, and the small fused kernel
(:class:`~myofascial_graph.scoring.Kernel`, a few kilobytes) is shipped to
the workers with the task graph; each partition is then scored where it lies,
so a cohort of any size is scored by as many workers as the cluster has.
Dask is an optional dependency: ``pip install "myofascial-graph[dask]"``.
"""

from __future__ import annotations

from typing import Any

from .scoring import Kernel, scores_frame

__all__ = ["score_dask"]

RANKS = ("best", "second", "third")


def score_dask(kernel: Kernel, maps: Any) -> Any:
    """Score a Dask DataFrame or Array of pain maps lazily (compute or write the result).

    :func:`~myofascial_graph.score_cohort` calls this for Dask input, with
    the kernel of the maps' columns.

    Parameters
    ----------
    kernel : Kernel
        The spread matrix over the maps' columns, ready to score.
    maps : dask.dataframe.DataFrame or dask.array.Array
        A DataFrame whose columns are region ids or the 74 CBM segment ids
        (its index is kept as the patient ids), or a 2-D boolean Array.

    Returns
    -------
    dask.dataframe.DataFrame or dask.array.Array
        For a DataFrame, one with the columns ``best``, ``second``, ``third``
        (strings, missing for a map marking nothing) and one score column per
        root; for an Array, the ``patients x roots`` scores.

    Examples
    --------
    >>> import dask.array as da
    >>> import myofascial_graph as mg
    >>> maps = da.from_array([[True, False], [False, True]], chunks=(1, 2))
    >>> scores = mg.score_cohort(mg.load(), maps, regions=["thumb", "calf"])
    >>> scores.chunks[0], scores.shape
    ((1, 1), (2, 31))
    """
    if hasattr(maps, "map_partitions"):
        return _frame(kernel, maps)
    whole_rows = maps.rechunk({1: -1})
    return whole_rows.map_blocks(
        _block, kernel, dtype=kernel.dtype, chunks=(whole_rows.chunks[0], (len(kernel.roots),))
    )


def _block(block: Any, kernel: Kernel) -> Any:
    return kernel.score(block)


def _frame(kernel: Kernel, maps: Any) -> Any:
    import pandas as pd

    meta = pd.DataFrame(
        {
            **{name: pd.Series([], dtype="string") for name in RANKS},
            **{root: pd.Series([], dtype=kernel.dtype) for root in kernel.roots},
        }
    )
    meta.index = pd.Index([], dtype=maps.index.dtype, name=maps.index.name)
    return maps.map_partitions(_partition, kernel, meta=meta)


def _partition(part: Any, kernel: Kernel) -> Any:
    """One partition's scores as the frame of :meth:`CohortScores.to_frame`."""
    values = part.to_numpy(dtype=bool)
    scores, empty = kernel.score_and_empty(values)
    frame = scores_frame(kernel.roots, scores, part.index, empty)
    return frame.astype(dict.fromkeys(RANKS, "string"))  # Arrow and Parquet need a real type
