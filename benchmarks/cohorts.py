"""Cohort benchmarks: the streaming CLI, in-process scoring against a bare product, the real cohort.

Run ``python benchmarks/cohorts.py`` (``--rows 10000000`` for the 10^7-row CLI
run; ``--quick`` for a smoke run). Each figure is one run; the in-process
ratio is the best of three of both sides, taken one after the other.

* ``myofascial-graph score-cohort`` on a CSV of ``--rows`` random pain maps
  over 30 regions, in a child process: wall time and the child's peak RSS;
* ``score_cohort`` of 10^6 maps held in memory (a boolean array, the root x
  region spread already computed) against a bare float64 matrix product of
  the same shapes, and the memory it allocates beyond its input and output
  (tracemalloc's peak, which numpy reports to);
* the 21,659 real CHOIR maps of ``mg.datasets.choir_alter2021()``: read
  (``read_choir``), scored against every root, and summarised (WPI,
  generalized pain, best roots, per-root overlap), from a loaded graph.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

import myofascial_graph as mg
from myofascial_graph.cohort import kernel_for


def write_maps(path: Path, rows: int, regions: list[str], seed: int = 15) -> None:
    """A CSV of ``rows`` random pain maps (each region painful with probability 0.15)."""
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(["id", *regions]) + "\n")
        for start in range(0, rows, 200_000):
            block = rng.random((min(200_000, rows - start), len(regions))) < 0.15
            cells = np.where(block, "1", "0")
            lines = [f"p{start + i}," + ",".join(row) for i, row in enumerate(cells.tolist())]
            handle.write("\n".join(lines) + "\n")


def cli(rows: int, regions: list[str]) -> tuple[float, float, int]:
    """Seconds and peak RSS (MB) of score-cohort on ``rows`` maps, and the input's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "maps.csv", Path(folder) / "scores.csv"
        write_maps(source, rows, regions)
        code = "from myofascial_graph.cli import main; import sys; sys.exit(main(sys.argv[1:]))"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code, "score-cohort", str(source), "-o", str(output)],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return seconds, peak, source.stat().st_size


def in_process(
    G: object, rows: int, regions: list[str], dtype: str = "float64"
) -> tuple[float, float, float]:
    """score_cohort's best time, a bare float64 product's, and score_cohort's extra memory (MB)."""
    rng = np.random.default_rng(15)
    maps = rng.random((rows, len(regions))) < 0.15
    kernel, _ = kernel_for(G, regions, "float64", {})  # the spread, computed once
    weighted = kernel.weighted.astype(np.float64)
    floor = maps.astype(np.float64)

    def ours() -> None:
        mg.score_cohort(G, maps, regions=regions, dtype=dtype)

    def bare() -> None:
        floor @ weighted  # a plain product, allocating its result as score_cohort does

    ours()  # the spread matrix is cached on the graph from here on
    scored, product = [min(timeit.repeat(f, repeat=3, number=1)) for f in (ours, bare)]
    tracemalloc.start()
    result = mg.score_cohort(G, maps, regions=regions, dtype=dtype)
    peak = tracemalloc.get_traced_memory()[1] - result.scores.nbytes
    tracemalloc.stop()
    return scored, product, peak / 1e6


def real_cohort(G: object) -> float:
    """Seconds to read, score and summarise the 21,659 shipped CHOIR maps."""
    table = mg.datasets.choir_alter2021()
    mg.score_cohort(G, mg.read_choir(table.head(10)))  # the spread matrix, computed once
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mg.MissingCellsWarning)
        maps = mg.read_choir(table)
    cohort = mg.score_cohort(G, maps)
    summary = (
        mg.widespread_pain_index(maps).describe(),
        mg.generalized_pain(maps).mean(),
        cohort.to_frame()["best"].value_counts(),
    )
    assert len(summary[2]) > 5
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CLI run")
    parser.add_argument("--quick", action="store_true", help="a smoke run, 10,000 rows")
    parser.add_argument("--cli-only", action="store_true", help="only the CLI run")
    args = parser.parse_args(argv)
    rows = 10_000 if args.quick else args.rows
    G = mg.load()
    regions = sorted(n for n, kind in G.nodes(data="kind") if kind == "region")[:30]
    seconds, peak, size = cli(rows, regions)
    print(f"score-cohort, {rows:,} rows x 30 regions ({size / 1e6:.0f} MB): "
          f"{seconds:.1f} s, peak RSS {peak:.0f} MB")  # fmt: skip
    if args.cli_only:
        return 0
    for dtype in ("float64", "float32"):
        ours, bare, extra = in_process(G, min(rows, 1_000_000), regions, dtype)
        print(f"score_cohort, {min(rows, 1_000_000):,} maps in memory, {dtype}: "
              f"{ours * 1e3:.0f} ms; bare float64 product {bare * 1e3:.0f} ms "
              f"({ours / bare:.2f}x); temporaries {extra:.0f} MB")  # fmt: skip
    print(f"21,659 CHOIR maps read, scored and summarised: {real_cohort(G):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
