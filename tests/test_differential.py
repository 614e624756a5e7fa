"""The differential, roots_for with examination findings, traces from any structure,
mg.explain between any two nodes, and the choice of dermatome map."""

from __future__ import annotations

import json

import pytest

import myofascial_graph as mg
from myofascial_graph.cli import main


def test_a_trace_starts_from_a_nerve_and_reaches_what_it_supplies(G) -> None:
    t = mg.trace(G, "deep fibular nerve")
    assert t.roots == ("deep_fibular_nerve",)
    assert t.muscles["tibialis_anterior"] == 1.0  # a nerve supplies its muscles fully
    hit = t.regions["anterior_leg"]
    assert hit.pathway == "myotomal" and hit.path.nodes[0] == "deep_fibular_nerve"
    assert str(hit.path).startswith("deep fibular nerve –innervates→")
    assert repr(t).startswith("<Trace from deep fibular nerve:")


def test_a_trace_starts_from_a_muscle(G) -> None:
    t = mg.trace(G, "glute max")
    assert t.roots == ("gluteus_maximus",)
    assert "thoracolumbar_fascia" in t.fascia and "tensor_fasciae_latae" in t.muscles
    assert t.regions["buttock"].pathway == "myotomal"


def test_mg_explain_gives_the_cited_paths_between_two_nodes(G) -> None:
    e = mg.explain(G, "gluteus maximus", "tensor fasciae latae")
    first = e.paths[0]
    assert first.nodes == ("gluteus_maximus", "iliotibial_tract", "tensor_fasciae_latae")
    assert all(step.sources for step in first.steps)
    neck = mg.explain(G, ["L5", "S1"], "neck", limit=3)
    assert len(neck) == 3 and {p.root for p in neck} <= {"L5", "S1"}
    assert neck.score is not None and neck.score >= neck.paths[0].score
    with pytest.raises(mg.NotReachedError):
        mg.explain(G, "S1", "thumb")


def test_differential_puts_the_textbook_root_first_for_a_classic_s1_picture(G) -> None:
    # Among roots. With nerves ranked too, a tibial (or sciatic) nerve lesion explains
    # the same pain and reflex now that nerves have skin: the fit has no base rates.
    d = mg.differential(G, ["lateral heel", "calf"], reflexes=["achilles reflex"], kinds=["root"])
    best = d[0]
    assert best.nodes == ("S1",) and best.kind == "root"
    assert best.explanation[("reflexes", "achilles_reflex")] == "explained"
    assert best.predicted[("pain", "calf")] == mg.trace(G, "S1").regions["calf"].score
    assert all(s.count("explained") for s in d)  # every candidate explains something
    assert [s.fit for s in d] == sorted((s.fit for s in d), reverse=True)


def test_a_normal_finding_counts_against_the_candidates_that_predict_it(G) -> None:
    weak = ["tibialis anterior", "extensor hallucis longus"]
    plain = mg.differential(G, weak=weak)
    checked = mg.differential(G, weak=weak, normal=["gluteus medius"])
    l5_plain = next(s for s in plain if s.nodes == ("L5",))
    l5_checked = next(s for s in checked if s.nodes == ("L5",))
    assert l5_checked.fit < l5_plain.fit
    assert l5_checked.explanation[("normal", "gluteus_medius")] == "predicted but normal"
    deep = next(s for s in checked if s.nodes == ("deep_fibular_nerve",))
    assert deep.explanation[("normal", "gluteus_medius")] == "normal"


def test_a_numb_region_is_explained_by_a_territory_and_its_parts(G) -> None:
    d = mg.differential(G, numb=["thumb"], kinds=["root"])
    c6 = next(s for s in d if s.nodes == ("C6",))
    assert c6.explanation[("numb", "thumb")] == "explained"
    # a territory covers the regions within it: a numb thumb is in C6's hand if C6 has the hand
    assert c6.predicted[("numb", "thumb")] > 0


def test_findings_of_the_wrong_kind_or_unknown_are_errors_that_say_so(G) -> None:
    with pytest.raises(mg.InvalidArgumentError, match="numb= takes a region; 'gluteus medius' is"):
        mg.differential(G, numb=["gluteus medius"])
    with pytest.raises(mg.InvalidArgumentError, match="reflexes= takes a reflex"):
        mg.differential(G, reflexes=["calf"])
    with pytest.raises(mg.UnknownIdError, match="did you mean"):
        mg.differential(G, reflexes=["achilles reflx"])
    with pytest.raises(mg.InvalidArgumentError, match="needs a finding"):
        mg.differential(G, normal=["calf"])
    with pytest.raises(mg.InvalidArgumentError, match="kinds must be one of"):
        mg.differential(G, ["calf"], kinds=["organ"])


def test_differential_prints_and_shows_in_jupyter(G) -> None:
    d = mg.differential(
        G, ["lateral heel", "calf"], reflexes=["achilles reflex"], top=3, kinds=["root"]
    )
    text = str(d)
    assert text.startswith("Differential for pain: lateral_heel, calf; reflexes: achilles_reflex")
    assert "S1 spinal nerve root" in text and "<table>" in d._repr_html_()
    assert repr(d[0]).startswith("<Suspect root S1: fit ")
    assert "achilles_reflex" in str(d[0]) and "<table>" in d[0]._repr_html_()
    data = d.to_dict()
    assert data["candidates"][0]["nodes"] == ["S1"] and len(data["candidates"]) == len(d) <= 3


def test_roots_for_takes_numbness_weakness_and_reflexes(G) -> None:
    found = mg.roots_for(G, ["lateral heel"], weak=["gastrocnemius"], reflexes=["achilles reflex"])
    assert found[0].roots == ("S1",)
    assert found[0].explanation[("reflexes", "achilles_reflex")] == "explained"
    assert repr(found[0]).endswith("explains 3 of 3 findings>")
    with pytest.raises(mg.InvalidArgumentError, match="unsided"):
        mg.roots_for(G, ["calf"], reflexes=["achilles reflex"], side="left")
    # pain alone is scored as before: its explanation is keyed by the finding
    assert mg.roots_for(G, ["thumb"])[0].explanation["thumb"] == "explained"


def test_cli_differential(capsys) -> None:
    argv = ["differential", "--pain", "lateral heel", "calf", "--reflexes", "achilles reflex",
            "--kinds", "root"]  # fmt: skip
    assert main([*argv, "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Differential for pain: lateral_heel, calf") and "S1 spinal" in out
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["candidates"][0]["nodes"] == ["S1"]
    assert main(["differential", "--numb", "gluteus medius"]) == 2
    assert "numb= takes a region" in capsys.readouterr().err


def test_cli_trace_and_explain_take_any_source(capsys) -> None:
    assert main(["trace", "deep fibular nerve"]) == 0
    assert capsys.readouterr().out.startswith("Trace from deep fibular nerve:")
    assert main(["explain", "glute max", "tensor fasciae latae"]) == 0
    assert "iliotibial tract" in capsys.readouterr().out


def test_a_dermatome_map_of_ones_own_is_followed_when_chosen(write) -> None:
    layer = write(
        "dermatome_maps.yaml",
        "teaching:\n  label: a teaching map\n  dermatomes:\n"
        "    - {root: C7, region: thumb}\n  sources: [standring2020_grays]\n",
    )
    G = mg.load(extra=[layer])
    assert "thumb" not in mg.trace(G, "C7").regions
    chosen = mg.trace(G, "C7", dermatome_map="teaching")
    assert chosen.regions["thumb"].pathway == "radicular"
    assert "middle_finger" not in chosen.regions  # the project map's C7 is not followed
    assert chosen.parameters["dermatome_map"] == "teaching"
    with pytest.raises(mg.InvalidArgumentError, match="dermatome_map must be one of"):
        mg.trace(G, "C7", dermatome_map="teachng")
