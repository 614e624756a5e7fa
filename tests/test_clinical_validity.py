"""The calibration benchmark runs, and the model keeps the targets it was fitted to."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

import myofascial_graph as mg

from .conftest import benchmark_script

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    not (REPO / "benchmarks" / "clinical_validity.py").is_file(), reason="needs the source tree"
)


@pytest.fixture(scope="module")
def bench():
    return benchmark_script("clinical_validity")


@pytest.fixture(scope="module")
def figures(bench):
    return bench.evaluate(mg.load())


def test_spearman_averages_tied_ranks(bench) -> None:
    assert bench.spearman([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)
    assert bench.spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(0.8660254, abs=1e-6)
    assert bench.spearman([1, 1], [1, 2]) != bench.spearman([1, 1], [1, 2])  # nan: constant


def test_every_observation_names_a_known_source_and_region(bench) -> None:
    G = mg.load()
    sources = G.graph["sources"]
    sets, absolute = bench.read_observations()
    assert len(sets) >= 14 and {s.split for s in sets} == {"train", "test"}
    for s in sets:
        for regions in s.regions:
            assert regions and all(G.nodes[r]["kind"] == "region" for r in regions), s
    text = (REPO / "benchmarks" / "observations" / "radicular_pain.yaml").read_text()
    import yaml

    studies = yaml.safe_load(text)["studies"]
    assert all(study["source"] in sources for study in studies.values())
    cases = yaml.safe_load(bench.CASES.read_text())
    for case in cases["cases"]:
        assert case["source"] in sources
        assert all(G.nodes[r]["kind"] == "region" for f in case["pain"] for r in f["regions"])
    assert all(figure["source"] in sources for figure in cases["clinicians"])
    assert absolute


def test_the_model_keeps_its_calibration_targets(figures) -> None:
    train = [r["rho"] for r in figures["ranks"] if r["split"] == "train"]
    test = [r["rho"] for r in figures["ranks"] if r["split"] == "test"]
    assert statistics.median(train) >= 0.7
    assert min(test) >= 0.6
    for study, _, root, predicted, observed in figures["absolute"]:
        if "own_dermatome" in study:  # the share of patients with pain in their own dermatome
            assert abs(predicted - observed) <= 0.15, (study, root)
    # the sacral and coccygeal roots reach one or two tiny regions, tied by construction
    over = {root for root, share in figures["ties"].items() if share > 0.15}
    assert over <= {"S3", "S4", "S5", "Co1"}


def test_roots_for_finds_the_textbook_root_of_the_classic_patterns(bench) -> None:
    sets, _ = bench.read_observations()
    top1, top3, cases = bench.roots_for_accuracy(mg.load(), sets)
    assert cases == 12 and top1 >= 9 and top3 >= 11


def test_the_report_prints_train_and_test_figures(bench, capsys) -> None:
    assert bench.main([]) == 0
    out = capsys.readouterr().out
    for line in ("train: Spearman rho", "test: Spearman rho", "roots_for on published case",
                 "barbero2023_pain_drawings_level", "Ties at the top score"):  # fmt: skip
        assert line in out
