"""Plain-text and HTML renderings of tables and paths (for print and Jupyter).

Results format themselves through these: a trace, an explanation, a
differential.  This module knows paths and tables only, not the results.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import Any

from .paths import Path, score_text

__all__ = [
    "explanation_html",
    "explanation_text",
    "format_table",
    "frame",
    "html_table",
    "plural",
    "score_text",
    "short_path",
]


def format_table(header: list[str], rows: list[list[str]], *, right: Collection[int] = ()) -> str:
    """Align ``rows`` under ``header`` in columns; ``right`` holds right-aligned column indices.

    Examples
    --------
    >>> print(format_table(["region", "score"], [["neck", "0.50"]], right={1}))
    region  score
    ------  -----
    neck     0.50
    """
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def html_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str = "",
    right: Collection[int] = (),
) -> str:
    """An HTML table of text cells (escaped), with an optional bold title above it.

    Examples
    --------
    >>> "<td>&lt;b&gt;</td>" in html_table(["a"], [["<b>"]])
    True
    """
    head = "".join(f"<th>{escape(c)}</th>" for c in header)
    aligned = " style='text-align:right'"
    body = "".join(
        "<tr>"
        + "".join(f"<td{aligned * (i in right)}>{escape(c)}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    caption = f"<p><strong>{escape(title)}</strong></p>" if title else ""
    return f"<div>{caption}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Any:
    """A pandas DataFrame of ``rows`` (pandas is optional: ``pip install pandas``).

    Raises
    ------
    ImportError
        If pandas is not installed, saying how to install it.
    """
    try:
        pd = importlib.import_module("pandas")
    except ImportError:
        raise ImportError(
            "to_frame() needs pandas: pip install pandas (or myofascial-graph[pandas])"
        ) from None
    return pd.DataFrame([dict(row) for row in rows], columns=list(columns))


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 file"``, ``"2 files"``; ``many`` for irregular plurals.

    Examples
    --------
    >>> plural(1, "path"), plural(3, "activity", "activities")
    ('1 path', '3 activities')
    """
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def short_path(path: Path) -> str:
    """A compact chain of labels (with sides in a sided trace): ``S1 → gluteus maximus``."""
    root = path.start_label + (f" ({path.root_side})" if path.root_side else "")
    parts = [root]
    for step in path.steps:
        side = f" ({step.side})" if step.side and step.side != "midline" else ""
        parts.append(step.target_label + side)
    return " → ".join(parts)


def _heading(label: str, paths: Sequence[Path], score: float | None) -> str:
    """``How the trace reaches neck (score 0.019 from 12 sources; 5 paths, best first):``"""
    counted = f"{plural(len(paths), 'path')}, best first"
    if score is None or not paths or score == paths[0].score:
        return f"How the trace reaches {label} ({counted}):"
    combined = f"score {score_text(score)}, its sources combined"
    return f"How the trace reaches {label} ({combined}; {counted}):"


def explanation_text(
    label: str, paths: Sequence[Path], citations: Mapping[str, str], score: float | None = None
) -> str:
    """Each path as a numbered chain, its steps with evidence and sources, then the citations."""
    lines = [_heading(label, paths, score)]
    for number, path in enumerate(paths, 1):
        lines.append("")
        lines.append(
            f"{number}. {path.pathway} from {path.start_label}, score {score_text(path.score)}"
            f"{_strength(path)}, evidence {path.evidence}"
        )
        lines.append(f"   {path}")
        for step in path.steps:
            kind = step.kind.replace("_", " ")
            lines.append(
                f"   - {step.source_label} {kind} {step.target_label}: weight {step.weight:g}, "
                f"{step.evidence} [{', '.join(step.sources)}]"
            )
    if citations:
        lines.append("")
        lines.append("Sources:")
        lines.extend(f"  [{key}] {text}" for key, text in sorted(citations.items()))
    return "\n".join(lines)


def _strength(path: Path) -> str:
    """How a path's score follows from its weights: ``" (path 0.50 x myotomal 0.50)"``,
    when a pathway's strength scales it (a path into a region)."""
    product = 1.0
    for step in path.steps:
        product *= step.weight
    if not path.steps or abs(product - path.score) <= 1e-12 or product <= 0.0:
        return ""
    strength = path.score / product
    return f" (path {score_text(product)} x {path.pathway} strength {score_text(strength)})"


def explanation_html(label: str, paths: Sequence[Path], score: float | None = None) -> str:
    """The explanation as an HTML list of paths with their steps."""
    items = []
    for path in paths:
        steps = "".join(
            f"<li>{escape(s.source_label)} <em>{s.kind.replace('_', ' ')}</em> "
            f"{escape(s.target_label)} — weight {s.weight:g}, {s.evidence} "
            f"[{escape(', '.join(s.sources))}]</li>"
            for s in path.steps
        )
        items.append(
            f"<li><strong>{path.pathway}</strong> from {escape(path.root)}, "
            f"score {score_text(path.score)}<ul>{steps}</ul></li>"
        )
    total = "" if score is None else f" (score {score_text(score)})"
    title = f"<p>How the trace reaches <strong>{escape(label)}</strong>{total}:</p>"
    return f"<div>{title}<ol>{''.join(items)}</ol></div>"
