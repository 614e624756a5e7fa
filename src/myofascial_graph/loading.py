"""Read the YAML data files, validate every record and resolve every reference.

The shipped data lives in ``data/`` (inside the installed package).  Each file
holds one kind of record, keyed by id; the files and their kinds are those of
the metagraph (:data:`~myofascial_graph.metagraph.METAGRAPH`), read in its
order:

======================  ============
file                    kind
======================  ============
``sources.yaml``        source
``nerve_roots.yaml``    root
``nerves.yaml``         nerve
``muscles.yaml``        muscle
``fascia.yaml``         fascia
``regions.yaml``        region
``chains.yaml``         chain
``activities.yaml``     activity
``interventions.yaml``  intervention
``conditions.yaml``     condition
======================  ============

References between records (a muscle's nerves, a root's dermatome, ...) are
the fields the metagraph's edge kinds are declared by, and are checked from
it.  User files given to :func:`~myofascial_graph.load` (``extra=``) are named
like the shipped file of their kind and layered on top, in order.  They may
add records; to replace an earlier record a user record must say
``replace: true``.  A plain duplicate id, and ``replace: true`` with nothing
to replace, are errors.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from . import schema
from .datafiles import DataFiles, data_dir, read_files
from .dataset import Dataset, Entry
from .exceptions import DataError, Problem, capped, did_you_mean, shown
from .kinds import field_value
from .metagraph import METAGRAPH, Declaration, EdgeKind, Metagraph
from .names import nearest
from .reading import read_bounded
from .yamlio import MAX_BYTES, Document, Path_, parse_yaml

__all__ = [
    "DATA_FILES",
    "DataFiles",
    "Dataset",
    "Entry",
    "data_dir",
    "read_body_maps",
    "read_dataset",
    "read_files",
]

DATA_FILES: dict[str, str] = METAGRAPH.files
"""The data file of each record kind, in loading order."""


def read_body_maps() -> dict[str, Any]:
    """The shipped body maps, validated on their own (their region references unchecked).

    Raises
    ------
    DataError
        If the file does not validate.
    """
    kind = METAGRAPH.kinds["body_map"]
    entries, problems, more = _read_file(
        data_dir() / kind.file, f"data/{kind.file}", kind.name, kind.model
    )
    if problems:
        raise DataError(capped(problems, MAX_FILE_PROBLEMS, more))
    return {entry.id: entry.record for entry in entries}


def read_dataset(
    extra: Iterable[str | os.PathLike[str]] = (),
    *,
    base: str | Path | None = None,
    metagraph: Metagraph = METAGRAPH,
    files: DataFiles | None = None,
) -> Dataset:
    """Read the shipped data (or ``base``) and the ``extra`` files on top of it.

    Parameters
    ----------
    extra : iterable of str or Path
        User data files, or folders of them, named like the shipped files.
    base : str or Path, optional
        A folder to use instead of the shipped data.
    metagraph : Metagraph, default METAGRAPH
        The record kinds to read and the references to check.
    files : DataFiles, optional
        The files already read by :func:`read_files` (then ``extra`` and
        ``base`` are not used), so their bytes are read once.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem found, each with file, line and record.
    """
    if files is None:
        files = read_files(extra, base=base, metagraph=metagraph)
    problems = list(files.problems)
    more: dict[str, tuple[int, int | None]] = {}
    dataset = Dataset({kind: {} for kind in metagraph.kinds}, [], metagraph)
    for index, file in enumerate(files.layers):
        kind = metagraph.files[file.path.name]
        model: Any = metagraph.kinds[kind].model
        if file.raw is None:
            entries: tuple[Entry, ...] = ()
            found: tuple[Problem, ...] = file.problems
            omitted: dict[str, tuple[int, int | None]] = {}
        elif len(file.raw) <= MAX_CACHED_FILE:
            entries, found, omitted = _parse_cached(kind, model, file.name, file.raw)
        else:
            entries, found, omitted = _parse_file(kind, model, file.name, file.raw)
        problems.extend(found)
        more.update(omitted)
        problems.extend(_merge(dataset, entries, is_extra=index >= files.shipped))
        dataset.files.append(file.name)
    problems.extend(_check_ids_unique(dataset))
    problems.extend(_check_references(dataset))
    problems.extend(_check_model(dataset))
    problems.extend(_check_cranial_only(dataset))
    problems.extend(_check_region_cycles(dataset))
    problems.extend(_check_midline_parts(dataset))
    if problems:
        raise DataError(capped(problems, MAX_FILE_PROBLEMS, more))
    return dataset


MAX_FILE_PROBLEMS = 100
"""Most problems reported for one file; the rest are counted in one more line."""


def _read_file(path: Path, name: str, kind: str, model: Any) -> Parsed:
    try:
        raw = read_bounded(path, limit=MAX_BYTES, name=name)
    except DataError as err:
        return (), err.problems, {}
    if len(raw) <= MAX_CACHED_FILE:
        return _parse_cached(kind, model, name, raw)
    return _parse_file(kind, model, name, raw)


Parsed = tuple[tuple[Entry, ...], tuple[Problem, ...], dict[str, tuple[int, int | None]]]
"""A file's valid records, its problems and, past :data:`MAX_FILE_PROBLEMS`, how many
more problems it has (and the line of the first), by file name."""

MAX_CACHED_FILE = 1024 * 1024
"""Files up to this size (1 MiB) keep their validated records for later loads."""


def _parse_file(kind: str, model: Any, name: str, raw: bytes) -> Parsed:
    """Parse and validate one file of records of ``kind`` with ``model``."""
    try:
        doc = parse_yaml(raw, name)
    except DataError as err:
        return (), err.problems, {}
    if doc.data is None:
        return (), (), {}
    if not isinstance(doc.data, dict):
        found = type(doc.data).__name__
        message = f"expected a mapping of {kind} ids to records, found a {found}"
        return (), (Problem(name, 1, None, message),), {}
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key, raw_record in doc.data.items():
        entry = _validate(kind, model, key, raw_record, doc, problems)
        if entry is not None:
            entries.append(entry)
    if len(problems) <= MAX_FILE_PROBLEMS:
        return tuple(entries), tuple(problems), {}
    more = {name: (len(problems) - MAX_FILE_PROBLEMS, problems[MAX_FILE_PROBLEMS].line)}
    return tuple(entries), tuple(problems[:MAX_FILE_PROBLEMS]), more


_parse_cached = functools.lru_cache(maxsize=32)(_parse_file)
""":func:`_parse_file` for files of at most :data:`MAX_CACHED_FILE` bytes, so a repeat
load of unchanged files skips parsing and validation (records are frozen, so they
can be shared); keyed by kind, model, name and the bytes themselves."""


def _validate(
    kind: str, model: Any, key: str, raw: Any, doc: Document, problems: list[Problem]
) -> Entry | None:
    if not isinstance(raw, dict):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        message = f"expected a mapping of fields, found {found}"
        problems.append(Problem(doc.name, doc.line((key,)), _label(kind, key), message))
        return None
    replace = raw.get("replace", False)
    if not isinstance(replace, bool):
        message = f"'replace' must be true or false, not {shown(replace)}"
        problems.append(Problem(doc.name, doc.line((key, "replace")), _label(kind, key), message))
        return None
    if "id" in raw:
        message = "the record's key is its id; remove the 'id' field"
        problems.append(Problem(doc.name, doc.line((key, "id")), _label(kind, key), message))
        return None
    fields = {"id": key, **raw}
    fields.pop("replace", None)
    try:
        record = model.model_validate(fields)
    except ValidationError as err:
        label = _label(kind, key)
        if len(problems) < MAX_FILE_PROBLEMS:
            problems.extend(_record_problems(err, model, key, label, doc))
        else:  # past the file's cap: only counted, so described no more
            kept = len(_kept_errors(err, brief=True))
            count = min(kept, MAX_RECORD_PROBLEMS) + (kept > MAX_RECORD_PROBLEMS)
            problems.extend([Problem(doc.name, doc.line((key,)), label, "")] * count)
        return None
    return Entry(record, kind, doc, replace is True)


def _label(kind: str, key: str) -> str:
    """How a problem names its record: ``region 'calf'``."""
    return f"{kind} {shown(key)}"


MAX_RECORD_PROBLEMS = 20
"""Most problems reported for one record; the rest are counted in one more line."""


def _record_problems(
    err: ValidationError, model: Any, key: str, label: str, doc: Document
) -> list[Problem]:
    """The problems pydantic found in one record, as sentences with their lines."""
    kept = _kept_errors(err)
    problems = []
    for error in kept[:MAX_RECORD_PROBLEMS]:
        loc = tuple(error["loc"])
        if loc == ("id",):
            loc = ()
        problems.append(
            Problem(doc.name, doc.line((key, *loc)), label, _describe(error, model, loc))
        )
    if len(kept) > MAX_RECORD_PROBLEMS:
        line = doc.line((key, *kept[MAX_RECORD_PROBLEMS]["loc"]))
        message = f"and {len(kept) - MAX_RECORD_PROBLEMS:,} more problems in this record"
        problems.append(Problem(doc.name, line, label, message))
    return problems


def _kept_errors(err: ValidationError, brief: bool = False) -> list[Any]:
    """Pydantic's errors for a record, less a list's "too short" when its items say why
    (``brief``: without their inputs and contexts, to count them)."""
    errors = err.errors(include_url=False, include_context=not brief, include_input=not brief)
    if not any(error["type"] == "too_short" for error in errors):
        return errors
    located = {tuple(e["loc"]) for e in errors}

    def emptied_by_its_items(error: Any) -> bool:
        loc = tuple(error["loc"])
        inside = (other for other in located if len(other) > len(loc))
        return error["type"] == "too_short" and any(other[: len(loc)] == loc for other in inside)

    return [error for error in errors if not emptied_by_its_items(error)]


def _describe(error: Any, model: Any, loc: Path_) -> str:
    """Turn a pydantic error into a sentence that says what would be allowed."""
    where = _dotted(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(f for f in _fields_at(model, loc[:-1]) if f != "id")
        return f"unknown field {shown(loc[-1])}; allowed fields: {allowed}"
    if kind == "missing":
        return f"missing field {where!r}"
    if kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        rule = _PATTERNS.get(pattern, f"it must match {pattern}")
        if not where:
            return f"bad id {shown(error['input'])}: {rule}"
        if pattern not in _PATTERNS:
            return f"{where}: {shown(error['input'])} does not match {pattern}"
        return f"{where}: bad id {shown(error['input'])}: {rule}"
    prefix = f"{where}: " if where else ""
    if kind == "value_error":
        return prefix + str(error["msg"]).removeprefix("Value error, ")
    if kind in ("tuple_type", "list_type"):
        value = error["input"]
        example = f" (e.g. [{value}])" if isinstance(value, (str, int, float)) else ""
        return f"{prefix}expected a list{example}, not {type(value).__name__} {shown(value)}"
    message = str(error["msg"]).replace("Input should be", "should be", 1)
    return f"{prefix}{message}, not {shown(error['input'])}"


_PATTERNS = {
    schema.ID_PATTERN: "an id is lower-case letters and digits in words joined by single "
    "underscores, starting with a letter (e.g. 'gluteus_maximus')",
    schema.SOURCE_PATTERN: "a source id is lower-case letters, digits and underscores, "
    "starting with a letter (e.g. 'standring2020_grays')",
    schema.ROOT_PATTERN: "a root is C1-C8, T1-T12, L1-L5, S1-S5 or Co1",
}
"""Plain words for the id patterns of the schema."""


def _dotted(loc: Path_) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _fields_at(model: Any, loc: Path_) -> list[str]:
    """Names of the fields allowed at ``loc`` inside ``model``."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        inner = _model_in(info.annotation) if info else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", ())
    for arg in (annotation, *args):
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            return arg
    return None


def _merge(dataset: Dataset, entries: Sequence[Entry], *, is_extra: bool) -> Iterator[Problem]:
    for entry in entries:
        table = dataset.records[entry.kind]
        earlier = table.get(entry.id)
        if earlier is not None and not entry.replace:
            yield entry.problem(
                f"duplicate id: already defined at {earlier.where()}; "
                "say 'replace: true' in the later record to replace it"
            )
            continue
        if earlier is None and entry.replace:
            yield entry.problem("'replace: true' but there is no earlier record to replace")
            continue
        if entry.replace and not is_extra:
            yield entry.problem("'replace: true' is only for user files layered on the data")
            continue
        table[entry.id] = entry


def _check_ids_unique(dataset: Dataset) -> Iterator[Problem]:
    """Node ids are unique across kinds; the record from the later file is the one at fault."""
    entries = [e for kind, t in dataset.records.items() if kind != "source" for e in t.values()]
    order = {name: index for index, name in enumerate(dataset.files)}
    entries.sort(key=lambda e: order[e.doc.name])
    seen: dict[str, Entry] = {}
    for entry in entries:
        other = seen.setdefault(entry.id, entry)
        if other is not entry:
            yield entry.problem(f"id is already used by {other.kind} at {other.where()}")


def _check_references(dataset: Dataset) -> Iterator[Problem]:
    """Every id a declaration names exists, with a kind its edge kind allows."""
    unknown = _Unknown()
    metagraph: Metagraph = dataset.metagraph
    sources = dataset.records["source"]
    tables: dict[tuple[str, ...], dict[str, Entry]] = {}

    def table(kinds: tuple[str, ...]) -> dict[str, Entry]:
        if kinds not in tables:
            tables[kinds] = {k: e for kind in kinds for k, e in dataset.records[kind].items()}
        return tables[kinds]

    for kind, records in dataset.records.items():
        declared = list(metagraph.declared_by(kind))
        cited = sorted({declaration.field for _, declaration in declared})
        references = [r for r in metagraph.references if kind in r.declared_by]
        for entry in records.values():
            yield from _check_sources(entry, cited, sources, unknown)
            for edge_kind, declaration in declared:
                yield from _check_declaration(entry, edge_kind, declaration, table, unknown)
            for reference in references:
                known = table(reference.refers_to)
                names = " or ".join(reference.refers_to)
                for path, value in reference.ids(entry.record):
                    if value not in known:
                        yield entry.problem(unknown(names, value, known), *path)


def _check_declaration(
    entry: Entry, edge_kind: EdgeKind, declaration: Declaration, table: Any, unknown: _Unknown
) -> Iterator[Problem]:
    narrowed = (entry.kind,) if edge_kind.same_kind else declaration.refers_to
    ends = [
        (spec, narrowed or kinds)
        for spec, kinds in (
            (declaration.source, edge_kind.source_kinds),
            (declaration.target, edge_kind.target_kinds),
        )
        if spec != "record"
    ]
    seen: dict[str, set[str]] = {spec: set() for spec, _ in ends}
    pairs: set[tuple[str, str]] = set()  # when both ends are items, an item is a pair
    for index, _, source, target in declaration.ends(entry.record):
        if len(ends) == 2 and not edge_kind.merge:
            if (source, target) in pairs:
                path = declaration.location(declaration.source, index)
                yield entry.problem(f"{source!r} to {target!r} is listed twice", *path)
            pairs.add((source, target))
        for spec, kinds in ends:
            value = source if spec == declaration.source else target
            if len(ends) == 1 and value in seen[spec] and not edge_kind.merge:
                path = declaration.location(spec, index)
                yield entry.problem(f"{' or '.join(kinds)} {value!r} is listed twice", *path)
            seen[spec].add(value)
            known = table(kinds)
            if value not in known:
                path = declaration.location(spec, index)
                yield entry.problem(unknown(" or ".join(kinds), value, known), *path)


def _check_sources(
    entry: Entry, fields: list[str], sources: dict[str, Entry], unknown: _Unknown
) -> Iterator[Problem]:
    """Every source a record or a link in one of its ``fields`` cites is in the
    bibliography."""
    record = entry.record
    for i, source in enumerate(field_value(record, "sources", ())):
        if source not in sources:
            yield entry.problem(unknown("source", source, sources), "sources", i)
    for field_name in fields:
        value = getattr(record, field_name)
        items = enumerate(value) if isinstance(value, tuple) else [(None, value)]
        for index, link in items:
            for j, source in enumerate(field_value(link, "sources", ())):
                if source not in sources:
                    at: Path_ = (field_name,) if index is None else (field_name, index)
                    yield entry.problem(unknown("source", source, sources), *at, "sources", j)


MAX_COMPARED = 200_000
"""Most comparisons of an unknown id with a known one per load, for "did you mean".

About half a second's work: enough for hundreds of broken references in a
knowledge base of the shipped size, while a file with thousands of them over
a large one is still reported promptly (the later ones without suggestions).
"""


_NEW_SOURCE = (
    "; cite a source of your own by adding it to a sources.yaml beside your files "
    "(an entry with type, title, authors, year and evidence; see docs/data.md)"
)


class _Unknown:
    """Messages for unknown ids, suggesting the nearest known ids while the budget lasts."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], str] = {}
        self.budget = MAX_COMPARED

    def __call__(self, kind: str, value: str, known: dict[str, Entry]) -> str:
        message = self.made.get((kind, value))
        if message is None:
            message = f"unknown {kind} {value!r}"
            if kind == "source":
                near = nearest(value, list(known), n=2, cutoff=0.8)
                message += did_you_mean(near) if near else _NEW_SOURCE
            elif len(known) <= self.budget:
                self.budget -= len(known)
                message += did_you_mean(nearest(value, list(known), n=2))
            self.made[(kind, value)] = message
        return message


def _check_model(dataset: Dataset) -> Iterator[Problem]:
    """The model gives a strength to every pathway of the metagraph, and to no other."""
    pathways = dataset.metagraph.pathways
    for entry in dataset.records.get("model", {}).values():
        strengths = getattr(entry.record, "strengths", {})
        for pathway in pathways:
            if pathway not in strengths:
                message = f"no strength for the pathway {pathway!r}; add it to strengths"
                yield entry.problem(message, "strengths")
        for pathway in strengths:
            if pathway not in pathways:
                message = f"unknown pathway {pathway!r}" + did_you_mean(nearest(pathway, pathways))
                yield entry.problem(message, "strengths", pathway)


def _check_cranial_only(dataset: Dataset) -> Iterator[Problem]:
    """A muscle or reflex without spinal roots is supplied by cranial nerves alone."""
    nerves = dataset.records.get("nerve", {})
    for kind in ("muscle", "reflex"):
        for entry in dataset.records.get(kind, {}).values():
            record = entry.record
            if getattr(record, "roots", None) or not hasattr(record, "nerves"):
                continue
            spinal = [
                link.id
                for link in record.nerves
                if link.id in nerves and not getattr(nerves[link.id].record, "cranial", False)
            ]
            if spinal or not record.nerves:
                named = f" ({', '.join(spinal)} is not cranial)" if spinal else ""
                message = f"roots is empty, so every nerve must be a cranial nerve{named}"
                yield entry.problem(message, "roots")


def _check_region_cycles(dataset: Dataset) -> Iterator[Problem]:
    """One problem per knot of regions that are part of each other.

    Each names the shortest cycle through the knot's first region (all the
    simple cycles can be exponentially many).
    """
    regions = dataset.records["region"]
    hierarchy = nx.DiGraph()
    for entry in regions.values():
        for parent in entry.record.part_of:  # type: ignore[union-attr]
            if parent in regions:
                hierarchy.add_edge(entry.id, parent)
    knots = [knot for knot in nx.strongly_connected_components(hierarchy) if len(knot) > 1]
    knots += [{node} for node in nx.nodes_with_selfloops(hierarchy)]
    for knot in sorted(knots, key=min):
        first = min(knot)
        message = "the part_of hierarchy has a cycle: " + " -> ".join(
            _shortest_cycle(hierarchy, first)
        )
        if len(knot) > 2:
            names = sorted(knot)
            shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
            message += f" ({len(knot)} regions are part of each other through cycles: {shown})"
        yield regions[first].problem(message, "part_of")


def _check_midline_parts(dataset: Dataset) -> Iterator[Problem]:
    """A midline region is part of midline regions only (a sided trace climbs from the
    midline into a region that has no midline, and no WPI area has a side to give it)."""
    regions = dataset.records["region"]
    for entry in regions.values():
        if getattr(entry.record, "bilateral", True):
            continue
        for index, parent in enumerate(getattr(entry.record, "part_of", ())):
            if getattr(regions.get(parent, entry).record, "bilateral", False):
                message = (
                    f"a midline region (bilateral: false) cannot be part of the bilateral "
                    f"region {parent!r}, which has no midline; make it bilateral, or give "
                    "it a midline parent"
                )
                yield entry.problem(message, "part_of", index)


def _shortest_cycle(graph: nx.DiGraph, start: str) -> list[str]:
    """The shortest cycle from ``start`` back to it (ties: ids in order), start at both ends."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for after in sorted(graph.successors(node)):
            if after == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if after not in previous:
                previous[after] = node
                queue.append(after)
    raise ValueError(f"{start!r} is on no cycle")
