"""The types of the metagraph: node kinds, edge kinds, their declarations and styles.

The shipped table of kinds is :data:`myofascial_graph.metagraph.METAGRAPH`;
see :mod:`myofascial_graph.metagraph` for what the attributes mean to the
rest of the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

__all__ = [
    "LINE_STYLES",
    "Declaration",
    "EdgeKind",
    "Metagraph",
    "NodeKind",
    "Reference",
    "Style",
    "field_value",
]

LineStyle = Literal["solid", "dashed", "dotted", "dashdot", "sparse"]
LINE_STYLES: tuple[LineStyle, ...] = ("solid", "dashed", "dotted", "dashdot", "sparse")
"""Line styles an edge kind may be drawn with (``sparse``: widely spaced dots)."""

Crossing = Literal["", "flip", "both"]


@dataclass(frozen=True)
class Style:
    """How an edge kind (or a node kind) is drawn and exported.

    Attributes
    ----------
    color : str
        A hex colour (the Okabe-Ito palette, which colour-blind readers can tell apart).
    line : str
        One of :data:`LINE_STYLES`.
    """

    color: str
    line: LineStyle = "solid"


@dataclass(frozen=True)
class NodeKind:
    """A kind of record, the data file that holds it and, for nodes, how it is drawn.

    Attributes
    ----------
    name : str
        The kind, e.g. ``"muscle"``.
    file : str
        The data file of the kind, e.g. ``"muscles.yaml"``.
    plural : str
        How counts of the kind read, e.g. ``"3 fascial structures"``.
    model : type
        The pydantic model of its records.
    node : bool
        Whether its records become graph nodes (sources and chains do not).
    style : Style or None
        Colour of its nodes in drawings.
    meaning : str
        One line saying what the kind is.
    graph_key : str or None
        For a kind that is not a node, the key of ``G.graph`` that keeps its
        records (``"sources"``, ``"chains"``, ``"body_maps"``).
    """

    name: str
    file: str
    plural: str
    model: type[Any]
    node: bool = True
    style: Style | None = None
    meaning: str = ""
    graph_key: str | None = None


@dataclass(frozen=True)
class Declaration:
    """Where records declare edges of a kind (see the module docstring for ends).

    Attributes
    ----------
    declared_by : tuple of str
        The record kinds whose records hold ``field``.
    field : str
        The record field.
    many : bool
        Whether the field holds a list of items (else one item, or None).
    source, target : str
        Where the edge's source and target ids come from.
    weight_by : str or None
        ``"level"`` to weight an item by its segmental level (primary, secondary),
        ``"share"`` by the root's share of the record's segmental supply (its
        level's weight over the sum for the record's roots); else an item's
        own ``weight``, or the kind's default weight.  Level weights are the
        model's (``data/model.yaml``).
    attributes : tuple of str
        Item attributes copied onto the edge (``level``, ``relation``, ...).
    key_by : str or None
        An item attribute that tells parallel edges apart: the edge key is then
        ``"<kind>:<value>"`` instead of the kind.
    via : (str, str) or None
        ``(field, edge kind)``: name on each edge, as ``via``, the ids in the
        declaring record's ``field`` that the edge's source reaches by an edge
        of that kind (the nerves that carry a root's fibres to a muscle).
    refers_to : tuple of str
        The node kinds the field's ids may name; by default those the edge
        kind allows at that end.
    tag : str or None
        An edge attribute set to the declaring record's id (the dermatome map
        an edge belongs to); the edge key is then ``"<kind>:<record id>"``.
    default_weight : float or None
        The weight of an item that gives none, for this field; None takes the
        edge kind's (a trigger point's spillover zones weigh less than its
        essential zones).
    """

    declared_by: tuple[str, ...]
    field: str
    many: bool = True
    source: str = "record"
    target: str = "item.id"
    weight_by: Literal["level", "share"] | None = None
    attributes: tuple[str, ...] = ()
    key_by: str | None = None
    via: tuple[str, str] | None = None
    refers_to: tuple[str, ...] = ()
    tag: str | None = None
    default_weight: float | None = None

    def __post_init__(self) -> None:
        if self.default_weight is not None and not 0.0 < self.default_weight <= 1.0:
            raise ValueError(f"declaration {self.field!r}: default_weight must be in (0, 1]")

    def ends(self, record: Any) -> Iterator[tuple[int | None, Any, str, str]]:
        """``(index, item, source id, target id)`` for every item of the field of ``record``."""
        value = getattr(record, self.field)
        items = list(enumerate(value)) if self.many else [(None, value)]
        for index, item in items:
            if item is None:
                continue
            yield index, item, _end(self.source, record, item), _end(self.target, record, item)

    def location(self, end: str, index: int | None) -> tuple[str | int, ...]:
        """The path inside a record of the id that ``end`` names (for error lines)."""
        where, _, name = end.partition(".")
        if where == "record":
            return (name,) if name else ()
        path: tuple[str | int, ...] = (self.field,) if index is None else (self.field, index)
        return (*path, name) if name else path


def field_value(item: Any, name: str, default: Any = None) -> Any:
    """The field ``name`` of a record or link, or ``default`` if it has none (a bare id).

    Read from the instance's values: pydantic answers an attribute it does not have
    slowly, and links of most kinds lack some optional fields.

    >>> field_value("S1", "sources", ())
    ()
    """
    values = getattr(item, "__dict__", None)
    return default if values is None else values.get(name, default)


def _end(spec: str, record: Any, item: Any) -> Any:
    where, _, name = spec.partition(".")
    owner = record if where == "record" else item
    if where == "record" and not name:
        return record.id
    return getattr(owner, name) if name else owner


@dataclass(frozen=True)
class Reference:
    """A field whose ids name records without making edges; loading checks them.

    Attributes
    ----------
    declared_by : tuple of str
        The record kinds that hold the field.
    field : str
        A dotted path into the record; mappings and lists along the way are
        gone through entry by entry (``"views.areas.regions"``).
    refers_to : tuple of str
        The kinds the ids may name.
    meaning : str
        One line saying what the reference means.
    """

    declared_by: tuple[str, ...]
    field: str
    refers_to: tuple[str, ...]
    meaning: str

    def ids(self, record: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """``(path inside the record, id)`` for every id the field holds."""
        yield from _walk(record, tuple(self.field.split(".")), ())


def _walk(
    value: Any, parts: tuple[str, ...], path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, parts, (*path, key))
    elif isinstance(value, tuple):
        for index, inner in enumerate(value):
            yield from _walk(inner, parts, (*path, index))
    elif parts:
        yield from _walk(getattr(value, parts[0]), parts[1:], (*path, parts[0]))
    elif isinstance(value, str):
        yield path, value


@dataclass(frozen=True)
class EdgeKind:
    """What one kind of edge means, and where it comes from.

    Attributes
    ----------
    name : str
        The edge kind, which is also the edge's key in the graph.
    source_kinds, target_kinds : tuple of str
        The node kinds the edge may run from and to.
    field : str
        The record field that declares it (see :attr:`declarations`).
    many : bool
        Whether that field holds a list of items or a single one.
    declared_by : tuple of str
        The record kinds holding ``field``; by default the source kinds.
    source, target : str
        Where the two ends' ids come from (see the module docstring).
    weight_by, attributes, key_by, refers_to
        As for a :class:`Declaration`: these and the attributes above make the
        kind's main declaration.
    both_directions : bool
        Whether each declaration adds the edge both ways.
    default_weight : float
        The weight of an edge whose item gives none, in (0, 1].
    followed_from : tuple of str
        The node kinds a trace follows the edge from; empty if it is not traced.
    option : str or None
        The :func:`~myofascial_graph.trace` keyword that turns following it on or
        off (``fascia``, ``chains``); None if it is always followed.
    pathway : str or None
        The pathway a path takes on when it follows the edge (``radicular``,
        ``myotomal``, ``myofascial``); None keeps the path's pathway.
    crossing : {"", "flip", "both"}
        What an edge marked ``crosses_midline`` does to a sided trace: lead to
        the opposite side (``flip``) or to both sides (``both``).
    climb : bool
        Followed only after the search, at no cost and no hop (the region hierarchy).
    same_kind : bool
        Whether the two ends are always of one kind (a region is part of a region,
        a muscle of a muscle), rather than any source kind with any target kind.
    merge : bool
        Whether several declarations of the same edge merge into one (their
        sources, grades, weights and notes combined) rather than being an error.
    collect : tuple of (str, str)
        Edge attributes gathered into tuples over merged declarations, as
        ``(attribute, from)``, ``from`` being ``"record"`` (the declaring record's
        id) or an item attribute.
    also : tuple of Declaration
        Further fields that declare edges of this kind.
    variant : (str, str, str) or None
        ``(attribute, keyword, default)`` for a kind with alternative versions
        (the dermatomes of several maps): the edge attribute that names an
        edge's version, the :func:`~myofascial_graph.trace` keyword that
        chooses the one followed, and the version of edges without the attribute.
    style : Style
        How the edge is drawn and exported.
    meaning : str
        One line saying what the edge means.
    """

    name: str
    source_kinds: tuple[str, ...]
    target_kinds: tuple[str, ...]
    field: str
    meaning: str
    style: Style
    many: bool = True
    declared_by: tuple[str, ...] = ()
    source: str = "record"
    target: str = "item.id"
    weight_by: Literal["level", "share"] | None = None
    attributes: tuple[str, ...] = ()
    key_by: str | None = None
    refers_to: tuple[str, ...] = ()
    both_directions: bool = False
    default_weight: float = 1.0
    followed_from: tuple[str, ...] = ()
    option: str | None = None
    pathway: str | None = None
    crossing: Crossing = ""
    climb: bool = False
    same_kind: bool = False
    merge: bool = False
    collect: tuple[tuple[str, str], ...] = ()
    also: tuple[Declaration, ...] = ()
    variant: tuple[str, str, str] | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.default_weight <= 1.0:
            raise ValueError(f"edge kind {self.name!r}: default_weight must be in (0, 1]")
        if self.line not in LINE_STYLES:
            raise ValueError(f"edge kind {self.name!r}: line must be one of {list(LINE_STYLES)}")

    @property
    def line(self) -> LineStyle:
        return self.style.line

    @cached_property
    def declarations(self) -> tuple[Declaration, ...]:
        """Every field that declares edges of this kind, the main one first."""
        main = Declaration(
            self.declared_by or self.source_kinds,
            self.field,
            self.many,
            self.source,
            self.target,
            self.weight_by,
            self.attributes,
            self.key_by,
            refers_to=self.refers_to,
        )
        return (main, *self.also)

    @cached_property
    def triples(self) -> frozenset[tuple[str, str, str]]:
        """The allowed ``(source kind, kind, target kind)`` triples."""
        pairs = {(s, t) for s in self.source_kinds for t in self.target_kinds}
        if self.same_kind:
            pairs = {(s, t) for s, t in pairs if s == t}
        if self.both_directions:
            pairs |= {(t, s) for s, t in pairs}
        return frozenset((s, self.name, t) for s, t in pairs)


@dataclass(frozen=True)
class Metagraph(Mapping[str, EdgeKind]):
    """The node kinds and edge kinds of a knowledge graph; a mapping of edge kinds.

    Attributes
    ----------
    kinds : mapping
        Record kind to :class:`NodeKind`, in loading order.
    edges : mapping
        Edge kind to :class:`EdgeKind`.
    references : tuple of Reference
        Fields whose ids name records without making edges.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> mg.METAGRAPH.node_kinds[:3], mg.METAGRAPH.files["muscles.yaml"]
    (('root', 'nerve', 'muscle'), 'muscle')
    >>> sorted(mg.METAGRAPH.followed)[:3]
    ['branch', 'chain', 'continuous_with']
    """

    kinds: Mapping[str, NodeKind]
    edges: Mapping[str, EdgeKind]
    references: tuple[Reference, ...] = ()
    _follow: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _followed: dict[tuple[tuple[str, bool], ...], frozenset[str]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for kind in self.edges.values():
            ends = {*kind.source_kinds, *kind.target_kinds, *kind.followed_from}
            for declaration in kind.declarations:
                ends.update(declaration.declared_by)
            unknown = sorted(ends - set(self.kinds))
            if unknown:
                raise ValueError(f"edge kind {kind.name!r} names unknown node kinds {unknown}")
        for reference in self.references:
            unknown = sorted({*reference.declared_by, *reference.refers_to} - set(self.kinds))
            if unknown:
                raise ValueError(f"reference {reference.field!r} names unknown kinds {unknown}")
        follow = {
            node: tuple(sorted(k.name for k in self.edges.values() if node in k.followed_from))
            for node in self.kinds
        }
        object.__setattr__(self, "_follow", follow)

    def __getitem__(self, name: str) -> EdgeKind:
        return self.edges[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)

    @cached_property
    def node_kinds(self) -> tuple[str, ...]:
        """The kinds whose records become graph nodes, in table order."""
        return tuple(name for name, kind in self.kinds.items() if kind.node)

    @property
    def files(self) -> dict[str, str]:
        """Data file name to record kind, in loading order."""
        return {kind.file: name for name, kind in self.kinds.items()}

    @cached_property
    def triples(self) -> frozenset[tuple[str, str, str]]:
        """Every allowed ``(source kind, edge kind, target kind)`` triple."""
        return frozenset(t for kind in self.edges.values() for t in kind.triples)

    @cached_property
    def followed(self) -> tuple[str, ...]:
        """The edge kinds a trace follows during its search (not the free climbs)."""
        return tuple(k.name for k in self.edges.values() if k.followed_from and not k.climb)

    @cached_property
    def climbs(self) -> frozenset[str]:
        """The edge kinds a trace climbs after its search, at no cost (``part_of``)."""
        return frozenset(k.name for k in self.edges.values() if k.climb)

    def followed_with(self, options: Mapping[str, bool]) -> frozenset[str]:
        """The edge kinds a search follows with the given trace options (``fascia=``, ...)."""
        key = tuple(sorted(options.items()))
        found = self._followed.get(key)
        if found is None:
            found = self._followed[key] = frozenset(
                name for name in self.followed if options.get(self.edges[name].option or "", True)
            )
        return found

    @cached_property
    def pathways(self) -> tuple[str, ...]:
        """The pathways the edge kinds open, in table order."""
        return tuple(dict.fromkeys(k.pathway for k in self.edges.values() if k.pathway))

    @cached_property
    def options(self) -> tuple[str, ...]:
        """The trace keywords that turn edge kinds on and off."""
        return tuple(dict.fromkeys(k.option for k in self.edges.values() if k.option))

    @cached_property
    def variants(self) -> dict[str, tuple[str, str, str]]:
        """Edge kind to ``(attribute, trace keyword, default)`` for kinds with versions."""
        return {k.name: k.variant for k in self.edges.values() if k.variant}

    def following(self, node_kind: str) -> tuple[str, ...]:
        """The edge kinds a trace follows out of a node of ``node_kind``, sorted."""
        return self._follow.get(node_kind, ())

    def declared_by(self, record_kind: str) -> Iterator[tuple[EdgeKind, Declaration]]:
        """The edge kinds and declarations whose field a record kind holds."""
        for kind in self.edges.values():
            for declaration in kind.declarations:
                if record_kind in declaration.declared_by:
                    yield kind, declaration

    def extend(
        self,
        *,
        kinds: Iterable[NodeKind] = (),
        edges: Iterable[EdgeKind] = (),
        references: Iterable[Reference] = (),
    ) -> Metagraph:
        """A new metagraph with more (or replaced) node kinds and edge kinds.

        Examples
        --------
        >>> import myofascial_graph as mg
        >>> refers = mg.EdgeKind(
        ...     "refers_to", ("muscle",), ("region",), "refers_to",
        ...     "a muscle refers pain to a region", mg.Style("#000000", "dotted"),
        ...     followed_from=("muscle",), pathway="referred")
        >>> M = mg.METAGRAPH.extend(edges=[refers])
        >>> "refers_to" in M, "refers_to" in mg.METAGRAPH
        (True, False)
        """
        return Metagraph(
            {**self.kinds, **{k.name: k for k in kinds}},
            {**self.edges, **{e.name: e for e in edges}},
            (*self.references, *references),
        )

    def table(self) -> str:
        """The edge kinds as a Markdown table: source, kind, target, traced from, meaning."""
        rows = [
            "| source | edge kind | target | traced from | pathway | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for kind in self.edges.values():
            followed = ", ".join(kind.followed_from) or "—"
            if kind.option:
                followed += f" (`{kind.option}=`)"
            if kind.climb:
                followed += " (free climb)"
            both = " (both ways)" if kind.both_directions else ""
            target = "the same kind" if kind.same_kind else ", ".join(kind.target_kinds)
            rows.append(
                f"| {', '.join(kind.source_kinds)} | `{kind.name}`{both} | {target} | "
                f"{followed} | {kind.pathway or '—'} | {kind.meaning} |"
            )
        return "\n".join(rows)
