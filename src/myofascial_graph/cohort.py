"""Score whole cohorts of pain maps against every root at once.

The root x region spread (:func:`~myofascial_graph.inference.spread_matrix`)
is computed once; pain maps are then scored chunk by chunk with the fused
kernel of :mod:`~myofascial_graph.scoring` (one matrix product and one
multiply-add), so a cohort of any size streams through in bounded memory.
Maps may be region ids, a boolean array or frame over regions, a frame of
CHOIR body-map segments (:func:`~myofascial_graph.read_choir`), or a Dask
DataFrame or Array (scored partition by partition; see
:mod:`~myofascial_graph.cohort_dask`).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .exceptions import InvalidArgumentError
from .inference import SpreadMatrix, spread_matrix
from .query import node_id
from .scoring import Kernel, scores_frame, top_roots

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CHUNK", "CohortScores", "kernel_for", "score_cohort"]

CHUNK = 50_000
"""Pain maps scored per matrix product when a cohort is streamed."""


@dataclass(frozen=True)
class CohortScores:
    """Fit of every root to every patient's pain map.

    Attributes
    ----------
    roots : tuple of str
        Column labels of ``scores``.
    regions : tuple of str
        The regions the pain maps were read over.
    scores : numpy.ndarray
        ``patients x roots`` fit (see :mod:`myofascial_graph.inference`).
    ids : sequence, optional
        The patients' ids (a frame's index), in the order of ``scores``.
    empty : numpy.ndarray, optional
        Which maps mark no region: they have no best root.
    """

    roots: tuple[str, ...]
    regions: tuple[str, ...]
    scores: np.ndarray[Any, Any]
    ids: Any = field(default=None, compare=False)
    empty: Any = field(default=None, compare=False, repr=False)

    @property
    def best(self) -> list[str | None]:
        """The best-fitting root of each patient (None for a map that marks nothing)."""
        return [row[0] if row else None for row in self.top(1)]

    def top(self, k: int = 3) -> list[tuple[str, ...]]:
        """The ``k`` best-fitting roots of each patient, best first (none for an empty map)."""
        return top_roots(self.roots, self.scores, self._empty(), k)

    def _empty(self) -> np.ndarray[Any, Any]:
        import numpy as np

        if self.empty is None:
            return np.zeros(len(self), dtype=bool)
        return np.asarray(self.empty, dtype=bool)

    def to_frame(self) -> Any:
        """The scores as a pandas DataFrame indexed by patient id, best roots first.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> cohort = mg.score_cohort(mg.load(), [["thumb"], []])
        >>> frame = cohort.to_frame()
        >>> frame.loc[0, "best"], frame.loc[1, "best"], frame.shape
        ('C6', None, (2, 34))
        """
        return scores_frame(self.roots, self.scores, self.ids, self._empty())

    def __len__(self) -> int:
        return int(self.scores.shape[0])


def score_cohort(
    G: nx.MultiDiGraph,
    maps: Any,
    *,
    regions: Sequence[str] | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    dtype: str = "float64",
    **trace_options: Any,
) -> Any:
    """Score pain maps against every root.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    maps : array, DataFrame, iterable, or Dask DataFrame or Array
        A 2-D boolean array (patients x regions, columns named by
        ``regions``); a pandas DataFrame whose columns are region ids, or the
        74 CBM segment ids of :func:`~myofascial_graph.read_choir` (each
        segment read as the regions of its crosswalk); an iterable of
        collections of region ids (one per patient; consumed in chunks of
        ``chunk``, so a cohort larger than memory streams through); or a
        Dask DataFrame or Array of either kind, scored partition by
        partition into a Dask result (see
        :func:`~myofascial_graph.cohort_dask.score_dask`), with the spread
        matrix computed once, here.
    regions : sequence of str, optional
        Region ids of the array's columns (required for an array; taken from
        a DataFrame's columns; for an iterable, the regions of the graph).
    chunk : int, default 50000
        Pain maps per matrix product.
    progress : callable, optional
        Called with the number of maps scored so far after each chunk.
    dtype : {"float64", "float32"}, default "float64"
        Precision of the arithmetic and of ``scores`` (see
        :class:`~myofascial_graph.scoring.Kernel`).
    **trace_options
        Passed to :func:`myofascial_graph.trace`.

    Returns
    -------
    CohortScores
        With the patients' ids for a DataFrame (its index); an empty map has
        no best root.  For Dask input, a Dask DataFrame or Array.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> cohort = mg.score_cohort(G, [["thumb", "lateral_forearm"], ["lateral_heel", "calf"], []])
    >>> cohort.best
    ['C6', 'S1', None]
    """
    import numpy as np

    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise InvalidArgumentError(f"chunk must be a whole number of maps >= 1, not {chunk!r}")
    if type(maps).__module__.startswith("dask"):
        return _score_dask(G, maps, regions, dtype, trace_options)
    ids = None
    if hasattr(maps, "columns") and hasattr(maps, "to_numpy"):  # a pandas DataFrame
        kernel, names = kernel_for(G, list(maps.columns), dtype, trace_options)
        ids = maps.index
        maps = maps.to_numpy(dtype=bool)
    elif isinstance(maps, np.ndarray):
        if regions is None:
            raise InvalidArgumentError("an array of pain maps needs regions= naming its columns")
        if maps.ndim != 2 or maps.shape[1] != len(regions):
            raise InvalidArgumentError(
                f"maps must be patients x {len(regions)} regions, not {maps.shape}"
            )
        kernel, names = kernel_for(G, list(regions), dtype, trace_options)
    else:
        return _score_iterable(G, maps, regions, chunk, progress, dtype, trace_options)
    return _score_array(kernel, names, maps, chunk, progress, ids)


def _score_dask(
    G: nx.MultiDiGraph, maps: Any, regions: Sequence[str] | None, dtype: str, options: Any
) -> Any:
    from .cohort_dask import score_dask

    if hasattr(maps, "map_partitions"):
        return score_dask(kernel_for(G, list(maps.columns), dtype, options)[0], maps)
    if regions is None:
        raise InvalidArgumentError("an array of pain maps needs regions= naming its columns")
    if maps.ndim != 2 or maps.shape[1] != len(regions):
        raise InvalidArgumentError(
            f"maps must be patients x {len(regions)} regions, not {maps.shape}"
        )
    return score_dask(kernel_for(G, list(regions), dtype, options)[0], maps)


def kernel_for(
    G: nx.MultiDiGraph, columns: Sequence[Any], dtype: str, options: dict[str, Any]
) -> tuple[Kernel, tuple[str, ...]]:
    """The kernel for maps over ``columns``: regions, or the 74 CBM segments."""
    from .registry import is_choir_columns, segment_matrix

    if is_choir_columns(columns):
        names, lift = segment_matrix("regions")
        return Kernel(_matrix(G, names, options), dtype, lift), names
    names = tuple(str(c) for c in columns)
    matrix = _matrix(G, names, options)
    return Kernel(matrix, dtype), tuple(map(str, matrix.items))


def _score_array(
    kernel: Kernel,
    names: tuple[str, ...],
    maps: Any,
    chunk: int,
    progress: Callable[[int], None] | None,
    ids: Any,
) -> CohortScores:
    import numpy as np

    scores = np.empty((len(maps), len(kernel.roots)), dtype=kernel.dtype)
    empty = np.zeros(len(maps), dtype=bool)
    for start in range(0, len(maps), chunk):
        part = maps[start : start + chunk]
        _, empty[start : start + chunk] = kernel.score_and_empty(
            part, scores[start : start + chunk]
        )
        if progress is not None:
            progress(min(start + chunk, len(maps)))
    return CohortScores(kernel.roots, names, scores, ids, empty)


def _score_iterable(
    G: nx.MultiDiGraph,
    maps: Iterable[Iterable[str]],
    regions: Sequence[str] | None,
    chunk: int,
    progress: Callable[[int], None] | None,
    dtype: str,
    options: dict[str, Any],
) -> CohortScores:
    import numpy as np

    if regions is None:
        regions = sorted(n for n, kind in G.nodes(data="kind") if kind == "region")
    matrix = _matrix(G, regions, options)
    kernel = Kernel(matrix, dtype)
    column = {str(region): index for index, region in enumerate(matrix.items)}
    parts, empties, done = [], [], 0
    iterator = iter(maps)
    while batch := list(itertools.islice(iterator, chunk)):
        present = np.zeros((len(batch), len(column)), dtype=bool)
        for row, painful in enumerate(batch):
            present[row, _columns(G, painful, column)] = True
        scored, nothing = kernel.score_and_empty(present)
        parts.append(scored)
        empties.append(nothing)
        done += len(batch)
        if progress is not None:
            progress(done)
    width = len(matrix.roots)
    scores = np.vstack(parts) if parts else np.zeros((0, width), dtype=kernel.dtype)
    empty = np.concatenate(empties) if empties else np.zeros(0, dtype=bool)
    return CohortScores(matrix.roots, tuple(map(str, matrix.items)), scores, None, empty)


def _matrix(G: nx.MultiDiGraph, regions: Sequence[str], options: dict[str, Any]) -> SpreadMatrix:
    ids = [node_id(G, region, kind="region") for region in regions]
    return spread_matrix(G, ids, **options)


def _columns(G: nx.MultiDiGraph, painful: Iterable[str], column: dict[str, int]) -> list[int]:
    found = []
    for region in painful:
        index = column.get(region)
        if index is None:
            index = column.get(node_id(G, region, kind="region"))
        if index is None:
            raise InvalidArgumentError(f"region {region!r} is not among the cohort's regions")
        found.append(index)
    return found


def print_progress(done: int) -> None:
    """A one-line progress counter on standard error."""
    print(f"\rscored {done:,} pain maps", end="", file=sys.stderr, flush=True)
