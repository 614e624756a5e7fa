"""An on-disk cache of validated graphs, so a new process skips the YAML load.

:func:`~myofascial_graph.load` keeps each graph it builds in the user's cache
folder, under a key that hashes everything the graph is made from: the
library's version and the stamps of its own modules, the versions of Python,
networkx and pydantic, the stamp of the installed PyYAML (read without importing
it, as a cache hit needs no parser), and the name and exact bytes of every data file
read (the shipped files, ``base=`` and the user's ``extra=`` files alike).  Any
change to any of them is a new key, so a graph is never reused for other data.

Where it lives: ``$MYOFASCIAL_GRAPH_CACHE_DIR`` if set; otherwise the platform's
user cache folder (``$XDG_CACHE_HOME/myofascial_graph``, by default
``~/.cache/myofascial_graph``; ``~/Library/Caches/myofascial_graph`` on macOS;
``%LOCALAPPDATA%\\myofascial_graph\\Cache`` on Windows).  ``MYOFASCIAL_GRAPH_CACHE=0``
or ``load(cache=False)`` turns it off; ``myofascial-graph cache clear`` (or
:func:`clear`) empties it.

The entries are pickles, and unpickling runs code, so an entry is read only
from a folder that only its owner can write: the folder is made with mode 0700
and each entry with 0600, and on POSIX an entry is read only if the folder and
the file belong to the current user and no one else may write to them.
Anyone who can write there can already run code as the user.  Every entry
starts with a header that repeats its key and the SHA-256 of its body, both
checked before the body is unpickled: a corrupt, truncated or foreign entry is
ignored (and rewritten), never an error and never a wrong graph.  Entries are
written to a temporary file in the same folder and moved into place, so
concurrent writers never leave a half-written entry.

Examples
--------
>>> import myofascial_graph as mg
>>> from myofascial_graph import cache
>>> G = mg.load()                       # built, then kept for the next process
>>> H = mg.load(cache=False)            # built from the YAML, the cache untouched
>>> sorted(G.nodes) == sorted(H.nodes)
True
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "cache_dir",
    "clear",
    "enabled",
    "entries",
    "key_for",
    "paused_collection",
    "read",
    "write",
]

_MAGIC = b"myofascial_graph cache 1\n"
_SUFFIX = ".graph"
_HEADER = len(_MAGIC) + 64 + 64

MAX_ENTRIES = 16
"""Most graphs kept; writing one more removes the oldest."""


def enabled(cache: bool | None = None) -> bool:
    """Whether :func:`~myofascial_graph.load` uses the cache.

    ``cache`` (the argument of ``load``) decides when given; otherwise the
    environment variable ``MYOFASCIAL_GRAPH_CACHE``: ``0``, ``false``, ``no`` or
    ``off`` turn the cache off, anything else (or unset) leaves it on.

    >>> enabled(False)
    False
    """
    if cache is not None:
        return bool(cache)
    setting = os.environ.get("MYOFASCIAL_GRAPH_CACHE", "1").strip().lower()
    return setting not in {"0", "false", "no", "off"}


def cache_dir() -> Path:
    """The folder that holds the cache's entries (it may not exist yet)."""
    chosen = os.environ.get("MYOFASCIAL_GRAPH_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "myofascial_graph" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "myofascial_graph"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return root / "myofascial_graph"


def key_for(files: Iterable[tuple[str, bytes]]) -> str:
    """The cache key of a graph built from ``files`` (each its name and exact bytes).

    >>> key_for([("data/regions.yaml", b"a")]) == key_for([("data/regions.yaml", b"a")])
    True
    >>> key_for([("data/regions.yaml", b"a")]) == key_for([("data/regions.yaml", b"b")])
    False
    """
    digest = hashlib.sha256(_environment())
    for name, raw in files:
        encoded = name.encode("utf-8", "surrogateescape")
        digest.update(len(encoded).to_bytes(8, "little") + encoded)
        digest.update(len(raw).to_bytes(8, "little") + raw)
    return digest.hexdigest()


def read(key: str) -> nx.MultiDiGraph | None:
    """The graph kept under ``key``, or None if there is none that can be trusted."""
    path = cache_dir() / f"{key}{_SUFFIX}"
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if not _trusted(cache_dir(), handle.fileno()):
                return None
            blob = handle.read()
    except OSError:
        return None
    if len(blob) < _HEADER or not blob.startswith(_MAGIC):
        return None
    kept_key = blob[len(_MAGIC) : len(_MAGIC) + 64]
    kept_digest = blob[len(_MAGIC) + 64 : _HEADER]
    body = memoryview(blob)[_HEADER:]  # not a copy of the graph's megabyte
    if kept_key != key.encode() or hashlib.sha256(body).hexdigest().encode() != kept_digest:
        return None
    try:
        with paused_collection():
            graph = pickle.loads(body)  # an owner-only folder, checked above
    except Exception:  # any unreadable entry is rebuilt
        return None
    import networkx as nx

    return graph if isinstance(graph, nx.MultiDiGraph) else None


def write(key: str, G: nx.MultiDiGraph) -> bool:
    """Keep ``G`` under ``key``; True if it was written (a failure is not an error)."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_folder(folder):
            return False
        body = _dumps(G)
        header = _MAGIC + key.encode() + hashlib.sha256(body).hexdigest().encode()
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(header + body)
            os.replace(temporary, folder / f"{key}{_SUFFIX}")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(keep=MAX_ENTRIES)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


_RECORD_SLOTS = (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
)
"""What a pydantic model instance holds (``BaseModel.__slots__``), as pydantic pickles it."""


def _dumps(G: nx.MultiDiGraph) -> bytes:
    """``G`` pickled, each record as its four slots (see :func:`_record`)."""
    from pydantic import BaseModel

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: object) -> Any:
            if isinstance(obj, BaseModel):
                return _record, (type(obj), *(getattr(obj, slot) for slot in _RECORD_SLOTS))
            return NotImplemented

    if BaseModel.__slots__ != _RECORD_SLOTS:  # another pydantic: its own pickling
        return pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL)
    out = io.BytesIO()
    Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(G)
    return out.getvalue()


def _record(cls: type, values: object, fields_set: object, extra: object, private: object) -> Any:
    """A pickled record (a pydantic model) made again from its slots.

    Pydantic's own pickling saves the same four slots in a mapping and sets them
    back from it in Python; unpickling the 3,500 records of the shipped graph
    this way is a tenth faster (7.1 ms to 6.2 ms for the whole graph).
    """
    record: Any = object.__new__(cls)
    setattr_ = object.__setattr__
    setattr_(record, "__dict__", values)
    setattr_(record, "__pydantic_fields_set__", fields_set)
    setattr_(record, "__pydantic_extra__", extra)
    setattr_(record, "__pydantic_private__", private)
    return record


def entries() -> list[Path]:
    """The cache's entries, oldest first."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{_SUFFIX}"), key=lambda path: path.stat().st_mtime)


def clear() -> int:
    """Remove every entry (and any temporary file left by a killed writer).

    Returns
    -------
    int
        How many entries were removed.
    """
    folder = cache_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in [*folder.glob(f"*{_SUFFIX}"), *folder.glob(".*.tmp")]:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += path.suffix == _SUFFIX
    return removed


@contextmanager
def paused_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a graph is built or unpickled.

    Building a graph creates tens of thousands of objects that all stay alive,
    so the collections their allocation would trigger find nothing; pausing
    them halves the time of a cache hit.  The collector's state is restored.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _prune(keep: int) -> None:
    for path in entries()[:-keep]:
        path.unlink(missing_ok=True)


def _environment() -> bytes:
    """What a kept graph depends on besides its data files."""
    import importlib.util

    import networkx
    import pydantic

    here = Path(__file__).resolve().parent
    stamps = sorted(_stamp(here / name) for name in os.listdir(here) if name.endswith(".py"))
    # PyYAML by the stamp of its package (a graph read from the cache needs no parser)
    yaml_spec = importlib.util.find_spec("yaml")
    yaml_origin = yaml_spec.origin if yaml_spec is not None else None
    parts = (
        __version__,
        sys.version,
        sys.implementation.name,
        networkx.__version__,
        pydantic.VERSION,
        repr(_stamp(Path(yaml_origin)) if yaml_origin else None),
        repr(stamps),
    )
    return "\n".join(parts).encode()


def _stamp(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return str(path), info.st_size, info.st_mtime_ns


def _trusted_folder(folder: Path) -> bool:
    if not hasattr(os, "getuid"):
        return True
    info = os.stat(folder)
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted(folder: Path, descriptor: int) -> bool:
    """A regular file and its folder, owned by the user and writable by no one else."""
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        return False
    if not hasattr(os, "getuid"):
        return True
    mine = info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return mine and _trusted_folder(folder)
