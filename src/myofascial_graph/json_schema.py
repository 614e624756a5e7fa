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

from .metagraph import METAGRAPH, Metagraph
from .schema import bare_id_fields

__all__ = ["file_schema", "write_schemas"]


def file_schema(filename: str, metagraph: Metagraph = METAGRAPH) -> dict[str, Any]:
    """The JSON Schema of one data file (``"muscles.yaml"``, ...): a mapping of id to record.

    The record's schema is the pydantic model's; each field that declares
    edges says which edge kind and what it means, from the metagraph.

    Examples
    --------
    >>> schema = file_schema("muscles.yaml")
    >>> schema["additionalProperties"]["$ref"]
    '#/$defs/MuscleRecord'
    >>> "replace" in schema["$defs"]["MuscleRecord"]["properties"]
    True
    >>> print(schema["$defs"]["MuscleRecord"]["properties"]["regions"]["description"])
    Regions the muscle lies in. Declares lies_in edges: where the muscle or fascial structure lies.
    """
    kind = metagraph.files[filename]
    model = metagraph.kinds[kind].model
    record = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs = record.pop("$defs", {})
    properties = record["properties"]
    id_pattern = properties.pop("id")["pattern"]
    record["required"] = [name for name in record.get("required", []) if name != "id"]
    properties["replace"] = {
        "type": "boolean",
        "description": "In a user file: replace the earlier record with this id.",
    }
    for edge_kind, declaration in metagraph.declared_by(kind):
        field = properties[declaration.field]
        field["description"] = (
            f"{field.get('description', '').rstrip('.')}. "
            f"Declares {edge_kind.name} edges: {edge_kind.meaning}."
        ).lstrip(". ")
    for name, field_name in bare_id_fields().items():
        if name in defs:
            bare = {"type": "string", "description": f"A bare id, short for {{{field_name}: id}}."}
            defs[name] = {"anyOf": [bare, defs[name]]}
    defs[model.__name__] = record
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"myofascial_graph data file {filename}",
        "description": f"A mapping of {kind} ids to {kind} records.",
        "type": "object",
        "propertyNames": {"pattern": id_pattern},
        "additionalProperties": {"$ref": f"#/$defs/{model.__name__}"},
        "$defs": dict(sorted(defs.items())),
    }


def write_schemas(folder: str | Path) -> list[Path]:
    """Write ``<name>.schema.json`` for every data file into ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename in METAGRAPH.files:
        path = folder / filename.replace(".yaml", ".schema.json")
        path.write_text(json.dumps(file_schema(filename), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
