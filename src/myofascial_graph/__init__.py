"""myofascial_graph: a cited knowledge graph of spinal roots, nerves, muscles,
fascia and body regions, for tracing how an irritated nerve root could spread
pain — a research and teaching tool, not a diagnostic device.

>>> import myofascial_graph as mg
>>> G = mg.load()
>>> t = mg.trace(G, "S1")
>>> "neck" in t.regions
True
"""

from .exceptions import DataError, MyofascialGraphError, NotReachedError, Problem, UnknownIdError
from .export import export, read_json
from .graph import EDGE_TYPES, NODE_KINDS, SchemaError
from .loading import data_dir, load
from .query import chains, find, node_id
from .schema import EVIDENCE_GRADES
from .stats import stats
from .trace import Explanation, Hit, Path, Step, Trace, trace

__version__ = "0.1.0"

__all__ = [
    "EDGE_TYPES",
    "EVIDENCE_GRADES",
    "NODE_KINDS",
    "DataError",
    "Explanation",
    "Hit",
    "MyofascialGraphError",
    "NotReachedError",
    "Path",
    "Problem",
    "SchemaError",
    "Step",
    "Trace",
    "UnknownIdError",
    "__version__",
    "chains",
    "data_dir",
    "export",
    "find",
    "load",
    "node_id",
    "read_json",
    "stats",
    "trace",
]
