"""Read the bytes of a user's file, boundedly and only from a regular file.

Every reader of user input (the YAML loader, the linter, the cohort reader)
goes through :func:`read_bounded`, so that none of them can be made to

* read without end (``/dev/zero``, a 200 MB file): at most ``limit + 1`` bytes
  are read, and a longer file is refused;
* block forever (a FIFO swapped in between a check and the open): the file is
  opened with ``O_NONBLOCK`` and refused unless :func:`os.fstat` of the open
  descriptor says it is a regular file, so what is checked is what is read;
* raise a bare :class:`OSError` (a folder it may not read, a file that
  vanished): every failure is a :class:`~myofascial_graph.exceptions.DataError`
  naming the file and the reason.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .exceptions import DataError, Problem

__all__ = ["MAX_BYTES", "is_dir", "is_file", "read_bounded"]

MAX_BYTES = 8 * 1024 * 1024
"""Largest data file accepted, in bytes (8 MiB)."""

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


def read_bounded(path: str | os.PathLike[str], *, limit: int, name: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, refusing one of more than ``limit`` bytes.

    Parameters
    ----------
    path : str or Path
        The file to read.
    limit : int
        The most bytes accepted; at most one byte more is ever read.
    name : str, optional
        How to name the file in messages (default: ``str(path)``).

    Returns
    -------
    bytes

    Raises
    ------
    DataError
        If the file cannot be opened or read (no such file, permission
        denied), is not a regular file (a folder, a FIFO, a device) or is
        larger than ``limit``; the one problem names the file.

    Examples
    --------
    >>> read_bounded("/dev/zero", limit=10)
    Traceback (most recent call last):
    ...
    myofascial_graph.exceptions.DataError: /dev/zero: not a regular file (a character device)
    """
    shown = str(path) if name is None else name
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as err:
        raise _error(shown, f"cannot read file: {err.strerror or err}") from None
    except (ValueError, TypeError) as err:  # a NUL in the path, or not a path at all
        raise _error(shown, f"cannot read file: {err}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _error(shown, f"not a regular file ({_what(mode)})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise _error(shown, f"cannot read file: {err.strerror or err}") from None
    finally:
        os.close(descriptor)
    if size > limit:
        raise _error(shown, f"file is larger than the limit of {limit} bytes")
    return b"".join(chunks)


def is_file(path: Path) -> bool:
    """Whether ``path`` exists and is not a folder; never raises.

    Unlike :meth:`pathlib.Path.is_file`, a path that cannot be looked at (in a
    folder the user may not search) and a FIFO or device count as files, so
    that :func:`read_bounded` refuses them by name and reason instead of the
    caller raising :class:`PermissionError` or calling them missing.
    """
    try:
        return not stat.S_ISDIR(path.stat().st_mode)
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return False
    except OSError:
        return True


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; never raises (a folder that cannot be looked at is not)."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _error(name: str, message: str) -> DataError:
    return DataError([Problem(name, None, None, message)])


def _what(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "a special file"
