"""The quick YAML reader agrees with the full, line-aware one, or leaves the file to it."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

import myofascial_graph as mg
from myofascial_graph import yamlio
from myofascial_graph.loading import DATA_FILES

from .conftest import benchmark_script

SHIPPED = {name: (mg.data_dir() / name).read_text(encoding="utf-8") for name in DATA_FILES}


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types, all the way down (True is not 1, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def mutated(rng: random.Random, tokens: list[str]) -> str:
    lines = rng.choice(list(SHIPPED.values())).split("\n")
    for _ in range(rng.randint(1, 3)):
        at, token = rng.randrange(len(lines)), rng.choice(tokens)
        cut = rng.randrange(len(lines[at]) + 1)
        lines[at] = lines[at][:cut] + token + lines[at][cut:]
    return "\n".join(lines)


def quick(text: str) -> Any:
    return yamlio._quick_read(text, "x.yaml", {})


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_shipped_file_is_read_quickly_and_alike(name: str) -> None:
    text = SHIPPED[name]
    assert same(quick(text), yamlio._Builder(name).build(text).data)


def test_mutated_files_are_read_alike_or_left_to_the_full_reader() -> None:
    tokens = benchmark_script("fuzz").TOKENS
    rng = random.Random(7)
    outcomes = {"alike": 0, "left": 0}
    for _ in range(600):
        text = mutated(rng, tokens)
        try:
            yamlio._check_printable(text, "x.yaml")
            data = quick(text)
        except (yamlio._Unusual, mg.DataError):
            outcomes["left"] += 1
            continue
        # whatever the quick reader accepts, the full reader accepts as the same data
        assert same(data, yamlio._Builder("x.yaml").build(text).data), text
        outcomes["alike"] += 1
    assert outcomes["alike"] > 100 and outcomes["left"] > 100, outcomes


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: !!str 1\n",  # a tag
        "yes: 1\n",  # a key YAML reads as a boolean
        "' a': 1\n",  # a key with spaces around it
        "a: 010\n",  # octal in YAML 1.1, decimal in 1.2
        "a: 2020-01-01\n",  # a date
        "a: on\n",  # a YAML 1.1 boolean
        "? [a]\n: 1\n",  # a complex key
        "%YAML 1.1\n---\na: 1\n",  # a directive
        "a: [\n",  # a syntax error
    ],
)
def test_anything_the_full_reader_judges_is_left_to_it(text: str) -> None:
    with pytest.raises(yamlio._Unusual):
        quick(text)


def test_plain_values_are_built_as_the_full_reader_builds_them() -> None:
    text = "a: 12\nb: -0.5\nc: true\nd: False\ne: ~\nf: null\ng: text\nh: '12'\ni:\n"
    data = quick(text)
    assert same(data, yamlio._Builder("x.yaml").build(text).data)
    assert data == {"a": 12, "b": -0.5, "c": True, "d": False, "e": None, "f": None,
                    "g": "text", "h": "12", "i": None}  # fmt: skip


def test_limits_are_refused_by_the_quick_reader_with_the_full_readers_message() -> None:
    items = ",".join(["0"] * yamlio.MAX_NODES)
    text = f"bomb:\n  sources: [{items}]\n"
    with pytest.raises(mg.DataError) as quick_error:
        quick(text)
    with pytest.raises(mg.DataError) as full_error:
        yamlio._Builder("x.yaml").build(text)
    assert str(quick_error.value) == str(full_error.value)
    deep = "a: " + "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1) + "\n"
    with pytest.raises(mg.DataError, match="nesting deeper than the limit of 32 levels"):
        yamlio.parse_yaml(deep, "x.yaml")


@pytest.mark.parametrize("name", ["muscles.yaml", "regions.yaml", "sources.yaml"])
def test_lines_found_later_are_the_lines_the_full_reader_gives(name: str) -> None:
    text = SHIPPED[name]
    full = yamlio._Builder(name).build(text)
    rng = random.Random(3)
    paths = rng.sample(list(full.lines), 40)
    paths += [(*p, "no such field") for p in paths[:10]] + [(*p, 0) for p in paths[:10]]
    paths += [("no such record",), (), next(iter(full.lines))]
    for path in paths:
        doc = yamlio.parse_yaml(text, name)
        assert doc.line(path) == full.line(path), path


def test_a_records_line_needs_no_second_reading() -> None:
    text = SHIPPED["muscles.yaml"]
    doc = yamlio.parse_yaml(text, "muscles.yaml")
    first = next(iter(doc.data))
    line = text.split("\n").index(f"{first}:") + 1
    assert doc.line((first,)) == line
    assert doc.line((first, "a field it does not have")) == line
    assert doc._lines is None  # answered from the keys' lines the quick reader kept
    assert doc.line((first, "label")) == line + 1 and doc._lines is not None


def test_a_clean_load_reads_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    build = yamlio._Builder.build

    def counted(self: Any, text: str) -> Any:
        calls.append(self.name)
        return build(self, text)

    monkeypatch.setattr(yamlio._Builder, "build", counted)
    from myofascial_graph.loading import _parse_cached

    _parse_cached.cache_clear()
    G = mg.load(cache=False)
    assert G.number_of_nodes() > 400
    assert calls == []
