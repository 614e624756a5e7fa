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
  and against ``import networkx, yaml, pydantic`` (an empty interpreter's start
  taken off both);
* start-up, each in fresh processes: ``load()`` with the on-disk cache off and
  on a cache hit, against a bare parse of the same files in a fresh process;
  the command line's ``trace S1`` with a warm cache and with the cache off, and
  ``body-map S1 -o x.png``, end to end, against ``python -c "import networkx,
  yaml, pydantic"`` and against a ``python -c`` that saves a bare matplotlib
  figure of the same pixel size at the same dpi;
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
from myofascial_graph.examination import DEFAULT_DERMATOME_MAP
from myofascial_graph.inference import spread_matrix
from myofascial_graph.loading import DATA_FILES, _parse_cached
from myofascial_graph.settings import DEFAULT_MIN_SCORE, engine_for
from myofascial_graph.spread import spread

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
    mg.load(cache=False)


def warm_load() -> None:
    mg.load(cache=False)


TIMED = """
import time, sys
start = time.perf_counter()
{setup}
{code}
sys.stdout.write(repr(time.perf_counter() - start))
"""


def in_process(code: str, repeat: int, setup: str = "") -> float:
    """Best time of ``code`` in a fresh interpreter, timed inside it (``setup`` first,
    untimed), in seconds."""
    program = f"{setup}\n" + TIMED.format(setup="", code=code)
    times = [
        float(subprocess.run([sys.executable, "-c", program], check=True,
                             capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]  # fmt: skip
    return min(times)


def paired(
    ours: list[str], base: list[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Best wall times of two commands run by turns (``env`` for ``ours``), so that the
    machine's slower and faster spells fall on both alike."""
    import os

    environment = {**os.environ, **(env or {})}
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for args, kept, where in ((ours, times[0], environment), (base, times[1], None)):
            start = timeit.default_timer()
            subprocess.run(args, check=True, env=where, stdout=subprocess.DEVNULL)
            kept.append(timeit.default_timer() - start)
    return min(times[0]), min(times[1])


def interpreter(code: str, repeat: int) -> float:
    """Best wall time of ``python -c code`` in a fresh interpreter, in seconds."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    return best_of(run, repeat, 1)


Plain = dict[str, list[tuple[str, float, "str | None"]]]
"""Per node, its followed edges as ``(target, weight, pathway opened)``."""


def heapq_floor(
    moves: Plain,
    entries: Plain,
    parents: dict[str, list[str]],
    model: tuple[dict[str, float], dict[str, int], dict[str, int]],
    root: str,
    cutoff: int = 6,
    min_score: float = DEFAULT_MIN_SCORE,
) -> dict[str, float]:
    """The scores of an unsided trace, by a plain best-first search over dicts.

    Labels ``(score, hops)`` of a state ``(node, pathway)`` leave the heap best
    score first; a label is dropped when one with no more hops left the heap
    before it.  Each node then enters regions through its state with the most
    score times pathway strength within ``cutoff - 1`` edges, a region keeps
    each source's best entry (its own or a part's) and combines them by a
    noisy-OR in the graph's node order, as ``data/model.yaml`` says.
    """
    strengths, order, node_order = model
    fronts: dict[tuple[str, str], list[tuple[float, int]]] = {}
    fewest: dict[tuple[str, str], int] = {}
    heap = [(-1.0, 0, root, "myotomal")]
    while heap:
        negative, hops, node, pathway = heapq.heappop(heap)
        seen = fewest.get((node, pathway))
        if seen is not None and seen <= hops:
            continue
        fewest[node, pathway] = hops
        fronts.setdefault((node, pathway), []).append((-negative, hops))
        if hops < cutoff:
            for target, weight, opened in moves.get(node, ()):
                if -negative * weight >= min_score:
                    heapq.heappush(heap, (negative * weight, hops + 1, target, opened or pathway))
    best: dict[str, float] = {}
    entering: dict[str, tuple[float, int, float, str]] = {}
    for (node, pathway), front in fronts.items():
        best[node] = max(best.get(node, 0.0), front[0][0])
        score = next((s for s, hops in front if hops < cutoff), None)
        if score is None:
            continue
        mine = (score * strengths.get(pathway, 0.0), -order[pathway], score, pathway)
        if node not in entering or mine[:2] > entering[node][:2]:
            entering[node] = mine
    sources: dict[str, dict[str, float]] = {}
    for node, (_, _, score, pathway) in entering.items():
        for target, weight, opened in entries.get(node, ()):
            entry = score * weight * strengths.get(opened or pathway, 0.0)
            if entry >= min_score and entry > 0.0:
                for region in ancestors_or_self(target, parents):
                    held = sources.setdefault(region, {})
                    held[node] = max(held.get(node, 0.0), entry)
    for region, held in sources.items():
        values = [held[node] for node in sorted(held, key=node_order.__getitem__)]
        rest = 1.0
        for value in values:
            rest *= 1.0 - value
        best[region] = 1.0 - rest if len(values) > 1 else values[0]
    del best[root]
    return best


def ancestors_or_self(region: str, parents: dict[str, list[str]]) -> set[str]:
    """A region and every region it is part of."""
    found, stack = {region}, [region]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def plain_adjacency(G: nx.MultiDiGraph) -> tuple[Plain, Plain, dict[str, list[str]]]:
    """Dict adjacency of the edges a default trace follows, and the region parents."""
    follow = mg.METAGRAPH.followed_with({"fascia": True, "chains": False, "trigger_points": False})
    moves: Plain = {}
    entries: Plain = {}
    parents: dict[str, list[str]] = {}
    for u, v, data in G.edges(data=True):
        kind, source_kind = data["kind"], G.nodes[u]["kind"]
        if kind == "dermatome" and data.get("map", DEFAULT_DERMATOME_MAP) != DEFAULT_DERMATOME_MAP:
            continue  # a default trace follows the project's dermatome map only
        if kind in follow and source_kind in mg.METAGRAPH[kind].followed_from:
            into = entries if G.nodes[v]["kind"] == "region" else moves
            into.setdefault(u, []).append((v, data["weight"], mg.METAGRAPH[kind].pathway))
        elif kind == "part_of" and source_kind == "region":
            parents.setdefault(u, []).append(v)
    return moves, entries, parents


def plain_model(G: nx.MultiDiGraph) -> tuple[dict[str, float], dict[str, int], dict[str, int]]:
    """The pathway strengths, the pathways' order and the graph's node order."""
    strengths = dict(G.graph["models"]["default"].strengths)
    order = {pathway: i for i, pathway in enumerate(mg.METAGRAPH.pathways)}
    return strengths, order, {node: i for i, node in enumerate(G)}


def numpy_floor(a: dict[str, Any], roots: int, cutoff: int = 6) -> Any:
    """The same spread as bare numpy over prebuilt arrays (no graph, no checks, no keys):
    grow the structure states, pick each one's entering pathway, score the entry
    edges, keep each source's best per region and combine them."""
    source, target, weight = a["source"], a["target"], a["weight"][:, None]
    columns, start, pathways = np.arange(roots), a["start"], a["pathways"]
    scores = np.zeros((a["states"], roots))
    scores[start, columns] = 1.0
    changed = np.zeros(a["states"], dtype=bool)
    changed[start] = True
    within = scores
    for hop in range(cutoff):
        if hop == cutoff - 1:
            within = scores.copy()
        active = np.flatnonzero(changed[source])
        if not len(active):
            within = scores
            break
        into = target[active]
        heads = np.flatnonzero(np.r_[True, into[1:] != into[:-1]])
        reached = np.maximum.reduceat(scores[source[active]] * weight[active], heads, axis=0)
        before = scores[into[heads]]
        changed[:] = False
        changed[into[heads][(reached > before).any(axis=1)]] = True
        scores[into[heads]] = np.maximum(before, reached)
    best = within.reshape(-1, pathways, roots)
    pathway = (best * a["strength"][None, :, None]).argmax(axis=1)
    entering = np.take_along_axis(best, pathway[:, None, :], axis=1)[:, 0, :]
    entering[entering < 0.01] = 0.0
    entering[start // pathways, columns] = 1.0
    pathway[start // pathways, columns] = a["start_pathway"]
    e_source, opened = a["entry_source"], a["entry_opened"][:, None]
    channel = np.where(opened >= 0, opened, pathway[e_source])
    values = entering[e_source] * a["entry_weight"][:, None] * a["strength"][channel]
    values[values < 0.01] = 0.0
    kept = np.maximum.reduceat(values[a["pair_edge"]], a["group_heads"], axis=0)
    rest = np.multiply.reduceat(1.0 - kept, a["region_heads"], axis=0)
    present = np.add.reduceat((kept > 0).astype(np.intp), a["region_heads"], axis=0)
    only = np.maximum.reduceat(kept, a["region_heads"], axis=0)
    return np.where(present == 1, only, 1.0 - rest), scores.reshape(-1, pathways, roots).max(1)


def spread_arrays(G: nx.MultiDiGraph, roots: list[str]) -> dict[str, Any]:
    """What :func:`numpy_floor` needs, built once outside the timing."""
    from myofascial_graph.spread import _structure, _weights

    engine = engine_for(G)
    s = _structure(G, engine, False)
    return {
        "source": s.moves.source,
        "target": s.moves.target,
        "weight": _weights(engine, s.moves),
        "states": s.states,
        "pathways": s.pathways,
        "start": np.array([s.state(s.index[r], None, s.start) for r in roots]),
        "start_pathway": s.start,
        "strength": np.array([engine.strengths.get(name, 0.0) for name in s.names]),
        "entry_source": s.entries.source,
        "entry_opened": s.entries.opened,
        "entry_weight": _weights(engine, s.entries),
        "pair_edge": s.pair_edge,
        "group_heads": s.group_heads,
        "region_heads": s.region_heads,
        "regions": s.regions,
        "key": s.key,
    }


def trace_rows(G: nx.MultiDiGraph, repeat: int, number: int) -> list[Row]:
    """A repeated trace against the heapq floor, the first trace on a new graph, all roots."""
    moves, entries, parents = plain_adjacency(G)
    model = plain_model(G)
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    for root in roots:  # the floor computes the same scores as the trace
        scores = {hit.node: hit.score for hit in mg.trace(G, root).hits.values()}
        if heapq_floor(moves, entries, parents, model, root) != scores:
            raise AssertionError(f"the heapq floor and the trace disagree on {root}")
    repeated = best_of(lambda: mg.trace(G, "S1"), repeat, number)
    floor = best_of(lambda: heapq_floor(moves, entries, parents, model, "S1"), repeat, number)
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
    regions, _ = numpy_floor(arrays, len(roots))
    columns = result.columns([arrays["key"](int(i)) for i in arrays["regions"]])
    if not np.array_equal(regions.T, columns):
        raise AssertionError("the bare numpy loop and the spread disagree")
    ours = best_of(lambda: spread(G, roots, engine_for(G)), repeat, number)
    floor = best_of(lambda: numpy_floor(arrays, len(roots)), repeat, number)
    return [("spread of all 31 roots", ours, floor, "bare numpy loop, same scores")]


def measure(quick: bool) -> list[Row]:
    repeat, number = (3, 3) if quick else (7, 20)
    G = mg.load()
    rows = []

    parse = best_of(bare_parse, repeat, number)
    rows.append(("load(), cold", best_of(cold_load, repeat, number), parse, "CSafeLoader parse"))
    rows.append(("load(), warm", best_of(warm_load, repeat, number), parse, "CSafeLoader parse"))
    rows.extend(trace_rows(G, repeat, number))
    rows.extend(spread_rows(G, repeat, number))

    regions = sorted(n for n, kind in G.nodes(data="kind") if kind == "region")
    maps = np.random.default_rng(0).random((100_000, len(regions))) < 0.1
    matrix = spread_matrix(G, regions)
    cohort = best_of(lambda: matrix.fit(maps), repeat, 1)
    weighted = matrix.scores * matrix.weights
    product = best_of(lambda: maps.astype(np.float64) @ weighted.T, repeat, 1)
    rows.append(("score 100,000 pain maps", cohort, product, "numpy product, same shapes"))
    rows.extend(picture_rows(G, repeat))

    empty = interpreter("pass", repeat)
    ours = interpreter("import myofascial_graph", repeat) - empty
    trio = interpreter("import networkx, yaml, pydantic", repeat)
    rows.append(
        ("import myofascial_graph", ours, interpreter("import networkx", repeat) - empty,
         "import networkx")
    )  # fmt: skip
    rows.append(("import myofascial_graph", ours, trio - empty, "import networkx, yaml, pydantic"))
    rows.extend(startup_rows(repeat))
    return rows


def startup_rows(repeat: int) -> list[Row]:
    """Loads and commands in fresh processes, as a user starts them."""
    import compileall
    import os
    import tempfile

    # as after `pip install .`, which compiles the bytecode (PYTHONDONTWRITEBYTECODE
    # would otherwise have every fresh process compile the package again)
    compileall.compile_dir(os.path.dirname(mg.__file__), quiet=1)
    # the modules a load runs are imported untimed, as `import myofascial_graph` did
    # before its names were imported on first use
    imports = (
        "import yaml, myofascial_graph as mg\nfrom myofascial_graph import graph\n"
        f"files = [mg.data_dir() / n for n in {list(DATA_FILES)!r}]"
    )
    parse = in_process(
        "[yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in files]", repeat, imports
    )
    cold_load = in_process("graph.load(cache=False)", repeat, imports)
    mg.load()  # the cache holds the shipped graph
    hit = in_process("graph.load()", repeat, imports)
    cli = [sys.executable, "-m", "myofascial_graph"]  # what the myofascial-graph script runs
    trio = [sys.executable, "-c", "import networkx, yaml, pydantic"]
    models = [sys.executable, "-c", "import networkx, yaml; from pydantic import BaseModel, Field"]
    off = {"MYOFASCIAL_GRAPH_CACHE": "0"}
    warm = paired([*cli, "trace", "S1"], trio, repeat)
    warm_models = paired([*cli, "trace", "S1"], models, repeat)
    cold = paired([*cli, "trace", "S1"], trio, repeat, off)
    with tempfile.TemporaryDirectory() as folder:
        png = os.path.join(folder, "x.png")
        subprocess.run([*cli, "body-map", "S1", "-o", png], check=True, stdout=subprocess.DEVNULL)
        import matplotlib.image

        height, width = matplotlib.image.imread(png).shape[:2]
        bare = (
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
            f"fig = plt.figure(figsize=({width} / 150, {height} / 150)); "
            f"fig.savefig({png!r}, dpi=150)"
        )
        body_map = paired([*cli, "body-map", "S1", "-o", png], [sys.executable, "-c", bare], repeat)
        with_libraries = [sys.executable, "-c", "import networkx, yaml, pydantic; " + bare]
        body_map_libraries = paired([*cli, "body-map", "S1", "-o", png], with_libraries, repeat)
    trio_label = "python -c 'import networkx, yaml, pydantic'"
    return [
        ("load(), fresh process", cold_load, parse, "CSafeLoader parse, fresh process"),
        ("load(), cache hit", hit, parse, "CSafeLoader parse, fresh process"),
        ("CLI trace S1, warm cache", *warm, trio_label),
        ("CLI trace S1, warm cache", *warm_models, "python -c: networkx, yaml, pydantic.BaseModel"),
        ("CLI trace S1, cache off", *cold, trio_label),
        ("CLI body-map S1 -o x.png", *body_map, "python -c: a bare figure saved"),
        ("CLI body-map S1 -o x.png", *body_map_libraries, "the same after importing the trio"),
    ]


def picture_rows(G: nx.MultiDiGraph, repeat: int) -> list[Row]:
    """Drawing and saving the S1 body map in this process, against saving a bare figure of
    the same pixel size at the same dpi (both after one untimed warm-up)."""
    import os
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image
    import matplotlib.pyplot as plt

    from myofascial_graph.figures import save_figure

    t = mg.trace(G, "S1")
    with tempfile.TemporaryDirectory() as folder:
        png = os.path.join(folder, "x.png")

        def ours() -> None:
            save_figure(mg.draw_body_map(t).figure, png, dpi=150)
            plt.close("all")

        ours()
        height, width = matplotlib.image.imread(png).shape[:2]

        def bare() -> None:
            plt.figure(figsize=(width / 150, height / 150)).savefig(png, dpi=150)
            plt.close("all")

        bare()
        drawn, saved = best_of(ours, repeat, 1), best_of(bare, repeat, 1)
    return [("body map drawn and saved", drawn, saved, "a bare figure of its size saved")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args(argv)
    G = mg.load()
    print(
        f"data: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges; "
        f"python {sys.version.split()[0]}, networkx {nx.__version__}"
    )
    print(f"{'what':<28}{'time':>12}{'baseline':>12}{'ratio':>8}  baseline")
    for what, ours, base, label in measure(args.quick):
        print(f"{what:<28}{ours * 1e3:>10.3f}ms{base * 1e3:>10.3f}ms{ours / base:>7.2f}x  {label}")
        if what.startswith("score"):
            print(f"{'':<28}{100_000 / ours:>12,.0f} pain maps scored per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
