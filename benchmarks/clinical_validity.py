"""Clinical validity: do trace scores rank regions as published pain distributions do?

Run ``python benchmarks/clinical_validity.py`` to print, per root and study,
the Spearman rank correlation between the trace's scores and the observations
(``benchmarks/observations/radicular_pain.yaml``), the overlap of the top 3,
the share of reached regions tied at the top score, the predicted against the
observed share of patients with pain in the root's own dermatome, and the top-1
and top-3 accuracy of ``roots_for`` on the textbook patterns, next to the
clinicians' figures the literature reports.  Figures from the *train* split
fitted the model's parameters; *test* figures did not.

``python benchmarks/clinical_validity.py --fit`` fits the pathway strengths
of ``data/model.yaml`` (the ratios of the myotomal and myofascial strengths to
the radicular one on the train rank figures, then the radicular strength's
scale on the train own-dermatome shares) and writes them back.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import myofascial_graph as mg
from myofascial_graph.settings import engine_for
from myofascial_graph.spread import spread

HERE = Path(__file__).parent
OBSERVATIONS = HERE / "observations" / "radicular_pain.yaml"
CASES = HERE / "observations" / "case_patterns.yaml"
MODEL = mg.data_dir() / "model.yaml"
TIE_LIMIT = 0.15
"""Most share of a root's reached regions that may tie at its top score."""


@dataclass(frozen=True)
class RankSet:
    """One study's observations for one root: item names, their regions, observed values."""

    study: str
    split: str
    kind: str
    root: str
    items: tuple[str, ...]
    regions: tuple[tuple[str, ...], ...]
    observed: tuple[float, ...]


def read_observations(path: Path = OBSERVATIONS) -> tuple[list[RankSet], list[dict[str, Any]]]:
    """The rank sets (classic and frequency studies) and the absolute checks of the file."""
    studies = yaml.safe_load(path.read_text(encoding="utf-8"))["studies"]
    ranks, absolute = [], []
    for name, study in studies.items():
        kind = study["kind"]
        if kind in ("classic", "frequency"):
            items = study["items"]
            for root, values in study["roots"].items():
                if kind == "classic":
                    observed = tuple(1.0 if item in values else 0.0 for item in items)
                else:
                    observed = tuple(float(values.get(item, 0.0)) for item in items)
                regions = tuple(tuple(items[item]) for item in items)
                ranks.append(
                    RankSet(name, study["split"], kind, root, tuple(items), regions, observed)
                )
        else:
            absolute.append({"study": name, **study})
    return ranks, absolute


def spearman(x: Any, y: Any) -> float:
    """Spearman's rank correlation with average ranks for ties (nan if a side is constant)."""
    rx, ry = _ranks(np.asarray(x, dtype=float)), _ranks(np.asarray(y, dtype=float))
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def _ranks(values: Any) -> Any:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):  # average the ranks of ties
        same = values == value
        ranks[same] = ranks[same].mean()
    return ranks


class Scores:
    """Region scores of every root under a model's strengths (vectorised, as traces give)."""

    def __init__(self, G: Any, strengths: dict[str, float] | None = None) -> None:
        self.G = G
        self.roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
        engine = engine_for(G)
        if strengths is not None:
            engine.strengths = dict(strengths)
        result = spread(G, self.roots, engine)
        self.table = {
            root: {k: float(v) for k, v in zip(result.keys, result.scores[row], strict=True) if v}
            for row, root in enumerate(self.roots)
        }
        self.regions = {n for n, kind in G.nodes(data="kind") if kind == "region"}

    def item(self, root: str, regions: tuple[str, ...]) -> float:
        scores = self.table[root]
        return max((scores.get(r, 0.0) for r in regions), default=0.0)

    def reached(self, root: str) -> dict[str, float]:
        return {k: v for k, v in self.table[root].items() if k in self.regions}


def rank_figures(scores: Scores, sets: list[RankSet]) -> list[dict[str, Any]]:
    """Per rank set: Spearman rho, top-3 overlap."""
    rows = []
    for s in sets:
        predicted = [scores.item(s.root, regions) for regions in s.regions]
        rho = spearman(predicted, s.observed)
        top = min(3, sum(1 for v in s.observed if v > 0))
        by_score = set(np.argsort(-np.asarray(predicted), kind="stable")[:top])
        by_observed = set(np.argsort(-np.asarray(s.observed), kind="stable")[:top])
        rows.append(
            {
                "study": s.study,
                "split": s.split,
                "root": s.root,
                "rho": rho,
                "top3": len(by_score & by_observed) / top if top else float("nan"),
            }
        )
    return rows


def tie_share(scores: Scores, root: str) -> float:
    """The share of a root's reached regions that tie at its top score (0 for a unique top)."""
    reached = scores.reached(root)
    if not reached:
        return 0.0
    top = max(reached.values())
    tied = sum(1 for v in reached.values() if v == top)
    return tied / len(reached) if tied > 1 else 0.0


def own_dermatome(scores: Scores, root: str) -> float:
    """The trace's best score over the root's own dermatome regions."""
    regions = tuple(v for _, v, k in scores.G.out_edges(root, keys=True) if k == "dermatome")
    return scores.item(root, regions)


def roots_for_accuracy(G: Any, sets: list[RankSet]) -> tuple[int, int, int]:
    """Top-1 and top-3 hits of ``roots_for`` on the classic patterns, and the cases."""
    top1 = top3 = cases = 0
    for s in sets:
        if s.kind != "classic":
            continue
        findings = sorted({r for regions, v in zip(s.regions, s.observed, strict=True) if v
                           for r in regions})  # fmt: skip
        found = [c.roots for c in mg.roots_for(G, findings, max_roots=1, top=3)]
        cases += 1
        top1 += bool(found) and found[0] == (s.root,)
        top3 += (s.root,) in found
    return top1, top3, cases


def case_accuracy(G: Any, path: Path = CASES) -> tuple[int, int, int, list[str]]:
    """Top-1 and top-3 hits of ``roots_for`` on the held-out case patterns, the cases,
    and a line per case (its best three)."""
    top1 = top3 = 0
    lines = []
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        findings = sorted({r for finding in case["pain"] for r in finding["regions"]})
        found = [c.roots[0] for c in mg.roots_for(G, findings, max_roots=1, top=3)]
        expected = set(case["expected"])
        top1 += bool(found) and found[0] in expected
        top3 += bool(expected & set(found))
        near = " (nearest region)" if any(f.get("nearest") for f in case["pain"]) else ""
        lines.append(f"  {case['id']:<28} expected {'/'.join(case['expected']):<6} "
                     f"roots_for {', '.join(found)}{near}")  # fmt: skip
    return top1, top3, len(cases), lines


def clinicians(path: Path = CASES) -> list[dict[str, Any]]:
    """The clinicians' figures to print beside roots_for's."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["clinicians"])


def evaluate(G: Any, strengths: dict[str, float] | None = None) -> dict[str, Any]:
    """Every figure of the benchmark under ``strengths`` (default: the model's)."""
    scores = Scores(G, strengths)
    sets, absolute = read_observations()
    ranks = rank_figures(scores, sets)
    ties = {root: tie_share(scores, root) for root in scores.roots}
    checks = []
    for check in absolute:
        if check["kind"] == "own_dermatome":
            for root, value in check["roots"].items():
                checks.append((check["study"], check["split"], root,
                               own_dermatome(scores, root), value))  # fmt: skip
        elif check["kind"] == "region_share":
            for root in check["roots"]:
                predicted = scores.item(root, (check["region"],))
                checks.append((check["study"], check["split"], root, predicted, check["value"]))
    return {"ranks": ranks, "ties": ties, "absolute": checks}


def summary(ranks: list[dict[str, Any]], split: str) -> tuple[float, float, int]:
    values = [r["rho"] for r in ranks if r["split"] == split and r["rho"] == r["rho"]]
    if not values:
        return float("nan"), float("nan"), 0
    return min(values), statistics.median(values), len(values)


def fit(G: Any) -> dict[str, float]:
    """Fit the strengths: ratios on the train ranks, then the radicular scale.

    The ratios of the myotomal and myofascial strengths to the radicular one
    maximise the mean train rho, rounded to 0.01, on a grid of 0.05 steps (then
    the fewest roots over the tie limit; among ratios the data cannot tell
    apart, the largest, so that no pathway is dropped that the observations do
    not reject); the radicular strength is then set so that the trace's
    own-dermatome scores match the train shares on average.
    """
    grid = [round(float(x), 2) for x in np.arange(0.05, 1.0001, 0.05)]
    best: tuple[Any, ...] | None = None
    for myo, fascial in itertools.product(grid, grid):
        if fascial > myo:
            continue
        strengths = {"radicular": 0.65, "myotomal": 0.65 * myo, "myofascial": 0.65 * fascial}
        figures = evaluate(G, strengths)
        values = [r["rho"] for r in figures["ranks"] if r["split"] == "train"]
        over = sum(share > TIE_LIMIT for share in figures["ties"].values())
        candidate = (round(statistics.mean(values), 2), -over, myo, fascial)
        if best is None or candidate > best[0]:
            best = (candidate, myo, fascial)
    assert best is not None
    _, myo, fascial = best
    low, high = 0.05, 1.0
    for _ in range(30):  # the radicular strength whose own-dermatome scores match on average
        middle = (low + high) / 2
        strengths = {"radicular": middle, "myotomal": middle * myo, "myofascial": middle * fascial}
        checks = [c for c in evaluate(G, strengths)["absolute"]
                  if c[1] == "train" and c[0].endswith("own_dermatome")]  # fmt: skip
        error = statistics.mean(predicted - observed for *_, predicted, observed in checks)
        low, high = (middle, high) if error < 0 else (low, middle)
    scale = (low + high) / 2
    return {
        "radicular": round(scale, 3),
        "myotomal": round(scale * myo, 3),
        "myofascial": round(scale * fascial, 3),
    }


def write_model(strengths: dict[str, float]) -> None:
    """Write fitted strengths into data/model.yaml, keeping the rest of the file."""
    lines = MODEL.read_text(encoding="utf-8").splitlines()
    start = lines.index("  strengths:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    block = [f"    {name}: {value}" for name, value in strengths.items()]
    MODEL.write_text("\n".join([*lines[: start + 1], *block, *lines[end:]]) + "\n", "utf-8")


def report(G: Any) -> int:
    figures = evaluate(G)
    print("Spearman rho of trace scores against observations, per study and root")
    print(f"{'study':<34}{'split':<7}{'root':<6}{'rho':>7}{'top-3':>7}")
    for row in figures["ranks"]:
        print(f"{row['study']:<34}{row['split']:<7}{row['root']:<6}"
              f"{row['rho']:>7.2f}{row['top3']:>7.2f}")  # fmt: skip
    print("\nShare of patients with pain in a region: trace score against the observed share")
    for study, split, root, predicted, observed in figures["absolute"]:
        print(
            f"  {study:<32}{split:<7}{root:<5} predicted {predicted:.2f}, observed {observed:.2f}"
        )
    ties = figures["ties"]
    worst = max(ties, key=lambda r: ties[r])
    print(f"\nTies at the top score: worst {worst} {ties[worst]:.0%} of its reached regions "
          f"(limit {TIE_LIMIT:.0%}); roots over the limit: "
          f"{[r for r, v in ties.items() if v > TIE_LIMIT] or 'none'}")  # fmt: skip
    sets, _ = read_observations()
    top1, top3, cases = roots_for_accuracy(G, sets)
    print(f"\nroots_for on the textbook pain patterns (train): top-1 {top1}/{cases}, "
          f"top-3 {top3}/{cases}")  # fmt: skip
    top1, top3, cases, lines = case_accuracy(G)
    print(f"roots_for on published case patterns (test): top-1 {top1}/{cases}, "
          f"top-3 {top3}/{cases}")  # fmt: skip
    print("\n".join(lines))
    print("Clinicians and textbook patterns, as published:")
    for figure in clinicians():
        value = "n/a" if figure["value"] is None else f"{figure['value']:.0%}"
        print(f"  {value:>4} {figure['what']} (n = {figure['n']}; {figure['source']})")
    for split in ("train", "test"):
        low, median, count = summary(figures["ranks"], split)
        print(f"{split}: Spearman rho over {count} root sets: min {low:.2f}, median {median:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit and write the strengths")
    args = parser.parse_args(argv)
    G = mg.load()
    if args.fit:
        strengths = fit(G)
        write_model(strengths)
        print(f"wrote {MODEL}: strengths {strengths}")
        G = mg.load()
    return report(G)


if __name__ == "__main__":
    sys.exit(main())
