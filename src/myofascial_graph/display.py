"""Plain-text and HTML renderings of traces and explanations (for print and Jupyter)."""

from __future__ import annotations

from collections.abc import Collection
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .trace import Explanation, Hit, Path, Trace

__all__ = ["explanation_html", "explanation_text", "format_table", "trace_html", "trace_text"]


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


def _short_path(path: Path) -> str:
    """A compact chain of labels: ``S1 → gluteus maximus → buttock``."""
    return " → ".join([path.root, *(s.target_label for s in path.steps)])


def _label(hit: Hit) -> str:
    """A hit's label, with its side in a sided trace."""
    return hit.label if hit.side is None else f"{hit.label} ({hit.side})"


def _summary(t: Trace) -> str:
    side = f" ({t.side})" if t.side else ""
    return (
        f"Trace from {', '.join(t.roots)}{side}: {len(t.muscles)} muscles, {len(t.fascia)} fascia, "
        f"{len(t.regions)} regions (cutoff {t.parameters['cutoff']}, "
        f"min score {t.parameters['min_score']})"
    )


def trace_text(t: Trace) -> str:
    """The trace as a summary line and a table of regions with their best paths."""
    rows = [
        [_label(h), f"{h.score:.2f}", h.pathway, h.path.evidence, _short_path(h.path)]
        for h in t.regions.values()
    ]
    table = format_table(["region", "score", "pathway", "evidence", "best path"], rows, right={1})
    muscles = ", ".join(f"{_label(t.hits[m])} {s:.2f}" for m, s in t.muscles.items())
    return f"{_summary(t)}\n\n{table}\n\nmuscles: {muscles or '(none)'}"


def trace_html(t: Trace) -> str:
    """The trace as an HTML table: region, score, pathway, evidence and best path."""
    rows = "".join(
        "<tr>"
        f"<td>{escape(_label(h))}</td><td style='text-align:right'>{h.score:.2f}</td>"
        f"<td>{h.pathway}</td><td>{h.path.evidence}</td>"
        f"<td>{escape(_short_path(h.path))}</td>"
        "</tr>"
        for h in t.regions.values()
    )
    head = "".join(f"<th>{c}</th>" for c in ("region", "score", "pathway", "evidence", "best path"))
    return (
        f"<div><p><strong>{escape(_summary(t))}</strong></p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def explanation_text(e: Explanation) -> str:
    """Each path as a numbered chain, its steps with evidence and sources, then the citations."""
    count = f"{len(e.paths)} path{'s' * (len(e.paths) != 1)}"
    lines = [f"How the trace reaches {e.label} ({count}, best first):"]
    for number, path in enumerate(e.paths, 1):
        lines.append("")
        lines.append(
            f"{number}. {path.pathway} from {path.root}, score {path.score:.2f}, "
            f"evidence {path.evidence}"
        )
        lines.append(f"   {path}")
        for step in path.steps:
            kind = step.kind.replace("_", " ")
            lines.append(
                f"   - {step.source_label} {kind} {step.target_label}: weight {step.weight:g}, "
                f"{step.evidence} [{', '.join(step.sources)}]"
            )
    if e.citations:
        lines.append("")
        lines.append("Sources:")
        lines.extend(f"  [{key}] {text}" for key, text in sorted(e.citations.items()))
    return "\n".join(lines)


def explanation_html(e: Explanation) -> str:
    """The explanation as an HTML list of paths with their steps."""
    items = []
    for path in e.paths:
        steps = "".join(
            f"<li>{escape(s.source_label)} <em>{s.kind.replace('_', ' ')}</em> "
            f"{escape(s.target_label)} — weight {s.weight:g}, {s.evidence} "
            f"[{escape(', '.join(s.sources))}]</li>"
            for s in path.steps
        )
        items.append(
            f"<li><strong>{path.pathway}</strong> from {escape(path.root)}, "
            f"score {path.score:.2f}<ul>{steps}</ul></li>"
        )
    title = f"<p>How the trace reaches <strong>{escape(e.label)}</strong>:</p>"
    return f"<div>{title}<ol>{''.join(items)}</ol></div>"
