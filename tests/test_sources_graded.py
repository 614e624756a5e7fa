"""Sources graded honestly (issue 16): a web page is a web reference, below the
textbooks it restates; no URL carries a session id; risks and activities tell
the same grade for the same load."""

from __future__ import annotations

import re

import myofascial_graph as mg
from myofascial_graph.cli import main

SESSION = re.compile(r"(?i)[?&;](\w*sess\w*|\w*sid|token)=")


def test_web_pages_are_graded_below_textbooks(G) -> None:
    grades = mg.EVIDENCE_GRADES
    assert grades.index("textbook") < grades.index("review") < grades.index("web_reference")
    graded = {sid: s for sid, s in G.graph["sources"].items() if s.type == "web"}
    assert graded and all(s.evidence != "textbook" for s in graded.values())
    for sid in ("mananatomy_pyramidalis", "doccheck_longus_colli", "wikipedia_lumbar_fascia",
                "howtorelief_posterior_scalene", "mpamedia_tlf_summary"):  # fmt: skip
        assert G.graph["sources"][sid].evidence not in ("textbook", "dissection"), sid


def test_an_edge_is_textbook_only_on_a_textbook(G) -> None:
    sources = G.graph["sources"]
    for u, v, key, data in G.edges(keys=True, data=True):
        if data["evidence"] == "textbook":
            assert any(sources[s].evidence == "textbook" for s in data["sources"]), (u, v, key)


def test_no_url_carries_a_session_id(G) -> None:
    for sid, source in G.graph["sources"].items():
        assert not SESSION.search(source.url or ""), sid


def test_risks_and_activities_agree_on_a_loads_grade(G, capsys) -> None:
    t = mg.trace(G, "S1")
    walking = next(r for r in mg.risk_activities(t) if r.activity == "walking")
    edge = G.edges["walking", "gluteus_maximus", "loads:lengthening"]
    line = next(x for x in walking.reasons if x.startswith("gluteus maximus"))
    assert f"[{edge['evidence']};" in line
    grades = {walking.evidence, walking.weakest}
    assert edge["evidence"] in grades  # the header's range includes the weakest reason
    assert main(["risks", "S1", "--top", "1"]) == 0
    assert f"to {edge['evidence']})" in capsys.readouterr().out.splitlines()[0]
