"""Pydantic models for the records in the YAML data files.

Each data file is a mapping from a record id to a record.  The loader puts the
key into the record as ``id`` and validates it with the model of its file, so
a misspelt field, a wrong type or a malformed id is refused at the boundary.

References to other records (a muscle's nerve, a root's dermatome region, …)
are written either as a bare id, which inherits the sources of the record it
stands in, or as a mapping that carries its own weight, sources, evidence
grade and note::

    roots:
      - {root: S1, level: primary}
      - {root: L5, level: secondary, sources: [kendall2005], note: "..."}
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .names import check_choice, plain_text

__all__ = [
    "EVIDENCE_GRADES",
    "ID_PATTERN",
    "LEVEL_WEIGHTS",
    "ROOT_PATTERN",
    "SOURCE_PATTERN",
    "WPI_AXIAL_AREAS",
    "WPI_SIDED_AREAS",
    "ActivityRecord",
    "ChainRecord",
    "ChainTransition",
    "ConditionRecord",
    "Contraction",
    "Evidence",
    "FasciaLink",
    "FasciaRecord",
    "InterventionRecord",
    "Level",
    "Link",
    "LoadLink",
    "ModelRecord",
    "MuscleRecord",
    "NerveRecord",
    "Record",
    "RegionRecord",
    "RootLink",
    "RootRecord",
    "SourceRecord",
    "bare_id_fields",
    "evidence_rank",
]

Evidence = Literal[
    "textbook",
    "dissection",
    "experimental",
    "review",
    "web_reference",
    "clinical_model",
    "expert_opinion",
]
"""Evidence grades, from established anatomy to speculation."""

EVIDENCE_GRADES: tuple[Evidence, ...] = (
    "textbook",
    "dissection",
    "experimental",
    "review",
    "web_reference",
    "clinical_model",
    "expert_opinion",
)
"""The grades in order, strongest first: textbook anatomy, dissection studies,
experimental studies (electromyography, nerve stimulation, biomechanics,
trials), reviews of the literature, web references (tertiary pages: online
atlases, encyclopaedias, dictionaries, course notes, copies of Wikipedia; below
the textbooks they restate), clinical models (myofascial chains, referral
patterns) and expert opinion (claims made without published data)."""


def evidence_rank(min_evidence: str | None) -> int:
    """The index in :data:`EVIDENCE_GRADES` of the weakest grade a query keeps.

    ``None`` keeps every grade.

    Examples
    --------
    >>> evidence_rank("review"), evidence_rank(None)
    (3, 7)
    """
    if min_evidence is None:
        return len(EVIDENCE_GRADES)
    return EVIDENCE_GRADES.index(check_choice(min_evidence, EVIDENCE_GRADES, "min_evidence"))


Level = Literal["primary", "secondary"]
"""Segmental contribution of a root: ``primary`` (a main segment) or ``secondary``."""

LEVEL_WEIGHTS: dict[str, float] = {"primary": 1.0, "secondary": 0.5}
"""Edge weight given to a primary and a secondary segmental contribution."""

Relation = Literal["origin", "insertion", "enclosure", "continuity", "attachment"]

ID_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
"""Node ids: snake_case, starting with a letter."""

SOURCE_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Source ids."""

NodeId = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=80,
        description="A snake_case record id, e.g. 'gluteus_maximus'.",
    ),
]
ROOT_PATTERN = r"^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1)$"
RootId = Annotated[
    str,
    Field(
        pattern=ROOT_PATTERN,
        description="A spinal nerve root: C1-C8, T1-T12, L1-L5, S1-S5 or Co1.",
    ),
]
RootRef = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z]{1,2}[0-9]{1,2}$",
        description="The id of a root record, e.g. 'S1' (checked against nerve_roots.yaml).",
    ),
]
SourceId = Annotated[
    str,
    Field(
        pattern=SOURCE_PATTERN,
        max_length=80,
        description="The id of an entry of sources.yaml.",
    ),
]
Xref = Annotated[
    str,
    Field(
        pattern=r"^(UBERON:\d{7}|FMA:\d{1,7})$",
        description="An ontology cross-reference, 'UBERON:0001370' or 'FMA:22314'.",
    ),
]
Weight = Annotated[
    float, Field(gt=0.0, le=1.0, strict=True, description="An edge weight in (0, 1].")
]
Plain = AfterValidator(plain_text)
"""Marks text that may hold no control or bidirectional character (:func:`plain_text`);
every other ``str`` of a record has a pattern that admits plain characters only."""
Text = Annotated[str, Field(min_length=1, max_length=2000), Plain]
Label = Annotated[str, Field(min_length=1, max_length=120, description="A human label."), Plain]
Abbreviation = Annotated[str, Field(min_length=1, max_length=20), Plain]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    def _repr_html_(self) -> str:
        """The record as an HTML table of its filled-in fields (for Jupyter)."""
        from html import escape

        rows = []
        for name, value in self.model_dump(mode="json", exclude_none=True).items():
            if value in ((), [], ""):
                continue
            if isinstance(value, list):
                value = "<br>".join(escape(_brief(v)) for v in value)
            else:
                value = escape(str(value))
            rows.append(f"<tr><th style='text-align:left'>{name}</th><td>{value}</td></tr>")
        title = escape(f"{type(self).__name__} {getattr(self, 'id', '')}")
        return f"<table><caption>{title}</caption>{''.join(rows)}</table>"


def _brief(value: Any) -> str:
    """A link as ``S1 (primary)``; anything else as text."""
    if isinstance(value, dict):
        head = next((value[k] for k in ("id", "root", "muscle", "from") if k in value), "")
        rest = [str(v) for k, v in value.items() if k in ("level", "relation", "contraction")]
        return f"{head} ({', '.join(rest)})" if rest else str(head)
    return str(value)


class _Cited(_Strict):
    """Provenance shared by links: own sources, evidence grade and a note."""

    sources: tuple[SourceId, ...] = Field(
        default=(),
        description="Sources for this link; empty means the record's own sources.",
    )
    evidence: Evidence | None = Field(
        default=None,
        description="Evidence grade; empty means the strongest grade of the sources.",
    )
    note: Text | None = Field(default=None, description="A free-text remark, e.g. a disagreement.")

    _bare_field: ClassVar[str] = ""

    @model_validator(mode="before")
    @classmethod
    def _expand_bare_id(cls, value: Any) -> Any:
        """Read a bare string ``"x"`` as ``{<bare field>: "x"}``."""
        if cls._bare_field and isinstance(value, str):
            return {cls._bare_field: value}
        return value


def bare_id_fields() -> dict[str, str]:
    """Link models that also accept a bare id, and the field the id fills.

    Examples
    --------
    >>> bare_id_fields()
    {'Link': 'id', 'RootLink': 'root'}
    """
    found: dict[str, str] = {}
    stack: list[type[_Cited]] = [_Cited]
    while stack:
        model = stack.pop(0)
        if model._bare_field:
            found[model.__name__] = model._bare_field
        stack.extend(model.__subclasses__())
    return found


class Link(_Cited):
    """A reference to a nerve, region or other record, with its provenance."""

    id: NodeId = Field(description="The id of the record referred to.")
    weight: Weight | None = Field(
        default=None,
        description="Strength of the link, in (0, 1]; empty means the default weight of "
        "its edge kind (mg.METAGRAPH).",
    )

    _bare_field: ClassVar[str] = "id"


class RootLink(_Cited):
    """A segmental contribution of a spinal root to a nerve or a muscle."""

    root: RootRef = Field(description="The contributing root.")
    level: Level = Field(
        default="primary",
        description="'primary' for a main segment, 'secondary' for a lesser one.",
    )

    _bare_field: ClassVar[str] = "root"


class FasciaLink(_Cited):
    """How a fascial structure joins a muscle."""

    muscle: NodeId = Field(description="The muscle joined by the fascia.")
    relation: Relation = Field(
        description=(
            "How they are joined: the muscle takes origin from or inserts into the "
            "fascia, the fascia encloses it, is continuous with its epimysium, "
            "or is attached to it."
        )
    )
    weight: Weight | None = Field(
        default=None,
        description="Share of tension passed on through this junction, in (0, 1]; empty "
        "means the default weight of continuous_with (mg.METAGRAPH).",
    )
    crosses_midline: bool = Field(
        default=False,
        description="True where the structure's fibres cross the midline, so that it joins "
        "the muscle of the opposite side as well.",
    )


class _Entity(_Strict):
    """Fields common to every record that becomes a graph node."""

    id: NodeId = Field(description="The record id (the key in the YAML file).")
    label: Label
    synonyms: tuple[Label, ...] = Field(default=(), description="Other names.")
    abbreviations: tuple[Abbreviation, ...] = Field(
        default=(), description="Abbreviations, e.g. 'TLF', 'ITB'."
    )
    xrefs: tuple[Xref, ...] = Field(default=(), description="UBERON and FMA cross-references.")
    description: Text | None = Field(default=None, description="One or two sentences.")
    sources: tuple[SourceId, ...] = Field(
        min_length=1, description="Sources for the record and for its links by default."
    )
    note: Text | None = Field(default=None, description="Caveats and disagreements.")


class RootRecord(_Entity):
    """A spinal nerve root (C1 ... Co1) and its dermatome."""

    id: RootId = Field(description="The root's clinical name, e.g. 'S1'.")
    dermatome: tuple[Link, ...] = Field(
        default=(),
        description="Regions of the root's dermatome in the project's map, by region id.",
    )
    convergence: tuple[Link, ...] = Field(
        default=(),
        description="Regions where the root's pain is also felt through the convergence "
        "of afferents (the trigeminocervical nucleus for C1-C3).",
    )


class NerveRecord(_Entity):
    """A peripheral or cranial nerve (or a branch), the roots that supply it and its skin."""

    roots: tuple[RootLink, ...] = Field(
        default=(), description="Roots whose fibres the nerve carries (empty for cranial nerves)."
    )
    cranial: bool = Field(default=False, description="True for a cranial nerve such as CN XI.")
    branch_of: tuple[NodeId, ...] = Field(
        default=(), description="The nerve (or nerves) this is a branch or division of."
    )
    skin: tuple[Link, ...] = Field(
        default=(), description="Regions of the nerve's cutaneous territory, by region id."
    )
    convergence: tuple[Link, ...] = Field(
        default=(),
        description="Regions where the nerve's pain is also felt through the convergence "
        "of afferents (trigeminal pain in the upper neck).",
    )


class MuscleRecord(_Entity):
    """A skeletal muscle, its innervation and where it lies."""

    part_of: tuple[NodeId, ...] = Field(
        default=(), description="The muscle this one is a part or head of, if any."
    )
    nerves: tuple[Link, ...] = Field(min_length=1, description="Nerves that innervate it.")
    roots: tuple[RootLink, ...] = Field(
        default=(),
        description="Segmental innervation, main segments as 'primary' (empty only for a "
        "muscle supplied by cranial nerves alone).",
    )
    regions: tuple[Link, ...] = Field(min_length=1, description="Regions the muscle lies in.")
    actions: tuple[Text, ...] = Field(default=(), description="Principal actions.")


class FasciaRecord(_Entity):
    """A fascial structure (fascia, aponeurosis, tract) and the muscles it joins."""

    muscles: tuple[FasciaLink, ...] = Field(
        min_length=1, description="Muscles joined by the structure, and how."
    )
    regions: tuple[Link, ...] = Field(default=(), description="Regions the structure lies in.")


WpiArea = Literal[
    "jaw",
    "shoulder_girdle",
    "upper_arm",
    "lower_arm",
    "hip",
    "upper_leg",
    "lower_leg",
    "neck",
    "upper_back",
    "lower_back",
    "chest",
    "abdomen",
]
"""Areas of the ACR 2016 Widespread Pain Index; the first seven have a left and a right."""

WPI_SIDED_AREAS: tuple[str, ...] = get_args(WpiArea)[:7]
"""The WPI areas counted on each side (jaw to lower leg)."""

WPI_AXIAL_AREAS: tuple[str, ...] = get_args(WpiArea)[7:]
"""The WPI areas of the axial skeleton and trunk, counted once."""


class RegionRecord(_Entity):
    """A body region in a part-of hierarchy."""

    part_of: tuple[NodeId, ...] = Field(default=(), description="Parent region ids.")
    bilateral: bool = Field(default=True, description="False for midline regions (neck, ...).")
    wpi_area: WpiArea | None = Field(
        default=None,
        description="The ACR 2016 Widespread Pain Index area the region lies in (inherited "
        "by its parts); sided by the region's side for bilateral regions.",
    )
    key_points: tuple[RootRef, ...] = Field(
        default=(), description="Roots whose ISNCSCI key sensory point lies in this region."
    )


class ChainTransition(_Strict):
    """One transition of a myofascial chain, from one station to the next."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    source: NodeId = Field(alias="from", description="The station the transition leaves.")
    target: NodeId = Field(alias="to", description="The next station.")
    crosses_midline: bool = Field(
        default=False, description="True where the chain continues on the opposite side."
    )
    weight: Weight | None = Field(
        default=None,
        description="Share of tension the model passes on, in (0, 1]; empty means the "
        "default weight of chain edges (mg.METAGRAPH).",
    )
    sources: tuple[SourceId, ...] = Field(
        default=(), description="Sources for this transition; empty means the chain's own."
    )
    evidence: Evidence | None = Field(
        default=None,
        description="Evidence grade, e.g. 'dissection' where dissection studies verified "
        "the continuity (Wilke et al. 2016), 'clinical_model' where only the model claims it.",
    )
    note: Text | None = Field(default=None, description="A free-text remark.")


class ChainRecord(_Strict):
    """A myofascial chain (an Anatomy Trains line): stations joined by transitions."""

    id: NodeId = Field(description="The chain id (the key in chains.yaml).")
    label: Label
    synonyms: tuple[Label, ...] = Field(default=(), description="Other names.")
    abbreviations: tuple[Abbreviation, ...] = Field(
        default=(), description="Abbreviations, e.g. 'SBL'."
    )
    description: Text | None = Field(default=None, description="One or two sentences.")
    transitions: tuple[ChainTransition, ...] = Field(
        min_length=1, description="The transitions in order; each starts where the last ended."
    )
    sources: tuple[SourceId, ...] = Field(min_length=1, description="Sources for the chain.")
    note: Text | None = Field(default=None, description="Caveats.")

    @model_validator(mode="after")
    def _transitions_join_up(self) -> ChainRecord:
        for before, after in zip(self.transitions, self.transitions[1:], strict=False):
            if after.source != before.target:
                raise ValueError(
                    f"transition from {after.source!r} does not start where the one before "
                    f"ended ({before.target!r})"
                )
        return self

    @property
    def stations(self) -> tuple[str, ...]:
        """The stations in order, from the first transition's start."""
        return (self.transitions[0].source, *(t.target for t in self.transitions))


Contraction = Literal["shortening", "lengthening", "isometric", "twitch"]
"""How a muscle works: concentric (shortening), eccentric (lengthening), isometric,
or the brief twitch contractions of electrical stimulation."""


class LoadLink(_Cited):
    """How an activity or intervention works a muscle."""

    muscle: NodeId = Field(description="The muscle worked.")
    contraction: Contraction = Field(description="Shortening, lengthening, isometric or twitch.")
    reciprocal: bool = Field(
        default=False,
        description="True when the movement reverses (e.g. hip extension into flexion), so "
        "shortening and lengthening work alternate.",
    )
    phase: Text | None = Field(default=None, description="When in the movement, e.g. 'stance'.")
    weight: Weight | None = Field(
        default=None,
        description="How much the muscle is loaded, in (0, 1]; empty means fully (1).",
    )


class ActivityRecord(_Entity):
    """An everyday activity, exercise or sport and the muscles it loads."""

    category: Literal["everyday", "exercise", "sport"] = Field(description="Kind of activity.")
    loads: tuple[LoadLink, ...] = Field(min_length=1, description="Muscles loaded, and how.")


class InterventionRecord(_Entity):
    """A treatment or exercise prescribed for a muscle, with its claimed mechanism."""

    category: Literal[
        "exercise", "manual_therapy", "electrotherapy", "needling", "education", "other"
    ] = Field(description="Kind of intervention.")
    mechanism: Text | None = Field(default=None, description="How it is claimed to work.")
    targets: tuple[LoadLink, ...] = Field(min_length=1, description="Muscles it works, and how.")


class ConditionRecord(_Entity):
    """A clinical condition the knowledge refers to (myofascial pain, fibromyalgia, ...)."""

    model: Text | None = Field(
        default=None, description="How the condition relates to the graph, and on whose account."
    )


class ModelRecord(_Strict):
    """The parameters of the pain-spread model: few, named and fitted (``data/model.yaml``).

    A source enters a region with its best path times its pathway's strength,
    and a region combines its sources by a noisy-OR; ``docs/model.md`` says
    what a score means.
    """

    id: NodeId = Field(description="The model id; traces use 'default'.")
    label: Label
    description: Text | None = Field(default=None, description="One or two sentences.")
    strengths: dict[Annotated[str, Field(pattern=ID_PATTERN)], Weight] = Field(
        min_length=1,
        description="Pathway to the strength of pain it brings to a region, in (0, 1]: "
        "the share of irritated roots that would give pain there by that pathway alone.",
    )
    levels: dict[Level, Weight] = Field(
        description="Weight of a primary and a secondary segmental contribution; a root's "
        "share of a muscle's supply is its weight over the sum for the muscle's roots."
    )
    explained: Weight = Field(
        default=0.25,
        description="roots_for: a finding predicted with at least this score counts as "
        "explained (and a root reaching a region this well makes it less specific).",
    )
    absent_penalty: Annotated[float, Field(ge=0.0, le=1.0, strict=True)] = Field(
        default=0.5, description="roots_for: weight of the predicted-but-absent term of the fit."
    )
    extra_root_penalty: Annotated[float, Field(ge=0.0, le=1.0, strict=True)] = Field(
        default=0.05, description="roots_for: fit given up for each root beyond the first."
    )
    deficit_explained: Weight = Field(
        default=0.5,
        description="differential: a numb region, weak muscle or reduced reflex counts as "
        "explained when predicted at least this much (a secondary segment's 0.5 does).",
    )
    normal_penalty: Annotated[float, Field(ge=0.0, le=2.0, strict=True)] = Field(
        default=1.0,
        description="differential: weight of the term for what a candidate predicts that "
        "was examined and found normal.",
    )
    fitted_on: tuple[Text, ...] = Field(
        default=(), description="What the strengths were fitted on, and how."
    )
    sources: tuple[SourceId, ...] = Field(min_length=1, description="Sources of the fit.")
    note: Text | None = Field(default=None, description="Caveats.")

    @model_validator(mode="after")
    def _both_levels(self) -> ModelRecord:
        missing = {"primary", "secondary"} - set(self.levels)
        if missing:
            raise ValueError(f"levels needs a weight for {sorted(missing)}")
        return self


class SourceRecord(_Strict):
    """A bibliography entry cited by records and links."""

    id: SourceId = Field(description="The source id (the key in sources.yaml).")
    type: Literal["book", "article", "web", "standard"] = Field(description="Kind of source.")
    authors: tuple[Label, ...] = Field(default=(), description="Authors or editors, 'Last AB'.")
    title: Text = Field(description="Title of the book, article or page.")
    year: Annotated[int, Field(ge=1800, le=2100)] | None = Field(
        default=None, description="Year of publication; empty when the source gives none."
    )
    edition: Label | None = Field(default=None, description="Edition of a book, e.g. '42nd'.")
    publisher: Label | None = Field(default=None, description="Publisher of a book.")
    journal: Label | None = Field(default=None, description="Journal of an article.")
    volume: Annotated[str, Field(max_length=20), Plain] | None = Field(None, description="Volume.")
    pages: Annotated[str, Field(max_length=30), Plain] | None = Field(None, description="Pages.")
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$"), Plain] | None = Field(
        default=None, description="DOI, without the resolver prefix."
    )
    isbn: Annotated[str, Field(pattern=r"^(97[89])?\d{9}[\dX]$")] | None = Field(
        default=None, description="ISBN-10 or ISBN-13, digits only."
    )
    url: Annotated[str, Field(pattern=r"^https?://\S+$"), Plain] | None = Field(
        default=None, description="Web address."
    )
    evidence: Evidence = Field(description="Grade of the claims cited from this source.")
    note: Text | None = Field(default=None, description="What the source is cited for.")

    def citation(self) -> str:
        """Return a one-line citation, e.g. ``Standring S (ed). Gray's Anatomy. 42nd ed. ...``."""
        year = "n.d." if self.year is None else str(self.year)
        parts = [", ".join(self.authors) or "Anonymous", f"({year}).", self.title + "."]
        if self.edition:
            parts.append(f"{self.edition} ed.")
        if self.journal:
            parts.append(self.journal + (f" {self.volume}" if self.volume else ""))
            if self.pages:
                parts[-1] += f":{self.pages}"
            parts[-1] += "."
        if self.publisher:
            parts.append(self.publisher + ".")
        for label, value in (("doi", self.doi), ("ISBN", self.isbn), ("", self.url)):
            if value:
                parts.append(f"{label}:{value}" if label else value)
        return " ".join(parts)


Record = (
    RootRecord
    | NerveRecord
    | MuscleRecord
    | FasciaRecord
    | RegionRecord
    | ChainRecord
    | ActivityRecord
    | InterventionRecord
    | ConditionRecord
    | SourceRecord
    | ModelRecord
)
