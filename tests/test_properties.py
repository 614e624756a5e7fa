"""Property-based tests: random data loads and round-trips, random damage gives only
DataError, traces are monotone and deterministic."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import myofascial_graph as mg
from myofascial_graph.lint import dump_records
from myofascial_graph.loading import DATA_FILES

from .test_data_integrity import ALL_ROOTS as ROOTS

G0 = mg.load()
REGIONS = sorted(n for n, k in G0.nodes(data="kind") if k == "region")
NERVES = sorted(n for n, k in G0.nodes(data="kind") if k == "nerve")
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

ids = st.from_regex(r"\Aqx_[a-z]{1,8}(_[a-z0-9]{1,4})?\Z", fullmatch=True)
words = (
    st.text(alphabet=st.sampled_from("abcdefghij klmn-'"), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def muscle_records(draw):
    roots = draw(st.lists(st.sampled_from(ROOTS), min_size=1, max_size=4, unique=True))
    return {
        "label": draw(words),
        "synonyms": draw(st.lists(words, max_size=3)),
        "nerves": draw(st.lists(st.sampled_from(NERVES), min_size=1, max_size=2, unique=True)),
        "roots": [
            {"root": r, "level": draw(st.sampled_from(["primary", "secondary"]))} for r in roots
        ],
        "regions": draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True)),
        "sources": ["standring2020_grays"],
    }


@SETTINGS
@given(st.dictionaries(ids, muscle_records(), min_size=1, max_size=6))
def test_random_valid_muscles_load_and_round_trip(tmp_path_factory, records) -> None:
    folder = tmp_path_factory.mktemp("user")
    (folder / "muscles.yaml").write_text(dump_records(records, "muscle"), encoding="utf-8")
    G = mg.load(extra=[folder])
    for key, record in records.items():
        assert G.nodes[key]["kind"] == "muscle"
        for link in record["roots"]:
            assert G.has_edge(link["root"], key, "innervates")
    H = mg.read_json(mg.export(G, folder / "graph.json"))
    assert sorted(H.nodes(data=True)) == sorted(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(mg.data_dir(), folder)
    return folder


MUTATIONS = st.sampled_from(["delete", "insert", "duplicate", "swap", "truncate"])
NOISE = st.sampled_from([*":-[]{}#&*!|>'\"%@`\t \n,?", "  ", "\r\n", "\x00", "é", "\ufeff"])


@SETTINGS
@given(
    st.sampled_from(list(DATA_FILES)),
    st.lists(st.tuples(MUTATIONS, st.integers(0, 10**6), NOISE), min_size=1, max_size=4),
)
def test_damaged_files_give_data_error_or_load(data_copy, name, mutations) -> None:
    path = data_copy / name
    original = path.read_text(encoding="utf-8")
    text = original
    try:
        for kind, where, noise in mutations:
            lines = text.splitlines(keepends=True)
            at = where % max(len(text), 1)
            line = where % max(len(lines), 1)
            if kind == "delete":
                text = text[:at] + text[at + 1 :]
            elif kind == "insert":
                text = text[:at] + noise + text[at:]
            elif kind == "duplicate" and lines:
                text = "".join(lines[: line + 1] + lines[line:])
            elif kind == "swap" and len(lines) > 1:
                other = (line + 1) % len(lines)
                lines[line], lines[other] = lines[other], lines[line]
                text = "".join(lines)
            elif kind == "truncate":
                text = text[:at]
        path.write_text(text, encoding="utf-8")
        try:
            mg.load(base=data_copy)
        except mg.DataError as err:
            assert err.problems and all(p.file for p in err.problems)
    finally:
        path.write_text(original, encoding="utf-8")


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(ROOTS), st.integers(1, 7), st.sampled_from([None, "left", "right"]))
def test_traces_are_monotone_in_the_hop_limit(root, cutoff, side) -> None:
    shorter = mg.trace(G0, root, cutoff=cutoff, side=side)
    longer = mg.trace(G0, root, cutoff=cutoff + 1, side=side)
    assert set(shorter.hits) <= set(longer.hits)
    for key, hit in shorter.hits.items():
        assert hit.score <= longer.hits[key].score + 1e-12


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(ROOTS), min_size=1, max_size=3, unique=True))
def test_traces_are_deterministic(roots) -> None:
    assert mg.trace(G0, roots).to_dict() == mg.trace(mg.load(), roots).to_dict()


def test_two_loads_give_identical_graphs() -> None:
    a, b = mg.load(), mg.load()
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_trace_json_is_byte_identical_across_hash_seeds(tmp_path) -> None:
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "myofascial_graph.cli",
                "trace",
                "S1",
                "L5",
                "--side",
                "left",
                "--chains",
                "--format",
                "json",
            ],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
