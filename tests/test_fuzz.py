"""A quick pass of the seeded mutation fuzzer (``benchmarks/fuzz.py`` runs the long one)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import myofascial_graph as mg

from .conftest import benchmark_script

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    not (REPO / "benchmarks" / "fuzz.py").is_file(), reason="needs the source tree"
)


@pytest.fixture(scope="module")
def fuzz():
    return benchmark_script("fuzz")


def test_mutations_are_seeded(fuzz) -> None:
    raw = (mg.data_dir() / "regions.yaml").read_bytes()
    first = [fuzz.mutate(raw, random.Random(5)) for _ in range(3)]
    assert first == [fuzz.mutate(raw, random.Random(5)) for _ in range(3)]
    assert all(m != raw for m in first)


def test_a_quick_fuzz_finds_only_data_errors_and_safe_rewrites(fuzz) -> None:
    report = fuzz.run(210, seed=2026)
    assert report.unexpected == []
    assert report.loaded + report.refused == report.mutations == 210
    assert set(report.by_file) == set(mg.loading.DATA_FILES)  # every shipped file
    assert report.refused > 50 and report.loaded > 5  # it both breaks files and keeps some
    assert report.rewritten > 0  # and lint --fix rewrote some, checked
    assert report.worst_refusal < 1.0


def test_the_fuzzer_would_see_a_crash(fuzz, monkeypatch, tmp_path) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("maybe")

    monkeypatch.setattr(mg, "load", broken)
    report = fuzz.Report()
    path = tmp_path / "regions.yaml"
    fuzz._check(tmp_path, "regions.yaml", b"r: {label: x}\n", "case", report, False)
    assert report.unexpected == ["case: load raised KeyError: 'maybe'"]
    assert path.read_bytes() == b"r: {label: x}\n"
