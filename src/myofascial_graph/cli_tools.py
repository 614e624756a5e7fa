"""The command line's maintenance commands: stats, lint, schema, validate and cache."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from . import cache
from .display import plural
from .graph import load
from .metagraph import metagraph_of

__all__ = ["emit", "run_cache", "run_lint", "run_schema", "run_stats", "run_validate"]

EXIT_OK, EXIT_USAGE = 0, 2


def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> int:
    """Print ``data`` as JSON (``--format json``) or ``text``; the command succeeded.

    ``data`` and ``text`` may be functions that make them, so that only the one
    printed is made.
    """
    if args.format == "json":
        import json

        print(json.dumps(data() if callable(data) else data, indent=2, ensure_ascii=False))
    else:
        print(text() if callable(text) else text)
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    from .stats import stats

    G = load(args.data)
    figures = stats(G)
    kinds = metagraph_of(G).kinds
    lines = ["nodes:    " + ", ".join(_count(n, k, kinds) for k, n in figures["nodes"].items())]
    lines.append("edges:    " + ", ".join(f"{n} {k}" for k, n in figures["edges"].items()))
    for kind, shares in figures["xrefs"].items():
        lines.append(f"xrefs:    {kind:<7} UBERON {shares['UBERON']:.0%}, FMA {shares['FMA']:.0%}")
    lines.append(f"rooted:   {figures['muscles_rooted']:.0%} of muscles have a segmental root")
    lines.append(f"cited:    {figures['edges_cited']:.0%} of edges cite a source")
    lines.append("evidence: " + ", ".join(f"{n} {g}" for g, n in figures["evidence"].items()))
    lines.append(f"chains:   {figures['chains']}; sources: {figures['sources']}")
    return emit(args, figures, "\n".join(lines))


def run_lint(args: argparse.Namespace) -> int:
    from .lint import lint_files
    from .loading import DATA_FILES, data_dir

    files = args.files or [data_dir() / name for name in DATA_FILES]
    problems = lint_files(files, fix=args.fix)
    if problems:
        print(f"myofascial-graph lint: {plural(len(problems), 'problem')}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    text = f"ok: {plural(len(files), 'file')} in canonical layout"
    data = {"ok": not problems, "files": [str(f) for f in files], "fixed": args.fix}
    data["problems"] = [str(p) for p in problems]
    if args.format == "json" or not problems:
        emit(args, data, text + (" (after --fix)" if args.fix else ""))
    return EXIT_USAGE if problems else EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from .json_schema import write_schemas

    paths = [str(path) for path in write_schemas(args.output)]
    return emit(args, {"written": paths}, "\n".join(paths))


def run_validate(args: argparse.Namespace) -> int:
    G = load([*args.data, *args.files])
    counts: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    kinds = metagraph_of(G).kinds
    summary = ", ".join(_count(n, k, kinds) for k, n in counts.items())
    data = {"ok": True, "files": G.graph["files"], "nodes": counts, "edges": G.number_of_edges()}
    files, edges = plural(len(G.graph["files"]), "file"), plural(G.number_of_edges(), "edge")
    return emit(args, data, f"ok: {files}, {summary}, {edges}")


def _count(count: int, kind: str, kinds: Any) -> str:
    """``"22 fascial structures"``, ``"1 muscle"``: the metagraph's plural of a node kind."""
    many = kinds[kind].plural if kind in kinds else None
    return plural(count, kind, many)


def run_cache(args: argparse.Namespace) -> int:
    folder = cache.cache_dir()
    if args.action == "clear":
        removed = cache.clear()
        return emit(
            args,
            {"folder": str(folder), "removed": removed},
            f"removed {plural(removed, 'cached graph')} from {folder}",
        )
    kept = cache.entries()
    size = sum(path.stat().st_size for path in kept)
    data = {
        "folder": str(folder),
        "enabled": cache.enabled(),
        "entries": len(kept),
        "bytes": size,
    }
    state = "on" if data["enabled"] else "off (MYOFASCIAL_GRAPH_CACHE=0)"
    text = f"{folder}: {plural(len(kept), 'cached graph')}, {size / 1e6:.1f} MB; cache {state}"
    return emit(args, data, text)
