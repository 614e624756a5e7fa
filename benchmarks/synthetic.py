"""Synthetic knowledge bases 10x and 100x the shipped data, and how load and trace scale.

``python benchmarks/synthetic.py`` writes, for each factor ``k``, the shipped
data plus ``k - 1`` copies of every muscle, nerve, fascia, region, chain and
activity (ids suffixed ``_c1``, ``_c2``, ...; each copy referring to its own
records, the roots and sources shared, each root's dermatome reaching every
copy), each copy as a user layer of its own so that no file exceeds the size
limit.  It then times a cold ``load()`` and ``trace(G, "S1")`` and reports the
cost per node against the shipped data (a flat ratio means linear scaling),
and each against a plain baseline on the same data, measured in the same run:
a bare ``yaml.CSafeLoader`` parse of the same files, and a networkx BFS from S1
with the same hop limit.  A bare traversal also costs more per node as the
graph outgrows the processor's caches; a flat ratio to it means the trace
scales as well as networkx's own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
import yaml

import myofascial_graph as mg
from myofascial_graph.lint import dump_records
from myofascial_graph.loading import DATA_FILES, _parse_cached, read_dataset

COPIED = ("region", "nerve", "muscle", "fascia", "chain", "activity", "intervention", "condition")
_REFERENCE_FIELDS = {  # field -> key of the id in a link (None: a bare id)
    "part_of": None,
    "nerves": "id",
    "regions": "id",
    "muscles": "muscle",
    "loads": "muscle",
    "targets": "muscle",
    "transitions": ("from", "to"),
}


def _rename(record: dict[str, Any], suffix: str, copied_ids: set[str]) -> dict[str, Any]:
    def new(value: str) -> str:
        return value + suffix if value in copied_ids else value

    for field, key in _REFERENCE_FIELDS.items():
        if field not in record:
            continue
        items = []
        for item in record[field]:
            if isinstance(item, str):
                items.append(new(item))
            elif isinstance(key, tuple):
                items.append({**item, **{k: new(item[k]) for k in key}})
            else:
                items.append({**item, key: new(item[key])})
        record[field] = items
    return record


def write_synthetic(folder: Path, factor: int) -> list[Path]:
    """Write ``factor - 1`` copies of the shipped records as user layers; return the folders."""
    dataset = read_dataset()
    copied_ids = {key for kind in COPIED for key in dataset.records[kind]}
    layers = []
    for copy in range(1, factor):
        suffix = f"_c{copy}"
        layer = folder / f"copy{copy}"
        layer.mkdir(parents=True)
        for name, kind in DATA_FILES.items():
            if kind not in COPIED:
                continue
            records = {
                key + suffix: _rename(
                    entry.record.model_dump(
                        mode="json", by_alias=True, exclude_none=True, exclude={"id"}
                    ),
                    suffix,
                    copied_ids,
                )
                for key, entry in dataset.records[kind].items()
            }
            (layer / name).write_text(dump_records(records, kind), encoding="utf-8")
        roots = {}
        for key, entry in dataset.records["root"].items():
            record = entry.record.model_dump(mode="json", exclude_none=True, exclude={"id"})
            record["dermatome"] = [
                {**link, "id": link["id"] + suffix} for link in record.get("dermatome", [])
            ]
            if copy == factor - 1:  # the last layer replaces the roots with every copy's dermatome
                record["dermatome"] = [
                    {**link, "id": link["id"] + s}
                    for s in ["", *(f"_c{c}" for c in range(1, factor))]
                    for link in entry.record.model_dump(mode="json")["dermatome"]
                ]
                roots[key] = {"replace": True, **record}
        if roots:
            (layer / "nerve_roots.yaml").write_text(dump_records(roots, "root"), encoding="utf-8")
        layers.append(layer)
    return layers


class Figures(NamedTuple):
    nodes: int
    load: float
    parse: float
    trace: float
    bfs: float
    hits: int


def measure(factor: int, repeat: int) -> Figures:
    """Times for a knowledge base ``factor`` times the shipped one, in seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        layers = write_synthetic(Path(tmp), factor)
        files = [mg.data_dir() / name for name in DATA_FILES]
        files += [path for layer in layers for path in sorted(layer.glob("*.yaml"))]

        def parse() -> None:
            for path in files:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def cold() -> Any:
            _parse_cached.cache_clear()
            return mg.load(extra=layers)

        load = min(timeit.repeat(cold, repeat=repeat, number=1))
        parsed = min(timeit.repeat(parse, repeat=repeat, number=1))
        G = cold()
    number = max(1, 100 // factor)

    def best(func: Callable[[], object]) -> float:
        return min(timeit.repeat(func, repeat=repeat, number=number)) / number

    trace = best(lambda: mg.trace(G, "S1"))
    bfs = best(lambda: nx.single_source_shortest_path_length(G, "S1", cutoff=6))
    hits = len(mg.trace(G, "S1").hits)
    return Figures(G.number_of_nodes(), load, parsed, trace, bfs, hits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"{'factor':>6}{'nodes':>9}{'load':>11}{'per node':>10}{'/parse':>8}"
        f"{'trace S1':>11}{'per node':>10}{'/BFS':>7}{'hits':>8}"
    )
    first: Figures | None = None
    for factor in args.factors:
        got = measure(factor, args.repeat)
        first = first or got
        scale = got.nodes / first.nodes
        print(
            f"{factor:>5}x{got.nodes:>9,}{got.load * 1e3:>9.0f}ms"
            f"{got.load / first.load / scale:>9.2f}x{got.load / got.parse:>7.1f}x"
            f"{got.trace * 1e3:>9.2f}ms{got.trace / first.trace / scale:>9.2f}x"
            f"{got.trace / got.bfs:>6.1f}x{got.hits:>8,}"
        )
    print(
        "per node: cost per node relative to the first factor (1.00x = linear); "
        "/parse, /BFS: time over the baseline's on the same data; hits: nodes the trace reaches"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
