"""What a trace returns besides itself: the nodes it reaches and why.

A :class:`Hit` is a node a trace reached, with its score, pathway and best
path (built when first asked for); an :class:`Explanation` lists the best
paths to one node, each step with its evidence and sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .display import explanation_html, explanation_text, frame
from .engine import Engine, Label
from .paths import NodeKey, Path, Pathway, Side, score_text

__all__ = ["Explanation", "Hit"]


@dataclass(eq=False, slots=True)
class Hit:
    """A node reached by a trace: its best score, pathway, root and path.

    The path is built when first asked for, so a trace stays cheap when only
    scores are read.
    """

    node: str
    label: str
    kind: str
    score: float
    pathway: Pathway
    root: str
    side: Side | None
    _label: Label = field(repr=False)
    _engine: Engine = field(repr=False)
    _path: Path | None = field(default=None, repr=False)

    @property
    def key(self) -> NodeKey:
        """How the trace keys this hit: the id, or ``(id, side)`` in a sided trace."""
        return self.node if self.side is None else (self.node, self.side)

    @property
    def path(self) -> Path:
        """The best path to the node (ties broken by :func:`path_order`)."""
        if self._path is None:
            self._path = self._engine.path(self._label)
        return self._path

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Hit):
            return NotImplemented
        return (self.key, self.score, self.pathway, self.root) == (
            other.key,
            other.score,
            other.pathway,
            other.root,
        )

    def __hash__(self) -> int:
        return hash((self.key, self.score, self.pathway, self.root))

    def __repr__(self) -> str:
        side = f" ({self.side})" if self.side else ""
        score = score_text(self.score)
        return f"<Hit {self.label}{side}: {score}, {self.pathway} from {self.root}>"

    def _repr_html_(self) -> str:
        from html import escape

        return (
            f"<p><strong>{escape(self.label)}</strong>{f' ({self.side})' if self.side else ''}:"
            f" score {score_text(self.score)}, {self.pathway} from {escape(self.root)}</p>"
            f"{self.path._repr_html_()}"
        )


@dataclass(frozen=True)
class Explanation:
    """Why a trace reaches a node: its best paths (for a region, one per source), best first."""

    node: str
    label: str
    paths: tuple[Path, ...]
    citations: Mapping[str, str] = field(default_factory=dict, repr=False)
    score: float | None = None
    """The node's score in the trace (a region's combines its sources' best paths)."""

    def __str__(self) -> str:
        return explanation_text(self.label, self.paths, self.citations, self.score)

    def __repr__(self) -> str:
        return f"<Explanation of {self.label}: {len(self.paths)} paths>"

    def _repr_html_(self) -> str:
        return explanation_html(self.label, self.paths, self.score)

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def to_frame(self) -> Any:
        """The paths as a pandas DataFrame, one row per path (needs pandas)."""
        rows = [
            {"root": p.root, "pathway": p.pathway, "score": p.score, "evidence": p.evidence,
             "steps": len(p.steps), "path": str(p), "sources": ", ".join(p.sources)}
            for p in self.paths
        ]  # fmt: skip
        return frame(rows, ["root", "pathway", "score", "evidence", "steps", "path", "sources"])

    def __len__(self) -> int:
        return len(self.paths)
