"""JSON Schemas of the data files, generated from the pydantic models.

Editors that speak the YAML language server validate a data file while it is
typed when the file starts with ``# yaml-language-server: $schema=...``; the
shipped files point at the schemas in ``data/schema/``.  The schemas are
written by ``myofascial-graph schema -o data/schema`` and a test keeps the
committed ones equal to what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .loading import DATA_FILES
from .schema import RECORD_MODELS

__all__ = ["file_schema", "write_schemas"]

_ID_PATTERNS = {
    "root": r"^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1)$",
    "source": r"^[a-z][a-z0-9_]*$",
}
_NODE_ID = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
_SHORTHANDS = {"Link": "id", "RootLink": "root"}  # models that also accept a bare id


def file_schema(filename: str) -> dict[str, Any]:
    """The JSON Schema of one data file (``"muscles.yaml"``, ...): a mapping of id to record.

    Examples
    --------
    >>> schema = file_schema("muscles.yaml")
    >>> schema["additionalProperties"]["$ref"]
    '#/$defs/MuscleRecord'
    >>> "replace" in schema["$defs"]["MuscleRecord"]["properties"]
    True
    """
    kind = DATA_FILES[filename]
    model = RECORD_MODELS[kind]
    record = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs = record.pop("$defs", {})
    record["properties"].pop("id", None)
    record["required"] = [name for name in record.get("required", []) if name != "id"]
    record["properties"]["replace"] = {
        "type": "boolean",
        "description": "In a user file: replace the earlier record with this id.",
    }
    for name, field in _SHORTHANDS.items():
        if name in defs:
            bare = {"type": "string", "description": f"A bare id, short for {{{field}: id}}."}
            defs[name] = {"anyOf": [bare, defs[name]]}
    defs[model.__name__] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"myofascial_graph data file {filename}",
        "description": f"A mapping of {kind} ids to {kind} records.",
        "type": "object",
        "propertyNames": {"pattern": _ID_PATTERNS.get(kind, _NODE_ID)},
        "additionalProperties": {"$ref": f"#/$defs/{model.__name__}"},
        "$defs": dict(sorted(defs.items())),
    }


def write_schemas(folder: str | Path) -> list[Path]:
    """Write ``<name>.schema.json`` for every data file into ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in DATA_FILES:
        path = folder / filename.replace(".yaml", ".schema.json")
        path.write_text(json.dumps(file_schema(filename), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
