"""From a pain pattern back to its roots: rank the roots (and root combinations)
whose predicted spread best explains a set of painful regions.

Each root is traced once; its trace gives a score in [0, 1] for every region
and muscle (the *predicted spread*).  A finding reached by many roots (the
back, the trunk, a whole limb) tells little about which root is at fault, so
each finding is weighted by its specificity, ``w = log((n + 1) / (m + 1))``
for ``n`` roots of which ``m`` reach it with score at least 0.5.  A candidate
set of roots predicts, for each finding, the best score of its roots, and
scores

    fit = sum(w * predicted over the findings) / sum(w over the findings)
          - ABSENT_PENALTY * sum(w * predicted over everything not found) / sum(w)
          - EXTRA_ROOT_PENALTY * (number of roots - 1)

so a candidate gains by explaining the pattern, loses a little for every
specific region it predicts that the patient does not report, and needs a real
gain to justify an extra root.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .differential import Scorer, resolve_findings
from .exceptions import InvalidArgumentError
from .paths import NodeKey, Side, is_key, split_key
from .query import node_id
from .schema import ModelRecord
from .settings import engine_for
from .spread import spread as spread_of

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "ABSENT_PENALTY",
    "EXPLAINED",
    "EXTRA_ROOT_PENALTY",
    "Candidate",
    "SpreadMatrix",
    "roots_for",
    "spread_matrix",
]

_DEFAULTS = ModelRecord.model_fields
ABSENT_PENALTY: float = _DEFAULTS["absent_penalty"].default
"""Weight of the predicted-but-absent term of the fit (the model's, ``data/model.yaml``)."""

EXTRA_ROOT_PENALTY: float = _DEFAULTS["extra_root_penalty"].default
"""Fit given up for each root beyond the first (the model's)."""

EXPLAINED: float = _DEFAULTS["explained"].default
"""A finding predicted with at least this score counts as explained (the model's)."""


def parameters(G: nx.MultiDiGraph) -> tuple[float, float, float]:
    """``(explained, absent_penalty, extra_root_penalty)`` of the graph's model."""
    model = G.graph.get("models", {}).get("default")
    if not isinstance(model, ModelRecord):
        return EXPLAINED, ABSENT_PENALTY, EXTRA_ROOT_PENALTY
    return model.explained, model.absent_penalty, model.extra_root_penalty


@dataclass(frozen=True)
class SpreadMatrix:
    """The predicted spread of every root over a set of findings.

    Attributes
    ----------
    roots : tuple of str
        Row labels.
    items : tuple
        Column labels: region or muscle ids (or ``(id, side)`` keys).
    scores : numpy.ndarray
        ``roots x items`` trace scores.
    weights : numpy.ndarray
        The specificity weight of each item.
    """

    roots: tuple[str, ...]
    items: tuple[NodeKey, ...]
    scores: np.ndarray[Any, np.dtype[np.float64]]
    weights: np.ndarray[Any, np.dtype[np.float64]]
    absent_penalty: float = ABSENT_PENALTY

    def fit(self, present: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Fit of every single root to each row of a boolean ``patients x items`` array."""
        import numpy as np

        present = np.asarray(present, dtype=np.float64)
        weighted = self.scores * self.weights  # roots x items
        explained = present @ weighted.T  # patients x roots
        found_weight = present @ self.weights
        with np.errstate(invalid="ignore", divide="ignore"):
            recall = np.where(found_weight[:, None] > 0, explained / found_weight[:, None], 0.0)
        absent = (weighted.sum(axis=1)[None, :] - explained) / self.weights.sum()
        result: np.ndarray[Any, np.dtype[np.float64]] = recall - self.absent_penalty * absent
        return result


def spread_matrix(
    G: nx.MultiDiGraph,
    items: Sequence[NodeKey] | None = None,
    *,
    side: Side | None = None,
    **trace_options: Any,
) -> SpreadMatrix:
    """Trace every root and tabulate its scores over ``items`` (default: all regions).

    Parameters
    ----------
    G : networkx.MultiDiGraph
    items : sequence, optional
        Region or muscle keys (ids, or ``(id, side)`` in a sided trace).
    side : {"left", "right"}, optional
        Trace every root on this side.
    **trace_options
        Passed to :func:`myofascial_graph.trace` (``fascia``, ``cutoff``, ...).
    """
    import numpy as np

    roots = tuple(n for n, kind in G.nodes(data="kind") if kind == "root")
    spread = spread_of(G, roots, engine_for(G, side=side, **trace_options), side)
    if items is None:
        regions = [k for k in spread.keys if G._node[split_key(k)[0]]["kind"] == "region"]
        items = sorted(regions, key=str)
    columns = tuple(items)
    scores = spread.columns(columns)
    explained, absent_penalty, _ = parameters(G)
    reached = (scores >= explained).sum(axis=0)
    weights = np.log((len(roots) + 1) / (reached + 1)) + 1e-9
    return SpreadMatrix(roots, columns, scores, weights, absent_penalty)


@dataclass(frozen=True)
class Candidate:
    """A root or combination of roots and how well its spread explains the findings."""

    roots: tuple[str, ...]
    score: float
    explanation: dict[NodeKey, str]
    predicted: dict[NodeKey, float]

    @property
    def explained(self) -> list[NodeKey]:
        return [k for k, v in self.explanation.items() if v == "explained"]

    @property
    def unexplained(self) -> list[NodeKey]:
        return [k for k, v in self.explanation.items() if v == "unexplained"]

    def __repr__(self) -> str:
        found = [v for v in self.explanation.values() if v in ("explained", "unexplained")]
        return (
            f"<Candidate {' + '.join(self.roots)}: fit {self.score:.2f}, explains "
            f"{len(self.explained)} of {len(found)} findings>"
        )

    def _repr_html_(self) -> str:
        from .display import html_table

        rows = [
            [str(k), v, f"{self.predicted.get(k, 0.0):.2f}"] for k, v in self.explanation.items()
        ]
        title = f"{' + '.join(self.roots)}: fit {self.score:.2f}"
        return html_table(["finding", "status", "predicted"], rows, title=title, right={2})

    def to_frame(self) -> Any:
        """The findings and predicted regions as a pandas DataFrame (needs pandas)."""
        from .display import frame

        rows = [
            {"item": str(k), "status": v, "predicted": self.predicted.get(k, 0.0)}
            for k, v in self.explanation.items()
        ]
        return frame(rows, ["item", "status", "predicted"])

    def __str__(self) -> str:
        parts = [f"{' + '.join(self.roots)}: fit {self.score:.2f}"]
        for item, status in self.explanation.items():
            parts.append(f"  {item}: {status} ({self.predicted.get(item, 0.0):.2f})")
        return "\n".join(parts)


def roots_for(
    G: nx.MultiDiGraph,
    findings: Iterable[Any] = (),
    *,
    numb: str | Iterable[str] = (),
    weak: str | Iterable[str] = (),
    reflexes: str | Iterable[str] = (),
    normal: str | Iterable[str] = (),
    side: Side | None = None,
    max_roots: int = 2,
    top: int = 5,
    **trace_options: Any,
) -> list[Candidate]:
    """Rank the roots and root combinations that best explain a pain pattern, and,
    if given, numbness, weakness and reduced reflexes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    findings : str or iterable
        Painful regions (and weak muscles, if known) by id or name, e.g.
        ``["thumb", "lateral forearm"]`` (a name alone is one finding); with
        ``side``, plain ids are read on that side (midline regions as
        ``"midline"``) and ``(id, side)`` pairs are taken as given.
    numb, weak, reflexes, normal : str or iterable of str
        Regions with sensory loss, weak muscles, reduced reflexes, and what was
        examined and found normal, scored as by :func:`~myofascial_graph.differential`
        (each weighted by its specificity among the roots).  With any of them,
        the findings are unsided and each candidate's ``explanation`` is keyed
        by ``(finding kind, id)``, the kind being ``"pain"``, ``"numb"``, ...
    side : {"left", "right"}, optional
        The side of the complaint (pain findings only).
    max_roots : int, default 2
        Largest combination of roots considered.  A combination is listed only
        if it explains more findings than each of its parts (so ``C8 + T5``
        is not listed beside ``C8`` when T5 explains nothing that C8 does not).
    top : int, default 5
        How many candidates to return.
    **trace_options
        Passed to :func:`myofascial_graph.trace`.

    Returns
    -------
    list of Candidate
        Best first; each with ``.roots``, ``.score`` and ``.explanation``
        (finding to ``"explained"`` or ``"unexplained"``, and the most
        specific regions it predicts that were not reported to
        ``"predicted but absent"``).

    Raises
    ------
    UnknownIdError
        If a finding names no region or muscle.
    ValueError
        If a finding is not a region or muscle, there are none, or
        ``max_roots`` is out of range.
    TypeError
        If a finding is neither a name nor an ``(id, side)`` pair.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> best = mg.roots_for(G, ["thumb", "lateral forearm"])[0]
    >>> best.roots, best.explanation["thumb"]
    (('C6',), 'explained')
    """
    import numpy as np

    if not 1 <= max_roots <= 3:
        raise InvalidArgumentError(f"max_roots must be 1, 2 or 3, not {max_roots!r}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidArgumentError(f"top must be a whole number of at least 1, not {top!r}")
    if isinstance(findings, str):
        findings = [findings]
    elif not isinstance(findings, Iterable):
        raise TypeError(f"findings must be names or (id, side) pairs, not {findings!r}")
    exam = {
        "numb": _names(numb),
        "weak": _names(weak),
        "reflexes": _names(reflexes),
        "normal": _names(normal),
    }
    if any(exam.values()):
        if side is not None:
            raise InvalidArgumentError("numb=, weak=, reflexes= and normal= are unsided: no side=")
        return _examined(G, list(findings), exam, max_roots, top, trace_options)
    wanted = [_finding(G, item, side) for item in findings]
    if not wanted:
        raise InvalidArgumentError("roots_for needs at least one finding")
    base = spread_matrix(G, side=side, **trace_options)
    extra = [item for item in wanted if item not in base.items]
    matrix = spread_matrix(G, [*base.items, *extra], side=side, **trace_options) if extra else base
    present = np.array([item in set(wanted) for item in matrix.items], dtype=np.float64)
    explained, absent, extra_root = parameters(G)
    findings_at = np.flatnonzero(present)
    explains: dict[tuple[int, ...], int] = {}  # combination to how many findings it explains
    candidates = []
    for size in range(1, max_roots + 1):
        for combo in itertools.combinations(range(len(matrix.roots)), size):
            predicted = matrix.scores[list(combo)].max(axis=0)
            explains[combo] = int((predicted[findings_at] >= explained).sum())
            if size > 1 and any(  # a combination must explain more than each of its parts
                explains[combo] <= explains[part]
                for part in itertools.combinations(combo, size - 1)
            ):
                continue
            single = SpreadMatrix(
                matrix.roots[:1], matrix.items, predicted[None, :], matrix.weights, absent
            )
            fit = float(single.fit(present[None, :])[0, 0]) - extra_root * (size - 1)
            candidates.append((fit, combo, predicted))
    candidates.sort(key=lambda c: (-c[0], len(c[1]), c[1]))
    return [
        _candidate(G, matrix, wanted, fit, combo, p, explained)
        for fit, combo, p in candidates[:top]
    ]


def _names(value: str | Iterable[str]) -> list[str]:
    """A keyword's findings as a list (one name alone is one finding)."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Iterable):
        raise TypeError(f"findings must be names, not {value!r}")
    return list(value)


def _examined(
    G: nx.MultiDiGraph,
    findings: list[Any],
    given: dict[str, list[str]],
    max_roots: int,
    top: int,
    trace_options: dict[str, Any],
) -> list[Candidate]:
    """roots_for with examination findings: the differential's scorer over the roots
    and their combinations."""
    pain = [f for f in findings if G.nodes[node_id(G, f)]["kind"] == "region"]
    muscles = [f for f in findings if f not in pain]  # weak muscles given as findings
    resolved = resolve_findings(G, pain=pain, numb=given["numb"], weak=[*muscles, *given["weak"]],
                                reflexes=given["reflexes"], normal=given["normal"])  # fmt: skip
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    scorer = Scorer(G, roots, **trace_options)
    _, _, extra_root = parameters(G)
    explains: dict[tuple[int, ...], int] = {}
    ranked = []
    for size in range(1, max_roots + 1):
        for combo in itertools.combinations(range(len(roots)), size):
            suspect = scorer.suspect(combo, resolved)
            explains[combo] = suspect.count("explained")
            if size > 1 and any(explains[combo] <= explains[part]
                                for part in itertools.combinations(combo, size - 1)):  # fmt: skip
                continue
            ranked.append((suspect.fit - extra_root * (size - 1), combo, suspect))
    ranked.sort(key=lambda r: (-r[0], len(r[1]), r[1]))
    return [
        Candidate(s.nodes, round(fit, 6), dict(s.explanation), dict(s.predicted))  # type: ignore[arg-type]
        for fit, _, s in ranked[:top]
    ]


def _finding(G: nx.MultiDiGraph, item: object, side: Side | None) -> NodeKey:
    if not is_key(item):
        raise TypeError(f"a finding is a region or muscle id or name, or (id, side), not {item!r}")
    name, given = split_key(item)
    node = node_id(G, name)
    if G.nodes[node]["kind"] not in ("region", "muscle"):
        raise InvalidArgumentError(
            f"a finding is a region or a muscle, not the {G.nodes[node]['kind']} {node!r}"
        )
    if side is None:
        return node
    if given is not None:
        return (node, given)
    record = G.nodes[node]["record"]
    return (node, side if getattr(record, "bilateral", True) else "midline")


def _candidate(
    graph: nx.MultiDiGraph,
    matrix: SpreadMatrix,
    wanted: list[NodeKey],
    fit: float,
    combo: tuple[int, ...],
    predicted: Any,
    explained: float,
) -> Candidate:
    column = {item: index for index, item in enumerate(matrix.items)}
    explanation: dict[NodeKey, str] = {}
    scores: dict[NodeKey, float] = {}
    for item in wanted:
        value = float(predicted[column[item]])
        scores[item] = value
        explanation[item] = "explained" if value >= explained else "unexplained"
    covered = set(explanation)  # a finding's parent regions are not "absent"
    hierarchy = nx.DiGraph([(u, v) for u, v, k in graph.edges(keys=True) if k == "part_of"])
    for item in wanted:
        node, side = split_key(item)
        for parent in nx.descendants(hierarchy, node) if node in hierarchy else ():
            covered.update([parent] if side is None else [(parent, side), (parent, "midline")])
    absent = [
        (float(predicted[i] * matrix.weights[i]), item)
        for item, i in column.items()
        if item not in covered and predicted[i] >= explained
    ]
    for _, item in sorted(absent, key=lambda a: (-a[0], str(a[1])))[:5]:
        explanation[item] = "predicted but absent"
        scores[item] = float(predicted[column[item]])
    roots = tuple(matrix.roots[i] for i in combo)
    return Candidate(roots, round(fit, 6) if math.isfinite(fit) else fit, explanation, scores)
