"""The examination's records as users reach them: dermatome maps and reflexes."""

from __future__ import annotations

import pytest
import yaml

import myofascial_graph as mg


def test_dermatome_maps_lists_every_shipped_map_with_its_record() -> None:
    shipped = yaml.safe_load((mg.data_dir() / "dermatome_maps.yaml").read_text("utf-8"))
    assert set(mg.DERMATOME_MAPS) == set(shipped)
    assert "project" in mg.DERMATOME_MAPS
    for map_id, record in mg.DERMATOME_MAPS.items():
        assert record.id == map_id
        assert record.label == shipped[map_id]["label"]


def test_dermatome_maps_cannot_be_changed_and_other_names_are_errors() -> None:
    with pytest.raises(TypeError):
        mg.DERMATOME_MAPS["mine"] = mg.DERMATOME_MAPS["project"]  # type: ignore[index]
    with pytest.raises(AttributeError, match="NO_SUCH_NAME"):
        mg.NO_SUCH_NAME  # type: ignore[attr-defined]  # noqa: B018


def test_every_map_a_trace_can_follow_is_listed(G) -> None:
    for map_id in mg.DERMATOME_MAPS:
        assert mg.trace(G, "L5", dermatome_map=map_id).hits


def test_a_dermatome_is_read_from_its_map(G) -> None:
    from myofascial_graph.dermatomes import dermatome

    regions = dermatome(G, "L5")
    expected = {
        v: d["weight"]
        for _, v, d in G.out_edges("L5", data=True)
        if d["kind"] == "dermatome" and d.get("map") in (None, "project")
    }
    assert regions == expected and regions
    with pytest.raises(mg.InvalidArgumentError, match="dermatome_map"):
        dermatome(G, "L5", "no_such_map")


def test_the_maps_are_drawn_side_by_side(G) -> None:
    maps = list(mg.DERMATOME_MAPS)
    assert len(maps) >= 4
    axes = mg.draw_dermatome_maps(G, "S1", maps=maps)
    assert len(axes) == len(maps)
    from myofascial_graph.dermatomes import dermatome

    for ax, name in zip(axes, maps, strict=True):
        assert mg.DERMATOME_MAPS[name].label in ax.get_title()
        shaded = [p for p in ax.patches if p.get_gid() and p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
        assert bool(shaded) == bool(dermatome(G, "S1", name)), name
