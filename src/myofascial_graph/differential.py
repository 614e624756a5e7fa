"""A differential diagnosis for research and teaching: which roots or nerves (or,
with trigger points, muscles) could explain a pattern of pain, numbness,
weakness and reduced reflexes.

A muscle is a candidate when it has trigger-point records
(``data/trigger_points.yaml``): it predicts pain in its referral zones
(``mg.referral``) and no numbness, weakness or reflex change.

Every candidate predicts four kinds of finding, each a number in [0, 1]:

* **pain** in a region: the candidate's trace score (``docs/model.md``);
* **numbness** of a region: its sensory territory, a root's dermatome (in the
  chosen map) or a nerve's cutaneous territory and its branches'; a territory
  covers the regions within it, and counts for the regions it lies within;
* **weakness** of a muscle: a root's segmental supply (primary 1, secondary
  0.5: the model's level weights) or a nerve's supply, through its branches;
* a **reduced reflex**: a root in the reflex's arc (by its level) or a nerve
  the arc runs through, or one of its branches.

A finding that many candidates predict tells little, so each finding is
weighted by its specificity, ``w = log((n + 1) / (m + 1))``, for ``n``
candidates of which ``m`` predict it (pain at least the model's ``explained``
score, a deficit at least its ``deficit_explained``).  A candidate scores

    fit = sum(w * predicted over the findings) / sum(w over the findings)
          - absent_penalty * mean over the pain and numbness given of
                (sum(w * predicted over what was not reported) / sum(w))
          - normal_penalty * sum(w * predicted over what was examined and
                normal) / sum(w over the findings)

so it gains by explaining the findings, loses a little for what it predicts
that was not reported, and much for what it predicts that was found normal.
The penalties are the model's (``data/model.yaml``).  Findings and
predictions are for one side (unsided).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .display import format_table, html_table
from .examination import DEFAULT_DERMATOME_MAP
from .exceptions import InvalidArgumentError
from .names import check_choice, require_str
from .query import node_id
from .schema import LEVEL_WEIGHTS, ModelRecord
from .settings import CANDIDATE_KINDS, engine_for
from .spread import spread

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CANDIDATE_KINDS", "FINDING_KINDS", "Differential", "Suspect", "differential"]

FINDING_KINDS: dict[str, tuple[str, ...]] = {
    "pain": ("region",),
    "numb": ("region",),
    "weak": ("muscle",),
    "reflexes": ("reflex",),
    "normal": ("region", "muscle", "reflex"),
}
"""The node kinds each keyword of :func:`differential` takes."""


CHANNELS: tuple[str, ...] = ("pain", "numb", "weak", "reflexes")
"""The kinds of positive finding, in the order they are reported."""

_CHANNEL_KIND = {"pain": "region", "numb": "region", "weak": "muscle", "reflexes": "reflex"}


@dataclass(frozen=True)
class Suspect:
    """A candidate source of the findings and how well it explains them.

    Attributes
    ----------
    nodes : tuple of str
        The candidate: one root, nerve or muscle (or several roots, from
        :func:`~myofascial_graph.roots_for`).
    kind : str
        ``"root"``, ``"nerve"`` or ``"muscle"``.
    fit : float
        The fit (see the module docstring); higher is better.
    explanation : dict
        ``(finding kind, id)`` to ``"explained"``, ``"unexplained"``,
        ``"predicted but absent"`` (the most specific unreported predictions),
        ``"predicted but normal"`` or ``"normal"``.
    predicted : dict
        ``(finding kind, id)`` to the candidate's prediction for it.
    evidence : str
        The weakest evidence grade on the best paths by which the candidate
        explains the pain it explains (a muscle's referral: ``clinical_model``
        or ``experimental``); empty when it explains no pain.
    """

    nodes: tuple[str, ...]
    kind: str
    fit: float
    explanation: dict[tuple[str, str], str]
    predicted: dict[tuple[str, str], float] = field(repr=False)
    label: str = ""
    evidence: str = ""

    def count(self, status: str) -> int:
        """How many findings have ``status``."""
        return sum(1 for value in self.explanation.values() if value == status)

    def __repr__(self) -> str:
        given = self.count("explained") + self.count("unexplained")
        return (
            f"<Suspect {self.kind} {' + '.join(self.nodes)}: fit {self.fit:.2f}, "
            f"explains {self.count('explained')} of {given} findings>"
        )

    def _rows(self) -> list[list[str]]:
        return [
            [channel, item, status, f"{self.predicted.get((channel, item), 0.0):.2f}"]
            for (channel, item), status in self.explanation.items()
        ]

    def __str__(self) -> str:
        title = f"{self.label or ' + '.join(self.nodes)} ({self.kind}): fit {self.fit:.2f}"
        table = format_table(["finding", "id", "status", "predicted"], self._rows(), right={3})
        return f"{title}\n{table}"

    def _repr_html_(self) -> str:
        title = f"{self.label or ' + '.join(self.nodes)} ({self.kind}): fit {self.fit:.2f}"
        return html_table(["finding", "id", "status", "predicted"], self._rows(), title=title)


@dataclass(frozen=True)
class Differential(Sequence[Suspect]):
    """The candidates of a differential, best first; a sequence of :class:`Suspect`."""

    suspects: tuple[Suspect, ...]
    findings: dict[str, tuple[str, ...]]

    def __getitem__(self, index: Any) -> Any:
        return self.suspects[index]

    def __len__(self) -> int:
        return len(self.suspects)

    def __iter__(self) -> Iterator[Suspect]:
        return iter(self.suspects)

    def _rows(self) -> list[list[str]]:
        rows = []
        for rank, s in enumerate(self.suspects, 1):
            given = s.count("explained") + s.count("unexplained")
            against = s.count("predicted but normal")
            explains = f"{s.count('explained')}/{given}"
            rows.append([str(rank), s.label or " + ".join(s.nodes), s.kind, f"{s.fit:.2f}",
                         explains, str(against), s.evidence or "—"])  # fmt: skip
        return rows

    def _title(self) -> str:
        given = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.findings.items() if v)
        return f"Differential for {given}"

    def __str__(self) -> str:
        header = ["#", "candidate", "kind", "fit", "explains", "against normal", "evidence"]
        return f"{self._title()}\n\n{format_table(header, self._rows(), right={0, 3})}"

    def _repr_html_(self) -> str:
        header = ["#", "candidate", "kind", "fit", "explains", "against normal", "evidence"]
        return html_table(header, self._rows(), title=self._title(), right={0, 3})

    def to_dict(self) -> dict[str, Any]:
        """The findings and the ranked candidates as JSON-ready data."""
        return {
            "findings": {k: list(v) for k, v in self.findings.items()},
            "candidates": [
                {
                    "nodes": list(s.nodes),
                    "kind": s.kind,
                    "fit": s.fit,
                    "evidence": s.evidence,
                    "explanation": [
                        {"finding": c, "id": i, "status": v, "predicted": s.predicted[(c, i)]}
                        for (c, i), v in s.explanation.items()
                    ],
                }
                for s in self.suspects
            ],
        }


def differential(
    G: nx.MultiDiGraph,
    pain: str | Iterable[str] = (),
    *,
    numb: str | Iterable[str] = (),
    weak: str | Iterable[str] = (),
    reflexes: str | Iterable[str] = (),
    normal: str | Iterable[str] = (),
    kinds: Iterable[str] = ("root", "nerve"),
    top: int = 10,
    **trace_options: Any,
) -> Differential:
    """Rank roots, nerves (entrapments) and, with trigger points, muscles together
    by how well each explains a pattern of pain, numbness, weakness and reflexes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    pain, numb : str or iterable of str
        Painful regions; regions with sensory loss (ids, names or synonyms).
    weak : str or iterable of str
        Weak muscles.
    reflexes : str or iterable of str
        Reduced (or absent) reflexes, e.g. ``"achilles reflex"``.
    normal : str or iterable of str
        What was examined and found normal: muscles of normal strength,
        normal reflexes, regions without pain or sensory loss.
    kinds : iterable of str, default ("root", "nerve")
        The kinds of candidate (``CANDIDATE_KINDS``): ``"muscle"`` adds the
        muscles with trigger points, each predicting pain in its referral
        zones (``trigger_points=True, fascia=False`` for them unless given: a
        muscle's own pattern, not its neighbours' reached through fascia).
    top : int, default 10
        How many candidates to return.
    **trace_options
        Passed to :func:`~myofascial_graph.trace` for the pain predictions
        (``fascia``, ``dermatome_map``, ...); the dermatome map also sets the
        roots' territories.

    Returns
    -------
    Differential
        A sequence of :class:`Suspect`, best first (ties: fewer nodes, then ids):
        the candidates that explain at least one finding.

    Raises
    ------
    UnknownIdError
        If a finding names nothing (the message suggests the nearest).
    InvalidArgumentError
        If a finding is of the wrong kind (a muscle given as numb), there are no
        positive findings, or ``kinds`` or ``top`` is out of range.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> d = mg.differential(G, ["lateral heel", "calf"], reflexes=["achilles reflex"],
    ...                     kinds=["root"])
    >>> d[0].nodes, d[0].kind, d[0].explanation[("reflexes", "achilles_reflex")]
    (('S1',), 'root', 'explained')
    """
    chosen = _kinds(kinds)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidArgumentError(f"top must be a whole number of at least 1, not {top!r}")
    findings = resolve_findings(G, pain=pain, numb=numb, weak=weak, reflexes=reflexes,
                                normal=normal)  # fmt: skip
    referring = {record.muscle for record in G.graph.get("trigger_points", {}).values()}
    candidates = [
        n for n, k in G.nodes(data="kind") if k in chosen and (k != "muscle" or n in referring)
    ]
    scorer = Scorer(G, candidates, **trace_options)
    suspects = [scorer.suspect((i,), findings) for i in range(len(candidates))]
    suspects = [s for s in suspects if s.count("explained")]  # each explains something
    suspects.sort(key=lambda s: (-s.fit, len(s.nodes), s.nodes))
    graded = tuple(_graded(G, s, trace_options) for s in suspects[:top])
    return Differential(graded, findings)


def _graded(G: nx.MultiDiGraph, suspect: Suspect, trace_options: Mapping[str, Any]) -> Suspect:
    """The suspect with the weakest grade of the best paths to the pain it explains."""
    from dataclasses import replace

    from .schema import EVIDENCE_GRADES
    from .trace import trace

    explained = [i for (c, i), v in suspect.explanation.items() if c == "pain" and v == "explained"]
    if not explained or len(suspect.nodes) != 1:
        return suspect
    options = dict(trace_options)
    if suspect.kind == "muscle":
        options = {"trigger_points": True, "fascia": False, **options}
    hits = trace(G, suspect.nodes[0], **options).regions
    grades = [hits[r].path.evidence for r in explained if r in hits]
    weakest = max(grades, key=EVIDENCE_GRADES.index) if grades else ""
    return replace(suspect, evidence=weakest)


def resolve_findings(
    G: nx.MultiDiGraph, **given: str | Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """The node ids of each keyword's findings, checked for kind (see ``FINDING_KINDS``)."""
    found: dict[str, tuple[str, ...]] = {}
    for keyword, value in given.items():
        allowed = FINDING_KINDS[keyword]
        names = [value] if isinstance(value, str) else list(value)
        ids = []
        for name in names:
            node = node_id(G, require_str(name, f"a {keyword} finding"))
            kind = G.nodes[node]["kind"]
            if kind not in allowed:
                wanted = " or ".join(allowed)
                raise InvalidArgumentError(
                    f"{keyword}= takes a {wanted}; {name!r} is the {kind} {node!r}"
                )
            ids.append(node)
        found[keyword] = tuple(dict.fromkeys(ids))
    if not any(found.get(channel) for channel in CHANNELS):
        raise InvalidArgumentError("a differential needs a finding: pain, numb, weak or reflexes")
    return found


class Scorer:
    """The predictions of a set of candidates for every finding, and their fit."""

    def __init__(self, G: nx.MultiDiGraph, candidates: Sequence[str], **trace_options: Any) -> None:
        import numpy as np

        self.G = G
        self.candidates = tuple(candidates)
        self.params = {name: _parameter(G, name) for name in _PARAMETERS}
        self.items = {
            channel: sorted(n for n, k in G.nodes(data="kind") if k == _CHANNEL_KIND[channel])
            for channel in CHANNELS
        }
        self.column = {c: {n: i for i, n in enumerate(v)} for c, v in self.items.items()}
        dermatome_map = trace_options.get("dermatome_map", DEFAULT_DERMATOME_MAP)
        predicted = {"pain": self._pain(G, trace_options)}
        for channel in ("numb", "weak", "reflexes"):
            table = np.zeros((len(self.candidates), len(self.items[channel])))
            for row, node in enumerate(self.candidates):
                found = _deficits(G, node, channel, dermatome_map, _levels(G))
                for item, value in found.items():
                    table[row, self.column[channel][item]] = value
            predicted[channel] = table
        self.predicted = predicted
        self.threshold = {c: self.params["deficit_explained"] for c in CHANNELS}
        self.threshold["pain"] = self.params["explained"]
        n = len(self.candidates)
        self.weights = {
            c: np.log((n + 1) / ((p >= self.threshold[c]).sum(axis=0) + 1)) + 1e-9
            for c, p in predicted.items()
        }

    def _pain(self, G: nx.MultiDiGraph, trace_options: Mapping[str, Any]) -> np.ndarray[Any, Any]:
        """Each candidate's pain predictions: a muscle's through its own trigger points'
        referral (``trigger_points=True, fascia=False`` unless given otherwise), a
        root's or a nerve's with the trace options as given (no referral by default)."""
        import numpy as np

        kinds = [G.nodes[n]["kind"] for n in self.candidates]
        referred = {"trigger_points": True, "fascia": False, **trace_options}
        table = np.zeros((len(self.candidates), len(self.items["pain"])))
        for muscles, options in ((False, trace_options), (True, referred)):
            rows = [i for i, kind in enumerate(kinds) if (kind == "muscle") == muscles]
            if rows:
                result = spread(G, [self.candidates[i] for i in rows], engine_for(G, **options))
                table[rows] = result.columns(self.items["pain"])
        return table

    def rows(self, combo: tuple[int, ...]) -> dict[str, np.ndarray[Any, Any]]:
        """The predictions of a combination of candidates: the best of its members."""
        return {c: p[list(combo)].max(axis=0) for c, p in self.predicted.items()}

    def fit(self, combo: tuple[int, ...], findings: Mapping[str, tuple[str, ...]]) -> float:
        """The fit of a combination (see the module docstring)."""
        rows = self.rows(combo)
        gained = mass = 0.0
        absent = []
        for channel in CHANNELS:
            found = [self.column[channel][i] for i in findings.get(channel, ())]
            if not found:
                continue
            w, p = self.weights[channel], rows[channel]
            gained += float((w[found] * p[found]).sum())
            mass += float(w[found].sum())
            if channel in ("pain", "numb"):
                absent.append((float((w * p).sum()) - float((w[found] * p[found]).sum()))
                              / float(w.sum()))  # fmt: skip
        against = sum(value for _, _, value in self._normal(rows, findings))
        unreported = sum(absent) / len(absent) if absent else 0.0
        fit = gained / mass - self.params["absent_penalty"] * unreported
        return fit - self.params["normal_penalty"] * against / mass

    def _normal(
        self, rows: Mapping[str, Any], findings: Mapping[str, tuple[str, ...]]
    ) -> Iterator[tuple[str, str, float]]:
        """``(channel, id, weighted prediction)`` of every finding examined and normal."""
        for item in findings.get("normal", ()):
            kind = self.G.nodes[item]["kind"]
            channels = [c for c in CHANNELS if _CHANNEL_KIND[c] == kind]
            best = max(channels, key=lambda c: rows[c][self.column[c][item]])
            index = self.column[best][item]
            yield best, item, float(self.weights[best][index] * rows[best][index])

    def suspect(self, combo: tuple[int, ...], findings: Mapping[str, tuple[str, ...]]) -> Suspect:
        """The candidate (or combination) with its fit and per-finding explanation."""
        rows = self.rows(combo)
        explanation: dict[tuple[str, str], str] = {}
        predicted: dict[tuple[str, str], float] = {}
        for channel in CHANNELS:
            for item in findings.get(channel, ()):
                value = float(rows[channel][self.column[channel][item]])
                predicted[(channel, item)] = value
                ok = value >= self.threshold[channel]
                explanation[(channel, item)] = "explained" if ok else "unexplained"
        for channel, item, _ in self._normal(rows, findings):
            value = float(rows[channel][self.column[channel][item]])
            predicted[("normal", item)] = value
            ok = value >= self.threshold[channel]
            explanation[("normal", item)] = "predicted but normal" if ok else "normal"
        for channel, item, value in self._absent(rows, findings):
            predicted[(channel, item)] = value
            explanation[(channel, item)] = "predicted but absent"
        nodes = tuple(self.candidates[i] for i in combo)
        kind = self.G.nodes[nodes[0]]["kind"]
        label = " + ".join(self.G.nodes[n]["label"] for n in nodes)
        fit = self.fit(combo, findings)
        return Suspect(nodes, kind, round(fit, 6) if math.isfinite(fit) else fit,
                       explanation, predicted, label)  # fmt: skip

    def _absent(
        self, rows: Mapping[str, Any], findings: Mapping[str, tuple[str, ...]]
    ) -> list[tuple[str, str, float]]:
        """The three most specific predictions of pain or numbness not reported, of the
        kinds given (a reported region's larger regions do not count)."""
        covered = set(findings.get("pain", ())) | set(findings.get("numb", ()))
        covered |= {up for region in list(covered) for up in _ancestors(self.G, region)}
        covered |= set(findings.get("normal", ()))
        absent = []
        for channel in ("pain", "numb"):
            if not findings.get(channel):
                continue
            w, p = self.weights[channel], rows[channel]
            for item, index in self.column[channel].items():
                if item not in covered and p[index] >= self.threshold[channel]:
                    absent.append((float(w[index] * p[index]), channel, item, float(p[index])))
        absent.sort(key=lambda a: (-a[0], a[1], a[2]))
        return [(channel, item, value) for _, channel, item, value in absent[:3]]


_PARAMETERS = ("explained", "deficit_explained", "absent_penalty", "normal_penalty")


def _parameter(G: nx.MultiDiGraph, name: str) -> float:
    """A parameter of the graph's model (``data/model.yaml``), or the schema's default."""
    model = G.graph.get("models", {}).get("default")
    if isinstance(model, ModelRecord):
        return float(getattr(model, name))
    return float(ModelRecord.model_fields[name].default)


def _levels(G: nx.MultiDiGraph) -> dict[str, float]:
    """The weights of a primary and a secondary segment (the model's)."""
    model = G.graph.get("models", {}).get("default")
    if isinstance(model, ModelRecord):
        return {str(level): float(weight) for level, weight in model.levels.items()}
    return dict(LEVEL_WEIGHTS)


def _kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    chosen = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    if not chosen:
        raise InvalidArgumentError(f"kinds must name at least one of {list(CANDIDATE_KINDS)}")
    for kind in chosen:
        check_choice(kind, CANDIDATE_KINDS, "kinds")
    return chosen


def _deficits(
    G: nx.MultiDiGraph, node: str, channel: str, dermatome_map: str, levels: Mapping[str, float]
) -> dict[str, float]:
    """What a lesion of ``node`` predicts for numbness, weakness or reflexes: over its
    own edges (a nerve's with its branches'), then, for regions and muscles, over the
    parts and wholes of each item it reaches."""
    kind = G.nodes[node]["kind"]
    if kind not in ("root", "nerve"):
        return {}
    branches = _branches(G)
    sources = [node, *nx.descendants(branches, node)] if node in branches else [node]
    own: dict[str, float] = {}
    for source in sources:
        for _, target, key, data in G.out_edges(source, keys=True, data=True):
            value = _deficit_value(data.get("kind", key), data, channel, dermatome_map, levels)
            if value:
                own[target] = max(own.get(target, 0.0), value)
    if channel == "reflexes":
        return own
    hierarchy = _hierarchy(G, "region" if channel == "numb" else "muscle")
    closed: dict[str, float] = {}
    for item, value in own.items():
        near = {item}
        if item in hierarchy:
            near |= nx.ancestors(hierarchy, item) | nx.descendants(hierarchy, item)
        for other in near:
            closed[other] = max(closed.get(other, 0.0), value)
    return closed


def _deficit_value(
    edge: str,
    data: Mapping[str, Any],
    channel: str,
    dermatome_map: str,
    levels: Mapping[str, float],
) -> float:
    """The prediction one out-edge of a candidate makes for a channel (0 for none): a
    territory by its weight, a root's supply or arc by its level, a nerve's fully."""
    level = levels.get(str(data.get("level")), 1.0)
    if channel == "numb":
        if edge == "dermatome" and data.get("map", DEFAULT_DERMATOME_MAP) == dermatome_map:
            return float(data["weight"])
        return float(data["weight"]) if edge == "cutaneous" else 0.0
    if (channel, edge) in (("weak", "innervates"), ("reflexes", "reflex_arc")):
        return level
    return 0.0


def _branches(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The nerve hierarchy: nerve to branch (kept with the graph's index)."""
    return _cached(G, "branches", lambda: nx.DiGraph(
        [(u, v) for u, v, k in G.edges(keys=True) if G.edges[u, v, k].get("kind", k) == "branch"]
    ))  # fmt: skip


def _hierarchy(G: nx.MultiDiGraph, kind: str) -> nx.DiGraph:
    """The ``part_of`` hierarchy of regions or of muscles: part to whole."""
    return _cached(G, f"part_of:{kind}", lambda: nx.DiGraph(
        [(u, v) for u, v, k in G.edges(keys=True)
         if k == "part_of" and G.nodes[u]["kind"] == kind]
    ))  # fmt: skip


def _ancestors(G: nx.MultiDiGraph, region: str) -> set[str]:
    hierarchy = _hierarchy(G, "region")
    return nx.descendants(hierarchy, region) if region in hierarchy else set()


def _cached(G: nx.MultiDiGraph, name: str, build: Any) -> nx.DiGraph:
    from .index import index_of

    derived = index_of(G).derived
    key = ("differential", name)
    if key not in derived:
        derived[key] = build()
    found: nx.DiGraph = derived[key]
    return found
