"""The on-disk cache of loaded graphs: hits, misses, bad entries, writers, extra files."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import stat
from pathlib import Path

import pytest

import myofascial_graph as mg
from myofascial_graph import cache, graph
from myofascial_graph.cli import main


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of the test's own, with the cache on."""
    where = tmp_path / "cache"
    monkeypatch.setenv("MYOFASCIAL_GRAPH_CACHE_DIR", str(where))
    monkeypatch.delenv("MYOFASCIAL_GRAPH_CACHE", raising=False)
    return where


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the shipped data to edit."""
    return Path(shutil.copytree(mg.data_dir(), tmp_path / "data"))


def _no_build(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the graph was built, not taken from the cache")

    monkeypatch.setattr(graph, "build_graph", refuse)


def _same(G, H) -> bool:
    return (
        sorted(G.nodes(data="label")) == sorted(H.nodes(data="label"))
        and sorted(G.edges(keys=True)) == sorted(H.edges(keys=True))
        and mg.trace(G, "S1").to_dict() == mg.trace(H, "S1").to_dict()
    )


def test_a_second_load_is_a_hit_and_gives_the_same_new_graph(folder, monkeypatch) -> None:
    first = mg.load()
    assert len(cache.entries()) == 1
    _no_build(monkeypatch)
    second = mg.load()
    assert second is not first and _same(first, second)
    second.remove_node("S1")
    assert "S1" in mg.load()  # each load is a graph of its own


def test_entries_are_private_to_their_owner(folder) -> None:
    mg.load()
    (entry,) = cache.entries()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_any_changed_byte_of_the_data_is_a_miss(folder, data, monkeypatch) -> None:
    before = mg.load(base=data)
    regions = data / "regions.yaml"
    regions.write_text(
        regions.read_text("utf-8").replace("label: occipital region", "label: occipital regioN"),
        "utf-8",
    )
    after = mg.load(base=data)
    assert before.nodes["occiput"]["label"] == "occipital region"
    assert after.nodes["occiput"]["label"] == "occipital regioN"
    assert len(cache.entries()) == 2


def test_extra_files_are_part_of_the_key(folder, write) -> None:
    mg.load()
    user = write(
        "regions.yaml",
        "my_spot:\n  label: my spot\n  part_of: [head]\n  bilateral: false\n"
        "  sources: [standring2020_grays]\n",
    )
    assert "my_spot" in mg.load(extra=user)
    assert "my_spot" not in mg.load()
    user.write_text(user.read_text("utf-8").replace("my spot", "my place"), "utf-8")
    assert mg.load(extra=user).nodes["my_spot"]["label"] == "my place"


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-10] + bytes(10),  # a changed body
        lambda blob: b"not a cache entry at all",
        lambda blob: b"",
    ],
    ids=["truncated", "changed body", "foreign bytes", "empty"],
)
def test_a_damaged_entry_is_rebuilt_never_an_error(folder, damage) -> None:
    good = mg.load()
    (entry,) = cache.entries()
    entry.write_bytes(damage(entry.read_bytes()))
    os.chmod(entry, 0o600)
    assert _same(mg.load(), good)
    assert cache.read(entry.name.removesuffix(".graph")) is not None  # rewritten


def test_an_entry_of_another_key_is_not_taken(folder) -> None:
    mg.load()
    (entry,) = cache.entries()
    other = folder / ("0" * 64 + ".graph")
    shutil.copy(entry, other)
    assert cache.read("0" * 64) is None  # its header names its own key


def test_another_library_version_misses(folder, monkeypatch) -> None:
    mg.load()
    monkeypatch.setattr(cache, "__version__", "999.0")
    mg.load()
    assert len(cache.entries()) == 2


def test_an_entry_others_can_write_is_not_read(folder) -> None:
    mg.load()
    (entry,) = cache.entries()
    key = entry.name.removesuffix(".graph")
    os.chmod(entry, 0o666)
    assert cache.read(key) is None
    os.chmod(entry, 0o600)
    os.chmod(folder, 0o777)
    assert cache.read(key) is None
    os.chmod(folder, 0o700)
    assert cache.read(key) is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_an_entry_does_not_block(folder) -> None:
    folder.mkdir(mode=0o700)
    key = "f" * 64
    os.mkfifo(folder / f"{key}.graph", 0o600)
    assert cache.read(key) is None


def test_the_cache_can_be_turned_off(folder, monkeypatch) -> None:
    mg.load(cache=False)
    assert cache.entries() == []
    monkeypatch.setenv("MYOFASCIAL_GRAPH_CACHE", "0")
    mg.load()
    assert cache.entries() == []
    assert mg.load(cache=True) and len(cache.entries()) == 1


def test_graphs_of_another_metagraph_are_not_cached(folder) -> None:
    from myofascial_graph.metagraph import METAGRAPH, Metagraph

    copy = Metagraph(dict(METAGRAPH.kinds), dict(METAGRAPH.edges))
    mg.load(metagraph=copy)
    assert cache.entries() == []


def _load_in_a_process(where: str) -> int:
    os.environ["MYOFASCIAL_GRAPH_CACHE_DIR"] = where
    import myofascial_graph

    return myofascial_graph.load().number_of_nodes()


def test_concurrent_writers_leave_one_good_entry(folder) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        counts = pool.map(_load_in_a_process, [str(folder)] * 8)
    assert len(set(counts)) == 1
    (entry,) = cache.entries()
    assert not list(folder.glob(".*.tmp"))
    assert cache.read(entry.name.removesuffix(".graph")).number_of_nodes() == counts[0]


def test_at_most_so_many_graphs_are_kept(folder, monkeypatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    G = mg.load()
    for n in range(4):
        cache.write(f"{n:064x}", G)
    assert len(cache.entries()) == 2


def test_cli_cache_info_and_clear(folder, capsys) -> None:
    mg.load()
    assert main(["cache", "info"]) == 0
    assert "1 cached graph" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cached graph" in capsys.readouterr().out
    assert cache.entries() == []


def test_the_collector_is_paused_while_loading_and_restored(folder, monkeypatch) -> None:
    import gc

    seen = []
    real = graph.build_graph
    monkeypatch.setattr(graph, "build_graph", lambda ds: (seen.append(gc.isenabled()), real(ds))[1])
    assert gc.isenabled()
    mg.load()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        mg.load(cache=False)
        assert not gc.isenabled()  # a collector the user paused stays paused
    finally:
        gc.enable()


def _slots(record) -> tuple:
    return tuple(getattr(record, slot) for slot in cache._RECORD_SLOTS)


@pytest.mark.parametrize("own_pickling", [False, True])
def test_records_from_the_cache_are_the_records_built(folder, monkeypatch, own_pickling) -> None:
    if own_pickling:  # a pydantic whose models hold other slots: pickled its own way
        monkeypatch.setattr(cache, "_RECORD_SLOTS", ("__dict__",))
    built = mg.load()
    (entry,) = cache.entries()
    assert (b"_record" in entry.read_bytes()) is not own_pickling
    _no_build(monkeypatch)
    kept = mg.load()
    for node, record in built.nodes(data="record"):
        again = kept.nodes[node]["record"]
        assert type(again) is type(record) and again == record
        assert _slots(again) == _slots(record)
    for name in ("sources", "trigger_points", "body_maps", "models"):
        assert kept.graph[name] == built.graph[name]
    muscle = kept.nodes["gluteus_maximus"]["record"]
    changed = muscle.model_copy(update={"label": "changed"})
    assert changed.label == "changed" and muscle.label == "gluteus maximus"
    assert muscle.model_fields_set == built.nodes["gluteus_maximus"]["record"].model_fields_set
