"""Benchmarks: load, trace, spread and import time, each against a plain floor in the same run.

Run ``python benchmarks/run.py`` (``--quick`` for a smoke run). Machines are
noisy, so the figures that matter are the ratios, each the best of several
repeats of both sides taken one after the other.

* ``load()``, cold (validation cache cleared) and warm, against a bare
  ``yaml.load(..., Loader=yaml.CSafeLoader)`` of the same bytes;
* ``trace(G, "S1")``, repeated, against a plain-Python ``heapq`` best-path
  search over dict adjacency of the same followed edges, which computes the
  same best scores (checked); the first trace on a graph just returned by
  ``load()`` against a repeated one; and a trace of all 31 roots;
* the spread of all 31 roots over every node (what ``roots_for`` and
  ``score_cohort`` use), against a bare numpy loop over prebuilt arrays that
  computes the same scores, and checked equal to 31 single traces;
* ``import myofascial_graph`` in a fresh interpreter against ``import networkx``
  and against an empty interpreter start;
* ``score_cohort`` of 100,000 random pain maps (the root x region spread
  already computed) against a bare numpy product of the same shapes, and the
  pain maps scored per second.
"""

from __future__ import annotations

import argparse
import heapq
import subprocess
import sys
import timeit
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import yaml

import myofascial_graph as mg
from myofascial_graph.inference import spread_matrix
from myofascial_graph.loading import DATA_FILES, _parse_cached
from myofascial_graph.spread import spread
from myofascial_graph.trace import engine_for

Row = tuple[str, float, float, str]


def best_of(func: Callable[[], object], repeat: int, number: int) -> float:
    """Best time of one call, in seconds."""
    return min(timeit.repeat(func, repeat=repeat, number=number)) / number


def bare_parse() -> None:
    folder = mg.data_dir()
    for name in DATA_FILES:
        yaml.load((folder / name).read_bytes(), Loader=yaml.CSafeLoader)


def cold_load() -> None:
    _parse_cached.cache_clear()
    mg.load()


def interpreter(code: str, repeat: int) -> float:
    """Best wall time of ``python -c code`` in a fresh interpreter, in seconds."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    return best_of(run, repeat, 1)


def heapq_floor(
    adjacency: dict[str, list[tuple[str, float]]],
    parents: dict[str, list[str]],
    root: str,
    cutoff: int = 6,
    min_score: float = 0.1,
) -> dict[str, float]:
    """The best score of every node within ``cutoff`` edges: a plain best-first search.

    Labels ``(score, hops)`` leave the heap best score first; a label is dropped
    when one with no more hops left the heap before it (it can reach nothing the
    other cannot reach as well).  Regions then count for their parents.
    """
    best: dict[str, float] = {}
    fewest: dict[str, int] = {}
    heap = [(-1.0, 0, root)]
    while heap:
        negative, hops, node = heapq.heappop(heap)
        seen = fewest.get(node)
        if seen is not None and seen <= hops:
            continue
        fewest[node] = hops
        best.setdefault(node, -negative)
        if hops < cutoff:
            for target, weight in adjacency.get(node, ()):
                if -negative * weight >= min_score:
                    heapq.heappush(heap, (negative * weight, hops + 1, target))
    stack = [node for node in best if node in parents]
    while stack:
        node = stack.pop()
        for parent in parents.get(node, ()):
            if best.get(parent, 0.0) < best[node]:
                best[parent] = best[node]
                stack.append(parent)
    del best[root]
    return best


def plain_adjacency(G: nx.MultiDiGraph) -> tuple[dict[str, list[Any]], dict[str, list[str]]]:
    """Dict adjacency of the edges a default trace follows, and the region parents."""
    follow = mg.METAGRAPH.followed_with({"fascia": True, "chains": False})
    adjacency: dict[str, list[Any]] = {}
    parents: dict[str, list[str]] = {}
    for u, v, data in G.edges(data=True):
        kind, source_kind = data["kind"], G.nodes[u]["kind"]
        if kind in follow and source_kind in mg.METAGRAPH[kind].followed_from:
            adjacency.setdefault(u, []).append((v, data["weight"]))
        elif kind == "part_of" and source_kind == "region":
            parents.setdefault(u, []).append(v)
    return adjacency, parents


def numpy_floor(arrays: dict[str, Any], roots: int, cutoff: int = 6) -> Any:
    """The same spread as a bare numpy loop over prebuilt arrays (no graph, no checks)."""
    source, target, weight = arrays["source"], arrays["target"], arrays["weight"][:, None]
    scores = np.zeros((arrays["states"], roots))
    scores[arrays["start"], np.arange(roots)] = 1.0
    changed = np.zeros(arrays["states"], dtype=bool)
    changed[arrays["start"]] = True
    for _ in range(cutoff):
        active = np.flatnonzero(changed[source])
        if not len(active):
            break
        into = target[active]
        heads = np.flatnonzero(np.r_[True, into[1:] != into[:-1]])
        reached = np.maximum.reduceat(scores[source[active]] * weight[active], heads, axis=0)
        before = scores[into[heads]]
        changed[:] = False
        changed[into[heads][(reached > before).any(axis=1)]] = True
        scores[into[heads]] = np.maximum(before, reached)
    scores[arrays["start"], np.arange(roots)] = 0.0
    scores[scores < 0.1] = 0.0
    for child, parent in arrays["climbs"]:
        np.maximum(scores[parent], scores[child], out=scores[parent])
    return scores


def spread_arrays(G: nx.MultiDiGraph, roots: list[str]) -> dict[str, Any]:
    """What :func:`numpy_floor` needs, built once outside the timing."""
    from myofascial_graph.spread import _structure, _weights

    engine = engine_for(G)
    structure = _structure(G, engine, False)
    return {
        "source": structure.source,
        "target": structure.target,
        "weight": _weights(engine, structure),
        "states": structure.states,
        "start": np.array([structure.index[r] for r in roots]),
        "climbs": structure.climbs,
    }


def trace_rows(G: nx.MultiDiGraph, repeat: int, number: int) -> list[Row]:
    """A repeated trace against the heapq floor, the first trace on a new graph, all roots."""
    adjacency, parents = plain_adjacency(G)
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    for root in roots:  # the floor computes the same best scores as the trace
        scores = {hit.node: hit.score for hit in mg.trace(G, root).hits.values()}
        if heapq_floor(adjacency, parents, root) != scores:
            raise AssertionError(f"the heapq floor and the trace disagree on {root}")
    repeated = best_of(lambda: mg.trace(G, "S1"), repeat, number)
    floor = best_of(lambda: heapq_floor(adjacency, parents, "S1"), repeat, number)
    firsts = []
    for _ in range(repeat * 2):
        fresh = mg.load()
        firsts.append(best_of(lambda graph=fresh: mg.trace(graph, "S1"), 1, 1))
    every = best_of(lambda: [mg.trace(G, r) for r in roots], repeat, max(1, number // 5))
    uncached = nx.MultiDiGraph(G)
    uncached.__networkx_cache__ = None  # no index kept: each trace compiles what it visits
    compiling = best_of(lambda: mg.trace(uncached, "S1"), repeat, number)
    return [
        ("trace(G, 'S1')", repeated, floor, "heapq best-path search, same scores"),
        ("trace(G, 'S1'), new graph", min(firsts), repeated, "a repeated trace"),
        ("trace(G, 'S1'), no index", compiling, repeated, "a trace with the kept index"),
        ("trace of all 31 roots", every, floor * len(roots), "31 heapq searches"),
    ]


def spread_rows(G: nx.MultiDiGraph, repeat: int, number: int) -> list[Row]:
    """The spread of all roots against the bare numpy loop, checked against the traces."""
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    result = spread(G, roots, engine_for(G))
    for row, root in enumerate(roots):
        hits = {key: hit.score for key, hit in mg.trace(G, root).hits.items()}
        found = {key: float(result.scores[row, i]) for i, key in enumerate(result.keys)}
        if {k: v for k, v in found.items() if v} != hits:
            raise AssertionError(f"the spread and the trace disagree on {root}")
    arrays = spread_arrays(G, roots)
    ours = best_of(lambda: spread(G, roots, engine_for(G)), repeat, number)
    floor = best_of(lambda: numpy_floor(arrays, len(roots)), repeat, number)
    return [("spread of all 31 roots", ours, floor, "bare numpy loop, same scores")]


def measure(quick: bool) -> list[Row]:
    repeat, number = (3, 3) if quick else (7, 20)
    G = mg.load()
    rows = []

    parse = best_of(bare_parse, repeat, number)
    rows.append(("load(), cold", best_of(cold_load, repeat, number), parse, "CSafeLoader parse"))
    rows.append(("load(), warm", best_of(mg.load, repeat, number), parse, "CSafeLoader parse"))
    rows.extend(trace_rows(G, repeat, number))
    rows.extend(spread_rows(G, repeat, number))

    regions = sorted(n for n, kind in G.nodes(data="kind") if kind == "region")
    maps = np.random.default_rng(0).random((100_000, len(regions))) < 0.1
    matrix = spread_matrix(G, regions)
    cohort = best_of(lambda: matrix.fit(maps), repeat, 1)
    weighted = matrix.scores * matrix.weights
    product = best_of(lambda: maps.astype(np.float64) @ weighted.T, repeat, 1)
    rows.append(("score 100,000 pain maps", cohort, product, "numpy product, same shapes"))

    empty = interpreter("pass", repeat)
    rows.append(
        (
            "import myofascial_graph",
            interpreter("import myofascial_graph", repeat) - empty,
            interpreter("import networkx", repeat) - empty,
            "import networkx",
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args(argv)
    G = mg.load()
    print(
        f"data: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges; "
        f"python {sys.version.split()[0]}, networkx {nx.__version__}"
    )
    print(f"{'what':<26}{'time':>12}{'baseline':>12}{'ratio':>8}  baseline")
    for what, ours, base, label in measure(args.quick):
        print(f"{what:<26}{ours * 1e3:>10.3f}ms{base * 1e3:>10.3f}ms{ours / base:>7.2f}x  {label}")
        if what.startswith("score"):
            print(f"{'':<26}{100_000 / ours:>12,.0f} pain maps scored per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
