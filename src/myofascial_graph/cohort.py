"""Score whole cohorts of pain maps against every root at once.

The root x region spread (:func:`~myofascial_graph.inference.spread_matrix`)
is computed once; each chunk of pain maps is then scored with one matrix
product, so a cohort of any size streams through in bounded memory.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .exceptions import InvalidArgumentError
from .inference import SpreadMatrix, spread_matrix
from .query import node_id

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CHUNK", "CohortScores", "score_cohort"]

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
    """

    roots: tuple[str, ...]
    regions: tuple[str, ...]
    scores: np.ndarray[Any, np.dtype[np.float64]]

    @property
    def best(self) -> list[str]:
        """The best-fitting root of each patient."""
        return [self.roots[i] for i in self.scores.argmax(axis=1)]

    def top(self, k: int = 3) -> list[tuple[str, ...]]:
        """The ``k`` best-fitting roots of each patient, best first."""
        import numpy as np

        order = np.argsort(-self.scores, axis=1, kind="stable")[:, :k]
        return [tuple(self.roots[i] for i in row) for row in order]

    def __len__(self) -> int:
        return int(self.scores.shape[0])


def score_cohort(
    G: nx.MultiDiGraph,
    maps: Any,
    *,
    regions: Sequence[str] | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    **trace_options: Any,
) -> CohortScores:
    """Score pain maps against every root.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    maps : array, DataFrame or iterable
        A 2-D boolean array (patients x regions, columns named by
        ``regions``), a pandas DataFrame whose columns are region ids, or an
        iterable of collections of region ids (one per patient; consumed in
        chunks of ``chunk``, so a cohort larger than memory streams through).
    regions : sequence of str, optional
        Region ids of the array's columns (required for an array; taken from
        a DataFrame's columns; for an iterable, the regions of the graph).
    chunk : int, default 50000
        Pain maps per matrix product when streaming an iterable.
    progress : callable, optional
        Called with the number of maps scored so far after each chunk.
    **trace_options
        Passed to :func:`myofascial_graph.trace`.

    Returns
    -------
    CohortScores

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> cohort = mg.score_cohort(G, [["thumb", "lateral_forearm"], ["lateral_heel", "calf"]])
    >>> cohort.best
    ['C6', 'S1']
    """
    import numpy as np

    if hasattr(maps, "columns") and hasattr(maps, "to_numpy"):  # a pandas DataFrame
        regions = [str(c) for c in maps.columns]
        maps = maps.to_numpy(dtype=bool)
    if isinstance(maps, np.ndarray):
        if regions is None:
            raise InvalidArgumentError("an array of pain maps needs regions= naming its columns")
        if maps.ndim != 2 or maps.shape[1] != len(regions):
            raise InvalidArgumentError(
                f"maps must be patients x {len(regions)} regions, not {maps.shape}"
            )
        matrix = _matrix(G, regions, trace_options)
        return CohortScores(matrix.roots, tuple(map(str, matrix.items)), matrix.fit(maps))
    if regions is None:
        regions = sorted(n for n, kind in G.nodes(data="kind") if kind == "region")
    matrix = _matrix(G, regions, trace_options)
    column = {str(region): index for index, region in enumerate(matrix.items)}
    parts, done = [], 0
    iterator = iter(maps)
    while batch := list(itertools.islice(iterator, chunk)):
        present = np.zeros((len(batch), len(column)), dtype=bool)
        for row, painful in enumerate(batch):
            present[row, _columns(G, painful, column)] = True
        parts.append(matrix.fit(present))
        done += len(batch)
        if progress is not None:
            progress(done)
    scores = np.vstack(parts) if parts else np.zeros((0, len(matrix.roots)))
    return CohortScores(matrix.roots, tuple(map(str, matrix.items)), scores)


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
