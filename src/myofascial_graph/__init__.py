"""myofascial_graph: a cited knowledge graph of spinal roots, nerves, muscles,
fascia and body regions, for tracing how an irritated nerve root could spread
pain — a research and teaching tool, not a diagnostic device.

>>> import myofascial_graph as mg
>>> G = mg.load()
>>> t = mg.trace(G, "S1")
>>> t.regions["lateral_heel"].pathway
'radicular'
"""

from . import datasets
from .bodymap import draw_body_map
from .cbm import Segments
from .clinical import Risk, activities, interventions_for, risk_activities
from .cohort import CohortScores, score_cohort
from .cohortmap import draw_cohort, root_overlap
from .differential import Differential, Suspect, differential
from .drawing import draw
from .exceptions import (
    DataError,
    InvalidArgumentError,
    MyofascialGraphError,
    NotReachedError,
    Problem,
    SchemaError,
    UnknownIdError,
)
from .export import export, read_json
from .graph import load
from .inference import Candidate, roots_for
from .loading import data_dir
from .metagraph import (
    EDGE_TYPES,
    METAGRAPH,
    NODE_KINDS,
    Declaration,
    EdgeKind,
    Metagraph,
    NodeKind,
    Style,
)
from .query import chains, find, node_id
from .registry import MissingCellsWarning, read_choir
from .schema import EVIDENCE_GRADES
from .stats import stats
from .trace import Explanation, Hit, Path, Step, Trace, explain, trace
from .wpi import (
    WPI_AREAS,
    WPI_REGIONS,
    FibromyalgiaResult,
    fibromyalgia_criteria,
    generalized_pain,
    widespread_pain_index,
    wpi_areas,
)

__version__ = "0.1.0"

CHOIR_SEGMENTS = Segments()
"""The 74 segments of the CHOIR body map by standard id (see :mod:`myofascial_graph.cbm`)."""

__all__ = [
    "CHOIR_SEGMENTS",
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
    "Risk",
    "SchemaError",
    "Step",
    "Style",
    "Suspect",
    "Trace",
    "UnknownIdError",
    "__version__",
    "activities",
    "chains",
    "data_dir",
    "datasets",
    "differential",
    "draw",
    "draw_body_map",
    "draw_cohort",
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
    "risk_activities",
    "root_overlap",
    "roots_for",
    "score_cohort",
    "stats",
    "trace",
    "widespread_pain_index",
    "wpi_areas",
]
