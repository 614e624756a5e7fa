"""Shared fixtures: the shipped graph (loaded once) and helpers for data files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx
import pytest

import myofascial_graph as mg

os.environ.setdefault("MPLBACKEND", "Agg")
# The suite keeps its cached graphs in a folder of its own, never the user's.
os.environ["MYOFASCIAL_GRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="mg-cache-")

TESTS = Path(__file__).parent
REPO = TESTS.parent
REFERENCE = REPO.parent / "shared" / "reference" / "uberon_terms.tsv"


@pytest.fixture(scope="session")
def G() -> nx.MultiDiGraph:
    """The shipped graph. Tests must not mutate it (use ``mg.load()`` for a private copy)."""
    return mg.load()


@pytest.fixture
def write(tmp_path: Path):
    """Write a data file into a fresh folder and return its path."""

    def _write(name: str, text: str | bytes, folder: str = "user") -> Path:
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened (drawing tests run headless on Agg)."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
