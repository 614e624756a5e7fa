"""Name normalisation and nearest-id suggestions, shared by queries and the loader."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TypeVar

from .exceptions import InvalidArgumentError

T = TypeVar("T")

__all__ = ["check_choice", "nearest", "normalize", "plain_text", "require_str"]

_SEPARATORS = re.compile(r"[\s_\-.,'’()/]+")
_NOT_PLAIN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]"
)
"""Control characters (other than tab and newline), line and paragraph separators and
the bidirectional controls that can make text read differently from what it holds."""


def plain_text(value: T) -> T:
    """``value`` if it holds no control or bidirectional character, else a ValueError.

    A tuple is checked item by item; values other than text pass unchanged.

    The validator of the schema's text fields: a NUL would make GraphML and
    GEXF exports ill-formed XML, and a right-to-left override can make a
    label display as something else.

    Examples
    --------
    >>> plain_text("gluteus maximus")
    'gluteus maximus'
    >>> plain_text("evil\u202egnp")
    Traceback (most recent call last):
    ...
    ValueError: control character '\u202e' (U+202E) at position 4 is not allowed in text
    """
    if isinstance(value, tuple):
        for item in value:
            plain_text(item)
        return value
    found = _NOT_PLAIN.search(value) if isinstance(value, str) else None
    if found is not None:
        char = found[0]
        raise ValueError(
            f"control character {char!a} (U+{ord(char):04X}) at position {found.start()} "
            "is not allowed in text"
        )
    return value


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
    import difflib  # for a misspelt name only

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
