"""Benchmarks: load, trace and import time, each against a plain baseline measured in the same run.

Run ``python benchmarks/run.py`` (``--quick`` for a smoke run). Machines are
noisy, so the figures that matter are the ratios, each the best of several
repeats of both sides taken one after the other.

* ``load()``, cold (validation cache cleared) and warm, against a bare
  ``yaml.load(..., Loader=yaml.CSafeLoader)`` of the same bytes;
* ``trace(G, root)`` against a plain networkx BFS from the same root with the
  same hop limit (``nx.single_source_shortest_path_length``); the same on a
  graph no trace has run on (the edges a trace follows are compiled on the
  first trace and kept on the graph); and a trace of all 31 roots;
* ``import myofascial_graph`` in a fresh interpreter against ``import networkx``
  and against an empty interpreter start;
* ``score_cohort`` of 100,000 random pain maps (the root x region spread
  already computed) against a bare numpy product of the same shapes, and the
  pain maps scored per second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import timeit
from collections.abc import Callable

import networkx as nx
import numpy as np
import yaml

import myofascial_graph as mg
from myofascial_graph.inference import spread_matrix
from myofascial_graph.loading import DATA_FILES, _parse_cached


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


def measure(quick: bool) -> list[tuple[str, float, float, str]]:
    repeat, number = (3, 3) if quick else (7, 20)
    G = mg.load()
    rows = []

    parse = best_of(bare_parse, repeat, number)
    rows.append(("load(), cold", best_of(cold_load, repeat, number), parse, "CSafeLoader parse"))
    rows.append(("load(), warm", best_of(mg.load, repeat, number), parse, "CSafeLoader parse"))

    def bfs() -> None:
        nx.single_source_shortest_path_length(G, "S1", cutoff=6)

    base = best_of(bfs, repeat, number * 10)
    rows.append(
        (
            "trace(G, 'S1')",
            best_of(lambda: mg.trace(G, "S1"), repeat, number),
            base,
            "networkx BFS, cutoff 6",
        )
    )

    def first_trace() -> None:
        G.__networkx_cache__.clear()  # as on a graph no trace has run on
        mg.trace(G, "S1")

    rows.append(
        ("trace(G, 'S1'), new graph", best_of(first_trace, repeat, number), base, "the same BFS")
    )
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]

    def bfs_all() -> None:
        for root in roots:
            nx.single_source_shortest_path_length(G, root, cutoff=6)

    every = best_of(lambda: [mg.trace(G, r) for r in roots], repeat, max(1, number // 5))
    rows.append(("trace of all 31 roots", every, best_of(bfs_all, repeat, number), "31 BFS"))

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
        print(f"{what:<26}{ours * 1e3:>10.3f}ms{base * 1e3:>10.3f}ms{ours / base:>7.1f}x  {label}")
        if what.startswith("score"):
            print(f"{'':<26}{100_000 / ours:>12,.0f} pain maps scored per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
