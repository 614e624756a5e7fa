"""The ACR 2016 fibromyalgia criteria: the Widespread Pain Index, generalized pain, the test.

Wolfe F, Clauw DJ, Fitzcharles MA, et al. 2016 Revisions to the 2010/2011
fibromyalgia diagnostic criteria. Semin Arthritis Rheum 2016;46:319-329.

* The **Widespread Pain Index** (WPI, 0-19) counts the painful areas among
  the 19 of :data:`WPI_AREAS`: jaw, shoulder girdle, upper arm, lower arm, hip
  (buttock, trochanter), upper leg and lower leg on each side, and neck, upper
  back, lower back, chest and abdomen.
* **Generalized pain** is pain in at least 4 of the 5 regions of
  :data:`WPI_REGIONS`; jaw, chest and abdominal pain do not count towards it.
* The criteria are met when WPI >= 7 and the Symptom Severity Scale (SSS,
  0-12) >= 5, or WPI 4-6 and SSS >= 9; with generalized pain; and symptoms for
  at least 3 months.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import networkx as nx

from .exceptions import InvalidArgumentError
from .paths import split_key
from .query import node_id
from .schema import WPI_AXIAL_AREAS, WPI_SIDED_AREAS

__all__ = [
    "WPI_AREAS",
    "WPI_REGIONS",
    "FibromyalgiaResult",
    "fibromyalgia_criteria",
    "generalized_pain",
    "predicted_areas",
    "region_wpi_area",
    "widespread_pain_index",
    "wpi_areas",
]

_SIDED = WPI_SIDED_AREAS
_AXIAL = WPI_AXIAL_AREAS

WPI_AREAS: tuple[str, ...] = (
    *(f"{area}_{side}" for area in _SIDED for side in ("left", "right")),
    *_AXIAL,
)
"""The 19 areas of the Widespread Pain Index."""

WPI_REGIONS: dict[str, tuple[str, ...]] = {
    "left_upper": ("jaw_left", "shoulder_girdle_left", "upper_arm_left", "lower_arm_left"),
    "right_upper": ("jaw_right", "shoulder_girdle_right", "upper_arm_right", "lower_arm_right"),
    "left_lower": ("hip_left", "upper_leg_left", "lower_leg_left"),
    "right_lower": ("hip_right", "upper_leg_right", "lower_leg_right"),
    "axial": ("neck", "upper_back", "lower_back", "chest", "abdomen"),
}
"""The five regions of generalized pain and their areas."""

_NOT_FOR_GENERALIZED = frozenset({"jaw_left", "jaw_right", "chest", "abdomen"})


def _checked(areas: Iterable[str]) -> set[str]:
    found = set(areas)
    unknown = sorted(found - set(WPI_AREAS))
    if unknown:
        raise InvalidArgumentError(
            f"unknown WPI area(s) {unknown}; the 19 areas are {list(WPI_AREAS)}"
        )
    return found


def _is_frame(areas: Any) -> bool:
    return hasattr(areas, "columns") and hasattr(areas, "to_numpy")


def widespread_pain_index(areas: Iterable[str] | Any) -> Any:
    """The Widespread Pain Index: how many of the 19 areas are painful (0-19).

    Parameters
    ----------
    areas : iterable of str, or DataFrame
        The painful WPI areas of one patient, or a frame of CHOIR body maps
        (:func:`~myofascial_graph.read_choir`; segments counted by the
        crosswalk of :data:`~myofascial_graph.CHOIR_SEGMENTS`).

    Returns
    -------
    int, or pandas.Series of int indexed by patient id

    Examples
    --------
    >>> widespread_pain_index(["neck", "jaw_left", "jaw_right", "neck"])
    3
    """
    if _is_frame(areas):
        from .registry import wpi_frame

        return wpi_frame(areas).sum(axis=1).rename("wpi")
    return len(_checked(areas))


def generalized_pain(areas: Iterable[str] | Any) -> Any:
    """Pain in at least 4 of the 5 regions; jaw, chest and abdomen do not count.

    Takes one patient's WPI areas, or a frame of CHOIR body maps (then a
    pandas Series of bool indexed by patient id), as
    :func:`widespread_pain_index` does.

    Examples
    --------
    >>> generalized_pain(["jaw_left", "jaw_right", "hip_left", "hip_right", "chest"])
    False
    >>> generalized_pain(["shoulder_girdle_left", "hip_left", "hip_right", "neck"])
    True
    """
    if _is_frame(areas):
        from .registry import wpi_frame

        marked = wpi_frame(areas)
        regions = sum(
            marked[[a for a in members if a not in _NOT_FOR_GENERALIZED]].any(axis=1).astype(int)
            for members in WPI_REGIONS.values()
        )
        return (regions >= 4).rename("generalized_pain")
    counted = _checked(areas) - _NOT_FOR_GENERALIZED
    return sum(bool(counted & set(members)) for members in WPI_REGIONS.values()) >= 4


@dataclass(frozen=True)
class FibromyalgiaResult:
    """The outcome of :func:`fibromyalgia_criteria`, with each part of the test."""

    met: bool
    wpi: int
    sss: int
    generalized: bool
    months: float
    severity: bool  # WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9

    def __repr__(self) -> str:
        return f"<FibromyalgiaResult: {self}>"

    def _repr_html_(self) -> str:
        from html import escape

        return f"<p>{escape(str(self))}</p>"

    def __str__(self) -> str:
        verdict = "met" if self.met else "not met"
        return (
            f"ACR 2016 criteria {verdict}: WPI {self.wpi}, SSS {self.sss}, generalized pain "
            f"{'yes' if self.generalized else 'no'}, {self.months:g} months"
        )


def fibromyalgia_criteria(
    areas: Iterable[str], sss: int, *, months: float = 3
) -> FibromyalgiaResult:
    """Apply the ACR 2016 fibromyalgia criteria.

    Parameters
    ----------
    areas : iterable of str
        The painful WPI areas (ids of :data:`WPI_AREAS`).
    sss : int
        The Symptom Severity Scale score, 0-12.
    months : float, default 3
        How long symptoms have been present at a similar level.

    Returns
    -------
    FibromyalgiaResult

    Examples
    --------
    >>> areas = ["neck", "upper_back", "lower_back", "hip_left", "hip_right",
    ...          "shoulder_girdle_left", "upper_leg_right"]
    >>> fibromyalgia_criteria(areas, sss=5).met
    True
    >>> fibromyalgia_criteria(areas[:5], sss=8).met    # WPI 5 needs SSS >= 9
    False
    """
    if isinstance(sss, bool) or not isinstance(sss, Integral) or not 0 <= sss <= 12:
        raise InvalidArgumentError(f"sss must be between 0 and 12 (a whole number), not {sss!r}")
    if isinstance(months, bool) or not isinstance(months, Real) or not 0 <= months < math.inf:
        raise InvalidArgumentError(f"months must be a finite number, at least 0, not {months!r}")
    found = _checked(areas)
    wpi = len(found)
    severity = (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)
    generalized = generalized_pain(found)
    met = severity and generalized and months >= 3
    return FibromyalgiaResult(met, wpi, sss, generalized, months, severity)


def region_wpi_area(G: nx.MultiDiGraph, region: str) -> str | None:
    """The WPI area (unsided) a graph region lies in, inherited from its parents.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> region_wpi_area(G, "lateral_thigh"), region_wpi_area(G, "neck"), region_wpi_area(G, "hand")
    ('upper_leg', 'neck', None)
    """
    seen: set[str] = set()
    stack = [node_id(G, region, kind="region")]
    while stack:
        current = stack.pop(0)
        if current in seen:
            continue
        seen.add(current)
        area: str | None = G.nodes[current]["record"].wpi_area
        if area is not None:
            return area
        stack.extend(sorted(v for _, v, k in G.out_edges(current, keys=True) if k == "part_of"))
    return None


def wpi_areas(G: nx.MultiDiGraph, regions: Iterable[Any]) -> set[str]:
    """Map graph regions onto WPI areas.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    regions : iterable
        Region ids (a bilateral region without a side counts for both sides)
        or ``(region, side)`` pairs, side one of ``"left"``, ``"right"``,
        ``"midline"`` (midline regions only).

    Returns
    -------
    set of str
        The WPI areas the regions lie in; regions outside every area (hand,
        foot, head, knee, ...) add none.

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> sorted(wpi_areas(G, [("lateral_thigh", "left"), "neck", ("calf", "right"), "hand"]))
    ['lower_leg_right', 'neck', 'upper_leg_left']
    """
    found: set[str] = set()
    for item in regions:
        region, side = split_key(item)
        area = region_wpi_area(G, region)
        if area is None:
            continue
        if area not in _SIDED:
            found.add(area)
        elif side in ("left", "right"):
            found.add(f"{area}_{side}")
        elif side is None:
            found.update((f"{area}_left", f"{area}_right"))
        else:
            raise InvalidArgumentError(
                f"side of {region!r} must be 'left' or 'right', not {side!r}"
            )
    return found


def predicted_areas(G: nx.MultiDiGraph, scores: Mapping[Any, float], threshold: float) -> set[str]:
    """The WPI areas of the regions scoring at least ``threshold`` (keys as in :func:`wpi_areas`).

    Examples
    --------
    >>> import myofascial_graph as mg
    >>> G = mg.load()
    >>> sorted(predicted_areas(G, {"neck": 0.9, "calf": 0.2}, 0.5))
    ['neck']
    """
    if not isinstance(threshold, Real):
        raise TypeError(f"threshold must be a number, not {type(threshold).__name__}")
    return wpi_areas(G, [region for region, score in scores.items() if score >= threshold])
