"""Read pain-registry body maps: CHOIR body map (CBM) exports as boolean frames (pandas, lazily).

:func:`read_choir` turns a registry export into one row per patient and one
column per standard CBM segment id (101-136, 201-238).  The frame it returns
is what :func:`~myofascial_graph.score_cohort`,
:func:`~myofascial_graph.widespread_pain_index` and
:func:`~myofascial_graph.generalized_pain` take; :func:`segment_matrix` reads
a frame of segments as project regions or WPI areas.
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cbm import SEGMENT_IDS, choir_body_map
from .exceptions import DataError, InvalidArgumentError, Problem

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "MissingCellsWarning",
    "is_choir_columns",
    "is_choir_frame",
    "read_choir",
    "segment_matrix",
    "wpi_frame",
]

ID_COLUMNS = ("PATIENT_NUM", "patient_id", "patient", "id")
"""Column names read as the patient id, in this order (case-insensitive)."""

SEX_COLUMNS = ("PAT_SEX", "sex", "gender")
"""Column names read as the patient's sex, in this order (case-insensitive)."""

YES = frozenset({"1", "1.0", "yes", "y", "true", "t"})
NO = frozenset({"0", "0.0", "no", "n", "false", "f"})
SEXES = {"male": "male", "m": "male", "man": "male", "female": "female", "f": "female",
         "woman": "female"}  # fmt: skip
_NA = ("", "NA", "N/A", "NaN", "nan", "null", "NULL")
_CODE = re.compile(r"^[xX]?(\d{1,4})$")


class MissingCellsWarning(UserWarning):
    """Patients whose maps have missing cells were kept out (``frame.attrs["missing"]``)."""


def read_choir(source: Any, *, sex: str | None = None) -> pd.DataFrame:
    """Read CHOIR body-map data: one boolean row per patient, one column per segment.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        A CSV file (``.csv``, ``.csv.gz``), a Parquet file (``.parquet``,
        ``.pq``) or a DataFrame.  Its segment columns are named ``X101`` ...
        ``X238``, ``101`` ... ``238`` or by the segment names of
        :data:`~myofascial_graph.CHOIR_SEGMENTS` (``"Buttocks (back-left)"``);
        all 74 must be there.  Cells are 0/1 (or true/false, yes/no, y/n, in
        any case); an empty cell is missing.  The patient id is the column
        ``PATIENT_NUM``, ``patient_id``, ``patient`` or ``id``, else the
        frame's index (else the row number).  Other columns are left out.
    sex : {"male", "female"}, optional
        The figure every patient's map was drawn on.  By default each
        patient's is read from the sex column (``PAT_SEX``, ``sex`` or
        ``gender``: male/female, M/F) where there is one; without one, the
        maps are read in the standard (male figure) numbering.

    Returns
    -------
    pandas.DataFrame
        Boolean, indexed by patient id, columns the 74 standard segment ids
        (ints).  A female patient's front segments 112-117, which her figure
        numbers apart, are renumbered to the standard ids.  Patients with a
        missing cell (or a missing sex where it decides their numbering) are
        left out, listed in ``frame.attrs["missing"]`` and reported with a
        :class:`MissingCellsWarning`: a missing cell is never read as "no pain".

    Raises
    ------
    DataError
        A column that looks like a segment but is none, a segment missing or
        given twice, a cell other than 0/1, an unknown sex or a repeated
        patient id, naming file, line (row) and column.

    Examples
    --------
    >>> import pandas as pd
    >>> import myofascial_graph as mg
    >>> table = pd.DataFrame({"PATIENT_NUM": [7, 8], "PAT_SEX": ["female", "male"],
    ...                       **{f"X{n}": [0, 0] for n in mg.CHOIR_SEGMENTS}})
    >>> table.loc[0, "X112"] = 1       # her figure's 112 is the right abdomen
    >>> maps = mg.read_choir(table)
    >>> bool(maps.loc[7, 116]), bool(maps.loc[7, 112]), int(maps.sum().sum())
    (True, False, 1)
    """
    import pandas as pd

    if sex is not None and sex not in ("male", "female"):
        raise InvalidArgumentError(f"sex must be 'male', 'female' or None, not {sex!r}")
    frame, name, first_line = _frame(source)
    blank = frame.isna().all(axis=1).to_numpy()
    empty_rows = [first_line + int(i) if first_line else int(i) for i in blank.nonzero()[0]]
    if blank.any():
        frame = frame[~blank]
    columns = _segment_columns(frame, name)
    ids = _ids(frame, name, first_line)
    cells, missing = _cells(frame, columns, ids, name, first_line)
    female = _female(frame, sex, ids, name, first_line)
    if female is not None:
        unknown = female.isna().to_numpy()
        missing |= unknown & _renumbered_anywhere(cells)
        is_female = female.fillna(False).to_numpy(dtype=bool)
        standard = cells.copy()
        position = {number: i for i, number in enumerate(SEGMENT_IDS)}
        for own, number in choir_body_map().female_numbering.items():
            standard[is_female, position[number]] = cells[is_female, position[own]]
        cells = standard
    result = pd.DataFrame(cells, index=ids, columns=list(SEGMENT_IDS))
    left_out = ids[missing].tolist()
    if left_out or empty_rows:
        _report(name, left_out, empty_rows, "line" if first_line else "row")
        result = result[~missing]
    result.attrs.update(body_map="choir", missing=left_out, empty_rows=empty_rows)
    return result


def _report(name: str, left_out: list[Any], empty_rows: list[int], where: str) -> None:
    def some(items: list[Any]) -> str:
        return ", ".join(map(str, items[:10])) + (" ..." if len(items) > 10 else "")

    parts = []
    if left_out:
        parts.append(f"{len(left_out):,} patient(s) with missing cells left out: {some(left_out)}")
    if empty_rows:
        parts.append(f"{len(empty_rows):,} empty row(s) skipped ({where} {some(empty_rows)})")
    warnings.warn(f"{name}: " + "; ".join(parts), MissingCellsWarning, stacklevel=3)


def is_choir_frame(maps: Any) -> bool:
    """Whether ``maps`` is a frame whose columns are the 74 standard CBM segment ids."""
    columns = getattr(maps, "columns", None)
    return columns is not None and is_choir_columns(list(columns))


def is_choir_columns(columns: Any) -> bool:
    """Whether ``columns`` are the 74 standard CBM segment ids, in order (ints or digits)."""
    try:
        return len(columns) == 74 and tuple(int(c) for c in columns) == SEGMENT_IDS
    except (TypeError, ValueError):
        return False


def wpi_frame(maps: Any) -> pd.DataFrame:
    """Which of the 19 WPI areas each patient of a CBM frame marks (boolean, ids kept).

    Examples
    --------
    >>> import pandas as pd
    >>> maps = pd.DataFrame([[n in (218, 223) for n in SEGMENT_IDS]], columns=SEGMENT_IDS)
    >>> areas = wpi_frame(maps)
    >>> sorted(areas.columns[areas.iloc[0]])
    ['hip_left', 'lower_back']
    """
    import numpy as np
    import pandas as pd

    if not is_choir_frame(maps):
        raise InvalidArgumentError(
            "a frame of pain maps for the WPI needs the 74 CBM segment ids as columns "
            "(mg.read_choir gives one)"
        )
    labels, matrix = segment_matrix("wpi")
    marked = maps.to_numpy(dtype=np.float32) @ matrix > 0
    return pd.DataFrame(marked, index=maps.index, columns=list(labels))


def segment_matrix(targets: str = "regions") -> tuple[tuple[str, ...], np.ndarray[Any, Any]]:
    """The 74 segments x ``targets`` 0/1 matrix a CBM frame is multiplied by.

    Parameters
    ----------
    targets : {"regions", "wpi"}
        Read segments as the project regions of the crosswalk (unsided, as
        cohorts are scored) or as the 19 WPI areas.

    Returns
    -------
    labels : tuple of str
        The column labels.
    matrix : numpy.ndarray
        ``float32`` 74 x len(labels).

    Examples
    --------
    >>> labels, matrix = segment_matrix("wpi")
    >>> len(labels), matrix.shape, labels[int(matrix[SEGMENT_IDS.index(223)].argmax())]
    (19, (74, 19), 'hip_left')
    """
    import numpy as np

    from .schema import WPI_AXIAL_AREAS, WPI_SIDED_AREAS

    segments = choir_body_map().segments
    if targets == "wpi":
        labels = (
            *(f"{a}_{s}" for a in WPI_SIDED_AREAS for s in ("left", "right")),
            *WPI_AXIAL_AREAS,
        )
        chosen: list[tuple[str, ...]] = [
            (str(segments[n].wpi_area),) if segments[n].wpi_area else () for n in SEGMENT_IDS
        ]
    elif targets == "regions":
        labels = tuple(sorted({r for s in segments.values() for r in s.regions}))
        chosen = [segments[n].regions for n in SEGMENT_IDS]
    else:
        raise InvalidArgumentError(f"targets must be 'regions' or 'wpi', not {targets!r}")
    column = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(SEGMENT_IDS), len(labels)), dtype=np.float32)
    for row, names in enumerate(chosen):
        for label in names:
            matrix[row, column[str(label)]] = 1.0
    return tuple(labels), matrix


def _frame(source: Any) -> tuple[pd.DataFrame, str, int]:
    """The table, its name in messages and the line of its first data row (0: none)."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source, "DataFrame", 0
    if not isinstance(source, (str, os.PathLike)):
        raise InvalidArgumentError(
            f"source must be a path or a pandas DataFrame, not {type(source).__name__}"
        )
    path = Path(source)
    name = str(source)
    if not path.is_file():
        raise DataError([Problem(name, None, None, "no such file (or not a regular file)")])
    suffixes = "".join(path.suffixes[-2:]).lower()
    try:
        if suffixes.endswith((".parquet", ".pq")):
            return pd.read_parquet(path), name, 0
        table = pd.read_csv(path, keep_default_na=False, na_values=list(_NA))
        return table, name, 2
    except (ValueError, OSError, UnicodeDecodeError, ImportError) as err:
        raise DataError([Problem(name, None, None, f"cannot be read as a table: {err}")]) from None


def _segment_columns(frame: pd.DataFrame, name: str) -> list[Any]:
    """The column holding each standard segment, in standard order."""
    segments = choir_body_map().segments
    by_name = {s.name.casefold(): number for number, s in segments.items()}
    found: dict[int, Any] = {}
    for column in frame.columns:
        text = str(column).strip()
        code = _CODE.match(text)
        number = int(code.group(1)) if code else by_name.get(text.casefold())
        if number is None:
            close = difflib.get_close_matches(text.casefold(), list(by_name), n=1, cutoff=0.85)
            if close:
                message = f"column {text!r} is no CBM segment; did you mean {segments[by_name[close[0]]].name!r}?"  # noqa: E501
                raise DataError([Problem(name, 1, None, message)])
            continue
        if number not in segments:
            message = f"column {text!r} is no CBM segment (101-136 front, 201-238 back)"
            raise DataError([Problem(name, 1, None, message)])
        if number in found:
            message = f"segment {number} is given twice, by {found[number]!r} and {column!r}"
            raise DataError([Problem(name, 1, None, message)])
        found[number] = column
    absent = [n for n in SEGMENT_IDS if n not in found]
    if absent:
        shown = ", ".join(map(str, absent[:12])) + (" ..." if len(absent) > 12 else "")
        message = f"{len(absent)} CBM segment column(s) missing: {shown}"
        raise DataError([Problem(name, 1, None, message)])
    return [found[n] for n in SEGMENT_IDS]


def _column_named(frame: pd.DataFrame, names: tuple[str, ...]) -> Any:
    lowered = {str(c).casefold(): c for c in frame.columns}
    for wanted in names:
        if wanted.casefold() in lowered:
            return lowered[wanted.casefold()]
    return None


def _ids(frame: pd.DataFrame, name: str, first_line: int) -> pd.Index:
    import pandas as pd

    column = _column_named(frame, ID_COLUMNS)
    if column is not None:
        values = frame[column]
        if values.dtype.kind == "f" and values.notna().all() and (values % 1 == 0).all():
            values = values.astype("int64")  # ids read as floats beside an empty row
        ids = pd.Index(values, name=str(column))
    elif first_line == 0 and not isinstance(frame.index, pd.RangeIndex):
        ids = frame.index.copy()
    else:
        ids = pd.RangeIndex(len(frame), name="row")
    if ids.hasnans:
        row = int(ids.isna().argmax())
        raise DataError([_problem(name, first_line, row, ids, "the patient id is missing")])
    repeated = ids.duplicated()
    if repeated.any():
        row = int(repeated.argmax())
        raise DataError(
            [_problem(name, first_line, row, ids, f"patient id {_plain(ids[row])!r} repeats")]
        )
    return ids


def _problem(name: str, first_line: int, row: int, ids: Any, message: str) -> Problem:
    """A problem at a row: its file line where the table came from a CSV file."""
    if first_line:
        return Problem(name, first_line + row, f"patient {_plain(ids[row])!r}", message)
    return Problem(name, None, f"row {row}, patient {_plain(ids[row])!r}", message)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (so messages read ``2``, not ``np.int64(2)``)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _cells(
    frame: pd.DataFrame, columns: list[Any], ids: Any, name: str, first_line: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The 0/1 cells as booleans, and which rows have a missing cell."""
    import numpy as np
    import pandas as pd

    cells = np.zeros((len(frame), len(columns)), dtype=bool)
    missing = np.zeros(len(frame), dtype=bool)
    for index, column in enumerate(columns):
        values = frame[column]
        absent = values.isna().to_numpy()
        if pd.api.types.is_bool_dtype(values.dtype):
            ok, yes = ~absent, values.fillna(False).to_numpy(dtype=bool)
        elif pd.api.types.is_numeric_dtype(values.dtype):
            numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
            ok, yes = (numbers == 0) | (numbers == 1), numbers == 1
        else:
            text = values.astype("string").str.strip().str.casefold()
            ok = (text.isin(YES) | text.isin(NO)).fillna(False).to_numpy(dtype=bool)
            yes = text.isin(YES).fillna(False).to_numpy(dtype=bool)
            absent = absent | (text == "").fillna(False).to_numpy(dtype=bool)
        bad = ~ok & ~absent
        if bad.any():
            row = int(bad.argmax())
            message = (
                f"column {column!r}: {_plain(values.iloc[row])!r} is not 0 or 1 "
                "(or true/false, yes/no); leave a cell empty when it is missing"
            )
            raise DataError([_problem(name, first_line, row, ids, message)])
        cells[:, index] = yes
        missing |= absent
    return cells, missing


def _female(
    frame: pd.DataFrame, sex: str | None, ids: Any, name: str, first_line: int
) -> pd.Series[Any] | None:
    """Whether each patient drew on the female figure (NA: unknown), or None: standard."""
    import pandas as pd

    if sex is not None:
        return pd.Series([sex == "female"] * len(frame), dtype="boolean")
    column = _column_named(frame, SEX_COLUMNS)
    if column is None:
        return None
    text = frame[column].astype("string").str.strip().str.casefold()
    read = text.map(SEXES, na_action="ignore")
    bad = (read.isna() & text.notna() & (text != "")).to_numpy(dtype=bool)
    if bad.any():
        row = int(bad.argmax())
        message = f"column {column!r}: {frame[column].iloc[row]!r} is not male or female"
        raise DataError([_problem(name, first_line, row, ids, message)])
    female = pd.Series((read == "female").to_numpy(dtype=bool), dtype="boolean")
    female[read.isna().to_numpy(dtype=bool)] = pd.NA
    return female


def _renumbered_anywhere(cells: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Rows marking a segment whose id differs between the figures (a sex is needed there)."""
    import numpy as np

    numbers = set(choir_body_map().female_numbering)
    positions = [i for i, n in enumerate(SEGMENT_IDS) if n in numbers]
    return np.asarray(cells[:, positions].any(axis=1))
