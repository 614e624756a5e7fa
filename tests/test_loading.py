"""Loading: layering user files, replacing records explicitly, reporting every problem."""

from __future__ import annotations

import pytest

import myofascial_graph as mg

NEW_MUSCLE = """\
piriformis_test:
  label: piriformis (test)
  nerves: [inferior_gluteal_nerve]
  roots: [S1]
  regions: [buttock]
  sources: [standring2020_grays]
"""


def test_user_file_adds_records(write) -> None:
    G = mg.load(extra=[write("muscles.yaml", NEW_MUSCLE)])
    assert G.nodes["piriformis_test"]["kind"] == "muscle"
    assert G.has_edge("S1", "piriformis_test", "innervates")
    assert "piriformis_test" not in mg.load()  # nothing leaks into a later load


def test_a_folder_of_user_files_is_accepted(write) -> None:
    path = write("muscles.yaml", NEW_MUSCLE)
    assert "piriformis_test" in mg.load(extra=[path.parent])


def test_plain_duplicate_id_is_an_error(write) -> None:
    path = write(
        "muscles.yaml",
        "gluteus_maximus:\n  label: x\n  nerves: [inferior_gluteal_nerve]\n"
        "  roots: [S1]\n  regions: [buttock]\n  sources: [standring2020_grays]\n",
    )
    with pytest.raises(mg.DataError) as info:
        mg.load(extra=[path])
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.record) == (
        str(path),
        1,
        "muscle 'gluteus_maximus'",
    )
    assert "duplicate id: already defined at data/muscles.yaml:" in problem.message
    assert "replace: true" in problem.message


def test_replace_true_replaces_the_shipped_record(write) -> None:
    path = write(
        "muscles.yaml",
        "gluteus_maximus:\n  replace: true\n  label: big glute\n"
        "  nerves: [inferior_gluteal_nerve]\n  roots: [S1, S2]\n  regions: [buttock]\n"
        "  sources: [standring2020_grays]\n",
    )
    G = mg.load(extra=[path])
    assert G.nodes["gluteus_maximus"]["label"] == "big glute"
    assert not G.has_edge("L5", "gluteus_maximus", "innervates")
    assert mg.load().nodes["gluteus_maximus"]["label"] == "gluteus maximus"


def test_replace_without_an_earlier_record_is_an_error(write) -> None:
    path = write("muscles.yaml", "replace_me:\n  replace: true\n" + NEW_MUSCLE.split("\n", 1)[1])
    with pytest.raises(mg.DataError, match="'replace: true' but there is no earlier record"):
        mg.load(extra=[path])


def test_user_file_must_be_named_like_a_shipped_file(write) -> None:
    path = write("my_muscles.yaml", NEW_MUSCLE)
    message = r"unknown data file name 'my_muscles\.yaml'; name it one"
    with pytest.raises(mg.DataError, match=message):
        mg.load(extra=[path])


def test_missing_user_file_is_an_error(tmp_path) -> None:
    with pytest.raises(mg.DataError, match="no such file"):
        mg.load(extra=[tmp_path / "muscles.yaml"])


def test_every_problem_is_reported_at_once_with_lines(write) -> None:
    text = """\
bad_one:
  label: bad one
  nerves: [inferior_gluteal_nerve]
  roots: [S9]
  regions: [buttock]
  sources: [standring2020_grays]
bad_two:
  label: bad two
  nerves: [no_such_nerve]
  roots: [S1]
  regions: [buttok]
  sources: [standring2020_grays, nobody2020]
bad_three:
  label: bad three
  colour: red
"""
    path = write("muscles.yaml", text)
    with pytest.raises(mg.DataError) as info:
        mg.load(extra=[path])
    lines = str(info.value).splitlines()
    assert f"{path}:4: muscle 'bad_one': unknown root 'S9'; did you mean 'S1', 'S2'?" in lines
    assert any(
        line.startswith(f"{path}:9: muscle 'bad_two': unknown nerve 'no_such_nerve'")
        for line in lines
    )
    assert f"{path}:11: muscle 'bad_two': unknown region 'buttok'; did you mean 'buttock'?" in lines
    assert (
        f"{path}:12: muscle 'bad_two': unknown source 'nobody2020'; cite a source of your own"
        in " ".join(lines)
    )
    assert any(
        line.startswith(f"{path}:15: muscle 'bad_three': unknown field 'colour'; allowed")
        for line in lines
    )
    assert f"{path}:13: muscle 'bad_three': missing field 'nerves'" in lines
    assert len(lines) == len(info.value.problems) == 8  # roots may be empty (cranial nerves)


def test_data_error_is_a_value_error() -> None:
    assert issubclass(mg.DataError, ValueError)


def test_wrong_type_names_the_field_and_what_was_given(write) -> None:
    path = write(
        "regions.yaml",
        "tiny_region:\n  label: tiny\n  bilateral: perhaps\n  sources: [standring2020_grays]\n",
    )
    with pytest.raises(mg.DataError) as info:
        mg.load(extra=[path])
    assert str(info.value).startswith(f"{path}:3: region 'tiny_region': bilateral:")
    assert "'perhaps'" in str(info.value)


def test_bad_id_and_out_of_range_weight(write) -> None:
    text = (
        "Bad-Id:\n  label: x\n  sources: [standring2020_grays]\n"
        "ok_region:\n  label: y\n  sources: [standring2020_grays]\n"
    )
    regions = write("regions.yaml", text)
    roots = write(
        "muscles.yaml",
        NEW_MUSCLE.replace("regions: [buttock]", "regions: [{id: buttock, weight: 1.5}]"),
    )
    with pytest.raises(mg.DataError) as info:
        mg.load(extra=[regions, roots])
    text = str(info.value)
    assert f"{regions}:1: region 'Bad-Id': bad id 'Bad-Id': an id is lower-case letters" in text
    assert f"{roots}:5: muscle 'piriformis_test': regions[0].weight:" in text


def test_region_cycle_is_reported(write) -> None:
    text = (
        "loop_a:\n  label: a\n  part_of: [loop_b]\n  sources: [standring2020_grays]\n"
        "loop_b:\n  label: b\n  part_of: [loop_a]\n  sources: [standring2020_grays]\n"
    )
    path = write("regions.yaml", text)
    with pytest.raises(mg.DataError, match="cycle: loop_a -> loop_b -> loop_a"):
        mg.load(extra=[path])


def test_same_id_in_two_kinds_is_an_error(write) -> None:
    path = write("regions.yaml", "gluteus_maximus:\n  label: x\n  sources: [standring2020_grays]\n")
    with pytest.raises(mg.DataError, match=r"id is already used by muscle at data/muscles\.yaml"):
        mg.load(extra=[path])


def test_graph_schema_is_enforced() -> None:
    G = mg.load()
    with pytest.raises(mg.SchemaError, match="allowed are"):
        from myofascial_graph.graph import add_edge

        add_edge(G, "neck", "S1", "dermatome", weight=1.0)
    assert ("root", "dermatome", "region") in mg.EDGE_TYPES


def test_graph_metadata(G) -> None:
    assert G.graph["files"][0] == "data/sources.yaml"
    assert "standring2020_grays" in G.graph["sources"]
    assert G.nodes["S1"]["record"].id == "S1"


def test_load_works_from_any_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert mg.load().number_of_nodes() > 100
    assert (mg.data_dir() / "muscles.yaml").is_file()


def test_a_repeat_load_reuses_the_validated_records_of_unchanged_files(write) -> None:
    path = write("muscles.yaml", NEW_MUSCLE)  # (in memory; the on-disk cache is off here)
    first, again = mg.load(extra=[path], cache=False), mg.load(extra=[path], cache=False)
    assert first.nodes["piriformis_test"]["record"] is again.nodes["piriformis_test"]["record"]
    assert first.nodes["S1"]["record"] is again.nodes["S1"]["record"]
    path.write_text(NEW_MUSCLE.replace("piriformis (test)", "piriformis (edited)"))
    edited = mg.load(extra=[path], cache=False)
    assert edited.nodes["piriformis_test"]["label"] == "piriformis (edited)"


def test_only_small_files_keep_their_validated_records(write, monkeypatch) -> None:
    from myofascial_graph import loading

    path = write("muscles.yaml", NEW_MUSCLE)
    monkeypatch.setattr(loading, "MAX_CACHED_FILE", len(NEW_MUSCLE) - 1)
    first, again = mg.load(extra=[path], cache=False), mg.load(extra=[path], cache=False)
    assert first.nodes["piriformis_test"]["record"] == again.nodes["piriformis_test"]["record"]
    assert first.nodes["piriformis_test"]["record"] is not again.nodes["piriformis_test"]["record"]
    assert loading._parse_cached.cache_info().maxsize == 32  # a bounded, standard cache
