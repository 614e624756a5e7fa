"""The clinical layer: which activities load a muscle and how, which interventions
target it, and which activities put a trace's weakened muscles at risk.

The seed article's argument is that lengthening (eccentric) contractions of a
muscle whose root is irritated predispose it to injury, while shortening
contractions without reciprocal movement strengthen it.  These queries read
that argument off the graph; every answer carries the sources and evidence
grade of the claim behind it, and the seed's own claims are graded expert
opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from .display import score_text
from .names import check_choice
from .paths import split_key
from .query import node_id
from .schema import EVIDENCE_GRADES, Contraction, Evidence, evidence_rank
from .trace import Trace

__all__ = ["CONTRACTIONS", "Risk", "activities", "interventions_for", "risk_activities"]

CONTRACTIONS: tuple[Contraction, ...] = ("shortening", "lengthening", "isometric", "twitch")


def _loads(
    G: nx.MultiDiGraph, muscle: str, kind: str, contraction: str | None, min_evidence: str | None
) -> list[tuple[str, dict[str, Any]]]:
    if contraction is not None:
        check_choice(contraction, CONTRACTIONS, "contraction")
    limit = evidence_rank(min_evidence)
    node = node_id(G, muscle, kind="muscle")
    found = []
    for source, _, data in G.in_edges(node, data=True):
        if data["kind"] != kind or EVIDENCE_GRADES.index(data["evidence"]) > limit:
            continue
        if contraction is None or data["contraction"] == contraction:
            found.append((source, data))
    return sorted(found, key=lambda item: item[0])


def activities(
    G: nx.MultiDiGraph,
    muscle: str,
    *,
    contraction: Contraction | None = None,
    min_evidence: Evidence | None = None,
) -> list[str]:
    """The activities that load a muscle, optionally only by one kind of contraction.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    muscle : str
        A muscle id or name (``"glute max"``).
    contraction : {"shortening", "lengthening", "isometric", "twitch"}, optional
        Only activities loading the muscle this way.
    min_evidence : str, optional
        Only claims graded at least this strongly (``"experimental"`` drops the
        seed's expert opinion).

    Returns
    -------
    list of str
        Activity ids, sorted; each edge ``G.edges[activity, muscle,
        f"loads:{contraction}"]`` holds the sources, evidence and phases.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> {"walking", "stand_to_sit", "forward_lunge"} <= set(
    ...     mg.activities(G, "gluteus maximus", contraction="lengthening"))
    True
    >>> {"sit_to_stand", "cycling", "swimming"} <= set(
    ...     mg.activities(G, "gluteus_maximus", contraction="shortening"))
    True
    """
    found = _loads(G, muscle, "loads", contraction, min_evidence)
    return sorted(dict.fromkeys(source for source, _ in found))


def interventions_for(
    G: nx.MultiDiGraph, muscle: str, *, min_evidence: Evidence | None = None
) -> list[str]:
    """The interventions that target a muscle (ids, sorted).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> mg.interventions_for(mg.load(), "gluteus_maximus")
    ['etoims_twitch_relief_method', 'walking_backwards']
    """
    found = _loads(G, muscle, "targets", None, min_evidence)
    return sorted(dict.fromkeys(source for source, _ in found))


@dataclass(frozen=True)
class Risk:
    """An activity that loads a trace's weakened muscles in lengthening contractions."""

    activity: str
    label: str
    score: float
    muscles: tuple[tuple[Any, float], ...]  # (muscle key, the muscle's trace score)
    reasons: tuple[str, ...]
    evidence: Evidence  # the strongest grade among its reasons
    weakest: Evidence | None = None  # the weakest, where the reasons' grades differ

    def __repr__(self) -> str:
        return f"<Risk {self.label}: score {score_text(self.score)}, evidence {self.evidence}>"

    def __str__(self) -> str:
        grade = self.evidence + (f" to {self.weakest}" if self.weakest else "")
        lines = [f"{self.label} (score {score_text(self.score)}, evidence {grade})"]
        lines += [f"  - {reason}" for reason in self.reasons]
        return "\n".join(lines)


def risk_activities(
    trace: Trace, *, min_evidence: Evidence | None = None, min_score: float = 0.0
) -> list[Risk]:
    """Activities that load the trace's muscles in lengthening contractions, riskiest first.

    An activity scores the best, over the muscles it loads by lengthening, of
    the muscle's trace score times the load's weight; ties go to the activity
    that loads more of the trace's muscles.  Each :class:`Risk`
    explains itself: which muscle, how it is reached from the root, how the
    activity loads it, and on whose evidence.

    Parameters
    ----------
    trace : Trace
        The irritated root(s) and the muscles they reach.
    min_evidence : str, optional
        Only lengthening claims graded at least this strongly.
    min_score : float, default 0
        Drop activities scoring below this.

    Returns
    -------
    list of Risk

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> risks = mg.risk_activities(mg.trace(mg.load(), "S1"))
    >>> top = [r.activity for r in risks[:8]]
    >>> "walking" in top and "forward_lunge" in top
    True
    >>> walking = next(r for r in risks if r.activity == "walking")
    >>> print(walking.reasons[0])  # doctest: +ELLIPSIS
    gluteus maximus (score 0.50 from S1: gluteus maximus): lengthening in stance, ...
    """
    G = trace.graph
    by_activity: dict[str, list[tuple[float, Any, float, dict[str, Any]]]] = {}
    for muscle_key, muscle_score in trace.muscles.items():
        muscle, _ = split_key(muscle_key)
        for activity, data in _loads(G, muscle, "loads", "lengthening", min_evidence):
            score = muscle_score * data["weight"]
            by_activity.setdefault(activity, []).append((score, muscle_key, muscle_score, data))
    risks = []
    for activity, found in by_activity.items():
        found.sort(key=lambda item: (-item[0], str(item[1])))
        score = found[0][0]
        if score < min_score:
            continue
        reasons = tuple(_reason(trace, muscle_key, s, data) for _, muscle_key, s, data in found)
        grades = sorted({d["evidence"] for *_, d in found}, key=EVIDENCE_GRADES.index)
        muscles = tuple((muscle_key, s) for _, muscle_key, s, _ in found)
        weakest = grades[-1] if len(grades) > 1 else None
        label = G.nodes[activity]["label"]
        risks.append(Risk(activity, label, score, muscles, reasons, grades[0], weakest))
    return sorted(risks, key=lambda r: (-r.score, -len(r.muscles), r.activity))


def _reason(trace: Trace, muscle_key: Any, score: float, data: dict[str, Any]) -> str:
    hit = trace.hits[muscle_key]
    side = f" ({hit.side})" if hit.side else ""
    route = " → ".join(step.target_label for step in hit.path.steps)
    phases = "; ".join(data.get("phases", ())) or "the movement"
    reciprocal = ", with reciprocal movement" if data.get("reciprocal") else ""
    return (
        f"{hit.label}{side} (score {score_text(score)} from {hit.root}: {route}): lengthening in "
        f"{phases}{reciprocal} [{data['evidence']}; {', '.join(data['sources'])}]"
    )
