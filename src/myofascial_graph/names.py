"""Name normalisation and nearest-id suggestions, shared by queries and the loader."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

__all__ = ["nearest", "normalize"]

_SEPARATORS = re.compile(r"[\s_\-.,'’()/]+")


def normalize(name: str) -> str:
    """Fold a name for matching: lower case, separators and punctuation to one space.

    Examples
    --------
    >>> normalize("Tensor  Fasciae-Latae")
    'tensor fasciae latae'
    >>> normalize("gluteus_maximus") == normalize("Gluteus maximus")
    True
    """
    return _SEPARATORS.sub(" ", name.casefold()).strip()


def nearest(value: str, candidates: Sequence[str], n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Return up to ``n`` candidates most similar to ``value``, best first.

    Ties keep the order of ``candidates``, so roots come out in segmental order.

    Examples
    --------
    >>> nearest("S9", ["C1", "L5", "S1", "S2", "S3"], n=2)
    ['S1', 'S2']
    """
    folded = normalize(value)
    scored = []
    for index, candidate in enumerate(candidates):
        ratio = difflib.SequenceMatcher(None, folded, normalize(candidate)).ratio()
        if ratio >= cutoff:
            scored.append((-ratio, index, candidate))
    return [candidate for _, _, candidate in sorted(scored)[:n]]
