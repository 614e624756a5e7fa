"""The metagraph: what every kind of node and every kind of edge means, in one table.

Everything that depends on what an edge kind *means* reads it from here:
reference checking while loading (:mod:`~myofascial_graph.loading`), building
the graph and refusing edges it does not allow (:mod:`~myofascial_graph.graph`),
the trace's follow rules, pathways and side rules
(:mod:`~myofascial_graph.engine`), the drawing and export styles, the JSON
Schemas and the table of edge kinds in the README.  Adding an edge kind means
adding an :class:`EdgeKind` here, the record field that declares it to the
schema (if it is a new field), and the data.

A :class:`Declaration` says where records declare edges: which record kinds
hold the field, whether it holds a list or one item, and where the edge's two
ends come from.  An end is written as

* ``"record"``: the declaring record itself;
* ``"item"``: an item of the field that is a bare id;
* ``"item.<name>"``: the attribute ``name`` of an item (``"item.id"``);
* ``"record.<name>"``: the attribute ``name`` of the declaring record.

Examples
--------
>>> import myofascial_graph as mg
>>> kind = mg.METAGRAPH["continuous_with"]
>>> kind.source_kinds, kind.target_kinds, kind.both_directions, kind.pathway
(('muscle',), ('fascia',), True, 'myofascial')
>>> mg.METAGRAPH.following("root")
('convergence', 'dermatome', 'innervates')
>>> ("root", "dermatome", "region") in mg.EDGE_TYPES
True
"""

from __future__ import annotations

from typing import Any

from . import schema
from .examination import (
    DEFAULT_DERMATOME_MAP,
    ESSENTIAL_WEIGHT,
    SPILLOVER_WEIGHT,
    DermatomeMapRecord,
    ReflexRecord,
    TriggerPointRecord,
)
from .geometry import BodyMapRecord
from .kinds import LINE_STYLES, Declaration, EdgeKind, Metagraph, NodeKind, Reference, Style

__all__ = [
    "EDGE_TYPES",
    "LINE_STYLES",
    "METAGRAPH",
    "NODE_KINDS",
    "Declaration",
    "EdgeKind",
    "Metagraph",
    "NodeKind",
    "Reference",
    "Style",
    "metagraph_of",
]

MODELS: dict[str, type[Any]] = {
    "source": schema.SourceRecord,
    "root": schema.RootRecord,
    "nerve": schema.NerveRecord,
    "muscle": schema.MuscleRecord,
    "fascia": schema.FasciaRecord,
    "region": schema.RegionRecord,
    "chain": schema.ChainRecord,
    "activity": schema.ActivityRecord,
    "intervention": schema.InterventionRecord,
    "condition": schema.ConditionRecord,
    "reflex": ReflexRecord,
    "dermatome_map": DermatomeMapRecord,
    "trigger_point": TriggerPointRecord,
    "body_map": BodyMapRecord,
    "model": schema.ModelRecord,
}


def _kind(
    name: str, file: str, plural: str, color: str | None, meaning: str, graph_key: str | None = None
) -> NodeKind:
    style = Style(color) if color else None
    model = MODELS[name]
    return NodeKind(name, file, plural, model, color is not None, style, meaning, graph_key)


# fmt: off
_KINDS = (
    _kind("source", "sources.yaml", "sources", None,
          "a bibliography entry that claims cite", "sources"),
    _kind("root", "nerve_roots.yaml", "roots", "#E69F00", "a spinal nerve root, C1 to Co1"),
    _kind("nerve", "nerves.yaml", "nerves", "#56B4E9", "a peripheral or cranial nerve"),
    _kind("muscle", "muscles.yaml", "muscles", "#009E73", "a skeletal muscle, or a part of one"),
    _kind("fascia", "fascia.yaml", "fascial structures", "#CC79A7",
          "a fascia, aponeurosis, tract or ligament that joins muscles"),
    _kind("region", "regions.yaml", "regions", "#0072B2", "a body region, in a hierarchy"),
    _kind("chain", "chains.yaml", "chains", None,
          "a myofascial chain (Anatomy Trains line)", "chains"),
    _kind("activity", "activities.yaml", "activities", "#F0E442", "an activity or exercise"),
    _kind("intervention", "interventions.yaml", "interventions", "#999999",
          "a treatment aimed at muscles"),
    _kind("condition", "conditions.yaml", "conditions", "#000000", "a clinical condition"),
    _kind("reflex", "reflexes.yaml", "reflexes", "#882255",
          "a tendon reflex, the segments and nerves of its arc"),
    _kind("dermatome_map", "dermatome_maps.yaml", "dermatome maps", None,
          "a published dermatome map, whose dermatomes a trace may follow", "dermatome_maps"),
    _kind("trigger_point", "trigger_points.yaml", "trigger points", None,
          "a myofascial trigger point of a muscle and the zones it refers pain to",
          "trigger_points"),
    _kind("body_map", "body_map.yaml", "body maps", None,
          "a drawable body map whose areas trace scores shade", "body_maps"),
    _kind("model", "model.yaml", "models", None,
          "the fitted parameters of the pain-spread model", "models"),
)

_EDGES = (
    EdgeKind("dermatome", ("root",), ("region",), "dermatome",
             "the root's skin area, where its irritation refers pain",
             Style("#D55E00", "dashed"), followed_from=("root",), pathway="radicular",
             variant=("map", "dermatome_map", DEFAULT_DERMATOME_MAP),
             also=(Declaration(("dermatome_map",), "dermatomes", source="item.root",
                               target="item.region", tag="map"),)),
    EdgeKind("supplies", ("root",), ("nerve",), "roots",
             "the root sends fibres into the nerve", Style("#E69F00", "solid"),
             declared_by=("nerve",), source="item.root", target="record",
             weight_by="level", attributes=("level",)),
    EdgeKind("innervates", ("nerve", "root"), ("muscle",), "nerves",
             "the nerve supplies the muscle; a root, segmentally, by its share of the supply",
             Style("#56B4E9", "solid"), declared_by=("muscle",), source="item.id",
             target="record", refers_to=("nerve",), followed_from=("root", "nerve"),
             pathway="myotomal",
             also=(Declaration(("muscle",), "roots", source="item.root", target="record",
                               weight_by="share", attributes=("level",),
                               via=("nerves", "supplies"), refers_to=("root",)),)),
    EdgeKind("branch", ("nerve",), ("nerve",), "branch_of",
             "the nerve gives off the branch (or division), so a lesion above reaches it",
             Style("#56B4E9", "dashed"), source="item", target="record",
             followed_from=("nerve",)),
    EdgeKind("cutaneous", ("nerve",), ("region",), "skin",
             "the nerve's cutaneous territory: the skin it supplies",
             Style("#D55E00", "dotted"), followed_from=("nerve",), pathway="cutaneous"),
    EdgeKind("convergence", ("root", "nerve"), ("region",), "convergence",
             "pain from the root or nerve also felt in the region, through afferents "
             "converging in the trigeminocervical nucleus",
             Style("#AA4499", "dashdot"), followed_from=("root", "nerve"), pathway="convergent"),
    EdgeKind("lies_in", ("muscle", "fascia"), ("region",), "regions",
             "where the muscle or fascial structure lies", Style("#009E73", "solid"),
             followed_from=("muscle", "fascia")),
    EdgeKind("continuous_with", ("muscle",), ("fascia",), "muscles",
             "a muscle and a fascia are joined, so tension passes between them",
             Style("#CC79A7", "dotted"), declared_by=("fascia",), source="item.muscle",
             target="record", attributes=("relation", "crosses_midline"),
             both_directions=True, default_weight=0.5, followed_from=("muscle", "fascia"),
             option="fascia", pathway="myofascial", crossing="both"),
    EdgeKind("part_of", ("region", "muscle"), ("region", "muscle"), "part_of",
             "a region lies within a larger one; a head or part belongs to a muscle",
             Style("#0072B2", "sparse"), target="item", followed_from=("region",),
             climb=True, same_kind=True),
    EdgeKind("key_point", ("root",), ("region",), "key_points",
             "the root's ISNCSCI key sensory point lies in the region",
             Style("#D55E00", "sparse"), declared_by=("region",), source="item",
             target="record"),
    EdgeKind("chain", ("muscle", "fascia"), ("muscle", "fascia"), "transitions",
             "consecutive stations of a myofascial chain (a clinical model)",
             Style("#999999", "dashdot"), declared_by=("chain",), source="item.source",
             target="item.target", attributes=("crosses_midline",), both_directions=True,
             default_weight=0.5, followed_from=("muscle", "fascia"), option="chains",
             pathway="myofascial", crossing="flip", merge=True, collect=(("chains", "record"),)),
    EdgeKind("refers_pain_to", ("muscle",), ("region",), "essential",
             "a trigger point in the muscle refers pain to the region (its essential or "
             "spillover zone; a clinical model)",
             Style("#EE3377", "dashed"), declared_by=("trigger_point",), source="record.muscle",
             default_weight=ESSENTIAL_WEIGHT, followed_from=("muscle",),
             option="trigger_points", pathway="referred", merge=True,
             collect=(("trigger_points", "record"),),
             also=(Declaration(("trigger_point",), "spillover", source="record.muscle",
                               default_weight=SPILLOVER_WEIGHT),)),
    EdgeKind("reflex_arc", ("root", "nerve"), ("reflex",), "roots",
             "the root (by its level) or nerve carries the reflex's arc",
             Style("#882255", "solid"), declared_by=("reflex",), source="item.root",
             target="record", weight_by="level", attributes=("level",),
             also=(Declaration(("reflex",), "nerves", source="item.id", target="record",
                               refers_to=("nerve",)),)),
    EdgeKind("reflex_of", ("reflex",), ("muscle",), "muscles",
             "the reflex is the muscle's stretch reflex (its tendon is tapped)",
             Style("#882255", "dotted")),
    EdgeKind("loads", ("activity",), ("muscle",), "loads",
             "an activity works the muscle, by one kind of contraction",
             Style("#F0E442", "solid"), target="item.muscle",
             attributes=("contraction", "reciprocal"), key_by="contraction", merge=True,
             collect=(("phases", "phase"),)),
    EdgeKind("targets", ("intervention",), ("muscle",), "targets",
             "an intervention works the muscle, by one kind of contraction",
             Style("#999999", "solid"), target="item.muscle",
             attributes=("contraction", "reciprocal"), key_by="contraction", merge=True,
             collect=(("phases", "phase"),)),
)

_REFERENCES = (
    Reference(("body_map",), "views.areas.regions", ("region",),
              "the regions whose pain shades a body map's area"),
)
# fmt: on

METAGRAPH = Metagraph({k.name: k for k in _KINDS}, {e.name: e for e in _EDGES}, _REFERENCES)
"""The node and edge kinds of the shipped knowledge graph."""

NODE_KINDS: tuple[str, ...] = METAGRAPH.node_kinds
"""The kinds of node: the anatomy in the order of a trace (causes first), then the
clinical layer."""

EDGE_TYPES: frozenset[tuple[str, str, str]] = METAGRAPH.triples
"""The allowed ``(source kind, edge kind, target kind)`` triples (from :data:`METAGRAPH`)."""


def metagraph_of(G: Any) -> Metagraph:
    """The metagraph a graph was built with (the shipped one unless it says otherwise)."""
    found = getattr(G, "graph", {}).get("metagraph")
    return found if isinstance(found, Metagraph) else METAGRAPH
