"""myofascial_graph: a cited knowledge graph of spinal roots, nerves, muscles,
fascia and body regions, for tracing how an irritated nerve root could spread
pain — a research and teaching tool, not a diagnostic device.

>>> import myofascial_graph as mg
>>> G = mg.load()
>>> t = mg.trace(G, "S1")
>>> t.regions["lateral_heel"].pathway
'radicular'
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from . import datasets as datasets
    from .bodymap import draw_body_map as draw_body_map
    from .cbm import Segments
    from .cohortmap import draw_cohort as draw_cohort
    from .cohortmap import root_overlap as root_overlap
    from .registry import MissingCellsWarning as MissingCellsWarning
    from .registry import read_choir as read_choir

    CHOIR_SEGMENTS: Segments
    """The 74 segments of the CHOIR body map by standard id (see :mod:`myofascial_graph.cbm`)."""
    from .bodymap import draw_referral as draw_referral
    from .clinical import Risk as Risk
    from .clinical import activities as activities
    from .clinical import interventions_for as interventions_for
    from .clinical import risk_activities as risk_activities
    from .cohort import CohortScores as CohortScores
    from .cohort import score_cohort as score_cohort
    from .dermatomes import dermatome as dermatome
    from .dermatomes import draw_dermatome_maps as draw_dermatome_maps
    from .differential import Differential as Differential
    from .differential import Suspect as Suspect
    from .differential import differential as differential
    from .drawing import draw as draw
    from .exceptions import DataError as DataError
    from .exceptions import InvalidArgumentError as InvalidArgumentError
    from .exceptions import MyofascialGraphError as MyofascialGraphError
    from .exceptions import NotReachedError as NotReachedError
    from .exceptions import Problem as Problem
    from .exceptions import SchemaError as SchemaError
    from .exceptions import UnknownIdError as UnknownIdError
    from .export import export as export
    from .export import read_json as read_json
    from .graph import load as load
    from .inference import Candidate as Candidate
    from .inference import roots_for as roots_for
    from .loading import data_dir as data_dir
    from .metagraph import EDGE_TYPES as EDGE_TYPES
    from .metagraph import METAGRAPH as METAGRAPH
    from .metagraph import NODE_KINDS as NODE_KINDS
    from .metagraph import Declaration as Declaration
    from .metagraph import EdgeKind as EdgeKind
    from .metagraph import Metagraph as Metagraph
    from .metagraph import NodeKind as NodeKind
    from .metagraph import Style as Style
    from .query import chains as chains
    from .query import find as find
    from .query import node_id as node_id
    from .referral import Referral as Referral
    from .referral import Referrer as Referrer
    from .referral import Zone as Zone
    from .referral import referral as referral
    from .referral import referring_muscles as referring_muscles
    from .schema import EVIDENCE_GRADES as EVIDENCE_GRADES
    from .stats import stats as stats
    from .trace import Explanation as Explanation
    from .trace import Hit as Hit
    from .trace import Path as Path
    from .trace import Step as Step
    from .trace import Trace as Trace
    from .trace import explain as explain
    from .trace import trace as trace
    from .wpi import WPI_AREAS as WPI_AREAS
    from .wpi import WPI_REGIONS as WPI_REGIONS
    from .wpi import FibromyalgiaResult as FibromyalgiaResult
    from .wpi import fibromyalgia_criteria as fibromyalgia_criteria
    from .wpi import generalized_pain as generalized_pain
    from .wpi import widespread_pain_index as widespread_pain_index
    from .wpi import wpi_areas as wpi_areas

__all__ = [
    "CHOIR_SEGMENTS",
    "DERMATOME_MAPS",
    "EDGE_TYPES",
    "EVIDENCE_GRADES",
    "METAGRAPH",
    "NODE_KINDS",
    "WPI_AREAS",
    "WPI_REGIONS",
    "Candidate",
    "CohortScores",
    "DataError",
    "Declaration",
    "Differential",
    "EdgeKind",
    "Explanation",
    "FibromyalgiaResult",
    "Hit",
    "InvalidArgumentError",
    "Metagraph",
    "MissingCellsWarning",
    "MyofascialGraphError",
    "NodeKind",
    "NotReachedError",
    "Path",
    "Problem",
    "Referral",
    "Referrer",
    "Risk",
    "SchemaError",
    "Step",
    "Style",
    "Suspect",
    "Trace",
    "UnknownIdError",
    "Zone",
    "__version__",
    "activities",
    "chains",
    "data_dir",
    "datasets",
    "dermatome",
    "differential",
    "draw",
    "draw_body_map",
    "draw_cohort",
    "draw_dermatome_maps",
    "draw_referral",
    "explain",
    "export",
    "fibromyalgia_criteria",
    "find",
    "generalized_pain",
    "interventions_for",
    "load",
    "node_id",
    "read_choir",
    "read_json",
    "referral",
    "referring_muscles",
    "risk_activities",
    "root_overlap",
    "roots_for",
    "score_cohort",
    "stats",
    "trace",
    "widespread_pain_index",
    "wpi_areas",
]

_WHERE: dict[str, str] = {
    "Candidate": "inference",
    "CohortScores": "cohort",
    "DataError": "exceptions",
    "Declaration": "metagraph",
    "Differential": "differential",
    "EDGE_TYPES": "metagraph",
    "EVIDENCE_GRADES": "schema",
    "EdgeKind": "metagraph",
    "Explanation": "trace",
    "FibromyalgiaResult": "wpi",
    "Hit": "trace",
    "InvalidArgumentError": "exceptions",
    "METAGRAPH": "metagraph",
    "Metagraph": "metagraph",
    "MissingCellsWarning": "registry",
    "MyofascialGraphError": "exceptions",
    "NODE_KINDS": "metagraph",
    "NodeKind": "metagraph",
    "NotReachedError": "exceptions",
    "Path": "trace",
    "Problem": "exceptions",
    "Referral": "referral",
    "Referrer": "referral",
    "Risk": "clinical",
    "SchemaError": "exceptions",
    "Step": "trace",
    "Style": "metagraph",
    "Suspect": "differential",
    "Trace": "trace",
    "UnknownIdError": "exceptions",
    "WPI_AREAS": "wpi",
    "WPI_REGIONS": "wpi",
    "Zone": "referral",
    "activities": "clinical",
    "chains": "query",
    "data_dir": "loading",
    "dermatome": "dermatomes",
    "differential": "differential",
    "draw": "drawing",
    "draw_body_map": "bodymap",
    "draw_cohort": "cohortmap",
    "draw_dermatome_maps": "dermatomes",
    "draw_referral": "bodymap",
    "explain": "trace",
    "export": "export",
    "fibromyalgia_criteria": "wpi",
    "find": "query",
    "generalized_pain": "wpi",
    "interventions_for": "clinical",
    "load": "graph",
    "node_id": "query",
    "read_choir": "registry",
    "read_json": "export",
    "referral": "referral",
    "referring_muscles": "referral",
    "risk_activities": "clinical",
    "root_overlap": "cohortmap",
    "roots_for": "inference",
    "score_cohort": "cohort",
    "stats": "stats",
    "trace": "trace",
    "widespread_pain_index": "wpi",
    "wpi_areas": "wpi",
}
"""The module each public name lives in; it is imported when the name is first used,
so ``import myofascial_graph`` stays fast and the command line imports only what a
command needs."""


def __getattr__(name: str) -> object:
    """The public names, each imported from its module when first asked for.

    ``CHOIR_SEGMENTS`` describes the 74 segments of the CHOIR body map by standard
    id (:class:`~myofascial_graph.cbm.Segments`); ``datasets`` holds the shipped
    cohorts (:func:`~myofascial_graph.datasets.choir_alter2021`).

    ``DERMATOME_MAPS`` maps each shipped dermatome map's id to its record
    (:class:`~myofascial_graph.examination.DermatomeMapRecord`), the choices of
    ``trace(..., dermatome_map=...)``; ``"project"`` is the default.

    >>> import myofascial_graph as mg
    >>> "project" in mg.DERMATOME_MAPS
    True
    """
    if name in _WHERE:
        from importlib import import_module

        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "datasets":
        from importlib import import_module

        return import_module(".datasets", __name__)
    if name == "CHOIR_SEGMENTS":
        from .cbm import Segments

        globals()[name] = segments = Segments()
        return segments
    if name == "DERMATOME_MAPS":
        from types import MappingProxyType

        from .graph import load

        globals()[name] = maps = MappingProxyType(dict(load().graph["dermatome_maps"]))
        return maps
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The package module: a submodule named like a public function (``trace``,
    ``export``, ``stats``, ``differential``) never hides the function, as the
    import system would otherwise do when it binds the submodule."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
