"""The CHOIR body map (CBM): its 74 segments, their crosswalk and its figures, as data.

The CBM (Scherrer et al. 2021, *Pain Reports* 6:e880) is the electronic pain
drawing of the Collaborative Health Outcomes Information Registry: 36 front
segments (101-136) and 38 back segments (201-238) on a male and a female
figure.  ``data/choir_body_map.yaml`` holds each segment's name, view and the
patient's side, the project regions and the WPI area it is read as (each a
judgement call, written in the segment's ``note``), the female figure's own
numbering of six front segments, and both figures' polygons.  It is read and
validated like every data file (a :class:`~myofascial_graph.exceptions.DataError`
names file, line and record), once per process.

Segment ids here are always the *standard* numbering, that of the male
figure; :func:`~myofascial_graph.read_choir` renumbers a female patient's map.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .geometry import Polygon
from .schema import WPI_AXIAL_AREAS, WPI_SIDED_AREAS, Label, NodeId, SourceId, Text, _Strict

__all__ = [
    "SEGMENT_IDS",
    "ChoirBodyMapRecord",
    "ChoirFigure",
    "ChoirSegment",
    "Segments",
    "choir_body_map",
    "choir_json_schema",
    "read_choir_body_map",
]

SEGMENT_IDS: tuple[int, ...] = (*range(101, 137), *range(201, 239))
"""The 74 CBM segment ids: front 101-136, back 201-238."""

_WPI = (*(f"{a}_{s}" for a in WPI_SIDED_AREAS for s in ("left", "right")), *WPI_AXIAL_AREAS)
SegmentId = Annotated[int, Field(ge=101, le=238)]
Side = Literal["left", "right"]
View = Literal["front", "back"]


class ChoirSegment(_Strict):
    """One CBM segment: what it is called, where it lies and what the project reads it as."""

    name: Label = Field(description="Its name in the REDCap imagemap module's CBM.")
    view: View = Field(description="The figure it is drawn on: 101-136 front, 201-238 back.")
    side: Side = Field(description="The patient's own side.")
    regions: tuple[NodeId, ...] = Field(
        min_length=1, description="The project regions a mark on it is read as."
    )
    wpi_area: Label | None = Field(
        default=None, description="The sided WPI area it counts as; empty for none."
    )
    note: Text | None = Field(default=None, description="The judgement behind the crosswalk.")

    @model_validator(mode="after")
    def _known_area(self) -> ChoirSegment:
        if self.wpi_area is not None and self.wpi_area not in _WPI:
            raise ValueError(f"wpi_area {self.wpi_area!r} is not one of the 19 WPI areas")
        sided = self.wpi_area and self.wpi_area not in WPI_AXIAL_AREAS
        if sided and not str(self.wpi_area).endswith(f"_{self.side}"):
            raise ValueError(f"wpi_area {self.wpi_area!r} is not on the {self.side} side")
        return self


class ChoirFigure(_Strict):
    """One figure (male or female): the polygon of each segment, by standard id."""

    width: Annotated[float, Field(gt=0, le=1000)]
    height: Annotated[float, Field(gt=0, le=1000)]
    front: dict[SegmentId, Polygon] = Field(description="Front segments (101-136).")
    back: dict[SegmentId, Polygon] = Field(description="Back segments (201-238).")


class ChoirBodyMapRecord(_Strict):
    """The CBM: segments, the female figure's renumbering and the two figures."""

    id: NodeId
    label: Label
    description: Text | None = None
    sources: tuple[SourceId, ...] = Field(min_length=1)
    note: Text | None = None
    female_numbering: dict[SegmentId, SegmentId] = Field(
        description="Female figure id to standard id, for the front segments it numbers apart."
    )
    segments: dict[SegmentId, ChoirSegment]
    figures: dict[Literal["male", "female"], ChoirFigure]

    @model_validator(mode="after")
    def _complete(self) -> ChoirBodyMapRecord:
        if tuple(sorted(self.segments)) != SEGMENT_IDS:
            missing = sorted(set(SEGMENT_IDS) - set(self.segments))
            raise ValueError(f"the CBM has 74 segments, 101-136 and 201-238; missing {missing}")
        for number, segment in self.segments.items():
            if (segment.view == "front") != (number < 200):
                raise ValueError(f"segment {number} is on the {segment.view} view")
        numbering = self.female_numbering
        if sorted(numbering) != sorted(numbering.values()) or any(n > 136 for n in numbering):
            raise ValueError("female_numbering must reorder front segments among themselves")
        for sex in ("male", "female"):
            figure = self.figures.get(sex)
            if figure is None:
                raise ValueError(f"the {sex} figure is missing")
            if tuple(sorted({**figure.front, **figure.back})) != SEGMENT_IDS or any(
                n > 200 for n in figure.front
            ):
                raise ValueError(f"the {sex} figure must draw each of the 74 segments once")
        return self


class Segments(Mapping[int, ChoirSegment]):
    """The 74 CBM segments by standard id, read from the data on first use.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> len(mg.CHOIR_SEGMENTS), mg.CHOIR_SEGMENTS[223].name, mg.CHOIR_SEGMENTS[223].wpi_area
    (74, 'Buttocks (back-left)', 'hip_left')
    """

    def __getitem__(self, key: int) -> ChoirSegment:
        return choir_body_map().segments[int(key)]

    def __iter__(self) -> Iterator[int]:
        return iter(SEGMENT_IDS)

    def __len__(self) -> int:
        return len(SEGMENT_IDS)

    def __repr__(self) -> str:
        return f"<CHOIR body map segments: {len(self)} (front 101-136, back 201-238)>"


@functools.lru_cache(maxsize=1)
def choir_body_map() -> ChoirBodyMapRecord:
    """The shipped CBM (``data/choir_body_map.yaml``), validated once per process.

    Examples
    --------
    >>> cbm = choir_body_map()
    >>> cbm.female_numbering[112], cbm.segments[116].name
    (116, 'Abdomen (front-right)')
    """
    return read_choir_body_map()


def read_choir_body_map(path: str | os.PathLike[str] | None = None) -> ChoirBodyMapRecord:
    """Read and validate a CBM file (by default the shipped one).

    Raises
    ------
    DataError
        If the file does not validate, naming file, line and record.
    """
    from .exceptions import DataError, Problem
    from .loading import _read_file, data_dir

    file = Path(path) if path is not None else data_dir() / "choir_body_map.yaml"
    name = str(path) if path is not None else f"data/{file.name}"
    entries, problems, _ = _read_file(file, name, "choir_body_map", ChoirBodyMapRecord)
    if not problems and len(entries) != 1:
        problems = (Problem(name, 1, None, "expected one body map, 'choir'"),)
    if problems:
        raise DataError(problems)
    record = entries[0].record
    assert isinstance(record, ChoirBodyMapRecord)
    return record


def choir_json_schema() -> dict[str, object]:
    """The JSON Schema of ``data/choir_body_map.yaml`` (committed in ``data/schema/``).

    Examples
    --------
    >>> sorted(choir_json_schema()["additionalProperties"])
    ['$ref']
    """
    record = ChoirBodyMapRecord.model_json_schema(ref_template="#/$defs/{model}")
    defs = record.pop("$defs", {})
    record["properties"].pop("id")
    record["required"] = [name for name in record.get("required", []) if name != "id"]
    defs["ChoirBodyMapRecord"] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "myofascial_graph data file choir_body_map.yaml",
        "description": "The CHOIR body map: its segments, crosswalk and figures.",
        "type": "object",
        "additionalProperties": {"$ref": "#/$defs/ChoirBodyMapRecord"},
        "$defs": dict(sorted(defs.items())),
    }
