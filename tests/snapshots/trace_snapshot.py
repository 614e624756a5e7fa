"""Digests of trace and explain output for every root under several settings.

``python tests/snapshots/trace_snapshot.py`` rewrites ``trace_digests.json``;
``tests/test_snapshot.py`` compares the current output with it.  The digests
pin what a trace returns (scores, pathways, roots, sides and best paths) and
what ``explain`` returns for every node it reaches, so that a change to the
engine that changes any answer shows up.  Regenerate the file only when a
change of the answers is intended, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import myofascial_graph as mg

HERE = Path(__file__).parent
DIGESTS = HERE / "trace_digests.json"

SETTINGS: dict[str, dict[str, Any]] = {
    "default": {},
    "left": {"side": "left"},
    "chains": {"chains": True},
    "left_chains": {"side": "left", "chains": True},
    "review": {"min_evidence": "review"},
    "no_fascia": {"fascia": False},
    "weights": {"weights": {"continuous_with": 0.5, "lies_in": 0.9}},
    "cutoff3": {"cutoff": 3, "min_score": 0.05},
    "trigger_points": {"trigger_points": True},
}
GROUPS: tuple[tuple[str, ...], ...] = (("L5", "S1"), ("C5", "C6", "C7"), ("C2", "T6", "S2"))


def digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case(G: Any, roots: Any, options: dict[str, Any]) -> dict[str, str]:
    t = mg.trace(G, roots, **options)
    explained = {str(key): [path.to_dict() for path in t.explain(key).paths] for key in t.hits}
    return {"trace": digest(t.to_dict()), "explain": digest(explained)}


def compute() -> dict[str, dict[str, str]]:
    G = mg.load()
    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    out: dict[str, dict[str, str]] = {}
    for name, options in SETTINGS.items():
        for root in roots:
            out[f"{root}/{name}"] = case(G, root, options)
        for group in GROUPS:
            out[f"{'+'.join(group)}/{name}"] = case(G, list(group), options)
    return out


if __name__ == "__main__":
    DIGESTS.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}", file=sys.stderr)
