"""Build the typed ``networkx.MultiDiGraph`` from validated records, and :func:`load` it.

Nodes are keyed by record id and carry ``kind`` (root, nerve, muscle, fascia,
region, ...), ``label`` and ``record`` (the validated pydantic record).

Edges point from the cause to what it affects, and the edge key is the edge
kind, as in obonet (or ``<kind>:<value>`` where the metagraph tells parallel
edges apart, as ``loads:lengthening``).  Every edge has ``kind``, ``weight``
in (0, 1], ``sources`` (a tuple of source ids) and ``evidence`` (the grade of
the claim).  Which edges exist, what they mean, where they are declared and
how they are weighted is the metagraph's (:data:`~myofascial_graph.METAGRAPH`);
:func:`add_edge` refuses an edge it does not allow.

Dataset-wide information is kept in ``G.graph``: ``name``, ``sources`` (source
id to :class:`~myofascial_graph.schema.SourceRecord`), ``chains`` (chain id to
:class:`~myofascial_graph.schema.ChainRecord`), ``files`` (the files loaded,
in order) and, for a graph built with another metagraph than the shipped one,
``metagraph``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from . import cache as _cache
from .datafiles import read_files
from .exceptions import SchemaError
from .index import prepare
from .kinds import field_value
from .metagraph import METAGRAPH, Declaration, EdgeKind, Metagraph, metagraph_of
from .schema import EVIDENCE_GRADES, LEVEL_WEIGHTS, Evidence, ModelRecord, SourceRecord

if TYPE_CHECKING:  # the loader is imported on a cache miss only
    from .dataset import Dataset, Entry

__all__ = ["add_edge", "build_graph", "load", "strongest"]


def load(
    extra: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    base: str | Path | None = None,
    metagraph: Metagraph = METAGRAPH,
    cache: bool | None = None,
) -> nx.MultiDiGraph:
    """Load the knowledge graph: the shipped data, with user files layered on top.

    Parameters
    ----------
    extra : str, Path or iterable of them, optional
        A user data file or folder, or several, each named like the shipped
        file of its kind (``muscles.yaml``, ``fascia.yaml``, ...) and laid out
        the same way.  They may add records; a record that replaces a shipped
        one must say ``replace: true``.
    base : str or Path, optional
        A folder of data files to use instead of the shipped data.
    metagraph : Metagraph, default METAGRAPH
        The node and edge kinds to read and build (for extensions of the model).
    cache : bool, optional
        Whether to keep the graph in (and take it from) the on-disk cache of
        :mod:`myofascial_graph.cache`, keyed by the exact bytes of every file
        read; by default on unless ``MYOFASCIAL_GRAPH_CACHE=0``.  Graphs built
        with another metagraph are never cached.  Every call returns a new
        graph, so editing one never changes another.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by id with ``kind``, ``label`` and ``record``; edges from
        cause to effect, keyed by edge kind, with ``kind``, ``weight``,
        ``sources`` and ``evidence`` (see :mod:`myofascial_graph.graph`).

    Raises
    ------
    DataError
        Listing every problem in the data, each as ``file:line: record: message``.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> G.nodes["gluteus_maximus"]["kind"], G.nodes["S1"]["label"]
    ('muscle', 'S1 spinal nerve root')
    >>> G.edges["S1", "gluteus_maximus", "innervates"]["level"]
    'primary'
    """
    if extra is None:
        layers: list[str | os.PathLike[str]] = []
    elif isinstance(extra, (str, os.PathLike)):
        layers = [extra]
    elif isinstance(extra, Iterable):
        layers = list(extra)
    else:
        raise TypeError(f"extra must be a path or paths, not {type(extra).__name__}")
    files = read_files(layers, base=base, metagraph=metagraph)
    key = None
    if metagraph is METAGRAPH and not files.problems and _cache.enabled(cache):
        key = _cache.key_for(files.contents())
        kept = _cache.read(key)
        if kept is not None:
            return kept
    from .loading import read_dataset

    with _cache.paused_collection():
        G = build_graph(read_dataset(metagraph=metagraph, files=files))
    if key is not None:
        _cache.write(key, G)
    return G


def add_edge(
    G: nx.MultiDiGraph, u: str, v: str, kind: str, *, key: str | None = None, **attrs: Any
) -> None:
    """Add an edge of ``kind`` (keyed by ``key``, default the kind) from ``u`` to ``v``,
    refusing what the graph's metagraph does not allow.

    Raises
    ------
    SchemaError
        If either node is missing or the triple is not one of the metagraph's.
    """
    if u not in G or v not in G:
        missing = u if u not in G else v
        raise SchemaError(f"cannot add a {kind!r} edge: node {missing!r} is not in the graph")
    triples = metagraph_of(G).triples
    triple = (G.nodes[u]["kind"], kind, G.nodes[v]["kind"])
    if triple not in triples:
        allowed = sorted(t for t in triples if t[1] == kind)
        raise SchemaError(f"edge {u!r} -{kind}-> {v!r} is a {triple}, allowed are {allowed}")
    G.add_edge(u, v, key=key or kind, kind=kind, **attrs)


def build_graph(dataset: Dataset, name: str = "myofascial_graph") -> nx.MultiDiGraph:
    """Turn a validated :class:`~myofascial_graph.dataset.Dataset` into the graph."""
    metagraph: Metagraph = dataset.metagraph or METAGRAPH
    G = nx.MultiDiGraph(name=name)
    for kind_name, node_kind in metagraph.kinds.items():
        if node_kind.graph_key:
            records = dataset.get(kind_name).items()
            G.graph[node_kind.graph_key] = {k: e.record for k, e in records}
    G.graph["files"] = list(dataset.files)
    if metagraph is not METAGRAPH:
        G.graph["metagraph"] = metagraph
    for kind in metagraph.node_kinds:
        for node_id, entry in dataset.get(kind).items():
            label = entry.record.label  # type: ignore[union-attr]
            G.add_node(node_id, kind=kind, label=label, record=entry.record)
    cite = _Citer(dataset.sources, metagraph.triples, dict(G.nodes(data="kind")))
    levels = _levels(dataset)
    vias = []
    for edge_kind in metagraph.values():
        for declaration in edge_kind.declarations:
            for kind in declaration.declared_by:
                for entry in dataset.get(kind).values():
                    _declare(G, edge_kind, declaration, entry, cite, levels)
            if declaration.via:
                vias.append((edge_kind, declaration))
    for edge_kind, declaration in vias:
        _name_carriers(G, edge_kind, declaration, dataset)
    prepare(G)
    return G


def _declare(
    G: nx.MultiDiGraph,
    kind: EdgeKind,
    declaration: Declaration,
    entry: Entry,
    cite: _Citer,
    levels: dict[str, float],
) -> None:
    """Add the edges one record declares in one field."""
    supply = 0.0
    if declaration.weight_by == "share":
        supply = sum(levels[item.level] for item in getattr(entry.record, declaration.field))
    for _, item, u, v in declaration.ends(entry.record):
        weight = _weight(kind, declaration, item, levels, supply)
        attrs = {"weight": weight, **cite(entry, item)}
        for name in declaration.attributes:
            attrs[name] = getattr(item, name)
        for name, origin in kind.collect:
            value = entry.id if origin == "record" else getattr(item, origin)
            attrs[name] = () if value is None else (value,)
        key = kind.name
        if declaration.key_by:
            key += f":{getattr(item, declaration.key_by)}"
        if declaration.tag:
            attrs[declaration.tag] = entry.id
            key += f":{entry.id}"
        for a, b in ((u, v), (v, u)) if kind.both_directions else ((u, v),):
            if kind.merge and G.has_edge(a, b, key):
                merge_provenance(G.edges[a, b, key], attrs)
            elif cite.allows(a, kind.name, b):
                G.add_edge(a, b, key=key, kind=kind.name, **attrs)
            else:
                add_edge(G, a, b, kind.name, key=key, **attrs)  # raises why not


def _weight(
    kind: EdgeKind, declaration: Declaration, item: Any, levels: dict[str, float], supply: float
) -> float:
    own = field_value(item, "weight")
    if own is not None:
        return float(own)
    if declaration.weight_by == "level":
        return levels[item.level]
    if declaration.weight_by == "share":
        return levels[item.level] / supply
    if declaration.default_weight is not None:
        return declaration.default_weight
    return kind.default_weight


def _levels(dataset: Dataset) -> dict[str, float]:
    """The weights of segmental levels: the model's, or the schema's defaults without one."""
    entry = dataset.records.get("model", {}).get("default")
    model = entry.record if entry is not None else None
    if not isinstance(model, ModelRecord):
        return dict(LEVEL_WEIGHTS)
    return {level: float(weight) for level, weight in model.levels.items()}


def _name_carriers(
    G: nx.MultiDiGraph, kind: EdgeKind, declaration: Declaration, dataset: Dataset
) -> None:
    """Name on each edge the nodes of the record's ``via`` field that carry it."""
    assert declaration.via is not None
    field_name, carrier_kind = declaration.via
    for record_kind in declaration.declared_by:
        for entry in dataset.get(record_kind).values():
            carriers = [link.id for link in getattr(entry.record, field_name)]
            for _, _, u, v in declaration.ends(entry.record):
                data = G.edges[u, v, kind.name]
                data["via"] = tuple(n for n in carriers if G.has_edge(u, n, carrier_kind))


def merge_provenance(data: dict[str, Any], more: dict[str, Any]) -> None:
    """Merge a repeated claim of an edge into its data: sources joined, the strongest
    grade, the largest weight, flags and collected attributes combined, notes joined."""
    data["sources"] = tuple(dict.fromkeys((*data["sources"], *more["sources"])))
    data["evidence"] = strongest([data["evidence"], more["evidence"]])
    data["weight"] = max(data["weight"], more["weight"])
    for name, value in more.items():
        if name in ("sources", "evidence", "weight"):
            continue
        if name == "note":
            data["note"] = " / ".join(filter(None, [data.get("note"), value]))
        elif isinstance(value, bool):
            data[name] = bool(data.get(name)) or value
        elif isinstance(value, tuple):
            data[name] = (*data.get(name, ()), *value)


class _Citer:
    """Works out the ``sources``, ``evidence`` and ``note`` of an edge, and whether the
    metagraph allows it (what :func:`add_edge` checks, from the kinds of the nodes)."""

    def __init__(
        self,
        sources: dict[str, SourceRecord],
        triples: frozenset[tuple[str, str, str]],
        kinds: dict[str, str],
    ) -> None:
        self.grades = {key: source.evidence for key, source in sources.items()}
        self.triples, self.kinds = triples, kinds
        self.graded: dict[tuple[str, ...], Evidence] = {}  # the strongest grade of sources

    def allows(self, u: str, kind: str, v: str) -> bool:
        """Whether both nodes exist and an edge of ``kind`` may join them."""
        found = self.kinds
        return u in found and v in found and (found[u], kind, found[v]) in self.triples

    def __call__(self, entry: Any, link: Any) -> dict[str, Any]:
        own: tuple[str, ...] = field_value(link, "sources", ())
        sources: tuple[str, ...] = own or entry.record.sources
        evidence = (
            field_value(link, "evidence")
            or (None if own else field_value(entry.record, "evidence"))
            or self.graded.get(sources)
            or self.graded.setdefault(sources, strongest(self.grades[s] for s in sources))
        )
        attrs: dict[str, Any] = {"sources": sources, "evidence": evidence}
        note = field_value(link, "note")
        if note:
            attrs["note"] = note
        return attrs


def strongest(grades: Iterable[Evidence]) -> Evidence:
    """Return the strongest of some evidence grades (see :data:`EVIDENCE_GRADES`).

    Examples
    --------
    >>> strongest(["expert_opinion", "textbook"])
    'textbook'
    """
    return min(grades, key=EVIDENCE_GRADES.index)
