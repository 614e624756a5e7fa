"""Editors find each data file's JSON Schema: VS Code's YAML extension reads the
``yaml-language-server`` line only at the top of a file (issue 16)."""

from __future__ import annotations

import pytest

from myofascial_graph.loading import DATA_FILES, data_dir


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_the_schema_line_comes_first(name: str) -> None:
    first = (data_dir() / name).read_text(encoding="utf-8").splitlines()[0]
    schema = name.removesuffix(".yaml") + ".schema.json"
    assert first == f"# yaml-language-server: $schema=schema/{schema}"
