"""The pictures as a reader sees them (issue 16): distinct colours per edge kind,
lines not hidden behind labels, body-map labels that do not collide, and the
areas outside the WPI marked."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest

import myofascial_graph as mg
from myofascial_graph.drawing import BOX_Z, LINE_Z


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_supplies_and_innervates_are_drawn_apart(G) -> None:
    ax = mg.draw(mg.trace(G, "S1"), regions=["buttock"])
    colours = {line.get_color() for line in ax.lines}
    assert mg.METAGRAPH["supplies"].style.color in colours
    assert mg.METAGRAPH["innervates"].style.color in colours
    assert mg.METAGRAPH["supplies"].style.color != mg.METAGRAPH["innervates"].style.color


def test_lines_run_over_label_boxes_and_under_the_words(G) -> None:
    t = mg.trace(G, "S1", side="left", min_score=0.001)
    ax = mg.draw(t, regions=[("buttock", "left"), "neck"])
    boxes = [
        t for t in ax.texts if t.get_bbox_patch() is not None and t.get_gid() in (None, "box")
    ]
    words = [t for t in ax.texts if t.get_gid() == "label"]
    assert boxes and words and len(boxes) == len(words)
    assert all(t.get_zorder() == BOX_Z for t in boxes)
    assert all(line.get_zorder() == LINE_Z for line in ax.lines)
    assert all(t.get_zorder() > LINE_Z and t.get_bbox_patch() is None for t in words)


@pytest.mark.parametrize("roots", [["S1"], ["C6", "C7", "L5", "S1", "T4"]])
def test_body_map_labels_do_not_collide(G, roots) -> None:
    side = "left" if len(roots) == 1 else None
    ax = mg.draw_body_map(mg.trace(G, roots, side=side, min_score=0.001), labels=True)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    labels = [t for t in ax.texts if str(t.get_gid()).startswith("label:")]
    assert len(labels) > 10
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes, strict=True), 2):
        assert not box_a.overlaps(box_b), (a.get_text(), b.get_text())


def test_areas_outside_the_wpi_are_hatched_and_said_to_be(G) -> None:
    ax = mg.draw_body_map(mg.trace(G, "S1"), view="front")
    hatched = {p.get_gid() for p in ax.patches if p.get_hatch()}
    assert hatched and all(g.startswith(("foot", "hand", "head")) for g in hatched)
    assert any("outside the 19 WPI areas" in t.get_text() for t in ax.texts)
