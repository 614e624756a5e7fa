"""The value types of traces and explanations: sides, pathways, node keys, steps and paths.

A trace keys a node by its id, or in a sided trace by ``(id, side)``: a
:data:`NodeKey`.  :func:`split_key` is the one place that takes a key apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from .metagraph import METAGRAPH
from .schema import EVIDENCE_GRADES, ROOT_PATTERN, Evidence

__all__ = [
    "PATHWAYS",
    "SIDES",
    "NodeKey",
    "Path",
    "Pathway",
    "Side",
    "Step",
    "is_key",
    "node_key",
    "path_order",
    "score_text",
    "split_key",
]

Side = Literal["left", "right", "midline"]
"""The side of a node in a sided trace; midline regions are ``"midline"``."""

SIDES: tuple[Side, ...] = ("left", "right", "midline")

Pathway = str
"""How a path spreads: the pathway of the last edge that opened one (see the metagraph)."""

PATHWAYS: tuple[Pathway, ...] = METAGRAPH.pathways
"""The pathways of the shipped metagraph, in its order: radicular, myotomal, myofascial."""

NodeKey = str | tuple[str, Side]
"""How a trace keys a node: its id, or ``(id, side)`` in a sided trace."""


def node_key(node: str, side: Side | None) -> NodeKey:
    """The key of ``node`` on ``side`` (``None`` in an unsided trace).

    Examples
    --------
    >>> node_key("neck", None), node_key("neck", "midline")
    ('neck', ('neck', 'midline'))
    """
    return node if side is None else (node, side)


def split_key(key: NodeKey) -> tuple[str, Side | None]:
    """The id and side of a node key (side ``None`` for a bare id).

    Examples
    --------
    >>> split_key("buttock"), split_key(("buttock", "left"))
    (('buttock', None), ('buttock', 'left'))
    """
    if isinstance(key, str):
        return key, None
    return key[0], key[1]


def is_key(value: object) -> TypeGuard[NodeKey]:
    """Whether ``value`` has the shape of a node as users name one: a string, or a pair."""
    return isinstance(value, str) or (isinstance(value, tuple) and len(value) == 2)


@dataclass(frozen=True)
class Step:
    """One edge of a path, with its provenance (and, in a sided trace, the target's side)."""

    source: str
    target: str
    kind: str
    weight: float
    sources: tuple[str, ...]
    evidence: Evidence
    source_label: str = ""
    target_label: str = ""
    detail: str = ""  # e.g. "primary, via inferior gluteal nerve" or "origin"
    side: Side | None = None

    def to_dict(self) -> dict[str, Any]:
        """The step as JSON-ready data."""
        data: dict[str, Any] = {"source": self.source, "kind": self.kind, "target": self.target}
        if self.side is not None:
            data["side"] = self.side
        data.update(weight=self.weight, evidence=self.evidence, sources=list(self.sources))
        if self.detail:
            data["detail"] = self.detail
        return data

    def __str__(self) -> str:
        kind = self.kind.replace("_", " ")
        if self.detail:
            kind += f" ({self.detail})"
        side = f" ({self.side})" if self.side else ""
        return f"–{kind}→ {self.target_label or self.target}{side}"


@dataclass(frozen=True)
class Path:
    """A path from a root, its score and pathway.

    ``str(path)`` reads as a chain:
    ``S1 –innervates (primary)→ gluteus maximus –lies in→ buttock``.
    """

    root: str
    steps: tuple[Step, ...]
    score: float
    pathway: Pathway
    root_side: Side | None = None

    @property
    def nodes(self) -> tuple[str, ...]:
        """The node ids along the path, root first."""
        return (self.root, *(step.target for step in self.steps))

    @property
    def keys(self) -> tuple[NodeKey, ...]:
        """The nodes as a trace keys them: ids, or ``(id, side)`` in a sided trace."""
        first = node_key(self.root, self.root_side)
        return (first, *(node_key(s.target, s.side) for s in self.steps))

    @property
    def side(self) -> Side | None:
        """The side of the node the path ends at (None in an unsided trace)."""
        return self.steps[-1].side if self.steps else self.root_side

    @property
    def evidence(self) -> Evidence:
        """The weakest evidence grade of the path's steps."""
        return max((s.evidence for s in self.steps), key=EVIDENCE_GRADES.index)

    @property
    def sources(self) -> tuple[str, ...]:
        """All sources cited along the path, in order of first citation."""
        return tuple(dict.fromkeys(src for step in self.steps for src in step.sources))

    def to_dict(self) -> dict[str, Any]:
        """The path as JSON-ready data: root, pathway, score, evidence, chain and steps."""
        return {
            "root": self.root,
            "pathway": self.pathway,
            "score": round(self.score, 6),
            "evidence": self.evidence,
            "chain": str(self),
            "steps": [step.to_dict() for step in self.steps],
        }

    @property
    def start_label(self) -> str:
        """How the path's start is written: a root by its name (``S1``), any other
        node (a nerve, a muscle) by its label."""
        if re.fullmatch(ROOT_PATTERN, self.root) or not self.steps:
            return self.root
        return self.steps[0].source_label or self.root

    def __str__(self) -> str:
        root = self.start_label + (f" ({self.root_side})" if self.root_side else "")
        return " ".join([root, *(str(step) for step in self.steps)])

    def _repr_html_(self) -> str:
        from html import escape

        return f"<code>{escape(str(self))}</code> (score {score_text(self.score)}, {self.evidence})"


def path_order(path: Path) -> tuple[float, int, int, tuple[str, ...], tuple[str, ...]]:
    """Best first: higher score, fewer steps, stronger evidence, then ids and sides."""
    sides = tuple(s.side or "" for s in path.steps)
    return (-path.score, len(path.steps), EVIDENCE_GRADES.index(path.evidence), path.nodes, sides)


def score_text(score: float) -> str:
    """A score with two decimals, or two significant digits below 0.1.

    Examples
    --------
    >>> score_text(0.5), score_text(0.047), score_text(0.0029), score_text(0.0)
    ('0.50', '0.047', '0.0029', '0.00')
    """
    if score >= 0.1 or score <= 0.0:
        return f"{score:.2f}"
    decimals = min(8, 1 - math.floor(math.log10(score)))
    return f"{score:.{decimals}f}"
