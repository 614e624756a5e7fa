"""The fused cohort kernel: pain maps to root fits, one chunk at a time (numpy, lazily).

:meth:`SpreadMatrix.fit <myofascial_graph.inference.SpreadMatrix.fit>` writes
the fit of a root to a map as recall minus a penalty for what the root
predicts but the map lacks.  Expanded, that is one matrix product and one
multiply-add per cell::

    fit = explained * (1 / found + penalty / total) - penalty * predicted / total
        = [map * (1 / found + penalty / total), 1] @ [weighted; -penalty * predicted / total]

where ``weighted = (scores * weights).T``, ``explained = map @ weighted``,
``found = map @ weights``,
``predicted`` is each root's weighted spread and ``total`` the weights' sum.
:class:`Kernel` precomputes everything but ``explained`` and ``found`` once,
scales a block of maps row by row, and writes their fits with one product
into the output buffer, so scoring ``n`` maps needs the output and one block,
nothing more, and writes the output once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .exceptions import InvalidArgumentError

if TYPE_CHECKING:
    import numpy as np

    from .inference import SpreadMatrix

__all__ = ["BLOCK", "Kernel", "scores_frame", "top_roots"]

BLOCK = 16_384
"""Maps scaled and multiplied at a time inside a chunk (a block stays in cache)."""


class Kernel:
    """A spread matrix made ready to score chunks of pain maps.

    Parameters
    ----------
    matrix : SpreadMatrix
        The spread of every root over the maps' columns.
    dtype : {"float64", "float32"}
        Arithmetic and output precision.  ``float32`` halves memory and time;
        its scores differ from ``float64`` by about 1e-7, which reorders roots
        only where two fit within that of each other.
    lift : numpy.ndarray, optional
        A 0/1 ``inputs x columns`` matrix applied first (a map of CBM
        segments read as regions: a region is painful if any segment read as
        it is marked).

    Examples
    --------
    >>> import numpy as np
    >>> import myofascial_graph as mg
    >>> from myofascial_graph.inference import spread_matrix
    >>> matrix = spread_matrix(mg.load(), ["thumb", "calf"])
    >>> kernel = Kernel(matrix, "float64")
    >>> maps = np.array([[True, False], [False, False]])
    >>> bool(np.allclose(kernel.score(maps)[0], matrix.fit(maps)[0]))
    True
    >>> kernel.empty(maps).tolist()
    [False, True]
    """

    def __init__(self, matrix: SpreadMatrix, dtype: str = "float64", lift: Any = None) -> None:
        import numpy as np

        if dtype not in ("float64", "float32"):
            raise InvalidArgumentError(f"dtype must be 'float64' or 'float32', not {dtype!r}")
        self.dtype = np.dtype(dtype)
        self.roots = matrix.roots
        weights = np.asarray(matrix.weights, dtype=np.float64)
        weighted = matrix.scores * weights  # roots x columns
        total = float(weights.sum())
        penalty = float(matrix.absent_penalty)
        self.lift = None if lift is None else np.asarray(lift, dtype=self.dtype)
        self.weighted = np.ascontiguousarray(weighted.T, dtype=self.dtype)  # columns x roots
        self.weights = weights.astype(self.dtype)
        self.ratio = self.dtype.type(penalty / total)
        self.offset = (penalty * weighted.sum(axis=1) / total).astype(self.dtype)
        self.stacked = np.vstack([self.weighted, -self.offset[None, :]])  # (columns + 1) x roots
        self.inputs = len(weights) if lift is None else self.lift.shape[0]  # type: ignore[union-attr]

    def present(self, maps: Any) -> np.ndarray[Any, Any]:
        """A chunk of maps as 0/1 over the matrix's columns (lifted when there is a lift)."""
        import numpy as np

        chunk = np.asarray(maps)
        if chunk.ndim != 2 or chunk.shape[1] != self.inputs:
            raise InvalidArgumentError(f"maps must be patients x {self.inputs}, not {chunk.shape}")
        values = chunk.astype(self.dtype, copy=False)
        if self.lift is None:
            return values
        lifted: np.ndarray[Any, Any] = np.minimum(values @ self.lift, 1.0)
        return lifted

    def empty(self, maps: Any) -> np.ndarray[Any, Any]:
        """Which maps of a chunk mark nothing the matrix can score."""
        import numpy as np

        return np.asarray(~self.present(maps).any(axis=1))

    def score(self, maps: Any, out: Any = None) -> np.ndarray[Any, Any]:
        """The fit of every root to each map of a chunk, written into ``out`` if given."""
        scores: np.ndarray[Any, Any] = self.score_and_empty(maps, out)[0]
        return scores

    def score_and_empty(self, maps: Any, out: Any = None) -> tuple[Any, Any]:
        """The fit of every root to each map of a chunk, and which maps mark nothing.

        Each block of :data:`BLOCK` maps is scaled row by row (``1 / found +
        penalty / total``) and given a column of ones, and one product with the
        spread stacked on ``-offset`` writes the fits: the output is written
        once, and the block being scaled stays in cache.
        """
        import numpy as np

        present = self.present(maps)
        rows = present.shape[0]
        if out is None:
            out = np.empty((rows, len(self.roots)), dtype=self.dtype)
        found = np.einsum("ij,j->i", present, self.weights)  # faster than a gemv this narrow
        with np.errstate(divide="ignore"):
            scale = np.where(found > 0, 1.0 / found, 0.0).astype(self.dtype, copy=False)
        scale += self.ratio
        width = present.shape[1]
        block = np.empty((min(rows, BLOCK), width + 1), dtype=self.dtype)
        block[:, width] = 1.0
        for start in range(0, rows, BLOCK):
            end = min(start + BLOCK, rows)
            part = block[: end - start]
            np.multiply(present[start:end], scale[start:end, None], out=part[:, :width])
            np.matmul(part, self.stacked, out=out[start:end])
        return out, found <= 0  # weights are positive: nothing found, nothing marked


def top_roots(roots: tuple[str, ...], scores: Any, empty: Any, k: int) -> list[tuple[str, ...]]:
    """The ``k`` best-fitting roots of each row, best first (none for an empty map)."""
    import numpy as np

    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [
        () if gone else tuple(roots[i] for i in row)
        for row, gone in zip(order, np.asarray(empty, dtype=bool), strict=True)
    ]


def scores_frame(roots: tuple[str, ...], scores: Any, ids: Any, empty: Any) -> Any:
    """Scores as a pandas DataFrame: ``best``, ``second``, ``third``, then one column per root."""
    import pandas as pd

    top = top_roots(roots, scores, empty, 3)
    frame = pd.DataFrame(scores, columns=list(roots), index=ids)
    for position, name in enumerate(("best", "second", "third")):
        values = [row[position] if len(row) > position else None for row in top]
        frame.insert(position, name, pd.Series(values, index=frame.index, dtype=object))
    return frame
