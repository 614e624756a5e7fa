"""The canonical layout of the data files, and a check (and fix) for it.

Canonical means: records in the order the file gives them, one blank line
between records, fields in the order of the record's model (``note`` and
``sources`` last), two-space indentation, short lists of scalars and short links in flow style
(``[a, b]``, ``{root: S1, level: primary}``), strings quoted only where YAML
needs it.  Comment lines are kept where they stand before a record (the
file's header is the first record's); a comment inside a record cannot be
placed and is reported instead.

``myofascial-graph lint`` checks files, ``myofascial-graph lint --fix``
rewrites them.
"""

from __future__ import annotations

import json
import re
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
_BLOCK_UNSAFE = r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: |:$| #|\s$|^$|\\"""
_UNSAFE = {False: re.compile(_BLOCK_UNSAFE), True: re.compile(_BLOCK_UNSAFE + r"|[,\[\]{}]")}
_KEY_LINE = re.compile(r"^[^\s#-][^:]*:")
_END = "\0end"  # key for the comment lines after the last record


def canonical_text(text: str, kind: str, name: str = "<text>") -> str:
    """Return ``text`` (a data file of ``kind``) in canonical layout.

    Raises
    ------
    DataError
        If the text is not valid YAML for the safe reader.

    Examples
    --------
    >>> print(canonical_text("neck: {bilateral: false, label: neck, sources: [a]}", "region"))
    neck:
      label: neck
      bilateral: false
      sources: [a]
    <BLANKLINE>
    """
    data = parse_yaml(text, name).data or {}
    return dump_records(data, kind, _comments_before_records(text))


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
        out.append(f"{_scalar(key)}:")
        if isinstance(record, dict):
            fields = sorted(record, key=lambda f: order.index(f) if f in order else len(order))
            for field in fields:
                out.extend(_field(field, record[field], 2))
        else:
            out[-1] += f" {_scalar(record)}"
    trailing = [line for line in comments.get(_END, []) if line] if comments else []
    if trailing:
        out.extend(["", *trailing] if out else trailing)
    return "\n".join(out) + "\n"


def lint_files(paths: Iterable[str | Path], *, fix: bool = False) -> list[Problem]:
    """Check data files against their canonical layout; with ``fix``, rewrite them.

    Returns
    -------
    list of Problem
        One per file not in canonical form (the first line that differs),
        and one per comment inside a record; empty when all is well.
    """
    problems: list[Problem] = []
    for path in map(Path, paths):
        kind = DATA_FILES.get(path.name)
        if kind is None:
            problems.append(Problem(str(path), None, None, "not a data file name"))
            continue
        try:
            text = decode_utf8(read_bounded(path, limit=MAX_BYTES), str(path))
        except DataError as err:
            problems.extend(err.problems)
            continue
        misplaced = _comments_inside_records(text)
        problems.extend(
            Problem(str(path), line, None, "comment inside a record; move it into a note")
            for line in misplaced
        )
        wanted = canonical_text(text, kind, str(path))
        if wanted == text:
            continue
        if fix and not misplaced:
            path.write_text(wanted, encoding="utf-8")
            continue
        line = _first_difference(text, wanted)
        message = "not in canonical layout; `myofascial-graph lint --fix` rewrites it"
        problems.append(Problem(str(path), line, None, message))
    return capped(problems, MAX_FILE_PROBLEMS)


def _field(name: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{name}:"
    if isinstance(value, list):
        flow = _flow(value)
        if flow is not None and len(head) + 1 + len(flow) <= WIDTH:
            return [f"{head} {flow}"]
        return [head, *(line for item in value for line in _item(item, indent + 2))]
    if isinstance(value, dict):
        return [head, *(line for k, v in value.items() for line in _field(k, v, indent + 2))]
    return [f"{head} {_scalar(value, flow=False)}"]


def _item(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(value, (list, dict)):
        return [f"{pad}- {_scalar(value, flow=False)}"]
    flow = _flow(value)
    if flow is not None and indent + 2 + len(flow) <= WIDTH:
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
            parts.append(f"{k}: {inner}")
        return "{" + ", ".join(parts) + "}"
    return _scalar(value)


def _scalar(value: Any, flow: bool = True) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    resolved = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if resolved != "tag:yaml.org,2002:str" or _UNSAFE[flow].search(text) or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _comments_before_records(text: str) -> dict[str, list[str]]:
    """Comment lines (and blank lines between them) standing before each record."""
    found: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            pending.append(line.rstrip())
        elif not line.strip():
            if pending and pending[-1] != "":
                pending.append("")
        elif _KEY_LINE.match(line):
            key = line.split(":", 1)[0].strip().strip("\"'")
            found[key] = pending
            pending = []
        else:
            pending = []
    if pending:
        found[_END] = pending
    return found


def _comments_inside_records(text: str) -> list[int]:
    """Lines of comments that stand inside a record (indented or trailing)."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("#") and line != stripped:
            lines.append(number)
    return lines


def _first_difference(text: str, wanted: str) -> int:
    for number, (a, b) in enumerate(zip(text.splitlines(), wanted.splitlines(), strict=False), 1):
        if a != b:
            return number
    return min(len(text.splitlines()), len(wanted.splitlines())) + 1
