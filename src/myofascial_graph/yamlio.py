"""A safe, line-aware YAML reader.

PyYAML's loaders build objects recursively, silently keep the last of two
duplicate keys and expand aliases without bound.  This reader instead walks
the parser's event stream (libyaml's C parser when available) with an explicit
stack, so that:

* a duplicate key, an anchor or alias, a custom tag (``!!python/...``) or a
  complex key is a problem with its line, and nothing is ever executed;
* files larger than :data:`MAX_BYTES`, and anything but a regular file, are
  refused before parsing (:func:`~myofascial_graph.reading.read_bounded`), and
  nesting deeper than :data:`MAX_DEPTH` or more than :data:`MAX_NODES` keys,
  values and items as soon as the parser reaches them, so that no file can
  exhaust the stack, the memory or the user's patience;
* the 1-based line of every mapping key and sequence item is remembered, keyed
  by its path from the document root, for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .exceptions import DataError, Problem
from .reading import read_bounded

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "decode_utf8",
    "parse_yaml",
    "read_yaml",
]

MAX_BYTES = 8 * 1024 * 1024
"""Largest data file accepted, in bytes (8 MiB)."""

MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences accepted."""

_TOO_DEEP = f"nesting deeper than the limit of {MAX_DEPTH} levels"

MAX_NODES = 100_000
"""Most YAML nodes (keys, values, items, mappings and sequences) accepted in one file.

Ten times the largest shipped file, and read in about 0.4 s; a knowledge base
larger than that belongs in several files or layers.
"""

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)

Path_ = tuple[str | int, ...]

_RESOLVED_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers)
"""First characters of the plain scalars an implicit resolver may claim (others are text)."""
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DOTTED = re.compile(r"[-+]?[0-9]+\.[0-9]+")


@dataclass
class Document:
    """A parsed YAML file: its data and the line of every key and item.

    Attributes
    ----------
    name : str
        The file's name as shown in messages.
    data : object
        The plain Python value of the document (``None`` for an empty file).
    lines : dict
        Maps a path such as ``("gluteus_maximus", "roots", 0)`` to its line.
    """

    name: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def read_yaml(path: str | Path, name: str | None = None) -> Document:
    """Read and parse a YAML file safely.

    Parameters
    ----------
    path : str or Path
        The file to read.
    name : str, optional
        How to name the file in messages (default: ``str(path)``).

    Returns
    -------
    Document

    Raises
    ------
    DataError
        If the file cannot be read, is too large, is not UTF-8 or is not
        acceptable YAML.
    """
    name = str(path) if name is None else name
    return parse_yaml(read_bounded(path, limit=MAX_BYTES, name=name), name)


def parse_yaml(raw: bytes | str, name: str) -> Document:
    """Parse YAML bytes or text; see :func:`read_yaml`.

    Examples
    --------
    >>> doc = parse_yaml(b"neck:\\n  label: neck\\n", "regions.yaml")
    >>> doc.data, doc.lines[("neck", "label")]
    ({'neck': {'label': 'neck'}}, 2)
    >>> parse_yaml(b"a: 1\\na: 2\\n", "x.yaml")
    Traceback (most recent call last):
    ...
    myofascial_graph.exceptions.DataError: x.yaml:2: duplicate key 'a' (first on line 1)
    """
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            message = f"file is larger than the limit of {MAX_BYTES} bytes"
            raise DataError([Problem(name, None, None, message)])
        text = decode_utf8(raw, name)
    else:
        text = raw
    return _Builder(name).build(text)


def decode_utf8(raw: bytes, name: str) -> str:
    """The text of a file's bytes (UTF-8, a byte order mark dropped).

    Raises
    ------
    DataError
        If the bytes are not UTF-8, naming the line and offset of the first bad byte.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        message = f"file is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})"
        raise DataError([Problem(name, line, None, message)]) from None


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    path: Path_
    key: Any = None
    key_line: int = 0
    has_key: bool = False
    key_lines: dict[Any, int] = field(default_factory=dict)


class _Builder:
    """Turns a YAML event stream into plain data plus line numbers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []

    def fail(self, line: int | None, message: str) -> DataError:
        return DataError([*self.problems, Problem(self.name, line, None, message)])

    def build(self, text: str) -> Document:
        parser = _Parser(text)
        try:
            data = self._walk(parser)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = " ".join(str(p) for p in (err.context, err.problem) if p)
            if mark is not None and "\t" in _line_at(text, mark.line):
                problem += " (a tab: indent YAML with spaces)"
            if "exceeded maximum nesting depth" in problem:  # newer PyYAML's own limit
                raise self.fail(line, _TOO_DEEP) from None
            raise self.fail(line, f"YAML syntax error: {problem}") from None
        except yaml.YAMLError as err:
            raise self.fail(None, f"YAML error: {err}") from None
        finally:
            parser.dispose()
        if self.problems:
            raise DataError(self.problems)
        return Document(self.name, data, self.lines)

    def _walk(self, parser: Any) -> Any:
        stack: list[_Frame] = []
        result: Any = None
        documents = nodes = 0
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return result
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(line, "expected a single YAML document, found another")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise self.fail(line, "anchors and aliases (&, *) are not allowed")
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if not stack:
                    result = done.container
                continue
            nodes += 1
            if nodes > MAX_NODES:
                message = f"more than the limit of {MAX_NODES:,} keys, values and items in one file"
                raise self.fail(line, message)
            if isinstance(event, yaml.ScalarEvent):
                value: Any = self._scalar(event, line)
                if stack and self._take_key(stack[-1], value, line):
                    continue
                new: _Frame | None = None
            else:  # a mapping or sequence starts
                self._check_tag(event, line)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(line, _TOO_DEEP)
                if stack and isinstance(stack[-1].container, dict) and not stack[-1].has_key:
                    raise self.fail(line, "complex mapping keys are not allowed")
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
                new = _Frame(value, ())
            if not stack:
                result = value
            else:
                path = self._add(stack[-1], value, line)
                if new is not None:
                    new.path = path
            if new is not None:
                stack.append(new)

    def _take_key(self, frame: _Frame, value: Any, line: int) -> bool:
        """Treat ``value`` as the frame's next key if a key is due; say whether it was."""
        if not isinstance(frame.container, dict) or frame.has_key:
            return False
        frame.key = value if isinstance(value, str) else str(value)
        frame.key_line, frame.has_key = line, True
        return True

    def _add(self, frame: _Frame, value: Any, line: int) -> Path_:
        container = frame.container
        if isinstance(container, list):
            path = (*frame.path, len(container))
            container.append(value)
            self.lines[path] = line
            return path
        key = frame.key
        frame.has_key = False
        path = (*frame.path, key)
        first = frame.key_lines.get(key)
        if first is not None:
            message = f"duplicate key {key!r} (first on line {first})"
            self.problems.append(Problem(self.name, frame.key_line, None, message))
            return (*path, "<duplicate>")
        frame.key_lines[key] = frame.key_line
        container[key] = value
        self.lines[path] = frame.key_line
        return path

    def _check_tag(self, event: Any, line: int) -> None:
        tag = event.tag
        if tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise self.fail(line, f"tag {_short_tag(tag)!r} is not allowed")

    def _scalar(self, event: Any, line: int) -> Any:
        tag, value = event.tag, event.value
        if tag is None:  # the common cases, read as the resolver would read them
            if not event.implicit[0] or value[:1] not in _RESOLVED_FIRST:
                return value  # a quoted or block scalar, or plain text no resolver claims
            if len(value) < 16 and _DECIMAL.fullmatch(value):
                return int(value)
            if len(value) < 24 and _DOTTED.fullmatch(value):
                return float(value)
        if tag in (None, "!"):
            tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
        if tag not in _ALLOWED_TAGS:
            raise self.fail(line, f"tag {_short_tag(tag)!r} is not allowed")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError) as err:
            raise self.fail(line, f"bad {_short_tag(tag)} value {event.value!r}: {err}") from None


def _line_at(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
