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
* the 1-based line of every mapping key and sequence item is known, keyed by
  its path from the document root, for error messages.

Most files hold nothing questionable, so they are first read by a quick walk
that builds the same data without keeping lines and hands anything unusual
(every case above, a value YAML 1.1 and 1.2 read differently, a syntax error)
to the full walk, which words the problem; the lines of a quickly read file
are found by reading it again the first time a message needs them (a record's
own line is kept by the quick walk).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .exceptions import DataError, Problem, shown
from .reading import MAX_BYTES, read_bounded

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_NUMBER_CHARS",
    "Document",
    "decode_utf8",
    "parse_yaml",
    "read_yaml",
]

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
_STR, _BOOL, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("str", "bool", "null"))
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_READS_AS = {_STR: "text", _BOOL: "a boolean", _NULL: "null", _INT: "a number", _FLOAT: "a number"}
_NOT_DECIMAL = re.compile(r"[-+]?(0[0-7]+|0b[01_]+|.*_.*)")
"""Numbers YAML 1.1 and 1.2 read differently (octal ``010``, binary, ``1_000``)."""
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TOO_MANY = f"more than the limit of {MAX_NODES:,} keys, values and items in one file"

MAX_NUMBER_CHARS = 100
"""Longest number accepted, in characters (Python refuses ints over 4,300 digits)."""
_DOTTED = re.compile(r"[-+]?[0-9]+\.[0-9]+")


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
        Only messages need them, so a file read without problems finds them
        when first asked for, by reading its text again.
    """

    __slots__ = ("_keys", "_lines", "_text", "data", "name")

    def __init__(
        self,
        name: str,
        data: Any,
        lines: dict[Path_, int] | None = None,
        text: str = "",
        keys: dict[str, int] | None = None,
    ) -> None:
        self.name = name
        self.data = data
        self._lines = lines
        self._text = text
        self._keys = keys

    def __repr__(self) -> str:
        return f"Document({self.name!r})"

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = _Builder(self.name).build(self._text).lines
        return self._lines

    def line(self, path: Path_) -> int | None:
        """Return the line of ``path``, or of its nearest ancestor that has one."""
        if self._lines is None and self._keys is not None:
            # every key and item has a line, so the nearest is the deepest that exists:
            # a record's own line is known without reading the file again
            depth = _depth_in(self.data, path)
            if depth <= 1:
                return self._keys.get(path[0]) if depth else None  # type: ignore[arg-type]
        lines = self.lines
        for end in range(len(path), 0, -1):
            found = lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def _depth_in(data: Any, path: Path_) -> int:
    """How many steps of ``path`` lead through ``data``."""
    depth = 0
    for step in path:
        in_mapping = isinstance(data, dict) and isinstance(step, str) and step in data
        in_list = isinstance(data, list) and type(step) is int and 0 <= step < len(data)
        if not (in_mapping or in_list):
            break
        data = data[step]
        depth += 1
    return depth


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
    _check_printable(text, name)
    keys: dict[str, int] = {}
    try:
        data = _quick_read(text, name, keys)
    except _Unusual:  # the full reader finds the problem and its line
        return _Builder(name).build(text)
    return Document(name, data, None, text, keys if isinstance(data, dict) else None)


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
        """Read ``text``, already checked by :func:`_check_printable`."""
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
            raise self.fail(None, "YAML error: " + " ".join(str(err).split())) from None
        finally:
            parser.dispose()
        if self.problems:
            raise DataError(self.problems)
        return Document(self.name, data, self.lines, text)

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
                version = getattr(event, "version", None)
                if version is not None and tuple(version) != (1, 1):
                    message = (
                        f"%YAML {version[0]}.{version[1]} is not supported: the data files are "
                        "YAML 1.1, read safely; remove the %YAML line"
                    )
                    raise self.fail(line, message)
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
                raise self.fail(line, _TOO_MANY)
            if isinstance(event, yaml.ScalarEvent):
                if stack and isinstance(stack[-1].container, dict) and not stack[-1].has_key:
                    frame = stack[-1]
                    frame.key, frame.key_line, frame.has_key = self._key(event, line), line, True
                    continue
                value: Any = self._scalar(event, line)
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

    def _key(self, event: Any, line: int) -> str:
        """A mapping key: always text, as written (a key that YAML reads as a boolean,
        null, number or date, or that has spaces around it, is a problem)."""
        value: str = event.value
        if event.tag not in (None, "!", _STR):
            raise self.fail(line, f"tag {_short_tag(event.tag)!r} is not allowed on a key")
        if event.tag is None and event.implicit[0] and value[:1] in _RESOLVED_FIRST:
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            if tag not in _READS_AS and tag != _TIMESTAMP:
                raise self.fail(line, f"tag {_short_tag(tag)!r} is not allowed")
            if tag != _STR:
                what = _READS_AS.get(tag, "a date")
                message = f"key {shown(value)} reads as {what}, not text; quote it"
                self.problems.append(Problem(self.name, line, None, message))
        if value != value.strip():
            message = f"key {shown(value)} has spaces around it; remove them"
            self.problems.append(Problem(self.name, line, None, message))
        return value

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
            message = f"duplicate key {shown(key)} (first on line {first})"
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
        """A value, built only by the safe constructors; a value they would misread or
        fail on is a problem (and stands as its text meanwhile)."""
        tag, value = event.tag, event.value
        if tag is None:  # the common cases, read as the resolver would read them
            if not event.implicit[0] or value[:1] not in _RESOLVED_FIRST:
                return value  # a quoted or block scalar, or plain text no resolver claims
            if len(value) < 16 and _DECIMAL.fullmatch(value):
                return int(value)
            if len(value) < 24 and _DOTTED.fullmatch(value):
                return float(value)
        explicit = tag not in (None, "!")
        if not explicit:
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            return value
        if tag not in _ALLOWED_TAGS:
            raise self.fail(line, f"tag {_short_tag(tag)!r} is not allowed")
        message = _misread(tag, value, explicit)
        if message is None:
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
            try:
                return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as err:
                message = f"bad {_short_tag(tag)} value {shown(value)}: {shown(str(err), 80)}"
            except yaml.YAMLError as err:
                message = f"bad {_short_tag(tag)} value {shown(value)}: " + " ".join(
                    str(err).split()
                )
        self.problems.append(Problem(self.name, line, None, message))
        return value


def _misread(tag: str, value: str, explicit: bool) -> str | None:
    """Why a scalar of ``tag`` would be misread (or not be read at all), or None."""
    if explicit:
        plain = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if plain != tag and not (tag == _FLOAT and plain == _INT):
            return f"bad {_short_tag(tag)} value {shown(value)}"
    if tag == _BOOL and value.lower() not in ("true", "false"):
        return (
            f"{shown(value)} reads as a boolean in YAML 1.1 but as text in YAML 1.2; "
            "write true or false, or quote it"
        )
    if tag not in (_INT, _FLOAT):
        return None
    if len(value) > MAX_NUMBER_CHARS:
        return (
            f"a number of {len(value):,} characters, over the limit of {MAX_NUMBER_CHARS}: "
            f"{shown(value)}"
        )
    if ":" in value:
        return f"{shown(value)} reads as a base-60 number in YAML 1.1; quote it if it is text"
    if _NOT_DECIMAL.fullmatch(value):
        return (
            f"{shown(value)} reads as a number in YAML 1.1 that YAML 1.2 reads differently; "
            "write it in decimal, or quote it if it is text"
        )
    return None


def _line_at(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _check_printable(text: str, name: str) -> None:
    odd = _NOT_PRINTABLE.search(text)
    if odd is not None:
        at = odd.start()
        column = at - text.rfind("\n", 0, at)
        message = (
            f"control character {shown(odd[0])} (column {column}) is not allowed in YAML; "
            "write it as an escape inside double quotes"
        )
        raise DataError([Problem(name, text.count("\n", 0, at) + 1, None, message)])


class _Unusual(Exception):
    """The quick reader met something only the full reader judges (and words)."""


_NO_KEY = object()
"""The quick walk's key while a mapping waits for its next key."""


@functools.lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar (the field names and words repeat)."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call,no-any-return]


def _quick_value(value: str) -> Any:
    """A plain scalar an implicit resolver may claim, as the full reader builds it."""
    if len(value) < 16 and _DECIMAL.fullmatch(value):
        return int(value)
    if len(value) < 24 and _DOTTED.fullmatch(value):
        return float(value)
    tag = _plain_tag(value)
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _Unusual


def _quick_read(text: str, name: str, keys: dict[str, int]) -> Any:
    """The data of ``text`` when it is ordinary YAML, without lines.

    The common case of every data file, read about three times faster than by
    :class:`_Builder`: it only accepts what the full reader accepts without a
    problem, and builds the same value; anything else (a tag, an anchor, a
    duplicate or suspicious key, a value the full reader would question, a
    limit reached, a syntax error) raises :class:`_Unusual`, and the full
    reader then reads the file again to word the problem and give its line.
    ``keys`` receives the line of each key of the top mapping.
    """
    parser = _Parser(text)
    try:
        return _quick_walk(parser.get_event, name, keys)
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        parser.dispose()


def _limits(event: Any, nodes: int, depth: int, name: str) -> None:
    """Raise what the full reader would for a file past a limit (reading it again would
    take as long), or :class:`_Unusual` for the rest."""
    if event.anchor is None:
        line = event.start_mark.line + 1
        if nodes > MAX_NODES:
            raise DataError([Problem(name, line, None, _TOO_MANY)])
        if event.tag is None and depth >= MAX_DEPTH:
            raise DataError([Problem(name, line, None, _TOO_DEEP)])
    raise _Unusual


def _quick_walk(next_event: Any, name: str, keys: dict[str, int]) -> Any:
    no_key = _NO_KEY
    stack: list[Any] = []
    top: Any = None
    key: Any = no_key
    result: Any = None
    documents = nodes = 0
    while True:
        event = next_event()
        kind = type(event)
        if kind is _SCALAR:
            nodes += 1
            if event.anchor is not None or event.tag is not None or nodes > MAX_NODES:
                _limits(event, nodes, 0, name)
            value = event.value
            plain = event.implicit[0] and value[:1] in _RESOLVED_FIRST
            if key is no_key and type(top) is dict:
                if value in top or value != value.strip() or (plain and _plain_tag(value) != _STR):
                    raise _Unusual
                key = value
                if len(stack) == 1:
                    keys[value] = event.start_mark.line + 1
                continue
            if plain:
                value = _quick_value(value)
        elif kind is _MAPPING_START or kind is _SEQUENCE_START:
            nodes += 1
            if event.anchor is not None or event.tag is not None or nodes > MAX_NODES:
                _limits(event, nodes, len(stack), name)
            if len(stack) >= MAX_DEPTH:
                _limits(event, nodes, len(stack), name)
            if key is no_key and type(top) is dict:
                raise _Unusual
            value = {} if kind is _MAPPING_START else []
        elif kind is _MAPPING_END or kind is _SEQUENCE_END:
            done = stack.pop()
            top = stack[-1] if stack else None
            key = no_key
            if not stack:
                result = done
            continue
        elif kind is _DOCUMENT_START:
            documents += 1
            if documents > 1 or event.version is not None:
                raise _Unusual
            continue
        elif kind is _STREAM_START or kind is _DOCUMENT_END:
            continue
        elif kind is _STREAM_END or event is None:
            return result
        else:  # an alias
            raise _Unusual
        if top is None:
            result = value
        elif type(top) is list:
            top.append(value)
        else:
            top[key] = value
            key = no_key
        if type(value) is dict or type(value) is list:
            stack.append(value)
            top = value


_SCALAR, _MAPPING_START = yaml.ScalarEvent, yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_STREAM_START, _STREAM_END = yaml.StreamStartEvent, yaml.StreamEndEvent
_DOCUMENT_START, _DOCUMENT_END = yaml.DocumentStartEvent, yaml.DocumentEndEvent
