"""``myofascial-graph score-cohort``: stream a CSV of pain maps through the fused kernel.

The CSV is read in record batches by pyarrow's streaming CSV reader
(``pyarrow.csv.open_csv``: columnar, multi-threaded parsing in C++, one batch
in memory at a time), each batch is validated, scored
(:class:`~myofascial_graph.scoring.Kernel`) and written before the next is
read, so memory stays bounded whatever the file's size.  The output is what
Python's :mod:`csv` module wrote before (``\\r\\n`` line ends, ``%.4f``
scores), byte for byte; scores are formatted as whole ten-thousandths in
numpy and joined by pyarrow, and the rare score within 1e-6 of a rounding
tie is formatted by Python itself.  Without pyarrow the file is read row by
row with :mod:`csv`, in chunks, to the same output.
"""

from __future__ import annotations

import csv
import functools
import os
import stat
import sys
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

from .exceptions import DataError, Problem
from .scoring import Kernel

__all__ = ["BATCH_BYTES", "MAX_FIELD", "score_csv"]

BATCH_BYTES = 2 << 20
"""Bytes of CSV parsed per batch (about 30,000 rows of 30 regions; memory grows with it)."""

WRITE_ROWS = 16_384
"""Output rows formatted at a time (their text is some 4 MB)."""

MAX_FIELD = 128 << 10
"""The longest field allowed (128 KiB), as Python's csv module allows."""

PAIN = frozenset({"1", "true", "yes", "y", "t"})
NO_PAIN = frozenset({"", "0", "false", "no", "n", "f"})
RANKS = ("best", "second", "third")


def score_csv(G: nx.MultiDiGraph, path: str, output: str, *, progress: bool = False) -> int:
    """Score the pain maps of a CSV file and write one row per patient to ``output``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    path : str
        A regular file: a header ``id,region,...``, then one row per patient
        whose cells are 1/0 (true/false, yes/no, y/n in any case; an empty cell
        is no pain).
    output : str
        Written as ``id,best,second,third,<root>...``; a map marking nothing
        has empty ``best``, ``second`` and ``third``.
    progress : bool, default False
        Show a progress bar (tqdm) on standard error.

    Returns
    -------
    int
        The number of patients scored.

    Raises
    ------
    DataError
        Not a regular file, no header, a repeated or unknown column, a row of
        the wrong length, a cell other than 0/1 or a field over 128 KiB, with
        file, line and column.
    """
    from .cohort import kernel_for

    _check_regular(path)
    header = _header(path)
    regions = header[1:]
    seen: dict[str, int] = {}
    for number, name in enumerate(regions, 2):
        if name in seen:
            message = f"column {name!r} (column {number}) repeats column {seen[name]}"
            raise DataError([Problem(path, 1, None, message)])
        seen[name] = number
    kernel, names = kernel_for(G, regions, "float64", {})
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        message = f"two columns name the region {twice!r}"
        raise DataError([Problem(path, 1, None, message)])
    bar = _progress_bar() if progress else None
    done = 0
    with open(output, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([header[0], *RANKS, *kernel.roots])
        for ids, present in _batches(path, header):
            for start in range(0, len(ids), WRITE_ROWS):  # the text of a few rows at a time
                end = start + WRITE_ROWS
                handle.write(_rows(kernel, ids[start:end], present[start:end]))
            done += len(ids)
            if bar is not None:
                bar.update(len(ids))
    if bar is not None:
        bar.close()
    return done


def _check_regular(path: str) -> None:
    mode = os.stat(path).st_mode  # a missing file: the CLI names it (cannot open ...)
    if not stat.S_ISREG(mode):
        raise DataError([Problem(path, None, None, "not a regular file")])


def _header(path: str) -> list[str]:
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        first = handle.readline(MAX_FIELD * 4 + 1)
    if len(first) > MAX_FIELD * 4:
        raise DataError([Problem(path, 1, None, "the header line is longer than 512 KiB")])
    header = next(csv.reader([first]), [])
    if len(header) < 2:
        raise DataError([Problem(path, 1, None, "expected a header: id, then region columns")])
    return header


def _batches(path: str, header: list[str]) -> Iterator[tuple[list[str], Any]]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        yield from _rows_with_csv(path, header)
        return
    yield from _arrow_batches(path, header)


def _arrow_batches(path: str, header: list[str]) -> Iterator[tuple[list[str], Any]]:
    """(ids, present) per batch, read by pyarrow's streaming CSV reader, all as text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    bad: list[Any] = []
    pain_set, no_pain_set = pa.array(sorted(PAIN)), pa.array(sorted(NO_PAIN))

    def refuse(row: Any) -> str:
        bad.append(row)
        return "error"

    names = [f"c{i}" for i in range(len(header))]
    options = (
        pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=BATCH_BYTES,
                         use_threads=True),
        pcsv.ParseOptions(invalid_row_handler=refuse, newlines_in_values=False),
        pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                            strings_can_be_null=False, quoted_strings_can_be_null=False),
    )  # fmt: skip
    line = 2
    try:
        reader = pcsv.open_csv(path, *options)
        for batch in reader:
            ids = batch.column(0)
            longest = pc.max(pc.utf8_length(ids)).as_py() if len(ids) else 0
            if longest is not None and longest > MAX_FIELD:
                row = int(np.argmax(pc.utf8_length(ids).to_numpy()))
                raise DataError([Problem(path, line + row, None, "a field is over 128 KiB")])
            present = np.zeros((batch.num_rows, len(header) - 1), dtype=bool)
            first_bad: tuple[int, int] | None = None  # (row, column) of the earliest bad cell
            for index in range(1, len(header)):
                cells = pc.utf8_lower(pc.utf8_trim_whitespace(batch.column(index)))
                pain = _member(cells, pain_set)
                fine = pain | _member(cells, no_pain_set)
                if not fine.all():
                    row = int(np.argmin(fine))
                    if first_bad is None or row < first_bad[0]:
                        first_bad = (row, index)
                present[:, index - 1] = pain
            if first_bad is not None:
                row, index = first_bad
                _bad_cell(path, line + row, header[index], batch.column(index)[row].as_py())
            yield ids.to_pylist(), present
            line += batch.num_rows
    except pa.ArrowInvalid as err:
        if bad:
            row = bad[0]
            where = line if row.number is None else row.number
            message = f"{row.actual_columns} fields, expected {row.expected_columns}"
            raise DataError([Problem(path, where, None, message)]) from None
        text = str(err).split("\n")[0]
        if "straddling" in text or "block" in text:
            text = "a field is over the reader's block size (2 MiB)"
        raise DataError([Problem(path, None, None, f"cannot be read as CSV: {text}")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(path, None, None, "is not UTF-8 text")]) from None


def _member(cells: Any, values: Any) -> Any:
    import pyarrow.compute as pc

    return pc.is_in(cells, value_set=values).to_numpy(zero_copy_only=False)


def _bad_cell(path: str, line: int, column: str, value: Any) -> None:
    shown = repr(value if len(str(value)) <= 40 else str(value)[:40] + "...")
    message = f"column {column!r}: {shown} is not 0 or 1 (or true/false, yes/no, empty)"
    raise DataError([Problem(path, line, None, message)])


def _rows_with_csv(path: str, header: list[str]) -> Iterator[tuple[list[str], Any]]:
    """The same batches read row by row with the csv module (when pyarrow is missing)."""
    import numpy as np

    csv.field_size_limit(MAX_FIELD)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        ids: list[str] = []
        rows: list[list[bool]] = []
        try:
            for number, row in enumerate(reader, 2):
                if len(row) != len(header):
                    message = f"{len(row)} fields, expected {len(header)}"
                    raise DataError([Problem(path, number, None, message)])
                cells = [cell.strip().lower() for cell in row[1:]]
                for column, cell in zip(header[1:], cells, strict=True):
                    if cell not in PAIN and cell not in NO_PAIN:
                        _bad_cell(path, number, column, cell)
                ids.append(row[0])
                rows.append([cell in PAIN for cell in cells])
                if len(ids) == 50_000:
                    yield ids, np.array(rows, dtype=bool).reshape(len(ids), -1)
                    ids, rows = [], []
        except csv.Error as err:
            raise DataError([Problem(path, reader.line_num, None, str(err))]) from None
        if ids:
            yield ids, np.array(rows, dtype=bool).reshape(len(ids), -1)


def _rows(kernel: Kernel, ids: list[str], present: Any) -> str:
    """The output lines of one batch, as csv.writer writes them."""
    import numpy as np

    if not ids:
        return ""
    scores, empty = kernel.score_and_empty(present)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :3]
    order[empty] = len(kernel.roots)  # no best root for a map marking nothing
    names = np.array([*kernel.roots, ""], dtype=object)
    cells = np.empty((len(ids), 4 + scores.shape[1]), dtype=object)
    cells[:, 0] = _quoted(ids)
    cells[:, 1:4] = names[order]
    cells[:, 4:] = _fixed4(scores)
    return "\r\n".join(map(",".join, cells.tolist())) + "\r\n"


def _quoted(ids: list[str]) -> list[str]:
    """Ids as csv.writer writes them (quoted when they hold a comma, quote or line end)."""
    special = ('"', ",", "\r", "\n")
    joined = "".join(ids)
    if not any(mark in joined for mark in special):
        return ids
    return [
        '"' + value.replace('"', '""') + '"' if any(mark in value for mark in special) else value
        for value in ids
    ]


_TABLE_SIZE = 100_000
"""Scores below 10 in size are formatted by table look-up (fits lie between -1 and 1)."""


@functools.lru_cache(maxsize=1)
def _table() -> Any:
    """Every ``%.4f`` text from 0.0000 to 9.9999, then from -0.0000 to -9.9999."""
    import numpy as np

    plain = [f"{u // 10_000}.{u % 10_000:04d}" for u in range(_TABLE_SIZE)]
    return np.array(plain + ["-" + t for t in plain], dtype=object)


def _fixed4(values: Any) -> Any:
    """``f"{v:.4f}"`` of each value (an object array of the values' shape), computed in
    numpy: the value in ten-thousandths rounded to an integer and looked up in a table of
    texts; a value within 1e-6 of a rounding tie (or out of the table) is formatted by
    Python, whose rounding of the exact binary value decides."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    scaled = values * 10_000.0
    units = np.abs(np.rint(scaled))
    odd = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < 1e-6
    odd |= ~(units < _TABLE_SIZE)  # too large, or not a number
    index = np.where(odd, 0, units).astype(np.int64)
    index += np.signbit(values) * _TABLE_SIZE
    text = _table()[index]
    for where in zip(*np.nonzero(odd), strict=True):
        text[where] = f"{float(values[where]):.4f}"
    return text


def _progress_bar() -> Any:
    """A tqdm bar on standard error, or a plain counter when tqdm is missing."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _Counter()
    return tqdm(unit=" maps", unit_scale=True, file=sys.stderr, desc="scoring")


class _Counter:
    def __init__(self) -> None:
        self.done = 0
        self.show: Callable[[int], None] = _print

    def update(self, count: int) -> None:
        self.done += count
        self.show(self.done)

    def close(self) -> None:
        print(file=sys.stderr)


def _print(done: int) -> None:
    print(f"\rscored {done:,} pain maps", end="", file=sys.stderr, flush=True)
