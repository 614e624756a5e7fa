"""Read the YAML data files, validate every record and resolve every reference.

The shipped data lives in ``data/`` (inside the installed package).  Each file
holds one kind of record, keyed by id:

======================  ============
file                    kind
======================  ============
``sources.yaml``        source
``nerve_roots.yaml``    root
``regions.yaml``        region
``nerves.yaml``         nerve
``muscles.yaml``        muscle
``fascia.yaml``         fascia
``chains.yaml``         chain
``activities.yaml``     activity
``interventions.yaml``  intervention
``conditions.yaml``     condition
======================  ============

User files given to :func:`load` (``extra=``) are named like the shipped file
of their kind and layered on top, in order.  They may add records; to replace
an earlier record a user record must say ``replace: true``.  A plain duplicate
id, and ``replace: true`` with nothing to replace, are errors.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from .exceptions import DataError, Problem
from .names import nearest
from .schema import RECORD_MODELS, Record, SourceRecord
from .yamlio import MAX_BYTES, Document, Path_, parse_yaml

__all__ = ["DATA_FILES", "Dataset", "Entry", "data_dir", "load", "read_dataset"]

DATA_FILES: dict[str, str] = {
    "sources.yaml": "source",
    "nerve_roots.yaml": "root",
    "regions.yaml": "region",
    "nerves.yaml": "nerve",
    "muscles.yaml": "muscle",
    "fascia.yaml": "fascia",
    "chains.yaml": "chain",
    "activities.yaml": "activity",
    "interventions.yaml": "intervention",
    "conditions.yaml": "condition",
}
"""The data file of each record kind, in loading order."""

# (field, kind(s) referred to, key of the id inside a link mapping or None for a bare id)
_REFERENCES: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "root": (("dermatome", "region", "id"),),
    "nerve": (("roots", "root", "root"),),
    "muscle": (
        ("nerves", "nerve", "id"),
        ("roots", "root", "root"),
        ("regions", "region", "id"),
        ("part_of", "muscle", None),
    ),
    "fascia": (("muscles", "muscle", "muscle"), ("regions", "region", "id")),
    "region": (("part_of", "region", None), ("key_points", "root", None)),
    "chain": (
        ("transitions", "muscle|fascia", "source"),
        ("transitions", "muscle|fascia", "target"),
    ),
    "activity": (("loads", "muscle", "muscle"),),
    "intervention": (("targets", "muscle", "muscle"),),
    "condition": (),
    "source": (),
}


_REPEATABLE = frozenset({"chain", "activity", "intervention"})  # may name a record twice


@dataclass(frozen=True)
class Entry:
    """A validated record with the file and document it came from."""

    record: Record
    kind: str
    doc: Document = field(compare=False, repr=False)
    replace: bool = False

    @property
    def id(self) -> str:
        return self.record.id

    def line(self, *path: str | int) -> int | None:
        """Line of a field of this record (or of the record itself)."""
        return self.doc.line((self.id, *path))

    def where(self) -> str:
        """``file:line`` of the record."""
        return f"{self.doc.name}:{self.line()}"

    def problem(self, message: str, *path: str | int) -> Problem:
        return Problem(self.doc.name, self.line(*path), f"{self.kind} {self.id!r}", message)


@dataclass
class Dataset:
    """All validated records, by kind and id, in loading order."""

    records: dict[str, dict[str, Entry]]
    files: list[str]

    def get(self, kind: str) -> dict[str, Entry]:
        return self.records[kind]

    @property
    def sources(self) -> dict[str, SourceRecord]:
        return {k: e.record for k, e in self.records["source"].items()}  # type: ignore[misc]


def load(
    extra: Iterable[str | Path] | None = None, *, base: str | Path | None = None
) -> nx.MultiDiGraph:
    """Load the knowledge graph: the shipped data, with user files layered on top.

    Parameters
    ----------
    extra : iterable of str or Path, optional
        User data files (or folders of them), each named like the shipped
        file of its kind (``muscles.yaml``, ``fascia.yaml``, ...) and laid
        out the same way.  They may add records; a record that replaces a
        shipped one must say ``replace: true``.
    base : str or Path, optional
        A folder of data files to use instead of the shipped data.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by id with ``kind``, ``label`` and ``record``; edges from
        cause to effect, keyed by edge kind, with ``kind``, ``weight``,
        ``sources`` and ``evidence`` (see :mod:`myofascial_graph.graph`).

    Raises
    ------
    DataError
        Listing every problem in the data, each as ``file:line: record: message``.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> G.nodes["gluteus_maximus"]["kind"], G.nodes["S1"]["label"]
    ('muscle', 'S1 spinal nerve root')
    >>> G.edges["S1", "gluteus_maximus", "innervates"]["level"]
    'primary'
    """
    from .graph import build_graph

    return build_graph(read_dataset(extra or (), base=base))


def data_dir() -> Path:
    """Return the folder of the shipped data files.

    Inside an installed wheel the data sits in ``myofascial_graph/data``; in a
    source checkout (or an editable install) it is the top-level ``data/``.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parents[1] / "data"):
        if (candidate / "muscles.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"the shipped data folder is missing (looked in {here / 'data'})")


def read_dataset(extra: Iterable[str | Path] = (), *, base: str | Path | None = None) -> Dataset:
    """Read the shipped data (or ``base``) and the ``extra`` files on top of it.

    Parameters
    ----------
    extra : iterable of str or Path
        User data files, or folders of them, named like the shipped files.
    base : str or Path, optional
        A folder to use instead of the shipped data.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem found, each with file, line and record.
    """
    base_dir = data_dir() if base is None else Path(base)
    shipped = base is None
    layers: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for filename in DATA_FILES:
        path = base_dir / filename
        name = f"data/{filename}" if shipped else str(path)
        if path.is_file():
            layers.append((path, name))
        else:
            problems.append(Problem(name, None, None, "data file is missing"))
    for item in extra:
        layers.extend(_extra_files(Path(item), problems))
    dataset = Dataset({kind: {} for kind in DATA_FILES.values()}, [])
    for index, (path, name) in enumerate(layers):
        entries, found = _read_file(path, name)
        problems.extend(found)
        problems.extend(_merge(dataset, entries, is_extra=index >= len(DATA_FILES)))
        dataset.files.append(name)
    problems.extend(_check_ids_unique(dataset))
    problems.extend(_check_references(dataset))
    problems.extend(_check_region_cycles(dataset))
    if problems:
        raise DataError(sorted(set(problems), key=_problem_order))
    return dataset


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.file, problem.line or 0, problem.message)


def _extra_files(path: Path, problems: list[Problem]) -> Iterator[tuple[Path, str]]:
    if path.is_dir():
        found = [path / name for name in DATA_FILES if (path / name).is_file()]
        if not found:
            expected = ", ".join(DATA_FILES)
            problems.append(Problem(str(path), None, None, f"folder holds none of {expected}"))
        for file in found:
            yield file, str(file)
    elif not path.is_file():
        problems.append(Problem(str(path), None, None, "no such file"))
    elif path.name not in DATA_FILES:
        expected = ", ".join(DATA_FILES)
        message = f"unknown data file name {path.name!r}; name it one of {expected}"
        problems.append(Problem(str(path), None, None, message))
    else:
        yield path, str(path)


def _read_file(path: Path, name: str) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        return (), (Problem(name, None, None, f"cannot read file: {err.strerror}"),)
    return _parse_records(DATA_FILES[path.name], name, raw)


Parsed = tuple[tuple["Entry", ...], tuple[Problem, ...]]

MAX_CACHED_BYTES = 16 * 1024 * 1024
"""Most bytes of data files whose validated records are kept for later loads."""


class _ValidatedFiles:
    """Files validated by earlier loads, keyed by kind, name and a hash of their bytes.

    A repeat load of unchanged files skips parsing and validation (records are
    frozen, so they can be shared).  The least recently used files are dropped
    once those held add up to more than ``budget`` bytes.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held: OrderedDict[tuple[str, str, bytes], tuple[int, Parsed]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __call__(self, kind: str, name: str, raw: bytes) -> Parsed:
        key = (kind, name, hashlib.sha256(raw).digest())
        with self.lock:
            found = self.held.get(key)
            if found is not None:
                self.held.move_to_end(key)
                return found[1]
        parsed = _parse_file(kind, name, raw)
        with self.lock:
            if key not in self.held:
                self.held[key] = (len(raw), parsed)
                self.size += len(raw)
            while self.size > self.budget and len(self.held) > 1:  # keep the newest
                size, _ = self.held.popitem(last=False)[1]
                self.size -= size
        return parsed

    def cache_clear(self) -> None:
        """Forget every file, so that the next load parses and validates afresh."""
        with self.lock:
            self.held.clear()
            self.size = 0


def _parse_file(kind: str, name: str, raw: bytes) -> Parsed:
    """Parse and validate one file."""
    try:
        doc = parse_yaml(raw, name)
    except DataError as err:
        return (), err.problems
    if doc.data is None:
        return (), ()
    if not isinstance(doc.data, dict):
        found = type(doc.data).__name__
        message = f"expected a mapping of {kind} ids to records, found a {found}"
        return (), (Problem(name, 1, None, message),)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key, raw_record in doc.data.items():
        entry = _validate(kind, key, raw_record, doc, problems)
        if entry is not None:
            entries.append(entry)
    return tuple(entries), tuple(problems)


_parse_records = _ValidatedFiles(MAX_CACHED_BYTES)


def _validate(
    kind: str, key: str, raw: Any, doc: Document, problems: list[Problem]
) -> Entry | None:
    label = f"{kind} {key!r}"
    line = doc.line((key,))
    if not isinstance(raw, dict):
        found = "nothing" if raw is None else f"a {type(raw).__name__}"
        problems.append(
            Problem(doc.name, line, label, f"expected a mapping of fields, found {found}")
        )
        return None
    fields = dict(raw)
    replace = fields.pop("replace", False)
    if not isinstance(replace, bool):
        message = f"'replace' must be true or false, not {replace!r}"
        problems.append(Problem(doc.name, doc.line((key, "replace")), label, message))
        return None
    if "id" in fields:
        message = "the record's key is its id; remove the 'id' field"
        problems.append(Problem(doc.name, doc.line((key, "id")), label, message))
        return None
    model = RECORD_MODELS[kind]
    try:
        record = model.model_validate({"id": key, **fields})
    except ValidationError as err:
        problems.extend(_record_problems(err, model, key, label, doc))
        return None
    return Entry(record, kind, doc, replace is True)


MAX_RECORD_PROBLEMS = 20
"""Most problems reported for one record; the rest are counted in one more line."""


def _record_problems(
    err: ValidationError, model: Any, key: str, label: str, doc: Document
) -> list[Problem]:
    """The problems pydantic found in one record, as sentences with their lines."""
    errors = err.errors()
    located = {tuple(e["loc"]) for e in errors}

    def emptied_by_its_items(error: Any) -> bool:  # then the items say why
        loc = tuple(error["loc"])
        inside = (other for other in located if len(other) > len(loc))
        return error["type"] == "too_short" and any(other[: len(loc)] == loc for other in inside)

    kept = [error for error in errors if not emptied_by_its_items(error)]
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


def _describe(error: Any, model: Any, loc: Path_) -> str:
    """Turn a pydantic error into a sentence that says what would be allowed."""
    where = _dotted(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = ", ".join(f for f in _fields_at(model, loc[:-1]) if f != "id")
        return f"unknown field {loc[-1]!r}; allowed fields: {allowed}"
    if kind == "missing":
        return f"missing field {where!r}"
    if kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        if not where:
            return f"bad id {error['input']!r}: it must match {pattern}"
        return f"{where}: {error['input']!r} does not match {pattern}"
    prefix = f"{where}: " if where else ""
    if kind == "value_error":
        return prefix + str(error["msg"]).removeprefix("Value error, ")
    return f"{prefix}{error['msg']} (got {error['input']!r})"


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
    unknown = _Unknown()
    sources = dataset.records["source"]
    tables = {
        kinds: {k: e for t in kinds.split("|") for k, e in dataset.records[t].items()}
        for fields in _REFERENCES.values()
        for _, kinds, _ in fields
    }
    for kind, table in dataset.records.items():
        for entry in table.values():
            yield from _check_sources(entry, sources, unknown)
            for field_name, target_kinds, key in _REFERENCES[kind]:
                targets = tables[target_kinds]
                target_kind = target_kinds.replace("|", " or ")
                seen: set[str] = set()
                for index, item in enumerate(getattr(entry.record, field_name)):
                    target = item if key is None else getattr(item, key)
                    path = (field_name, index) if key is None else (field_name, index, key)
                    if target in seen and kind not in _REPEATABLE:
                        yield entry.problem(f"{target_kind} {target!r} is listed twice", *path)
                    seen.add(target)
                    if target not in targets:
                        yield entry.problem(unknown(target_kind, target, targets), *path)


def _check_sources(entry: Entry, sources: dict[str, Entry], unknown: _Unknown) -> Iterator[Problem]:
    cited: list[tuple[str, Path_]] = []
    record = entry.record
    cited.extend((s, ("sources", i)) for i, s in enumerate(getattr(record, "sources", ())))
    linked = {field_name for field_name, _, key in _REFERENCES[entry.kind] if key is not None}
    for field_name in sorted(linked):
        for index, link in enumerate(getattr(record, field_name)):
            cited.extend((s, (field_name, index, "sources", j)) for j, s in enumerate(link.sources))
    for source, where in cited:
        if source not in sources:
            yield entry.problem(unknown("source", source, sources), *where)


MAX_COMPARED = 200_000
"""Most comparisons of an unknown id with a known one per load, for "did you mean".

About half a second's work: enough for hundreds of broken references in a
knowledge base of the shipped size, while a file with thousands of them over
a large one is still reported promptly (the later ones without suggestions).
"""


class _Unknown:
    """Messages for unknown ids, suggesting the nearest known ids while the budget lasts."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], str] = {}
        self.budget = MAX_COMPARED

    def __call__(self, kind: str, value: str, known: dict[str, Entry]) -> str:
        message = self.made.get((kind, value))
        if message is None:
            message = f"unknown {kind} {value!r}"
            if len(known) <= self.budget:
                self.budget -= len(known)
                suggestions = nearest(value, list(known), n=2)
                if suggestions:
                    message += "; did you mean " + ", ".join(map(repr, suggestions)) + "?"
            self.made[(kind, value)] = message
        return message


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
