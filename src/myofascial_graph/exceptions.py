"""The exceptions raised by myofascial_graph.

``DataError`` reports problems in YAML input, all of them at once; each problem
reads ``file:line: record: what is wrong``.  ``UnknownIdError`` reports an id
passed to a query that the graph does not hold, with the nearest known ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DataError",
    "InvalidArgumentError",
    "MyofascialGraphError",
    "NotReachedError",
    "Problem",
    "SchemaError",
    "UnknownIdError",
    "capped",
    "did_you_mean",
    "shown",
]


class MyofascialGraphError(Exception):
    """Base class of the errors raised by this package."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in input data.

    Attributes
    ----------
    file : str
        The file as the user named it (shipped files as ``data/<name>.yaml``).
    line : int or None
        1-based line number, where the problem has one.
    record : str or None
        The record concerned, e.g. ``muscle 'gluteus_maximus'``.
    message : str
        What is wrong, and what would be allowed.
    """

    file: str
    line: int | None
    record: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = self.message if self.record is None else f"{self.record}: {self.message}"
        return f"{where}: {what}"


class DataError(MyofascialGraphError, ValueError):
    """Invalid input data: one line per problem, ``file:line: record: message``.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem found, in file and line order.

    Examples
    --------
    >>> err = DataError([Problem("data/muscles.yaml", 42, "muscle 'gluteus_maximus'",
    ...                          "unknown root 'S9'")])
    >>> print(err)
    data/muscles.yaml:42: muscle 'gluteus_maximus': unknown root 'S9'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def count(self) -> int:
        """How many problems were found, those :func:`capped` left out included.

        >>> DataError(capped([Problem("a.yaml", n, None, "bad") for n in (1, 2, 3)], 1)).count
        3
        """
        total = 0
        for problem in self.problems:
            left = _LEFT_OUT.fullmatch(problem.message) if problem.record is None else None
            total += int(left[1].replace(",", "")) if left else 1
        return total


class UnknownIdError(MyofascialGraphError, LookupError):
    """An id that the graph does not hold, with the nearest known ids.

    Examples
    --------
    >>> print(UnknownIdError("S9", "root", ["S1", "S2"]))
    unknown root 'S9'; did you mean 'S1', 'S2'?
    """

    def __init__(self, value: str, kind: str = "id", suggestions: Sequence[str] = ()) -> None:
        self.value = value
        self.kind = kind
        self.suggestions = tuple(suggestions)
        super().__init__(f"unknown {kind} {value!r}" + did_you_mean(self.suggestions))

    def __str__(self) -> str:
        return str(self.args[0])


def capped(
    problems: Iterable[Problem],
    limit: int,
    more: Mapping[str, tuple[int, int | None]] | None = None,
) -> list[Problem]:
    """Problems in file and line order, at most ``limit`` per file, the rest counted.

    ``more`` gives, by file, problems already left out (how many, and the line
    of the first).  Each file with problems left out ends with one more
    problem, ``and N more problems in this file``, at the line of the first
    left out.

    Examples
    --------
    >>> found = [Problem("a.yaml", n, None, f"bad {n}") for n in (3, 1, 2)]
    >>> [str(p) for p in capped(found, 2)]
    ['a.yaml:1: bad 1', 'a.yaml:2: bad 2', 'a.yaml:3: and 1 more problem in this file']
    """
    kept: dict[str, list[Problem]] = {}
    left: dict[str, tuple[int, int | None]] = dict(more or {})
    for problem in sorted(set(problems), key=_order):
        mine = kept.setdefault(problem.file, [])
        if len(mine) < limit:
            mine.append(problem)
            continue
        count, line = left.get(problem.file, (0, None))
        lines = [n for n in (line, problem.line) if n is not None]
        left[problem.file] = (count + 1, min(lines) if lines else None)
    result = []
    for file in sorted(kept.keys() | left.keys()):
        result.extend(kept.get(file, []))
        if file in left:
            count, line = left[file]
            plural = "problem" if count == 1 else "problems"
            result.append(Problem(file, line, None, f"and {count:,} more {plural} in this file"))
    return result


_LEFT_OUT = re.compile(r"and ([\d,]+) more problems? in this file")
"""The summary line of :func:`capped`."""


def _order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.message)


def did_you_mean(suggestions: Sequence[str]) -> str:
    """The tail of an "unknown id" message: ``"; did you mean 'S1', 'S2'?"``, or ``""``.

    Examples
    --------
    >>> "unknown root 'S9'" + did_you_mean(["S1", "S2"])
    "unknown root 'S9'; did you mean 'S1', 'S2'?"
    """
    if not suggestions:
        return ""
    return "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"


def shown(value: object, limit: int = 60) -> str:
    """A value as an error message shows it: escaped and, if long, truncated.

    Text is shown with every character outside printable ASCII escaped (so a
    Cyrillic "а" in an id cannot pass for a Latin "a", and a control or
    bidirectional character cannot garble the terminal), and cut after
    ``limit`` characters with the full length said.

    Examples
    --------
    >>> print(shown("\u0430bc"), shown("x" * 100, limit=5), shown(2))
    '\u0430bc' 'xxxxx'... (100 characters) 2
    """
    if not isinstance(value, str):
        try:
            text = ascii(value)
        except ValueError:  # an int too long for Python to print
            return f"<a {type(value).__name__} too long to show>"
        return text if len(text) <= limit else text[:limit] + "..."
    if len(value) <= limit:
        return ascii(value)
    return f"{value[:limit]!a}... ({len(value):,} characters)"


class NotReachedError(MyofascialGraphError, LookupError):
    """A node that exists but that a trace does not reach (so there is nothing to explain)."""


class SchemaError(MyofascialGraphError, ValueError):
    """An edge that the metagraph does not allow, or that lacks what it needs."""


class InvalidArgumentError(MyofascialGraphError, ValueError):
    """An argument outside the values a function accepts; the message names those allowed."""
