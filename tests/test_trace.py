"""Trace semantics: scores, pathways, parameters, determinism and errors."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest

import myofascial_graph as mg

STRENGTHS = mg.load().graph["models"]["default"].strengths


def test_a_structure_scores_the_product_of_its_best_path(G) -> None:
    t = mg.trace(G, "S1")
    for hit in t.hits.values():
        product = math.prod(step.weight for step in hit.path.steps)
        if hit.kind == "region":
            assert hit.path.score == pytest.approx(product * STRENGTHS[hit.pathway])
        else:
            assert hit.score == pytest.approx(product) == hit.path.score
        assert hit.path.nodes[0] == "S1"


def test_a_region_combines_its_sources_by_noisy_or(G) -> None:
    t = mg.trace(G, "S1")
    leaves = [h for h in t.regions.values() if h.path.steps[-1].kind != "part_of"]
    assert len(leaves) > 10
    for hit in leaves:
        children = {u for u, _, k in G.in_edges(hit.node, keys=True) if k == "part_of"}
        if children & set(t.regions):
            continue  # a region other regions lie in also takes their sources
        best: dict[str, float] = {}
        for path in t.explain(hit.node, limit=100):
            source = path.nodes[-2]
            best[source] = max(best.get(source, 0.0), path.score)
        assert hit.score == pytest.approx(1 - math.prod(1 - s for s in best.values()))
        assert hit.score >= hit.path.score == max(best.values())


def test_a_root_supplies_a_muscle_by_its_share_of_the_supply(G) -> None:
    t = mg.trace(G, "L5", fascia=False)
    levels = {"primary": 1.0, "secondary": 0.5}
    for muscle in ("gluteus_medius", "gluteus_maximus", "tibialis_anterior"):
        roots = G.nodes[muscle]["record"].roots
        share = levels[next(r.level for r in roots if r.root == "L5")]
        share /= sum(levels[r.level] for r in roots)
        assert t.muscles[muscle] == pytest.approx(share)
    assert t.muscles["gluteus_medius"] > t.muscles["gluteus_maximus"]  # primary over secondary


def test_pathways(G) -> None:
    t = mg.trace(G, "S1", min_score=0.001)
    assert t.regions["lateral_heel"].pathway == "radicular"
    assert t.regions["buttock"].pathway == "myotomal"
    assert t.regions["neck"].pathway == "myofascial"
    assert {p.pathway for p in t.explain("buttock")} >= {"myotomal"}


def test_a_region_counts_for_the_regions_it_lies_within(G) -> None:
    t = mg.trace(G, "S1")
    assert t.regions["heel"].score >= t.regions["lateral_heel"].score
    assert t.regions["foot"].score > max(t.regions[r].score for r in ("sole", "lateral_foot"))
    assert t.regions["heel"].path.steps[-1].kind == "part_of"


def test_literature_rank_orders(G) -> None:
    c7, s1 = mg.trace(G, "C7").regions, mg.trace(G, "S1").regions
    none = mg.Hit("", "", "region", 0.0, "", "", None, (0.0, (), None, 0, "", "", None), None)  # type: ignore[arg-type]
    thumb = c7.get("thumb", none).score
    assert c7["middle_finger"].score > thumb and c7["posterior_arm"].score > thumb
    dorsum = s1["dorsum_of_foot"].score
    assert s1["lateral_foot"].score > dorsum and s1["heel"].score > dorsum


def test_no_fascia_keeps_radicular_and_myotomal_only(G) -> None:
    t = mg.trace(G, "S1", fascia=False)
    assert t.fascia == {}
    assert {h.pathway for h in t.regions.values()} <= {"radicular", "myotomal"}
    assert "neck" not in t.regions


def test_shorter_cutoff_never_finds_more(G) -> None:
    previous: set[str] = set()
    for cutoff in range(1, 8):
        reached = set(mg.trace(G, ["C7", "S1"], cutoff=cutoff).hits)
        assert previous <= reached
        previous = reached


def test_higher_min_score_never_finds_more(G) -> None:
    loose = set(mg.trace(G, "S1", min_score=0.01).hits)
    strict = set(mg.trace(G, "S1", min_score=0.3).hits)
    assert strict < loose
    assert all(h.score >= 0.3 for h in mg.trace(G, "S1", min_score=0.3).hits.values())


def test_weights_parameter_scales_an_edge_kind(G) -> None:
    t = mg.trace(G, "S1", weights={"continuous_with": 0.8}, min_score=0.0)
    share = mg.trace(G, "S1").muscles["gluteus_maximus"]
    assert t.hits["thoracolumbar_fascia"].score == pytest.approx(share * 0.5 * 0.8)


def test_several_roots_take_the_best_path_from_any(G) -> None:
    both = mg.trace(G, ["L5", "S1"])
    l5, s1 = mg.trace(G, "L5"), mg.trace(G, "S1")
    assert both.roots == ("L5", "S1")
    for muscle, score in both.muscles.items():
        assert score == max(l5.muscles.get(muscle, 0.0), s1.muscles.get(muscle, 0.0))
    for region, hit in both.regions.items():
        one, other = (t.regions[region].score if region in t.regions else 0.0 for t in (l5, s1))
        assert max(one, other) <= hit.score <= 1 - (1 - one) * (1 - other) + 1e-12
    assert both.regions["dorsum_of_foot"].root == "L5"
    assert both.regions["lateral_heel"].root == "S1"
    assert {p.root for p in both.explain("buttock")} == {"L5", "S1"}


def test_results_are_deterministic(G) -> None:
    first = json.dumps(mg.trace(G, ["C7", "L5"]).to_dict())
    again = json.dumps(mg.trace(mg.load(), ["C7", "L5"]).to_dict())
    assert first == again


def test_regions_are_ordered_best_first(G) -> None:
    scores = [h.score for h in mg.trace(G, "S1").regions.values()]
    assert scores == sorted(scores, reverse=True)


def test_roots_are_case_insensitive(G) -> None:
    assert mg.trace(G, "s1").roots == ("S1",)


def test_unknown_root_names_it_and_suggests(G) -> None:
    with pytest.raises(mg.UnknownIdError) as info:
        mg.trace(G, "S9")
    assert str(info.value) == "unknown root 'S9'; did you mean 'S1', 'S2'?"


def test_a_region_is_not_where_a_trace_starts(G) -> None:
    message = "a trace starts from a root, nerve, muscle or fascia; 'neck' is the region 'neck'"
    with pytest.raises(mg.InvalidArgumentError, match=message):
        mg.trace(G, "neck")
    with pytest.raises(mg.UnknownIdError, match="unknown root, nerve, muscle or fascia 'glutes"):
        mg.trace(G, "glutes maximus x")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cutoff": 0}, "cutoff must be a whole number of at least 1"),
        ({"min_score": 2}, "min_score must be between 0 and 1"),
        ({"min_evidence": "rumour"}, "min_evidence must be one of"),
        ({"weights": {"lies_in": -1}}, "weight for 'lies_in' must be between 0 and 1"),
    ],
)
def test_bad_parameters_say_what_is_allowed(G, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        mg.trace(G, "S1", **kwargs)


def test_explain_unreached_region(G) -> None:
    with pytest.raises(mg.NotReachedError, match="does not reach region 'thumb'"):
        mg.trace(G, "S1").explain("thumb")


def test_explain_accepts_names_and_prints_a_chain(G) -> None:
    e = mg.trace(G, "C7").explain("low back")
    assert e.node == "low_back"
    assert str(e.paths[0]).startswith(
        "C7 –innervates (primary, via thoracodorsal nerve)→ latissimus"
    )
    assert "<ol>" in e._repr_html_()


def test_trace_shows_itself(G) -> None:
    t = mg.trace(G, "S1")
    assert repr(t).startswith("<Trace from S1: ")
    text = str(t)
    assert text.splitlines()[0].startswith("Trace from S1:")
    assert "gluteus maximus" in text and "lateral heel" in text
    html = t._repr_html_()
    assert html.count("<tr>") == len(t.regions) + 1
    assert "S1 → gluteus maximus → buttock" in html


def test_to_dict_is_json_ready(G) -> None:
    data = json.loads(json.dumps(mg.trace(G, "S1", min_score=0.001).to_dict()))
    assert data["roots"] == ["S1"]
    neck = next(r for r in data["regions"] if r["id"] == "neck")
    assert neck["path"][0] == {
        "source": "S1",
        "kind": "innervates",
        "target": "gluteus_maximus",
        "weight": 0.5,
        "evidence": "textbook",
        "sources": ["standring2020_grays", "moore2018_coa", "kendall2005_muscles"],
        "detail": "primary, via inferior gluteal nerve",
    }


def test_chains_are_followed_only_when_asked(G) -> None:
    assert mg.chains(G, "gluteus_maximus") == ["back_functional_line"]
    plain = mg.trace(G, "C7", fascia=False, min_score=0.001)
    with_chains = mg.trace(G, "C7", fascia=False, chains=True, min_score=0.001)
    assert "buttock" not in plain.regions
    hit = with_chains.regions["buttock"]
    assert hit.pathway == "myofascial"
    assert [s.kind for s in hit.path.steps] == ["innervates", "chain", "chain", "lies_in"]
    assert G.edges["thoracolumbar_fascia", "gluteus_maximus", "chain"]["crosses_midline"] is True


@pytest.mark.parametrize("kwargs", [{}, {"side": "left", "chains": True}])
@pytest.mark.parametrize("roots", ["C5", "T6", "L5", "S1", ["C7", "L4", "S1"]])
def test_each_hit_carries_the_best_path_explain_finds(G, roots, kwargs) -> None:
    t = mg.trace(G, roots, **kwargs)
    for key, hit in t.hits.items():
        path = hit.path
        assert t.explain(key, limit=1).paths[0] == path
        assert (hit.pathway, hit.root, hit.side) == (path.pathway, path.root, path.side)
        if hit.kind == "region":  # the noisy-OR of its sources, the best of them first
            assert hit.score >= path.score
        else:
            assert hit.score == path.score


def _same_as_on_a_fresh_copy(H, roots, **kwargs) -> None:
    """A trace of ``H`` equals one of a copy (which starts with an empty cache)."""
    assert mg.trace(H, roots, **kwargs).to_dict() == mg.trace(H.copy(), roots, **kwargs).to_dict()


def test_a_trace_sees_edges_edited_in_place_after_an_earlier_trace(G) -> None:
    H = G.copy()
    edge = H.edges["S1", "gluteus_maximus", "innervates"]
    assert mg.trace(H, "S1").muscles["gluteus_maximus"] == 0.5  # compiles the edge index
    edge["weight"] = 0.25
    assert mg.trace(H, "S1").muscles["gluteus_maximus"] == 0.25
    edge["evidence"] = "expert_opinion"
    strong = mg.trace(H, "S1", min_evidence="review")
    assert strong.hits["gluteus_maximus"].path.nodes[:2] != ("S1", "gluteus_maximus")
    _same_as_on_a_fresh_copy(H, "S1", min_evidence="review")


def test_a_sided_trace_sees_midline_crossings_edited_in_place(G) -> None:
    H = G.copy()
    assert ("gluteus_maximus", "right") in mg.trace(H, "S1", side="left").muscles
    for _, _, data in H.in_edges("gluteus_maximus", data=True):
        data["crosses_midline"] = False
    _same_as_on_a_fresh_copy(H, "S1", side="left")
    for _, _, data in H.out_edges("thoracolumbar_fascia", data=True):
        data["crosses_midline"] = True
    _same_as_on_a_fresh_copy(H, "S1", side="left")


def test_a_trace_sees_edges_added_and_removed(G) -> None:
    H = G.copy()
    data = dict(H.edges["S1", "gluteus_maximus", "innervates"])
    first = mg.trace(H, "S1").to_dict()
    H.remove_edge("S1", "gluteus_maximus", "innervates")
    assert mg.trace(H, "S1").hits["gluteus_maximus"].path.nodes[1] != "gluteus_maximus"
    _same_as_on_a_fresh_copy(H, "S1")
    H.add_edge("S1", "gluteus_maximus", key="innervates", **data)
    assert mg.trace(H, "S1").to_dict() == first


def test_a_view_of_the_graph_follows_its_parent(G) -> None:
    H = G.copy()
    view = H.subgraph(n for n in H if n != "latissimus_dorsi")
    assert mg.trace(view, "S1").to_dict() == mg.trace(nx.MultiDiGraph(view), "S1").to_dict()
    H.edges["S1", "gluteus_maximus", "innervates"]["weight"] = 0.25
    H.remove_edge("gluteus_maximus", "thoracolumbar_fascia", "continuous_with")
    assert mg.trace(view, "S1").to_dict() == mg.trace(nx.MultiDiGraph(view), "S1").to_dict()


@pytest.mark.skipif(
    not hasattr(nx.MultiDiGraph(), "__networkx_cache__"),
    reason="networkx < 3.3 has no __networkx_cache__: each trace compiles its own index",
)
def test_one_edge_index_is_kept_per_graph_whatever_the_options(G) -> None:
    H = mg.load()
    index = H.__networkx_cache__["myofascial_graph.index"]  # compiled when loaded
    for step in range(40):
        mg.trace(H, "S1", weights={"continuous_with": step / 40}, min_evidence="review")
    for fascia in (True, False):
        for chains in (True, False):
            mg.trace(H, "S1", fascia=fascia, chains=chains)
    assert H.__networkx_cache__["myofascial_graph.index"] is index
    H.add_edge("S1", "neck", key="dermatome", kind="dermatome", weight=1.0, sources=("x",),
               evidence="textbook")  # fmt: skip
    assert "myofascial_graph.index" not in H.__networkx_cache__  # networkx emptied it
    assert mg.trace(H, "S1").regions["neck"].pathway == "radicular"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda G: mg.trace(G, None),
            "roots must be a root name or an iterable of them, not NoneType",
        ),
        (lambda G: mg.trace(G, ["S1", 1]), "a root name must be a string, not int"),
        (lambda G: mg.trace(G, "S1", min_score="high"), "min_score must be a number, not str"),
        (
            lambda G: mg.trace(G, "S1", weights=0.5),
            "weights must be a mapping of edge kinds, not float",
        ),
        (lambda G: mg.node_id(G, 1), "a name must be a string, not int"),
        (lambda G: mg.find(G, None), "a query must be a string, not NoneType"),
        (
            lambda G: mg.trace(G, "S1").explain(3),
            "node must be an id or name, or (id, side), not 3",
        ),
        (lambda G: mg.trace(G, "S1").wpi("high"), "threshold must be a number, not str"),
        (lambda G: mg.roots_for(G, 7), "findings must be names or (id, side) pairs, not 7"),
        (
            lambda G: mg.roots_for(G, [7]),
            "a finding is a region or muscle id or name, or (id, side), not 7",
        ),
    ],
)
def test_arguments_of_the_wrong_type_say_what_is_expected(G, call, message) -> None:
    with pytest.raises(TypeError) as info:
        call(G)
    assert str(info.value) == message


def test_weights_name_the_edge_kinds_a_trace_follows(G) -> None:
    with pytest.raises(ValueError) as info:
        mg.trace(G, "S1", weights={"continuos_with": 0.3})  # a typo is not ignored
    assert str(info.value) == (
        "weights are for the edge kinds ['branch', 'chain', 'continuous_with', 'convergence', "
        "'cutaneous', 'dermatome', 'innervates', 'lies_in', 'refers_pain_to'], not 'continuos_with'"
    )


def test_explain_limit_must_be_a_positive_whole_number(G) -> None:
    with pytest.raises(ValueError, match="limit must be a whole number of at least 1, not 0"):
        mg.trace(G, "S1").explain("neck", limit=0)


def test_one_finding_may_be_given_alone(G) -> None:
    assert mg.roots_for(G, "thumb") == mg.roots_for(G, ["thumb"])


SPREAD_OPTIONS = [
    {},
    {"side": "left"},
    {"chains": True},
    {"min_evidence": "review"},
    {"fascia": False},
    {"weights": {"continuous_with": 0.5, "lies_in": 0.8}},
    {"side": "right", "chains": True},
    {"cutoff": 3, "min_score": 0.05},
]


@pytest.mark.parametrize("options", SPREAD_OPTIONS, ids=str)
def test_the_vectorised_spread_equals_one_trace_per_root(G, options) -> None:
    from myofascial_graph.settings import engine_for
    from myofascial_graph.spread import spread

    roots = [n for n, kind in G.nodes(data="kind") if kind == "root"]
    result = spread(G, roots, engine_for(G, **options), options.get("side"))
    for row, root in enumerate(roots):
        hits = {key: hit.score for key, hit in mg.trace(G, root, **options).hits.items()}
        found = {k: float(result.scores[row, i]) for i, k in enumerate(result.keys)}
        assert {k: v for k, v in found.items() if v} == hits, root


def test_the_spread_sees_weights_edited_in_place(G) -> None:
    from myofascial_graph.inference import spread_matrix

    H = G.copy()
    before = spread_matrix(H, ["gluteus_maximus"])
    H.edges["S1", "gluteus_maximus", "innervates"]["weight"] = 0.2
    after = spread_matrix(H, ["gluteus_maximus"])
    row = after.roots.index("S1")
    assert after.scores[row, 0] < before.scores[row, 0] == 0.5
    assert after.scores[row, 0] == mg.trace(H, "S1").muscles["gluteus_maximus"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": 5}, "weight must be a number in (0, 1], not 5"),
        ({"weight": float("nan")}, "weight must be a number in (0, 1], not nan"),
        ({"weight": float("inf")}, "weight must be a number in (0, 1], not inf"),
        ({"weight": "heavy"}, "weight must be a number in (0, 1], not 'heavy'"),
        ({"evidence": "hearsay"}, "evidence must be one of ['textbook', "),
    ],
)
def test_an_edited_edge_a_trace_cannot_use_is_named(G, change, message) -> None:
    from myofascial_graph.inference import spread_matrix

    H = G.copy()
    H.edges["S1", "gluteus_maximus", "innervates"].update(change)
    for call in (lambda: mg.trace(H, "S1"), lambda: spread_matrix(H)):
        with pytest.raises(mg.SchemaError) as info:
            call()
        assert str(info.value).startswith("edge 'S1' -innervates-> 'gluteus_maximus': " + message)


def test_an_edge_missing_its_weight_or_grade_is_named(G) -> None:
    H = G.copy()
    del H.edges["S1", "gluteus_maximus", "innervates"]["evidence"]
    with pytest.raises(mg.SchemaError, match=r"evidence must be one of .*, not 'missing'"):
        mg.trace(H, "S1")


def test_an_edge_of_a_kind_the_metagraph_forbids_is_refused(G) -> None:
    H = G.copy()
    H.add_edge("S1", "thoracolumbar_fascia", key="innervates", kind="innervates", weight=1.0,
               sources=("x",), evidence="textbook")  # fmt: skip
    with pytest.raises(mg.SchemaError, match="joins a root to a fascia, which 'innervates'"):
        mg.trace(H, "S1")
