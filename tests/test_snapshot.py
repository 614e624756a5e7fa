"""Traces and explanations answer as they did when the snapshot was taken.

The digests in ``snapshots/trace_digests.json`` cover every root (and three
groups of roots) under eight settings: scores, pathways, roots, sides and best
paths of every hit, and every path ``explain`` gives for each.  A change to
the engine that changes an answer fails here; an intended change of the
answers regenerates the file (``python tests/snapshots/trace_snapshot.py``).
"""

from __future__ import annotations

import json

from .snapshots import trace_snapshot


def test_traces_and_explanations_match_the_snapshot() -> None:
    wanted = json.loads(trace_snapshot.DIGESTS.read_text(encoding="utf-8"))
    found = trace_snapshot.compute()
    assert found.keys() == wanted.keys()
    changed = sorted(case for case in wanted if found[case] != wanted[case])
    assert not changed, f"{len(changed)} cases changed, e.g. {changed[:5]}"
