"""Records of the examination: stretch reflexes, dermatome maps and trigger points.

A :class:`ReflexRecord` (``data/reflexes.yaml``) is a tendon reflex with the
roots and nerves its arc runs through and the muscle whose stretch it is.  A
:class:`DermatomeMapRecord` (``data/dermatome_maps.yaml``) is one published
dermatome map; its entries are ``dermatome`` edges tagged with the map, so a
trace can follow one map or another (``trace(..., dermatome_map=...)``).  The
project's own map is a record without entries: its dermatomes are those of
``data/nerve_roots.yaml``.  A :class:`TriggerPointRecord`
(``data/trigger_points.yaml``) is a myofascial trigger point of one muscle (or
of one part of it) and the regions it refers pain to: its essential zone,
where nearly every patient with the trigger point feels the pain, and its
spillover zone, where some do; each zone is a ``refers_pain_to`` edge from the
muscle, the essential ones weighing more.

Examples
--------
>>> import myofascial_graph as mg
>>> G = mg.load()
>>> [(r.root, r.level) for r in G.nodes["achilles_reflex"]["record"].roots][:2]
[('S1', 'primary'), ('S2', 'secondary')]
>>> G.graph["dermatome_maps"]["project"].label
"the project's dermatome map"
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .schema import (
    ID_PATTERN,
    Evidence,
    Label,
    Link,
    NodeId,
    RootLink,
    RootRef,
    SourceId,
    Text,
    Weight,
    _Cited,
    _Entity,
    _Strict,
)

__all__ = [
    "DEFAULT_DERMATOME_MAP",
    "ESSENTIAL_WEIGHT",
    "SPILLOVER_WEIGHT",
    "DermatomeEntry",
    "DermatomeMapRecord",
    "ReflexRecord",
    "TriggerPointRecord",
]

DEFAULT_DERMATOME_MAP = "project"
"""The map a trace follows unless told otherwise: the project's, in ``nerve_roots.yaml``."""

ESSENTIAL_WEIGHT = 1.0
"""The weight of a ``refers_pain_to`` edge to an essential zone that gives none."""

SPILLOVER_WEIGHT = 0.5
"""The weight of one to a spillover zone: felt by some of the patients with the trigger
point, not nearly all (a judgement value, like a secondary segment's; docs/model.md)."""


class ReflexRecord(_Entity):
    """A tendon (stretch) reflex, the segments and nerves of its arc, and its muscle."""

    roots: tuple[RootLink, ...] = Field(
        default=(),
        description="The segments of the reflex arc, the main ones as 'primary' (empty "
        "only for a reflex of cranial nerves, the jaw jerk).",
    )
    nerves: tuple[Link, ...] = Field(
        default=(), description="The peripheral or cranial nerves the arc runs through."
    )
    muscles: tuple[Link, ...] = Field(
        min_length=1, description="The muscle whose stretch reflex it is (tendon tapped)."
    )


class DermatomeEntry(_Cited):
    """One root's dermatome reaching one region, in one map."""

    root: RootRef = Field(description="The root.")
    region: NodeId = Field(description="A region its dermatome covers in this map.")
    weight: Weight | None = Field(
        default=None, description="How much of the region the map gives the root, in (0, 1]."
    )

    _bare_field: ClassVar[str] = ""


class DermatomeMapRecord(_Strict):
    """A published dermatome map: who drew it, how, and the regions it gives each root."""

    id: str = Field(pattern=ID_PATTERN, description="The map id, e.g. 'keegan1948'.")
    label: Label
    method: Text | None = Field(
        default=None,
        description="How the map was made (nerve-root block, remaining sensibility, ...).",
    )
    description: Text | None = Field(default=None, description="One or two sentences.")
    dermatomes: tuple[DermatomeEntry, ...] = Field(
        default=(),
        description="The map's root-region pairs (empty for the project's map, whose "
        "dermatomes are in nerve_roots.yaml).",
    )
    sources: tuple[SourceId, ...] = Field(min_length=1, description="Where the map is published.")
    note: Text | None = Field(default=None, description="Caveats: which roots it covers, ...")


class TriggerPointRecord(_Strict):
    """A myofascial trigger point of a muscle and where it refers pain."""

    id: str = Field(
        pattern=ID_PATTERN, description="The record id, e.g. 'gluteus_minimus_anterior'."
    )
    label: Label
    muscle: NodeId = Field(description="The muscle (or part of one) the trigger point lies in.")
    location: Text | None = Field(
        default=None, description="Where in the muscle, where the references place several."
    )
    essential: tuple[Link, ...] = Field(
        min_length=1,
        description="The essential referral zone: regions where nearly every patient with "
        "the trigger point feels its pain.",
    )
    spillover: tuple[Link, ...] = Field(
        default=(),
        description="The spillover zone: regions where some patients feel it too.",
    )
    evidence: Evidence | None = Field(
        default=None,
        description="Evidence grade of the zones; empty means the strongest of the sources "
        "(a web page restating the trigger-point manual is graded as the manual is: "
        "clinical_model).",
    )
    sources: tuple[SourceId, ...] = Field(min_length=1, description="Where the pattern is stated.")
    note: Text | None = Field(default=None, description="Caveats: how the sources differ, ...")
