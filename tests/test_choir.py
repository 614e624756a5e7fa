"""The CHOIR body map as data: segments, crosswalk, the female numbering and the figures."""

from __future__ import annotations

import pytest

import myofascial_graph as mg
from myofascial_graph.cbm import SEGMENT_IDS, choir_body_map, read_choir_body_map
from myofascial_graph.wpi import region_wpi_area

CBM = choir_body_map()


def centre(polygon) -> tuple[float, float]:
    xs, ys = zip(*polygon, strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def test_the_74_segments_with_names_views_and_sides() -> None:
    segments = mg.CHOIR_SEGMENTS
    assert tuple(segments) == SEGMENT_IDS and len(segments) == 74
    assert sum(s.view == "front" for s in segments.values()) == 36
    assert segments[101].name == "Cranium (front-right)" and segments[101].side == "right"
    assert segments[201].name == "Cranium (back-left)" and segments[201].side == "left"
    assert segments[125].name == "Hand (palm-right)" and segments[238].name == "Foot (bottom-right)"
    for segment in segments.values():  # the name says the patient's side
        assert segment.name.endswith(f"-{segment.side})"), segment.name


def test_every_crosswalk_region_exists_and_its_wpi_area_agrees_with_the_regions(G) -> None:
    for number, segment in mg.CHOIR_SEGMENTS.items():
        derived = set()
        for region in segment.regions:
            assert G.nodes[region]["kind"] == "region", (number, region)
            area = region_wpi_area(G, region)
            if area is not None:
                derived.add(area if area in mg.WPI_AREAS else f"{area}_{segment.side}")
        if segment.wpi_area is None:
            assert not derived or segment.note, f"{number}: left out of {derived} without a note"
        else:
            assert segment.wpi_area in derived, (number, segment.wpi_area, derived)
    counted = {s.wpi_area for s in mg.CHOIR_SEGMENTS.values()} - {None}
    assert counted == set(mg.WPI_AREAS)  # every one of the 19 areas can be marked


def test_the_female_figure_numbers_six_front_segments_apart() -> None:
    assert CBM.female_numbering == {112: 116, 113: 117, 114: 112, 115: 113, 116: 114, 117: 115}
    assert mg.CHOIR_SEGMENTS[116].name == "Abdomen (front-right)"


@pytest.mark.parametrize("sex", ["male", "female"])
def test_the_figures_put_each_side_where_the_viewer_sees_it(sex) -> None:
    figure = CBM.figures[sex]
    for view in ("front", "back"):
        polygons = getattr(figure, view)
        middle = (centre(polygons[101 if view == "front" else 201])[0]
                  + centre(polygons[102 if view == "front" else 202])[0]) / 2  # fmt: skip
        for number, polygon in polygons.items():
            x, _ = centre(polygon)
            segment = mg.CHOIR_SEGMENTS[number]
            # front: the patient's right is on the viewer's left; back: on the viewer's right
            on_viewers_left = (segment.side == "right") == (view == "front")
            assert (x < middle) == on_viewers_left, (sex, number, segment.name)
    # top to bottom: head above chest above abdomen above thigh above foot, on both figures
    heights = [centre(figure.front[n])[1] for n in (101, 108, 116, 126, 135)]
    assert heights == sorted(heights)


def test_a_bad_cbm_file_names_file_line_and_record(write) -> None:
    text = (mg.data_dir() / "choir_body_map.yaml").read_text(encoding="utf-8")
    bad = write("choir_body_map.yaml", text.replace("wpi_area: hip_left", "wpi_area: hip_right", 1))
    with pytest.raises(mg.DataError, match=r"choir_body_map.yaml:\d+: choir_body_map 'choir': .*"
                       "not on the left side"):  # fmt: skip
        read_choir_body_map(bad)
    gone = write("gone.yaml", text.replace("    238:\n", "    999:\n", 1))
    with pytest.raises(mg.DataError, match=r"gone.yaml:\d+: .*238"):
        read_choir_body_map(gone)
