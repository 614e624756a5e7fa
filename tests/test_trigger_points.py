"""Myofascial trigger points (issue 14): the cited referral patterns, the referred
pathway in the trace, the queries and the differential cases."""

from __future__ import annotations

import pytest

import myofascial_graph as mg

MANUALS = {"simons1999_trigger_point_manual_v1", "travell1992_trigger_point_manual_v2"}
TOP = ("root", "nerve", "muscle")


def test_at_least_sixty_muscles_have_cited_patterns(G) -> None:
    records = G.graph["trigger_points"]
    assert len({r.muscle for r in records.values()}) >= 60
    sources = G.graph["sources"]
    for key, record in records.items():
        cited = set(record.sources)
        assert cited & MANUALS, key  # the clinical model they restate
        read = [s for s in cited - MANUALS if sources[s].evidence != "clinical_model"]
        assert read, f"{key}: cites no source that was read"
        assert record.evidence == "clinical_model", key
        assert G.nodes[record.muscle]["kind"] == "muscle"


def test_zones_are_edges_weighted_essential_above_spillover(G) -> None:
    edge = G.edges["gluteus_minimus", "lateral_leg", "refers_pain_to"]
    assert (edge["weight"], edge["evidence"]) == (1.0, "clinical_model")
    assert G.edges["gluteus_minimus", "lateral_malleolus", "refers_pain_to"]["weight"] == 0.5
    assert set(edge["trigger_points"]) == {"gluteus_minimus_anterior"}
    ankle = G.edges["tibialis_anterior", "ankle", "refers_pain_to"]
    assert (ankle["evidence"], ankle["sources"][0]) == (
        "experimental",
        "laursen1997_electrical_referred_pain",
    )


def test_a_root_trace_does_not_change_unless_asked(G) -> None:
    plain = mg.trace(G, "L5")
    off = mg.trace(G, "L5", trigger_points=False)
    assert plain.region_scores() == off.region_scores()
    assert all(h.pathway != "referred" for h in plain.regions.values())
    on = mg.trace(G, "L5", trigger_points=True)
    assert on.regions["lateral_thigh"].pathway == "referred"
    assert on.regions["lateral_thigh"].score > plain.regions.get("lateral_thigh", _NONE).score


class _None:
    score = 0.0


_NONE = _None()


def test_a_muscle_trace_is_its_referral_pattern_with_the_model_strength(G) -> None:
    strength = G.graph["models"]["default"].strengths["referred"]
    t = mg.trace(G, "gluteus minimus", trigger_points=True)
    assert t.regions["lateral_leg"].score == pytest.approx(strength)
    assert t.regions["lateral_malleolus"].score == pytest.approx(0.5 * strength)
    text = str(t.explain("lateral_leg"))
    assert "gluteus minimus refers pain to lateral leg: weight 1, clinical_model" in text
    assert "travell1992_trigger_point_manual_v2" in text


def test_referral_lists_the_zones_with_their_sources(G) -> None:
    r = mg.referral(G, "infraspinatus")
    assert r.regions("essential") == ("shoulder",)
    assert "deltoid_region" in r.regions("spillover")
    deltoid = next(z for z in r if z.region == "deltoid_region")
    assert (deltoid.evidence, deltoid.sources) == (
        "experimental",
        ("leffler2000_infraspinatus_saline",),
    )
    assert mg.referral(G, "trapezius_upper").trigger_points == ("trapezius_upper",)
    assert len(mg.referral(G, "trapezius").trigger_points) == 3
    assert len(mg.referral(G, "coracobrachialis")) == 0
    with pytest.raises(mg.UnknownIdError):
        mg.referral(G, "infraspinatuss")


def test_referring_muscles_rank_essential_zones_first(G) -> None:
    found = mg.referring_muscles(G, "lateral leg")
    assert found[0].muscle == "gluteus_minimus" and found[0].zone == "essential"
    zones = [r.zone for r in found]
    assert zones == sorted(zones)  # essential before spillover
    assert "fibularis_longus" in {r.muscle for r in found}
    leg = {r.muscle for r in mg.referring_muscles(G, "leg")}  # regions within count
    assert {"gluteus_minimus", "gastrocnemius", "popliteus"} <= leg


def test_pseudo_sciatica_ranks_gluteus_minimus_next_to_l5(G) -> None:
    # lateral thigh and leg pain to the ankle, no numbness or weakness, normal reflexes:
    # the gluteus minimus pattern (Travell & Simons vol. 2, ch. 9; the NAMTPT page
    # lists L5 radiculopathy in its differential diagnosis)
    pain = ["lateral thigh", "lateral leg", "lateral malleolus"]
    normal = ["patellar reflex", "achilles reflex"]
    d = mg.differential(G, pain, normal=normal, kinds=TOP, top=20)
    ranked = [s.nodes[0] for s in d]
    assert ranked.index("gluteus_minimus") < 3
    assert "L5" in ranked and ranked.index("gluteus_minimus") < ranked.index("L5")
    first = d[0 if ranked[0] == "gluteus_minimus" else ranked.index("gluteus_minimus")]
    assert first.kind == "muscle" and first.count("explained") == 3


def test_temple_headache_ranks_the_upper_trapezius_and_temporalis(G) -> None:
    # temporal headache: the upper trapezius (MedLink figure Mpssi5, after Travell &
    # Simons) and the temporalis (triggerpointbook.com, East Coast Therapeutics)
    d = mg.differential(G, ["temple"], kinds=TOP, top=5)
    assert {s.nodes[0] for s in d[:2]} == {"temporalis", "trapezius"}
    assert all(s.kind == "muscle" for s in d[:2])


def test_jaw_ear_and_tooth_pain_ranks_the_masseter(G) -> None:
    d = mg.differential(G, ["jaw", "ear", "teeth"], kinds=TOP, top=5)
    assert d[0].nodes == ("masseter",) and d[0].count("explained") == 3


def test_anterior_shoulder_pain_ranks_the_infraspinatus(G) -> None:
    # deep pain in the front of the shoulder, down the front of the arm: the
    # infraspinatus (NAMTPT; MedLink figure mpssi12b, after Travell & Simons)
    d = mg.differential(G, ["shoulder", "anterior arm"], kinds=TOP)
    assert d[0].nodes == ("infraspinatus",) and d[0].count("explained") == 2
    alone = [s.nodes[0] for s in mg.differential(G, ["shoulder"], kinds=TOP)]
    assert "infraspinatus" in alone[:8]  # the shoulder alone: every rotator cuff muscle


def test_roots_and_nerves_alone_ignore_trigger_points(G) -> None:
    d = mg.differential(G, ["lateral thigh", "lateral leg"])
    assert {s.kind for s in d} <= {"root", "nerve"}


def test_draw_referral_shades_essential_dark_and_spillover_light(G) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = mg.draw_referral(G, "infraspinatus")
    zones = {
        p.get_gid(): p.get_facecolor() for p in ax.patches if str(p.get_gid()).startswith("zone:")
    }
    assert "zone:essential:shoulder_girdle_right" in zones
    assert "zone:spillover:upper_arm_right" in zones
    dark, light = (
        zones["zone:essential:shoulder_girdle_right"],
        zones["zone:spillover:upper_arm_right"],
    )
    assert sum(dark[:3]) < sum(light[:3])  # essential darker than spillover
    marks = {line.get_gid() for line in ax.lines if str(line.get_gid()).startswith("muscle:")}
    assert marks == {"muscle:upper_back"}  # the infraspinatus lies on the scapula
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"essential zone", "spillover zone"} <= legend
    with pytest.raises(mg.InvalidArgumentError, match="no trigger-point records"):
        mg.draw_referral(G, "coracobrachialis")
    plt.close("all")


def test_body_map_of_a_trace_with_trigger_points_outlines_referred_areas(G) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = mg.trace(G, "gluteus minimus", trigger_points=True)
    ax = mg.draw_body_map(t)
    outlined = {p.get_gid() for p in ax.patches if str(p.get_gid()).startswith("referred:")}
    assert {"referred:lower_leg_left", "referred:lower_leg_right"} <= outlined
    plain = mg.draw_body_map(mg.trace(G, "gluteus minimus"))
    assert not [p for p in plain.patches if str(p.get_gid()).startswith("referred:")]
    plt.close("all")


def test_cli_referral_prints_the_pattern_and_draws_it(tmp_path, capsys) -> None:
    from myofascial_graph.cli import main

    out = tmp_path / "gmin.png"
    assert main(["referral", "gluteus minimus", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Referred pain from gluteus minimus" in text and "lateral leg" in text
    assert out.stat().st_size > 10_000
    assert main(["trace", "L5", "--trigger-points", "--format", "json"]) == 0
    assert '"pathway": "referred"' in capsys.readouterr().out


def test_each_candidate_carries_the_grade_of_its_explanation(G) -> None:
    d = mg.differential(G, ["temple"], kinds=TOP, top=8)
    grades = {s.nodes[0]: s.evidence for s in d}
    assert grades["trapezius"] == "clinical_model"
    roots = mg.differential(
        G, ["lateral heel", "calf"], reflexes=["achilles reflex"], kinds=["root"], top=2
    )
    assert roots[0].nodes == ("S1",) and roots[0].evidence == "textbook"
    assert "evidence" in str(d).splitlines()[2]
