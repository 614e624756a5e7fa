"""The ``myofascial-graph`` command line.

Every subcommand prints a table for people or, with ``--format json``, JSON
for scripts.  Bad data and unknown ids print the problems to standard error and
exit with status 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ._version import __version__
from .cache import paused_collection
from .cli_tools import emit as _emit
from .cli_tools import run_cache, run_lint, run_schema, run_stats, run_validate
from .clinical import CONTRACTIONS, activities, interventions_for, risk_activities
from .display import format_table, plural
from .examination import DEFAULT_DERMATOME_MAP
from .exceptions import DataError, InvalidArgumentError, MyofascialGraphError
from .graph import load
from .query import find, node_id, suggest
from .schema import EVIDENCE_GRADES
from .settings import CANDIDATE_KINDS, DEFAULT_CUTOFF, DEFAULT_MIN_SCORE
from .trace import EXPLAIN_MIN_SCORE, Explanation, trace
from .wpi import WPI_AREAS, fibromyalgia_criteria, generalized_pain, widespread_pain_index

__all__ = ["main"]

EXIT_OK, EXIT_USAGE = 0, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except DataError as err:
        count = err.count
        print(
            f"myofascial-graph {args.command}: {count:,} problem{'s' * (count != 1)} "
            f"in the data:\n{err}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except MyofascialGraphError as err:
        print(f"myofascial-graph {args.command}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - output piped into head
        return EXIT_OK
    except OSError as err:  # a file that cannot be read or written
        where = f" {err.filename!r}" if err.filename else ""
        print(
            f"myofascial-graph {args.command}: cannot open{where}: {err.strerror or err}",
            file=sys.stderr,
        )
        return EXIT_USAGE


def run() -> NoReturn:
    """Run :func:`main` on ``sys.argv`` and exit: the command as a process (the
    ``myofascial-graph`` script, through :mod:`myofascial_graph.__main__`).

    The graph and its records live until the process ends, so before exiting the
    cyclic garbage collector is told to leave what exists (``gc.freeze``): the
    interpreter's exit then does not walk some hundred thousand live objects, which
    took 35-50 ms of ``myofascial-graph trace S1``. (Only for the process the
    command owns: :func:`main`, called from Python, changes nothing.)
    """
    status = main()
    gc.freeze()
    sys.exit(status)


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _roots(words: Sequence[str]) -> list[str]:
    """Roots as typed: separate words, or joined by commas (``L5 S1``, ``L5,S1``)."""
    return [root for word in words for root in word.split(",") if root.strip()]


def _parser() -> argparse.ArgumentParser:
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output for people (table, the default) or for scripts (json)",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[output])
    common.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="PATH",
        help="a user data file or folder layered on the shipped data (repeatable)",
    )
    parser = argparse.ArgumentParser(
        prog="myofascial-graph",
        description="Trace irritated spinal nerve roots through muscles and fascia to body "
        "regions, with the evidence for every step. A research and teaching tool, "
        "not a diagnostic device.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    roots_help = (
        "where to start: a root (S1), several (L5 S1 or L5,S1), or a nerve or muscle "
        "by id or name (quote names with spaces)"
    )

    p = sub.add_parser(
        "trace",
        parents=[common],
        help="regions and muscles a root (or nerve, muscle) could involve",
    )
    p.add_argument("roots", nargs="+", metavar="SOURCE", help=roots_help)
    _trace_options(p)
    p.add_argument(
        "--plot", metavar="FILE", help="also draw the diagram to FILE (.png, .svg, .pdf)"
    )
    p.add_argument(
        "--regions",
        nargs="+",
        metavar="REGION",
        help="with --plot: regions to draw (region, or region:left, region:right)",
    )
    p.set_defaults(run=_run_trace)

    p = sub.add_parser("body-map", parents=[common], help="draw a body map of a trace")
    p.add_argument("roots", nargs="+", metavar="ROOT", help=roots_help)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=".png, .svg or .pdf")
    p.add_argument("--view", choices=("front", "back", "both"), default="both")
    p.add_argument("--labels", action="store_true", help="write area names and scores")
    _trace_options(p)
    p.set_defaults(run=_run_body_map)

    p = sub.add_parser("referral", parents=[common], help="where a muscle's trigger points refer")
    p.add_argument("muscle", metavar="MUSCLE", help="a muscle, or a trigger-point record id")
    p.add_argument("-o", "--output", metavar="FILE", help="also draw it to FILE (.png, .svg, .pdf)")
    p.set_defaults(run=_run_referral)

    p = sub.add_parser("export", parents=[common], help="write the graph or a trace to a file")
    p.add_argument(
        "roots", nargs="*", metavar="ROOT", help="export this trace (default: the graph)"
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="format from the suffix: .json .graphml .gexf .dot .mmd .cyjs",
    )
    _trace_options(p)
    p.set_defaults(run=_run_export)

    p = sub.add_parser(
        "explain", parents=[common], help="the cited paths from sources to a node: SOURCE... TARGET"
    )
    p.add_argument("roots", nargs="+", metavar="SOURCE", help=roots_help)
    p.add_argument(
        "region", metavar="TARGET", help="the region, muscle or fascia (the last word), e.g. neck"
    )
    p.add_argument("--limit", type=_positive, default=10, help="most paths to show (default 10)")
    _trace_options(p, min_score=EXPLAIN_MIN_SCORE)
    p.set_defaults(run=_run_explain)

    p = sub.add_parser("show", parents=[common], help="a record with its links and sources")
    p.add_argument("id", metavar="ID", help="a node id or name, or a source id")
    p.set_defaults(run=_run_show)

    p = sub.add_parser("find", parents=[common], help="look up ids by name or abbreviation")
    p.add_argument("query", metavar="NAME", help="e.g. ITB, 'glute max', lumbodorsal fascia")
    p.add_argument("--kind", choices=("root", "nerve", "muscle", "fascia", "region"))
    p.set_defaults(run=_run_find)

    p = sub.add_parser("activities", parents=[common], help="activities that load a muscle")
    p.add_argument("muscle", metavar="MUSCLE", help="muscle id or name, e.g. 'glute max'")
    p.add_argument("--contraction", choices=CONTRACTIONS, help="only this kind of contraction")
    p.set_defaults(run=_run_activities)

    p = sub.add_parser(
        "risks",
        parents=[common],
        help="activities loading a trace's muscles in lengthening contractions",
    )
    p.add_argument("roots", nargs="+", metavar="ROOT", help=roots_help)
    p.add_argument("--side", choices=("left", "right"), help="side of the irritated root(s)")
    p.add_argument("--top", type=_positive, default=10, help="how many activities (default 10)")
    p.set_defaults(run=_run_risks)

    p = sub.add_parser("roots-for", parents=[common], help="roots that best explain a pain pattern")
    p.add_argument("findings", nargs="+", metavar="REGION", help="painful regions or weak muscles")
    p.add_argument("--side", choices=("left", "right"), help="side of the complaint")
    p.add_argument("--max-roots", type=int, default=2, help="largest combination (default 2)")
    p.add_argument("--top", type=_positive, default=5, help="how many candidates (default 5)")
    p.set_defaults(run=_run_roots_for)

    p = sub.add_parser(
        "differential",
        parents=[common],
        help="roots and nerves that could explain pain, numbness, weakness and reflexes",
        description="Rank candidate sources (roots, nerves; muscles with --kinds ... muscle, by "
        "their trigger points) of a pattern of findings. "
        "Each option takes one or more ids, names or synonyms (quote names with spaces).",
    )
    findings = {
        "--pain": "painful regions",
        "--numb": "regions with sensory loss",
        "--weak": "weak muscles",
        "--reflexes": "reduced reflexes",
        "--normal": "examined and normal: muscles, reflexes, regions",
    }
    for flag, meaning in findings.items():
        p.add_argument(flag, nargs="+", default=[], metavar="ID", help=meaning)
    p.add_argument(
        "--kinds", nargs="+", default=["root", "nerve"], choices=CANDIDATE_KINDS,
        help="kinds of candidate (default: root nerve)",
    )  # fmt: skip
    p.add_argument("--top", type=_positive, default=10, help="how many candidates (default 10)")
    p.add_argument("--detail", type=_positive, default=1,
                   help="show the findings of the best N candidates (default 1)")  # fmt: skip
    p.set_defaults(run=_run_differential)

    p = sub.add_parser("wpi", parents=[common], help="ACR 2016 Widespread Pain Index and criteria")
    p.add_argument(
        "areas", nargs="*", metavar="AREA", help="painful areas: " + ", ".join(WPI_AREAS)
    )
    p.add_argument("--sss", type=int, help="Symptom Severity Scale (0-12), to apply the criteria")
    p.add_argument("--months", type=float, default=3, help="duration of symptoms (default 3)")
    p.set_defaults(run=_run_wpi)

    p = sub.add_parser("score-cohort", parents=[common], help="score a CSV of pain maps")
    p.add_argument(
        "file",
        metavar="FILE.csv",
        help="one patient per row: an id column, then 0/1 columns named by region id "
        "(read in batches, so files of any size stream through)",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.csv",
        help="per patient: the best roots and the fit of every root",
    )
    p.set_defaults(run=_run_score_cohort)

    p = sub.add_parser("stats", parents=[common], help="counts, cross-references and evidence mix")
    p.set_defaults(run=run_stats)

    p = sub.add_parser(
        "lint", parents=[output], help="check the data files' canonical layout (--fix rewrites)"
    )
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="data files (default: the shipped data)"
    )
    p.add_argument("--fix", action="store_true", help="rewrite files into canonical layout")
    p.set_defaults(run=run_lint)

    p = sub.add_parser("schema", parents=[output], help="write the JSON Schemas of the data files")
    p.add_argument(
        "-o",
        "--output",
        default="data/schema",
        metavar="DIR",
        help="folder to write into (default: data/schema)",
    )
    p.set_defaults(run=run_schema)

    p = sub.add_parser("cache", parents=[output], help="the on-disk cache of loaded graphs")
    p.add_argument(
        "action", choices=("info", "clear"), help="where it is and what it holds, or empty it"
    )
    p.set_defaults(run=run_cache)

    p = sub.add_parser("validate", parents=[common], help="check data files; exit 2 on problems")
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="user files or folders, checked on top of the shipped data",
    )
    p.set_defaults(run=run_validate)
    return parser


def _trace_options(p: argparse.ArgumentParser, min_score: float = DEFAULT_MIN_SCORE) -> None:
    p.add_argument(
        "--cutoff",
        type=int,
        default=DEFAULT_CUTOFF,
        help=f"most edges in a path (default {DEFAULT_CUTOFF})",
    )
    p.add_argument(
        "--min-score",
        type=float,
        default=min_score,
        help=f"drop paths scoring below this (default {min_score:g})",
    )
    p.add_argument(
        "--no-fascia", dest="fascia", action="store_false", help="do not follow fascial continuity"
    )
    p.add_argument(
        "--chains", action="store_true", help="also follow the myofascial chains (clinical models)"
    )
    p.add_argument("--trigger-points", action="store_true",
                   help="also follow trigger points' referral (refers_pain_to)")  # fmt: skip
    p.add_argument(
        "--side", choices=("left", "right"), help="side of the root(s); hits then carry sides"
    )
    p.add_argument(
        "--min-evidence",
        choices=EVIDENCE_GRADES,
        default=None,
        help="follow only edges graded at least this strongly",
    )
    p.add_argument(
        "--dermatome-map",
        default=DEFAULT_DERMATOME_MAP,
        metavar="MAP",
        help=f"the dermatome map roots follow (default {DEFAULT_DERMATOME_MAP}; see "
        "mg.DERMATOME_MAPS)",
    )


def _trace_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "cutoff": args.cutoff,
        "min_score": args.min_score,
        "fascia": args.fascia,
        "chains": args.chains,
        "trigger_points": args.trigger_points,
        "min_evidence": args.min_evidence,
        "side": args.side,
        "dermatome_map": args.dermatome_map,
    }


def _run_trace(args: argparse.Namespace) -> int:
    if args.regions and not args.plot:
        raise InvalidArgumentError("--regions chooses what --plot draws; give --plot FILE too")
    t = trace(load(args.data), _roots(args.roots), **_trace_kwargs(args))
    if args.plot:
        from .drawing import draw

        regions = [tuple(r.split(":", 1)) if ":" in r else r for r in args.regions or ()]
        _save(lambda: draw(t, regions=regions or None), args.plot)
    return _emit(args, t.to_dict, t.__str__)


def _run_body_map(args: argparse.Namespace) -> int:
    from .bodymap import draw_body_map

    t = trace(load(args.data), _roots(args.roots), **_trace_kwargs(args))
    _save(lambda: draw_body_map(t, view=args.view, labels=args.labels), args.output)
    return _emit(args, {"output": args.output}, f"wrote {args.output}")


def _run_referral(args: argparse.Namespace) -> int:
    from .cli_show import referral_text

    G = load(args.data)
    data, text = referral_text(G, args.muscle)
    if args.output:
        from .bodymap import draw_referral

        _save(lambda: draw_referral(G, args.muscle), args.output)
        text += f"\n\nwrote {args.output}"
    return _emit(args, data, text)


def _run_export(args: argparse.Namespace) -> int:
    from .export import export

    G = load(args.data)
    obj = trace(G, _roots(args.roots), **_trace_kwargs(args)) if args.roots else G
    path = export(obj, args.output)
    return _emit(args, {"output": str(path)}, f"wrote {path}")


def _save(drawing: Callable[[], Any], path: str) -> None:
    """Draw a figure (``drawing`` returns its Axes), save it to ``path`` and close it.

    matplotlib is imported, and the figure drawn and saved, with the cyclic collector
    paused: matplotlib's modules live until the process ends and the figure until
    it is closed, so the collections they would run find little to free (13 ms of
    ``body-map``); the collector runs again afterwards.
    """
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix not in ("png", "svg", "pdf"):
        raise InvalidArgumentError(f"a figure is written as .png, .svg or .pdf, not {path!r}")
    from .figures import save_figure

    with paused_collection():
        import matplotlib.pyplot as plt

        ax = drawing()
        save_figure(ax.figure, path, dpi=150)
    plt.close(ax.figure)


def _run_explain(args: argparse.Namespace) -> int:
    t = trace(load(args.data), _roots(args.roots), **_trace_kwargs(args))
    e = t.explain(args.region, limit=args.limit)
    return _emit(args, _explanation_dict(e), str(e))


def _explanation_dict(e: Explanation) -> dict[str, Any]:
    return {
        "id": e.node,
        "label": e.label,
        "paths": [path.to_dict() for path in e.paths],
        "citations": dict(e.citations),
    }


def _run_show(args: argparse.Namespace) -> int:
    from .cli_show import show, source_text

    G = load(args.data)
    if args.id in G.graph["sources"] and args.id not in G:
        data, text = source_text(G, args.id)
    else:
        data, text = show(G, node_id(G, args.id))
    return _emit(args, data, text)


def _run_find(args: argparse.Namespace) -> int:
    G = load(args.data)
    found = find(G, args.query, kind=args.kind)
    data = [{"id": n, "kind": G.nodes[n]["kind"], "label": G.nodes[n]["label"]} for n in found]
    rows = [[d["id"], d["kind"], d["label"]] for d in data]
    if rows:
        text = format_table(["id", "kind", "label"], rows)
    else:
        near = suggest(G, args.query, kind=args.kind)
        text = f"nothing matches {args.query!r}"
        if near:
            named = ", ".join(f"{n} ({G.nodes[n]['label']})" for n in near)
            text += f"; did you mean {named}?"
    _emit(args, data, text)
    return EXIT_OK if found else 1


def _run_activities(args: argparse.Namespace) -> int:
    G = load(args.data)
    muscle = node_id(G, args.muscle, kind="muscle")
    rows, data = [], []
    for activity in activities(G, muscle, contraction=args.contraction):
        for edge in G[activity][muscle].values():
            if edge["kind"] != "loads" or args.contraction not in (None, edge["contraction"]):
                continue
            item = {
                "activity": activity,
                "label": G.nodes[activity]["label"],
                "contraction": edge["contraction"],
                "reciprocal": edge["reciprocal"],
                "phases": list(edge["phases"]),
                "evidence": edge["evidence"],
                "sources": list(edge["sources"]),
            }
            data.append(item)
            rows.append(
                [
                    item["label"],
                    edge["contraction"],
                    "yes" if edge["reciprocal"] else "no",
                    edge["evidence"],
                    ", ".join(edge["sources"]),
                ]
            )
    rows.sort()
    header = f"Activities loading {G.nodes[muscle]['label']}"
    if args.contraction:
        header += f" by {args.contraction} contraction"
    interventions = ", ".join(G.nodes[i]["label"] for i in interventions_for(G, muscle))
    table = format_table(["activity", "contraction", "reciprocal", "evidence", "sources"], rows)
    text = f"{header}:\n\n{table}\n\ninterventions: {interventions or '(none)'}"
    return _emit(
        args, {"muscle": muscle, "loads": data, "interventions": interventions_for(G, muscle)}, text
    )


def _run_risks(args: argparse.Namespace) -> int:
    t = trace(load(args.data), _roots(args.roots), side=args.side)
    risks = risk_activities(t)[: args.top]
    data = [
        {
            "activity": r.activity,
            "label": r.label,
            "score": r.score,
            "evidence": r.evidence,
            "weakest_evidence": r.weakest or r.evidence,
            "reasons": list(r.reasons),
        }
        for r in risks
    ]
    text = "\n\n".join(map(str, risks)) or "no activity loads these muscles by lengthening"
    return _emit(args, data, text)


def _run_roots_for(args: argparse.Namespace) -> int:
    from .inference import roots_for

    found = roots_for(
        load(args.data), args.findings, side=args.side, max_roots=args.max_roots, top=args.top
    )
    data = [
        {
            "roots": list(c.roots),
            "score": c.score,
            "explanation": {str(k): v for k, v in c.explanation.items()},
        }
        for c in found
    ]
    return _emit(args, data, "\n\n".join(map(str, found)))


def _run_differential(args: argparse.Namespace) -> int:
    from .differential import differential

    found = differential(
        load(args.data),
        args.pain,
        numb=args.numb,
        weak=args.weak,
        reflexes=args.reflexes,
        normal=args.normal,
        kinds=args.kinds,
        top=args.top,
    )
    details = "\n\n".join(str(s) for s in found[: args.detail])
    return _emit(args, found.to_dict(), f"{found}\n\n{details}" if details else str(found))


def _run_wpi(args: argparse.Namespace) -> int:
    wpi = widespread_pain_index(args.areas)
    data: dict[str, Any] = {"wpi": wpi, "generalized": generalized_pain(args.areas)}
    text = f"WPI {wpi}/19; generalized pain: {'yes' if data['generalized'] else 'no'}"
    if args.sss is not None:
        result = fibromyalgia_criteria(args.areas, args.sss, months=args.months)
        data.update(sss=result.sss, months=result.months, met=result.met)
        text = str(result)
    return _emit(args, data, text)


def _run_score_cohort(args: argparse.Namespace) -> int:
    from .cohort_cli import score_csv

    done = score_csv(load(args.data), args.file, args.output, progress=sys.stderr.isatty())
    return _emit(
        args,
        {"patients": done, "output": args.output},
        f"scored {plural(done, 'pain map')}; wrote {args.output}",
    )


if __name__ == "__main__":  # pragma: no cover
    run()
