"""Records of drawable body maps: polygons, areas, views and maps (``data/body_map.yaml``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from .schema import WPI_SIDED_AREAS, Label, NodeId, SourceId, Text, WpiArea, _Strict

__all__ = ["BodyMapArea", "BodyMapRecord", "BodyMapView", "Point", "Polygon"]


def _points(value: Any) -> Any:
    """Read a polygon written as SVG ``points`` (``"x,y x,y ..."``) as pairs of numbers."""
    if not isinstance(value, str):
        return value
    numbers = value.replace(",", " ").split()
    if len(numbers) % 2:
        raise ValueError(f"a polygon needs pairs of numbers, found {len(numbers)} numbers")
    try:
        values = [float(number) for number in numbers]
    except ValueError:
        bad = next(n for n in numbers if not _is_number(n))
        raise ValueError(f"a polygon holds numbers only, not {bad!r}") from None
    return tuple(zip(values[::2], values[1::2], strict=True))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_NUMBER = r"-?[0-9]+(\.[0-9]+)?"
_POINTS = rf"^\s*{_NUMBER}[ ,]+{_NUMBER}(\s+{_NUMBER}[ ,]+{_NUMBER}){{2,}}\s*$"

Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-1000, le=1000, strict=True)]
Size = Annotated[float, Field(gt=0, le=1000, strict=True)]
Point = tuple[Coordinate, Coordinate]
Polygon = Annotated[
    tuple[Point, ...],
    BeforeValidator(_points),
    Field(min_length=3),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _POINTS,
            "description": "A closed polygon as SVG points, 'x,y x,y ...' (y grows downwards).",
        }
    ),
]


class BodyMapArea(_Strict):
    """One area of a body map: its shape, its side and the regions whose pain shades it."""

    label: Label | None = Field(default=None, description="How the area is named on the map.")
    side: Literal["left", "right"] | None = Field(
        default=None, description="The person's side the area lies on; empty for a midline area."
    )
    wpi_area: WpiArea | None = Field(
        default=None,
        description="The WPI area it draws: every region lying in that area shades it.",
    )
    regions: tuple[NodeId, ...] = Field(
        default=(), description="Further regions whose pain shades the area."
    )
    label_at: Point | None = Field(default=None, description="Where its label goes.")
    polygons: tuple[Polygon, ...] = Field(min_length=1, description="Its shape.")

    @model_validator(mode="after")
    def _shades_something(self) -> BodyMapArea:
        if self.wpi_area is None and not self.regions:
            raise ValueError("an area needs a wpi_area or regions, or nothing would shade it")
        if self.wpi_area is not None and (self.wpi_area in WPI_SIDED_AREAS) != bool(self.side):
            sided = "needs a side" if self.side is None else "has no side"
            raise ValueError(f"the WPI area {self.wpi_area!r} {sided}")
        return self


class BodyMapView(_Strict):
    """One view of a body map: its outline and its areas."""

    title: Label
    outline: tuple[Polygon, ...] = Field(min_length=1, description="The body's outline.")
    areas: dict[NodeId, BodyMapArea] = Field(min_length=1, description="Area id to area.")


class BodyMapRecord(_Strict):
    """A drawable body map: views, each an outline and areas that trace scores shade.

    Coordinates run from 0 to ``width`` left to right as the viewer sees them
    and from 0 at the top of the head to ``height`` downwards.  Sides are the
    person's own: in the front view the person's left is on the viewer's right.
    """

    id: NodeId = Field(description="The body map id (the key in body_map.yaml).")
    label: Label
    description: Text | None = Field(default=None, description="One or two sentences.")
    width: Size = Field(description="Width of each view.")
    height: Size = Field(description="Height of each view.")
    views: dict[Literal["front", "back"], BodyMapView] = Field(
        min_length=1, description="The views, front and back."
    )
    sources: tuple[SourceId, ...] = Field(min_length=1, description="Sources for the map.")
    note: Text | None = Field(default=None, description="Caveats and judgement calls.")

    def areas(self) -> dict[str, BodyMapArea]:
        """Every area of every view, by id (an area drawn in two views is one area)."""
        found: dict[str, BodyMapArea] = {}
        for view in self.views.values():
            found.update(view.areas)
        return found
