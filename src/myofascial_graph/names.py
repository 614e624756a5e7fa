"""Name normalisation and nearest-id suggestions, shared by queries and the loader."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from typing import TypeVar

from .exceptions import InvalidArgumentError

T = TypeVar("T")

__all__ = ["check_choice", "nearest", "normalize", "require_str"]

_SEPARATORS = re.compile(r"[\s_\-.,'’()/]+")


def require_str(value: object, what: str) -> str:
    """``value`` if it is a string, else a TypeError naming ``what`` it should be.

    Examples
    --------
    >>> require_str(7, "a root name")
    Traceback (most recent call last):
    ...
    TypeError: a root name must be a string, not int
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, not {type(value).__name__}")
    return value


def check_choice(value: T, choices: Collection[T], what: str) -> T:
    """``value`` if it is one of ``choices``, else an error saying which are allowed.

    Examples
    --------
    >>> check_choice("left", ("left", "right"), "side")
    'left'
    >>> check_choice("middle", ("left", "right"), "side")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    myofascial_graph.exceptions.InvalidArgumentError: side must be one of [...], not 'middle'
    """
    try:
        allowed = value in choices
    except TypeError:  # an unhashable value asked of a set
        allowed = False
    if not allowed:
        raise InvalidArgumentError(f"{what} must be one of {list(choices)}, not {value!r}")
    return value


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

    Among equally similar candidates, those sharing a longer prefix with
    ``value`` come first, then the order of ``candidates`` (so roots come out
    in segmental order).

    Examples
    --------
    >>> nearest("S9", ["C1", "L5", "T9", "S1", "S2", "S3"], n=2)
    ['S1', 'S2']
    """
    folded = normalize(value)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(folded)  # the matcher indexes its second sequence once
    scored = []
    for index, candidate in enumerate(candidates):
        other = normalize(candidate)
        matcher.set_seq1(other)
        # the quick ratios bound the exact one from above, as in difflib.get_close_matches
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            prefix = _common_prefix(folded, other)
            scored.append((-ratio, -prefix, index, candidate))
    return [candidate for *_, candidate in sorted(scored)[:n]]


def _common_prefix(first: str, second: str) -> int:
    """Length of the common prefix of two strings."""
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length
