"""Validated records as the loader hands them on: :class:`Entry` and :class:`Dataset`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .exceptions import Problem
from .geometry import BodyMapRecord
from .schema import Record, SourceRecord
from .yamlio import Document

__all__ = ["Dataset", "Entry"]


@dataclass(frozen=True)
class Entry:
    """A validated record with the file and document it came from."""

    record: Record | BodyMapRecord
    kind: str
    doc: Document = field(compare=False, repr=False)
    replace: bool = False

    @property
    def id(self) -> str:
        return self.record.id

    def line(self, *path: str | int) -> int | None:
        """Line of a field of this record (or of the record itself)."""
        return self.doc.line((self.id, *path))

    def where(self) -> str:
        """``file:line`` of the record."""
        return f"{self.doc.name}:{self.line()}"

    def problem(self, message: str, *path: str | int) -> Problem:
        return Problem(self.doc.name, self.line(*path), f"{self.kind} {self.id!r}", message)


@dataclass
class Dataset:
    """All validated records, by kind and id, in loading order.

    Attributes
    ----------
    records : dict
        Record kind to ``{id: Entry}``.
    files : list of str
        The files read, in order, as named in messages.
    metagraph : Metagraph
        The node and edge kinds the records were checked against.
    """

    records: dict[str, dict[str, Entry]]
    files: list[str]
    metagraph: Any = None

    def get(self, kind: str) -> dict[str, Entry]:
        return self.records[kind]

    @property
    def sources(self) -> dict[str, SourceRecord]:
        return {k: e.record for k, e in self.records["source"].items()}  # type: ignore[misc]
