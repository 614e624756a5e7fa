"""Myofascial trigger points: where a muscle refers pain, and which muscles refer to a region.

The patterns are the records of ``data/trigger_points.yaml``
(:class:`~myofascial_graph.examination.TriggerPointRecord`), one per muscle or
per trigger point of a muscle, each with an essential zone (pain in nearly
every patient with the trigger point) and a spillover zone (pain in some).
In the graph each zone is a ``refers_pain_to`` edge from the muscle, weighing
1 (essential) or 0.5 (spillover) unless the data say otherwise; a trace
follows them with ``trigger_points=True``, by the ``referred`` pathway.

Examples
--------
>>> import myofascial_graph as mg
>>> G = mg.load()
>>> [(z.region, z.zone) for z in mg.referral(G, "infraspinatus")][:2]
[('shoulder', 'essential'), ('anterior_arm', 'spillover')]
>>> mg.referring_muscles(G, "lateral leg")[0].muscle
'gluteus_minimus'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from .display import format_table, html_table
from .examination import ESSENTIAL_WEIGHT, SPILLOVER_WEIGHT, TriggerPointRecord
from .exceptions import UnknownIdError
from .names import require_str
from .query import node_id
from .schema import EVIDENCE_GRADES, Link

__all__ = ["Referral", "Referrer", "Zone", "referral", "referring_muscles", "trigger_points_of"]

ZoneKind = Literal["essential", "spillover"]


@dataclass(frozen=True)
class Zone:
    """One region a trigger point refers pain to.

    Attributes
    ----------
    region, label : str
        The region's id and label.
    zone : {"essential", "spillover"}
        Which zone of the pattern the region belongs to.
    weight : float
        The weight of its ``refers_pain_to`` edge.
    trigger_point : str
        The trigger-point record (``G.graph["trigger_points"]``).
    sources : tuple of str
        The sources of the claim (``data/sources.yaml``).
    evidence : str
        Its evidence grade.
    """

    region: str
    label: str
    zone: ZoneKind
    weight: float
    trigger_point: str
    sources: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class Referral(Sequence[Zone]):
    """A muscle's referral pattern: its zones, essential first; a sequence of :class:`Zone`."""

    muscle: str
    label: str
    zones: tuple[Zone, ...]
    trigger_points: tuple[str, ...]

    def __getitem__(self, index: Any) -> Any:
        return self.zones[index]

    def __len__(self) -> int:
        return len(self.zones)

    def __iter__(self) -> Iterator[Zone]:
        return iter(self.zones)

    def regions(self, zone: ZoneKind | None = None) -> tuple[str, ...]:
        """The regions of the pattern (of one zone, if given), without repeats."""
        return tuple(dict.fromkeys(z.region for z in self.zones if zone in (None, z.zone)))

    def _rows(self) -> list[list[str]]:
        return [
            [z.label, z.zone, z.trigger_point, z.evidence, ", ".join(z.sources)] for z in self.zones
        ]

    def __str__(self) -> str:
        header = ["region", "zone", "trigger point", "evidence", "sources"]
        title = f"Referred pain from {self.label} ({len(self.trigger_points)} trigger point record"
        title += "s)" if len(self.trigger_points) != 1 else ")"
        return f"{title}\n\n{format_table(header, self._rows())}"

    def _repr_html_(self) -> str:
        header = ["region", "zone", "trigger point", "evidence", "sources"]
        return html_table(header, self._rows(), title=f"Referred pain from {self.label}")


@dataclass(frozen=True)
class Referrer:
    """A muscle whose trigger points refer pain to a region (see :func:`referring_muscles`).

    Attributes
    ----------
    muscle, label : str
        The muscle.
    zone : {"essential", "spillover"}
        The strongest zone by which it reaches the region.
    region : str
        The zone's region: the region asked about, or one within it.
    weight : float
        The weight of that ``refers_pain_to`` edge.
    evidence : str
        Its evidence grade.
    sources : tuple of str
        Its sources.
    """

    muscle: str
    label: str
    zone: ZoneKind
    region: str
    weight: float
    evidence: str
    sources: tuple[str, ...]


def trigger_points_of(G: nx.MultiDiGraph, muscle: str) -> tuple[TriggerPointRecord, ...]:
    """The trigger-point records of a muscle (by id, name or synonym), in file order."""
    node = node_id(G, require_str(muscle, "muscle"), kind="muscle")
    records = G.graph.get("trigger_points", {})
    return tuple(r for r in records.values() if r.muscle == node)


def referral(G: nx.MultiDiGraph, muscle: str) -> Referral:
    """Where a muscle's trigger points refer pain: its essential and spillover zones.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    muscle : str
        A muscle by id, name or synonym, or a trigger-point record id
        (``"trapezius_upper"``) for that trigger point alone.

    Returns
    -------
    Referral
        The zones, essential ones first, each with its trigger point, sources
        and evidence grade; empty for a muscle without trigger-point records.

    Raises
    ------
    UnknownIdError
        If ``muscle`` names no muscle (the message suggests the nearest).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> r = mg.referral(mg.load(), "gluteus minimus")
    >>> r.regions("essential")[:3], r[0].evidence
    (('buttock', 'lateral_thigh', 'lateral_leg'), 'clinical_model')
    """
    records_by_id: dict[str, TriggerPointRecord] = G.graph.get("trigger_points", {})
    name = require_str(muscle, "muscle")
    if name in records_by_id:
        records: tuple[TriggerPointRecord, ...] = (records_by_id[name],)
        node = records[0].muscle
    else:
        try:
            node = node_id(G, name, kind="muscle")
        except UnknownIdError:
            if name.replace(" ", "_") in records_by_id:
                return referral(G, name.replace(" ", "_"))
            raise
        records = tuple(r for r in records_by_id.values() if r.muscle == node)
    grades = {k: s.evidence for k, s in G.graph.get("sources", {}).items()}
    zones = [
        _zone(G, record, link, kind, grades)
        for kind in ("essential", "spillover")
        for record in records
        for link in getattr(record, kind)
    ]
    return Referral(node, G.nodes[node]["label"], tuple(zones), tuple(r.id for r in records))


def _zone(
    G: nx.MultiDiGraph, record: TriggerPointRecord, link: Link, kind: str, grades: dict[str, Any]
) -> Zone:
    sources = link.sources or record.sources
    evidence = link.evidence or (None if link.sources else record.evidence)
    if evidence is None:
        evidence = min((grades[s] for s in sources), key=EVIDENCE_GRADES.index)
    default = ESSENTIAL_WEIGHT if kind == "essential" else SPILLOVER_WEIGHT
    weight = default if link.weight is None else link.weight
    zone: ZoneKind = "essential" if kind == "essential" else "spillover"
    label = G.nodes[link.id]["label"]
    return Zone(link.id, label, zone, weight, record.id, tuple(sources), str(evidence))


def referring_muscles(G: nx.MultiDiGraph, region: str) -> list[Referrer]:
    """The muscles whose trigger points refer pain to a region (or a region within it), ranked.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    region : str
        A region by id, name or synonym.

    Returns
    -------
    list of Referrer
        One per muscle, by its strongest zone in the region or a region within
        it: essential before spillover, heavier, stronger evidence, the region
        itself before the regions within it, then by muscle id.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> found = mg.referring_muscles(mg.load(), "shoulder")
    >>> "infraspinatus" in [r.muscle for r in found], found[0].zone
    (True, 'essential')
    """
    target = node_id(G, require_str(region, "region"), kind="region")
    within = {target, *_parts(G, target)}
    grades = {k: s.evidence for k, s in G.graph.get("sources", {}).items()}
    best: dict[str, tuple[tuple[Any, ...], Referrer]] = {}
    records: dict[str, TriggerPointRecord] = G.graph.get("trigger_points", {})
    for record in records.values():
        for kind in ("essential", "spillover"):
            for link in getattr(record, kind):
                if link.id not in within:
                    continue
                z = _zone(G, record, link, kind, grades)
                rank = (z.zone != "essential", -z.weight, EVIDENCE_GRADES.index(z.evidence),
                        z.region != target, record.muscle)  # fmt: skip
                if record.muscle not in best or rank < best[record.muscle][0]:
                    label = G.nodes[record.muscle]["label"]
                    found = Referrer(record.muscle, label, z.zone, z.region, z.weight,
                                     z.evidence, z.sources)  # fmt: skip
                    best[record.muscle] = (rank, found)
    return [found for _, found in sorted(best.values(), key=lambda item: item[0])]


def _parts(G: nx.MultiDiGraph, region: str) -> set[str]:
    """The regions lying within ``region``, at any depth."""
    found: set[str] = set()
    stack = [region]
    while stack:
        current = stack.pop()
        for part, _, key in G.in_edges(current, keys=True):
            if key == "part_of" and part not in found and G.nodes[part]["kind"] == "region":
                found.add(part)
                stack.append(part)
    return found
