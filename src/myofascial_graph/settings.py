"""The options of a trace, checked, and the search engine they make.

:func:`engine_for` is shared by :func:`~myofascial_graph.trace`, the spread of
many sources (:mod:`~myofascial_graph.spread`) and the inference built on it,
so that every answer follows the same edges under the same options.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from numbers import Real

import networkx as nx

from .engine import Engine
from .examination import DEFAULT_DERMATOME_MAP
from .exceptions import InvalidArgumentError, UnknownIdError
from .metagraph import metagraph_of
from .names import check_choice, nearest, require_str
from .paths import Side
from .query import node_id
from .schema import Evidence, evidence_rank

__all__ = [
    "CANDIDATE_KINDS",
    "DEFAULT_CUTOFF",
    "DEFAULT_MIN_SCORE",
    "engine_for",
    "resolve_sources",
    "traceable",
]

DEFAULT_CUTOFF = 6
"""Most edges in a path."""

DEFAULT_MIN_SCORE = 0.01
"""Paths and region entries scoring below this are dropped."""

CANDIDATE_KINDS: tuple[str, ...] = ("root", "nerve", "muscle")
"""The kinds of candidate a differential can rank (:func:`~myofascial_graph.differential`)."""


def engine_for(
    G: nx.MultiDiGraph,
    *,
    cutoff: int = DEFAULT_CUTOFF,
    min_score: float = DEFAULT_MIN_SCORE,
    fascia: bool = True,
    chains: bool = False,
    trigger_points: bool = False,
    min_evidence: Evidence | None = None,
    weights: Mapping[str, float] | None = None,
    side: Side | None = None,
    dermatome_map: str = DEFAULT_DERMATOME_MAP,
) -> Engine:
    """The search engine for :func:`~myofascial_graph.trace`'s options, once they are checked."""
    _check_parameters(G, cutoff, min_score, weights)
    rank_limit = evidence_rank(min_evidence)
    if side is not None:
        check_choice(side, ("left", "right"), "side")
    maps = tuple(G.graph.get("dermatome_maps", {})) or (DEFAULT_DERMATOME_MAP,)
    check_choice(require_str(dermatome_map, "dermatome_map"), maps, "dermatome_map")
    options = {"fascia": fascia, "chains": chains, "trigger_points": trigger_points}
    variants = {kind: dermatome_map for kind in metagraph_of(G).variants}
    return Engine(
        G, cutoff, min_score, options, rank_limit, dict(weights or {}), side is not None,
        variants=variants,
    )  # fmt: skip


def traceable(G: nx.MultiDiGraph) -> tuple[str, ...]:
    """The node kinds a trace can start from: those the metagraph follows edges out of,
    regions excepted (a region only climbs to the regions it lies within)."""
    metagraph = metagraph_of(G)
    return tuple(
        kind for kind in metagraph.node_kinds if kind != "region" and metagraph.following(kind)
    )


def resolve_sources(G: nx.MultiDiGraph, sources: str | Iterable[str]) -> tuple[str, ...]:
    """The node ids of the names a trace starts from (roots, nerves, muscles, fascia).

    Raises
    ------
    UnknownIdError
        If a name matches no node (the message suggests the nearest).
    InvalidArgumentError
        If there are none, or a name is a node a trace cannot start from.
    TypeError
        If ``sources`` is neither a name nor an iterable of names.
    """
    if isinstance(sources, str):
        names = [sources]
    elif isinstance(sources, Iterable):
        names = [require_str(name, "a root name") for name in sources]
    else:
        kind = type(sources).__name__
        raise TypeError(f"roots must be a root name or an iterable of them, not {kind}")
    if not names:
        raise InvalidArgumentError("trace needs at least one root or structure to start from")
    kinds = traceable(G)
    found = []
    for name in names:
        node = _source_id(G, name, kinds)
        kind = G.nodes[node]["kind"]
        if kind not in kinds:
            raise InvalidArgumentError(
                f"a trace starts from a {_either(kinds)}; {name!r} is the {kind} {node!r}"
            )
        found.append(node)
    return tuple(dict.fromkeys(found))


def _source_id(G: nx.MultiDiGraph, name: str, kinds: tuple[str, ...]) -> str:
    """The node a trace starts from; a name like a root's is looked up among the roots."""
    if re.fullmatch(r"(?i)[CTLS]\d{1,2}|Co1", name.strip()):
        return node_id(G, name, kind="root")
    try:
        return node_id(G, name)
    except UnknownIdError:
        candidates = [n for n, d in G.nodes(data=True) if d.get("kind") in kinds]
        raise UnknownIdError(name, _either(kinds), nearest(name, candidates, n=3)) from None


def _either(kinds: tuple[str, ...]) -> str:
    """``root, nerve, muscle or fascia``."""
    return " or ".join([", ".join(kinds[:-1]), kinds[-1]]) if len(kinds) > 1 else kinds[0]


def _check_parameters(
    G: nx.MultiDiGraph, cutoff: int, min_score: float, weights: Mapping[str, float] | None
) -> None:
    if not isinstance(cutoff, int) or isinstance(cutoff, bool) or cutoff < 1:
        raise InvalidArgumentError(f"cutoff must be a whole number of at least 1, not {cutoff!r}")
    if not isinstance(min_score, Real):
        raise TypeError(f"min_score must be a number, not {type(min_score).__name__}")
    if not 0.0 <= min_score <= 1.0:
        raise InvalidArgumentError(f"min_score must be between 0 and 1, not {min_score!r}")
    if weights is not None and not isinstance(weights, Mapping):
        raise TypeError(f"weights must be a mapping of edge kinds, not {type(weights).__name__}")
    followed = sorted(metagraph_of(G).followed)
    for kind, value in (weights or {}).items():
        if kind not in followed:
            raise InvalidArgumentError(f"weights are for the edge kinds {followed}, not {kind!r}")
        if not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0 and math.isfinite(value)):
            raise InvalidArgumentError(
                f"weight for {kind!r} must be between 0 and 1, not {value!r}"
            )
