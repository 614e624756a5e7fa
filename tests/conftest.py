"""Shared fixtures: the shipped graph (loaded once) and helpers for data files."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import networkx as nx
import pytest

import myofascial_graph as mg

os.environ.setdefault("MPLBACKEND", "Agg")
# The suite keeps its cached graphs in a folder of its own, never the user's.
os.environ["MYOFASCIAL_GRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="mg-cache-")

TESTS = Path(__file__).parent
REPO = TESTS.parent
REFERENCE = REPO.parent / "shared" / "reference" / "uberon_terms.tsv"


def benchmark_script(name: str) -> ModuleType:
    """Import ``benchmarks/<name>.py`` (the test is skipped outside a source tree)."""
    path = REPO / "benchmarks" / f"{name}.py"
    if not path.is_file():
        pytest.skip("needs the source tree")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


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
