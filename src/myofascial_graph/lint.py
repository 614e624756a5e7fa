"""The canonical layout of the data files, and a check (and fix) for it.

Canonical means: records in the order the file gives them, one blank line
between records, fields in the order of the record's model (``note`` and
``sources`` last), two-space indentation, short lists of scalars and short links in flow style
(``[a, b]``, ``{root: S1, level: primary}``), strings quoted only where YAML
needs it.  Comment lines are kept where they stand before a record (the
file's header is the first record's); a comment inside a record, or after a
value on its line, cannot be placed and is reported instead.

``myofascial-graph lint`` checks files, ``myofascial-graph lint --fix``
rewrites them, and never at the cost of data: it rewrites no file holding a
comment it cannot place, writes every string so that it reads back as the same
string and every number as the same number, and, as a last guard, reads back
what it would write and leaves the file alone if the data or the comments differ.
"""

from __future__ import annotations

import bisect
import datetime
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .exceptions import DataError, Problem, capped
from .loading import DATA_FILES, MAX_FILE_PROBLEMS
from .metagraph import METAGRAPH
from .reading import read_bounded
from .yamlio import MAX_BYTES, decode_utf8, parse_yaml

__all__ = ["WIDTH", "canonical_text", "dump_records", "lint_files"]

WIDTH = 100
"""Lines of flow lists and links are kept within this width where they can be."""

_RESOLVER = yaml.resolver.Resolver()
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BLOCK_UNSAFE = r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: |:$| #|\s$|^$|\\"""
_UNSAFE = {False: re.compile(_BLOCK_UNSAFE), True: re.compile(_BLOCK_UNSAFE + r"|[,\[\]{}]")}
_NEEDS_ESCAPE = re.compile(
    "[^\\t\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd\\U00010000-\\U0010ffff]"
)
"""Characters a plain scalar may not hold as they are (controls, line breaks, a BOM)."""
_RAW_IN_JSON = re.compile("[\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff]")
"""Characters ``json.dumps`` leaves as they are that YAML would read as breaks or refuse."""
_END = "\0end"  # key for the comment lines after the last record


def canonical_text(text: str, kind: str, name: str = "<text>") -> str:
    """Return ``text`` (a data file of ``kind``) in canonical layout.

    Raises
    ------
    DataError
        If the text is not valid YAML for the safe reader, or not a mapping of records.

    Examples
    --------
    >>> print(canonical_text("neck: {bilateral: false, label: neck, sources: [a]}", "region"))
    neck:
      label: neck
      bilateral: false
      sources: [a]
    <BLANKLINE>
    """
    return _canonical(text, kind, name)[0]


def dump_records(
    data: dict[str, Any], kind: str, comments: dict[str, list[str]] | None = None
) -> str:
    """Write records of ``kind`` in canonical layout, each after its comment lines.

    Examples
    --------
    >>> print(dump_records({"S1": {"label": "S1", "sources": ["x"]}}, "root"), end="")
    S1:
      label: S1
      sources: [x]
    """
    comments = comments or {}
    fields = [f for f in METAGRAPH.kinds[kind].model.model_fields if f not in ("note", "sources")]
    order = ["replace", *fields, "note", "sources"]
    out: list[str] = []
    for key, record in data.items():
        if out:
            out.append("")
        out.extend(comments.get(key, []))
        if isinstance(record, dict) and record:
            out.append(f"{_scalar(key, flow=False)}:")
            names = sorted(record, key=lambda f: order.index(f) if f in order else len(order))
            for name in names:
                out.extend(_field(name, record[name], 2))
        else:
            out.extend(_field(key, record, 0))
    trailing = [line for line in comments.get(_END, []) if line]
    if trailing:
        out.extend(["", *trailing] if out else trailing)
    return "\n".join(out) + "\n"


def lint_files(paths: Iterable[str | Path], *, fix: bool = False) -> list[Problem]:
    """Check data files against their canonical layout; with ``fix``, rewrite them.

    Returns
    -------
    list of Problem
        One per file not in canonical form (the first line that differs), one
        per comment that cannot be placed, one per file ``fix`` would change
        the data or comments of (left as it is), and those of files that
        cannot be read; empty when all is well.
    """
    problems: list[Problem] = []
    for path in map(Path, paths):
        kind = DATA_FILES.get(path.name)
        if kind is None:
            problems.append(Problem(str(path), None, None, "not a data file name"))
            continue
        try:
            text = decode_utf8(read_bounded(path, limit=MAX_BYTES), str(path))
            wanted, misplaced = _canonical(text, kind, str(path))
        except DataError as err:
            problems.extend(err.problems)
            continue
        problems.extend(
            Problem(str(path), line, None, "comment inside a record; move it into a note")
            for line in misplaced
        )
        if wanted == text:
            continue
        changed = None if misplaced else _changes(text, wanted, str(path))
        if changed is not None:
            problems.append(Problem(str(path), None, None, changed))
        elif fix and not misplaced:
            _write(path, wanted)
            continue
        line = _first_difference(text, wanted)
        message = "not in canonical layout; `myofascial-graph lint --fix` rewrites it"
        if changed is not None:
            message = "not in canonical layout; edit it by hand"
        problems.append(Problem(str(path), line, None, message))
    return capped(problems, MAX_FILE_PROBLEMS)


def _canonical(text: str, kind: str, name: str) -> tuple[str, list[int]]:
    """The canonical text, and the lines of comments it cannot place."""
    data = parse_yaml(text, name).data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = f"expected a mapping of {kind} ids to records, found a {type(data).__name__}"
        raise DataError([Problem(name, 1, None, message)])
    placed, misplaced = _place_comments(text)
    return dump_records(data, kind, placed), misplaced


def _changes(text: str, wanted: str, name: str) -> str | None:
    """Why writing ``wanted`` over ``text`` would lose something, or None if it would not."""
    try:
        after = parse_yaml(wanted, name).data
    except DataError as err:
        return f"lint --fix would write a file that does not read back ({err.problems[0].message})"
    if _typed(after or {}) != _typed(parse_yaml(text, name).data or {}):
        return "lint --fix would change the data, so it leaves the file as it is"
    if _comment_texts(wanted) != _comment_texts(text):
        return "lint --fix would change the comments, so it leaves the file as it is"
    return None


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type kept in the comparison (``1 != 1.0 != True``)."""
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _typed(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("seq", tuple(_typed(v) for v in value))
    return (type(value).__name__, repr(value))


def _write(path: Path, text: str) -> None:
    """Replace the file's text at once (a crash leaves the old file or the new one)."""
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path.resolve())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _field(name: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{_scalar(name, flow=False)}:"
    if isinstance(value, list):
        flow = _flow(value)
        if flow is not None and (len(head) + 1 + len(flow) <= WIDTH or not value):
            return [f"{head} {flow}"]
        return [head, *(line for item in value for line in _item(item, indent + 2))]
    if isinstance(value, dict):
        if not value:
            return [f"{head} {{}}"]
        return [head, *(line for k, v in value.items() for line in _field(k, v, indent + 2))]
    return [f"{head} {_scalar(value, flow=False)}"]


def _item(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(value, (list, dict)):
        return [f"{pad}- {_scalar(value, flow=False)}"]
    flow = _flow(value)
    if flow is not None and (indent + 2 + len(flow) <= WIDTH or not value):
        return [f"{pad}- {flow}"]
    if isinstance(value, dict):
        lines = [line for k, v in value.items() for line in _field(k, v, indent + 2)]
        return [f"{pad}- {lines[0].lstrip()}", *lines[1:]]
    return [f"{pad}-", *(line for item in value for line in _item(item, indent + 2))]


def _flow(value: Any) -> str | None:
    """The value in flow style, or None if it holds nested collections."""
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            return None
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            inner = _flow(v) if isinstance(v, list) else None if isinstance(v, dict) else _scalar(v)
            if inner is None:
                return None
            parts.append(f"{_scalar(k)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    return _scalar(value)


def _scalar(value: Any, flow: bool = True) -> str:
    """A scalar as YAML that reads back as the same value, quoted only where it must be."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    resolved = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if (
        resolved != "tag:yaml.org,2002:str"
        or _UNSAFE[flow].search(text)
        or _NEEDS_ESCAPE.search(text)
    ):
        quoted = json.dumps(text, ensure_ascii=False)
        return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)
    return text


def _float(value: float) -> str:
    """A float as YAML 1.1 reads it back: ``.inf``, ``.nan``, ``1.0e-05`` (not ``1e-05``)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, exponent = text.partition("e")[::2]
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa


def _place_comments(text: str) -> tuple[dict[str, list[str]], list[int]]:
    """Comment lines standing between records, by the record they come before (with
    single blank lines kept between them), and the lines of comments that cannot be placed
    (inside a record, or after something on their line)."""
    records, comments = _layout(text)
    starts = [start for start, _, _ in records]
    placed: dict[str, list[str]] = {}
    misplaced: list[int] = []
    last: dict[str, int] = {}
    previous: int | None = None
    for line, full, comment in comments:
        at = bisect.bisect_right(starts, line) - 1  # the last record starting on or before
        inside = at >= 0 and line <= records[at][1]
        if inside or not full:
            misplaced.append(line + 1)
            continue
        key = records[at + 1][2] if at + 1 < len(records) else _END
        lines = placed.setdefault(key, [])
        if lines and previous is not None and line > previous + 1:
            lines.append("")
        lines.append(comment)
        previous = line
        last[key] = line
    for start, _, key in records:  # a blank line between the comments and their record
        if key in last and start > last[key] + 1:
            placed[key].append("")
    return placed, misplaced


def _layout(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, bool, str]]]:
    """The records, as (first line, last line, key), and the comments, as (line, alone on
    its line, text), of a YAML text the safe reader accepts (lines from 0)."""
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    records: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    flow: list[bool] = []
    depth = 0
    key_due = False
    parser = _Parser(text)
    try:
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            start, end = event.start_mark.index, event.end_mark.index
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                flow.append(bool(event.flow_style))
                depth += 1
                if depth == 1:
                    key_due = isinstance(event, yaml.MappingStartEvent)
                elif depth == 2:
                    key_due = True
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if flow.pop() and records:
                    records[-1] = (records[-1][0], _line(offsets, end - 1), records[-1][2])
                continue
            if not isinstance(event, yaml.ScalarEvent):
                continue
            spans.append((start, end))
            if event.style in ("|", ">"):  # a comment on the header line is inside the scalar
                header = text[start : text.find("\n", start) % (len(text) + 1)]
                if " #" in header:
                    spans[-1] = (start, start + header.index(" #") + 1)
                    spans.append((start + len(header), end))
            if depth == 1 and key_due:
                records.append((_line(offsets, start), _line(offsets, end - 1), event.value))
                key_due = False
            else:
                if depth == 1:
                    key_due = True
                if records:
                    last = max(records[-1][1], _line(offsets, max(end - 1, start)))
                    records[-1] = (records[-1][0], last, records[-1][2])
    finally:
        parser.dispose()
    return records, _comments(text, offsets, spans)


def _comments(
    text: str, offsets: list[int], spans: list[tuple[int, int]]
) -> list[tuple[int, bool, str]]:
    """Every ``#`` comment outside the scalars' ``spans``, by line."""
    spans.sort()
    starts = [start for start, _ in spans]
    found = []
    for number in range(len(offsets) - 1):
        line = text[offsets[number] : offsets[number + 1]].rstrip("\r\n\x85\u2028\u2029")
        column = line.find("#")
        while column >= 0:
            at = offsets[number] + column
            inside = bisect.bisect_right(starts, at) - 1
            in_scalar = inside >= 0 and at < spans[inside][1]
            if not in_scalar and (column == 0 or line[column - 1] in " \t"):
                alone = not line[:column].strip()
                found.append((number, alone, line[column:].rstrip()))
                break
            column = line.find("#", column + 1)
    return found


def _comment_texts(text: str) -> list[str]:
    """The text of every comment, in order (what a rewrite must keep)."""
    return [comment for _, _, comment in _layout(text)[1]]


def _line(offsets: list[int], index: int) -> int:
    return max(bisect.bisect_right(offsets, index) - 1, 0)


def _first_difference(text: str, wanted: str) -> int:
    for number, (a, b) in enumerate(zip(text.splitlines(), wanted.splitlines(), strict=False), 1):
        if a != b:
            return number
    return min(len(text.splitlines()), len(wanted.splitlines())) + 1
