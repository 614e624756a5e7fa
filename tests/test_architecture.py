"""The package's shape: no import cycles, modules of a readable size, one metagraph."""

from __future__ import annotations

import ast

import networkx as nx
import pytest

import myofascial_graph as mg

from .conftest import REPO

PACKAGE = REPO / "src" / "myofascial_graph"
pytestmark = pytest.mark.skipif(not PACKAGE.is_dir(), reason="needs the source tree")


def own_imports(path) -> set[str]:
    """The package's modules a module imports anywhere (functions and TYPE_CHECKING too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("myofascial_graph."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("myofascial_graph."):
                    found.add(alias.name.split(".")[1])
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in PACKAGE.glob("*.py"):
        if path.stem == "__init__":
            continue
        graph.add_node(path.stem)
        graph.add_edges_from(
            (path.stem, other) for other in own_imports(path) if other != "__init__"
        )
    return graph


def test_no_module_imports_itself_back() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_the_cycle_check_sees_imports_inside_functions(tmp_path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from .trace import trace\n", encoding="utf-8")
    guarded = tmp_path / "g.py"
    guarded.write_text("if TYPE_CHECKING:\n    from .wpi import x\n", encoding="utf-8")
    assert own_imports(module) == {"trace"} and own_imports(guarded) == {"wpi"}


def test_the_lowest_layers_import_nothing_above_them() -> None:
    graph = import_graph()
    for low, allowed in {
        "exceptions": set(),
        "names": {"exceptions"},
        "schema": {"names", "exceptions"},
        "geometry": {"schema"},
        "examination": {"schema"},
        "kinds": set(),
        "metagraph": {"schema", "geometry", "examination", "kinds"},
    }.items():
        assert set(graph.successors(low)) <= allowed, low


def test_modules_stay_readable() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 620, sorted(sizes.items(), key=lambda item: -item[1])[:3]


@pytest.mark.parametrize("document", ["README.md", "docs/data.md"])
def test_the_table_of_edge_kinds_in_the_docs_is_the_metagraph(document: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    fix = "python docs/make_tables.py"
    assert mg.METAGRAPH.table() in text, f"run {fix}"


def test_edge_types_come_from_the_metagraph() -> None:
    assert mg.METAGRAPH.triples == mg.EDGE_TYPES
    assert ("region", "part_of", "region") in mg.EDGE_TYPES
    assert ("region", "part_of", "muscle") not in mg.EDGE_TYPES
    assert ("fascia", "continuous_with", "muscle") in mg.EDGE_TYPES
    assert mg.NODE_KINDS == ("root", "nerve", "muscle", "fascia", "region", "activity",
                             "intervention", "condition", "reflex")  # fmt: skip
