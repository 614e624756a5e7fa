"""Finding nodes by name: ids, labels, synonyms and abbreviations."""

from __future__ import annotations

from typing import Any

import networkx as nx

from .exceptions import UnknownIdError, shown
from .metagraph import NODE_KINDS
from .names import check_choice, nearest, normalize, require_str

__all__ = ["chains", "find", "node_id", "require_graph", "suggest"]


def require_graph(G: Any, what: str = "G") -> nx.MultiDiGraph:
    """``G`` if it is a networkx graph, else a TypeError saying what was passed.

    Examples
    --------
    >>> require_graph([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: G must be a graph from mg.load() (a networkx.MultiDiGraph), not list [1, 2]
    """
    if not isinstance(G, nx.Graph):
        raise TypeError(
            f"{what} must be a graph from mg.load() (a networkx.MultiDiGraph), "
            f"not {type(G).__name__} {shown(G)}"
        )
    return G


def _names(data: dict[str, Any], node: str) -> tuple[list[str], list[str]]:
    """The node's principal names (id, label) and its other names."""
    record = data.get("record")
    others = [*getattr(record, "synonyms", ()), *getattr(record, "abbreviations", ())]
    return [node, data.get("label", node)], others


def _word_match(query: str, name: str) -> int | None:
    """Where the query's words start words of the name, in order: the index of the
    first matched word, or None if they do not."""
    words = name.split()
    position, first = 0, None
    for part in query.split():
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return None
        first = position if first is None else first
        position += 1
    return first


def find(G: nx.MultiDiGraph, query: str, *, kind: str | None = None) -> list[str]:
    """Find nodes by id, label, synonym or abbreviation, ignoring case and punctuation.

    Only the best class of match is returned: exact names (id or label, then
    synonyms and abbreviations); else names whose words start with the
    query's words, from the first word (``"lat dors"`` finds latissimus
    dorsi) or later; else names that contain the query.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`myofascial_graph.load`.
    query : str
        The name to look for.
    kind : str, optional
        Only nodes of this kind (``"root"``, ``"nerve"``, ``"muscle"``,
        ``"fascia"`` or ``"region"``).

    Returns
    -------
    list of str
        Node ids, best match first; empty if nothing matches.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> mg.find(G, "ITB")
    ['iliotibial_tract']
    >>> mg.find(G, "tfl"), mg.find(G, "Glute Max"), mg.find(G, "lumbodorsal fascia")
    (['tensor_fasciae_latae'], ['gluteus_maximus'], ['thoracolumbar_fascia'])
    """
    if kind is not None:
        check_choice(kind, NODE_KINDS, "kind")
    folded = normalize(require_str(query, "a query"))
    if not folded:
        return []
    ranked: list[tuple[int, int, str]] = []
    for node, data in G.nodes(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        principal, others = _names(data, node)
        principal_f = [normalize(n) for n in principal]
        others_f = [normalize(n) for n in others]
        if folded in principal_f:
            rank = 0
        elif folded in others_f:
            rank = 1
        else:
            starts = [_word_match(folded, n) for n in principal_f + others_f]
            if 0 in starts:
                rank = 2
            elif any(s is not None for s in starts):
                rank = 3
            elif any(folded in n for n in principal_f + others_f):
                rank = 4
            else:
                continue
        ranked.append((rank, NODE_KINDS.index(data.get("kind", "region")), node))
    ranked.sort()
    best = [entry for entry in ranked if entry[0] == ranked[0][0]] if ranked else []
    if not best and folded.endswith("s") and len(folded) > 3:  # "hamstrings"
        return find(G, folded[:-1], kind=kind)
    return [node for _, _, node in best]


def suggest(G: nx.MultiDiGraph, query: str, *, kind: str | None = None, n: int = 5) -> list[str]:
    """Nodes a query that :func:`find` does not match may have meant, best first.

    The nodes with the names nearest in spelling (``"glute maxx"``); failing
    those, the nodes with a name sharing a word of three letters or more with
    the query (``"big toe"``: the muscles of the great toe).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> mg.find(G, "glute maxx"), suggest(G, "glute maxx")[:1]
    ([], ['gluteus_maximus'])
    >>> "flexor_hallucis_longus" in suggest(G, "big toe")
    True
    """
    folded = normalize(require_str(query, "a query"))
    owner: dict[str, str] = {}
    for node, data in G.nodes(data=True):
        if kind is None or data.get("kind") == kind:
            principal, others = _names(data, node)
            for name in principal + others:
                owner.setdefault(normalize(name), node)
    found = [owner[name] for name in nearest(folded, list(owner), n=3 * n, cutoff=0.75)]
    if not found:
        words = [w for w in folded.split() if len(w) >= 3]
        found = [o for name, o in owner.items() if any(w in name.split() for w in words)]
    return list(dict.fromkeys(found))[:n]


def node_id(G: nx.MultiDiGraph, name: str, kind: str | None = None) -> str:
    """Resolve an id or an unambiguous name to a node id.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    name : str
        A node id (``"S1"``, ``"low_back"``) or a name that :func:`find`
        matches exactly (``"s1"``, ``"low back"``, ``"TLF"``).
    kind : str, optional
        The kind the node must have.

    Raises
    ------
    UnknownIdError
        If nothing (or more than one node) matches; the message names the
        value and suggests the nearest ids.
    TypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> mg.node_id(G, "low back"), mg.node_id(G, "s1", kind="root")
    ('low_back', 'S1')
    >>> mg.node_id(G, "S9", kind="root")
    Traceback (most recent call last):
    ...
    myofascial_graph.exceptions.UnknownIdError: unknown root 'S9'; did you mean 'S1', 'S2'?
    """
    require_graph(G)
    require_str(name, "a name")
    if name in G and (kind is None or G.nodes[name].get("kind") == kind):
        return name
    exact = [n for n in find(G, name, kind=kind) if _is_exact(G, n, name)]
    if len(exact) == 1:
        return exact[0]
    candidates = [n for n, d in G.nodes(data=True) if kind is None or d.get("kind") == kind]
    suggestions = exact or nearest(name, candidates, n=2 if kind == "root" else 3)
    raise UnknownIdError(name, kind or "id", suggestions)


def _is_exact(G: nx.MultiDiGraph, node: str, name: str) -> bool:
    principal, others = _names(G.nodes[node], node)
    return normalize(name) in {normalize(n) for n in principal + others}


def chains(G: nx.MultiDiGraph, node: str) -> list[str]:
    """The myofascial chains that run through a muscle or fascia.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    node : str
        A muscle or fascia id or name.

    Returns
    -------
    list of str
        Chain ids, in the order of ``chains.yaml``; the records are in
        ``G.graph["chains"]``.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> mg.chains(G, "latissimus dorsi")
    ['back_functional_line', 'ipsilateral_functional_line']
    >>> G.graph["chains"]["back_functional_line"].stations[:2]
    ('latissimus_dorsi', 'thoracolumbar_fascia')
    """
    node = node_id(G, node)
    return [key for key, chain in G.graph.get("chains", {}).items() if node in chain.stations]
