"""Find and read the data files of a load: the shipped data folder, ``base=``
and the user's ``extra=`` files, as bytes, each with the name problems give it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .exceptions import DataError, Problem
from .metagraph import METAGRAPH, Metagraph
from .reading import MAX_BYTES, is_dir, is_file, read_bounded

__all__ = ["DataFile", "DataFiles", "data_dir", "read_files", "replace_file"]


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


@dataclass(frozen=True)
class DataFile:
    """One data file to read: where it is, the name problems give it, and its bytes."""

    path: Path
    name: str
    raw: bytes | None
    """The bytes (None if the file could not be read; ``problems`` says why)."""
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class DataFiles:
    """The data files of one load, in loading order: ``shipped`` of them from the
    base folder, then the user's; ``problems`` are those found in finding them."""

    layers: tuple[DataFile, ...]
    shipped: int
    problems: tuple[Problem, ...]

    def contents(self) -> list[tuple[str, bytes]]:
        """Each file's name and bytes, as the cache key hashes them."""
        return [(file.name, file.raw or b"") for file in self.layers]


def read_files(
    extra: Iterable[str | os.PathLike[str]] = (),
    *,
    base: str | Path | None = None,
    metagraph: Metagraph = METAGRAPH,
) -> DataFiles:
    """Find and read (but not parse) the data files of a load; see :func:`read_dataset`."""
    base_dir = data_dir() if base is None else Path(base)
    shipped = base is None
    files = metagraph.files
    layers: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for filename in files:
        path = base_dir / filename
        name = f"data/{filename}" if shipped else str(path)
        if is_file(path):
            layers.append((path, name))
        else:
            problems.append(Problem(name, None, None, "data file is missing"))
    count = len(layers)
    for item in extra:
        layers.extend(_extra_files(Path(item), files, problems))
    read = tuple(_read_bytes(path, name) for path, name in layers)
    return DataFiles(read, count, tuple(problems))


def _read_bytes(path: Path, name: str) -> DataFile:
    try:
        return DataFile(path, name, read_bounded(path, limit=MAX_BYTES, name=name))
    except DataError as err:
        return DataFile(path, name, None, tuple(replace_file(p, name) for p in err.problems))


def _extra_files(
    path: Path, files: dict[str, str], problems: list[Problem]
) -> Iterator[tuple[Path, str]]:
    if is_dir(path):
        found = [path / name for name in files if is_file(path / name)]
        if not found:
            expected = ", ".join(files)
            problems.append(Problem(str(path), None, None, f"folder holds none of {expected}"))
        for file in found:
            yield file, str(file)
    elif not is_file(path):
        problems.append(Problem(str(path), None, None, "no such file"))
    elif path.name not in files:
        expected = ", ".join(files)
        message = f"unknown data file name {path.name!r}; name it one of {expected}"
        problems.append(Problem(str(path), None, None, message))
    else:
        yield path, str(path)


def replace_file(problem: Problem, name: str) -> Problem:
    """The problem, naming the file as ``name``."""
    return Problem(name, problem.line, problem.record, problem.message)
