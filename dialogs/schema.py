"""The shape of the content files: programs, tracks, rules, deadlines, contacts, documents.

These pydantic models check the *form* of each file (types, required fields, the
Chinese text being present). Cross-references and meaning (a rule naming a fact
that does not exist, a duplicate id, a contact nobody can reach) are checked
afterwards in :mod:`dialogs.checks`, so that every problem is reported against
the exact place in the file it comes from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from dialogs.fact_kind_base import FactKind
from dialogs.fact_kinds import KINDS

Lang = Literal["zh", "en", "ug"]
LANGS: tuple[Lang, ...] = ("zh", "en", "ug")

#: Ids end up in Telegram's callback data (64 bytes with the menu number and action), hence 40.
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)]
#: A clause of the program's notice, e.g. ``§二(一)`` or ``§五(三)``.
Clause = Annotated[str, Field(pattern=r"^§\S", max_length=80)]
Scalar = bool | int | str


def _number_as_text(value: object) -> object:
    """Aliases such as ``2020`` are words to match, whatever YAML made of them."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


#: A name a user may type for a program, track or sector.
Alias = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(_Model):
    """A user-facing text. Chinese is the reference and is always required."""

    zh: str = Field(min_length=1)
    en: str | None = Field(default=None, min_length=1)
    ug: str | None = Field(default=None, min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to Chinese where it has not been written yet."""
        value = getattr(self, lang, None) if lang in LANGS else None
        return value or self.zh


# --------------------------------------------------------------------------- facts


class FactDef(_Model):
    """One applicant fact: what rules test and what the dialog asks.

    ``type`` names its kind (:data:`dialogs.fact_kinds.KINDS`): the kind checks
    the rest of the definition, reads answers and compares values.
    """

    id: Id
    type: str
    label: Text
    question: Text
    help: Text | None = None
    #: For ``choice`` and ``level``: the allowed values; for ``level`` in ascending order.
    values: tuple[str, ...] | None = None
    value_labels: dict[str, Text] | None = None
    min: int | None = None
    max: int | None = None
    #: For ``int``: what the number counts (``years_of_age``, ``years``, ``months``, ``people``).
    unit: str | None = None
    #: For an age: the applicant may answer with a birth date instead, and the age is worked out.
    from_birth_date: bool = False

    @field_validator("type")
    @classmethod
    def _a_known_kind(cls, name: str) -> str:
        if name not in KINDS:
            raise ValueError(f"'{name}' is not a known type (known: {', '.join(sorted(KINDS))})")
        return name

    @property
    def kind(self) -> FactKind:
        """The kind of answer this fact takes: its buttons, parsing, labels and comparisons."""
        return KINDS[self.type]


class FactsFile(_Model):
    facts: tuple[FactDef, ...] = Field(min_length=1)


class StaffChat(_Model):
    """The Telegram chat where one office's staff review the submissions it handles."""

    program: Id
    #: A contact of that program: the office named by the notice (see :mod:`dialogs.routing`).
    contact: Id
    #: Telegram chat id (a group's is negative). Not from the notices: set by admins per deployment.
    chat: int

    @field_validator("chat")
    @classmethod
    def _a_real_chat(cls, chat: int) -> int:
        if chat == 0:
            raise ValueError("a Telegram chat id is never 0")
        return chat


class StaffFile(_Model):
    offices: tuple[StaffChat, ...] = ()


# --------------------------------------------------------------------------- rules


class Rule(_Model):
    """A rule over applicant facts.

    Exactly one form per node: ``all: [...]``, ``any: [...]``, ``not: rule``, or a
    fact test ``{fact: title, gte: associate_senior}`` with exactly one
    comparison (``eq ne lt lte gt gte in not_in``).
    """

    all_: tuple[Rule, ...] | None = Field(default=None, alias="all", min_length=1)
    any_: tuple[Rule, ...] | None = Field(default=None, alias="any", min_length=1)
    not_: Rule | None = Field(default=None, alias="not")
    fact: str | None = None
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    gt: Scalar | None = None
    gte: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in", min_length=1)
    not_in: tuple[Scalar, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> Rule:
        combinators = [k for k in ("all_", "any_", "not_") if getattr(self, k) is not None]
        ops = self.comparisons()
        if combinators and (ops or self.fact is not None):
            raise ValueError("a rule is either all/any/not or a fact test, not both")
        if len(combinators) > 1:
            raise ValueError("use one of all/any/not per rule; nest them to combine")
        if not combinators:
            if self.fact is None:
                raise ValueError("a rule needs all, any, not or fact")
            if len(ops) != 1:
                raise ValueError("a fact test needs exactly one comparison: eq, ne, lt, lte, gt, gte, in or not_in")
        return self

    def comparisons(self) -> dict[str, Scalar | tuple[Scalar, ...]]:
        """The comparison of a fact test as ``{op: value}`` (empty for combinators)."""
        found: dict[str, Scalar | tuple[Scalar, ...]] = {}
        for op in ("eq", "ne", "lt", "lte", "gt", "gte"):
            if getattr(self, op) is not None:
                found[op] = getattr(self, op)
        if self.in_ is not None:
            found["in"] = self.in_
        if self.not_in is not None:
            found["not_in"] = self.not_in
        return found

    def facts(self) -> frozenset[str]:
        """Every fact this rule reads."""
        if self.fact is not None:
            return frozenset({self.fact})
        children = self.all_ or self.any_ or ((self.not_,) if self.not_ else ())
        out: frozenset[str] = frozenset()
        for child in children:
            out |= child.facts()
        return out


class Softening(_Model):
    """A requirement the notice softens with 一般 / 原则上: still required, but exceptions exist."""

    word: Literal["generally", "in_principle"]
    #: Contacts (ids) who can say whether an exception is possible.
    ask: tuple[Id, ...] = ()


class Requirement(_Model):
    id: Id
    #: ``requirement``: must hold. ``exclusion``: the rule describes who is excluded.
    kind: Literal["requirement", "exclusion"] = "requirement"
    #: Tracks this applies to; empty means every track of the program.
    tracks: tuple[str | None, ...] = ()
    text: Text
    rule: Rule
    softened: Softening | None = None
    source: Clause


class Assessed(_Model):
    """A condition the reviewers judge (character, merit), stated so applicants know it exists."""

    id: Id
    tracks: tuple[str | None, ...] = ()
    text: Text
    source: Clause


# --------------------------------------------------------------------------- deadlines


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Moment(_Model):
    """A date, with a time of day when the notice gives one."""

    date: dt.date
    #: ``"HH:MM"`` in quotes; absent means the whole day counts.
    time: str | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _time_is_quoted(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError('write the time in quotes, e.g. "20:00" (YAML reads 20:00 unquoted as a number)')
        if isinstance(value, str) and not _TIME.match(value):
            raise ValueError('time must be "HH:MM", e.g. "20:00"')
        return value

    def clock(self) -> dt.time | None:
        return dt.time.fromisoformat(self.time) if self.time else None


class Milestone(_Model):
    """One dated step: an application window, a paper deadline, a unit's reporting deadline."""

    id: Id
    label: Text
    #: Who must meet it: the applicant, their recommending unit, or the HR authority.
    audience: Literal["applicant", "unit", "authority"]
    opens: Moment | None = None
    closes: Moment
    timezone: str
    note: Text | None = None
    source: Clause


# --------------------------------------------------------------------------- contacts


Topic = Literal["general", "policy", "materials", "online_help", "review"]


class Duty(_Model):
    """What a contact is responsible for."""

    topics: tuple[Topic, ...] = Field(min_length=1)
    tracks: tuple[str | None, ...] = ()
    sectors: tuple[Id, ...] = ()
    #: Administrative level, where the notice distinguishes (city bureau vs province).
    level: Literal["city", "province", "region"] | None = None
    text: Text


class Contact(_Model):
    id: Id
    names: tuple[str, ...] = ()
    office: Text
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    address: Text | None = None
    postcode: str | None = None
    note: Text | None = None
    duties: tuple[Duty, ...] = Field(min_length=1)
    source: Clause


class Sector(_Model):
    """A field of work a program distinguishes (which office handles it)."""

    id: Id
    label: Text
    aliases: tuple[Alias, ...] = ()
    source: Clause


# --------------------------------------------------------------------------- documents, money


DocumentForm = Literal["online_form", "printed_form", "scan", "photocopy", "original", "disc", "electronic", "paper"]


class Document(_Model):
    id: Id
    tracks: tuple[str | None, ...] = ()
    name: Text
    copies: int | None = Field(default=None, ge=1)
    #: How it is handed in; empty where the notice does not say.
    forms: tuple[DocumentForm, ...] = ()
    provided_by: Literal["applicant", "unit", "authority"]
    note: Text | None = None
    source: Clause


class Amount(_Model):
    """A sum of money: a single figure (``min`` only) or a range."""

    min: float = Field(ge=0)
    max: float | None = Field(default=None, ge=0)
    currency: Literal["CNY"] = "CNY"
    #: What one amount is for.
    per: Literal["person_once", "person", "team", "hospital_year", "project"]

    @model_validator(mode="after")
    def _range(self) -> Amount:
        if self.max is not None and self.max < self.min:
            raise ValueError("max is below min")
        return self


class Benefit(_Model):
    id: Id
    tracks: tuple[str | None, ...] = ()
    text: Text
    amount: Amount | None = None
    #: How long support lasts, in years, where the notice says.
    years: float | None = Field(default=None, gt=0)
    source: Clause


class Quota(_Model):
    """How many may be selected or recommended, and per what."""

    id: Id
    tracks: tuple[str | None, ...] = ()
    text: Text
    count: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    approximate: bool = False
    #: The unit the number is per (each prefecture, each department…); absent for a total.
    per: Text | None = None
    source: Clause


class ApplyStep(_Model):
    """How to apply: the online site, the paper route, who recommends."""

    id: Id
    tracks: tuple[str | None, ...] = ()
    channel: Literal["online", "paper", "recommendation", "procedure"]
    text: Text
    url: str | None = None
    source: Clause


# --------------------------------------------------------------------------- free questions

#: What a free question asks about (CONTRACT §4).
Intent = Literal["deadline", "contact", "eligibility", "documents", "benefit", "quota", "apply", "programs", "other"]
INTENTS: tuple[Intent, ...] = (
    "deadline",
    "contact",
    "eligibility",
    "documents",
    "benefit",
    "quota",
    "apply",
    "programs",
    "other",
)


class Phrasings(_Model):
    """How applicants ask one question, per language: matched against what they type, never shown."""

    zh: tuple[Annotated[str, Field(min_length=2)], ...] = Field(min_length=1)
    en: tuple[Annotated[str, Field(min_length=2)], ...] = ()
    ug: tuple[Annotated[str, Field(min_length=2)], ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.zh + self.en + self.ug


class SourceRef(_Model):
    """A clause of one program's notice, for an answer that is not inside a program file."""

    program: Id
    clause: Clause


class Faq(_Model):
    """A question the notice answers in a sentence rather than a field: "can a civil servant apply"."""

    id: Id
    #: Tracks it concerns; empty means the whole program.
    tracks: tuple[str | None, ...] = ()
    intent: Intent
    q: Phrasings
    a: Text
    source: Clause


class GlobalFaq(_Model):
    """A question about several programs or about the bot itself (``faq.yaml``)."""

    id: Id
    intent: Intent
    q: Phrasings
    a: Text
    #: The clauses the answer rests on; empty only for questions about using the bot.
    sources: tuple[SourceRef, ...] = ()


class FaqFile(_Model):
    faq: tuple[GlobalFaq, ...] = ()


class Cues(_Model):
    """Words that signal an intent. ``*`` stands for a few characters: ``能*吗`` matches 能报吗, 能不能申请吗."""

    zh: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    en: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    ug: tuple[Annotated[str, Field(min_length=1)], ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.zh + self.en + self.ug


class IntentCues(_Model):
    #: Question words that say what kind of answer is wanted (什么时候, 找谁, 多少钱): they decide.
    asks: Cues = Cues()
    #: Topic words (材料, 名额, deadline): they decide when no question word does.
    about: Cues = Cues()


class AskFile(_Model):
    """``ask.yaml``: the vocabulary the answerer reads questions with (not shown to applicants)."""

    #: Per intent, the words that signal it (``other`` has none: it is what is left).
    intents: dict[
        Literal["deadline", "contact", "eligibility", "documents", "benefit", "quota", "apply", "programs"], IntentCues
    ]
    #: Words naming each region a program belongs to (新疆, 阳泉…): they tell two programs apart.
    regions: dict[Literal["xinjiang", "shanxi"], tuple[Alias, ...]] = Field(default_factory=dict)
    #: Words that ask to compare programs (区别, difference): every program named is then shown.
    compare: tuple[str, ...] = ()
    #: Words too common to say what a question is about (的, 吗, the, is…): left out of matching.
    stopwords: tuple[str, ...] = ()


# --------------------------------------------------------------------------- programs


class Notice(_Model):
    file: str = Field(pattern=r"^\S+\.txt$")
    title: Text
    number: str | None = None
    issued: dt.date | None = None


class Track(_Model):
    #: ``null`` for a program with a single track.
    id: Id | None
    title: Text
    summary: Text
    aliases: tuple[Alias, ...] = ()
    #: The applicant-facing milestone for this track, when it differs from the program's.
    window: Id | None = None


class Program(_Model):
    id: Id
    notice: Notice
    #: A draft (e.g. a policy out for comment) has no call for applications.
    draft: bool = False
    title: Text
    short_title: Text
    summary: Text
    issuer: Text
    region: Literal["xinjiang", "shanxi"]
    aliases: tuple[Alias, ...] = ()
    tracks: tuple[Track, ...] = Field(min_length=1)
    #: The applicant-facing milestone (id in ``deadlines``).
    window: Id | None = None
    deadlines: tuple[Milestone, ...] = ()
    sectors: tuple[Sector, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    assessed: tuple[Assessed, ...] = ()
    documents: tuple[Document, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    quotas: tuple[Quota, ...] = ()
    contacts: tuple[Contact, ...] = ()
    apply: tuple[ApplyStep, ...] = ()
    faq: tuple[Faq, ...] = ()

    def cite(self, clause: str) -> str:
        """The full citation of a clause of this program's notice: ``file §clause``."""
        return f"{self.notice.file} {clause}"

    def track(self, track_id: str | None) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(track_id)

    def milestone(self, milestone_id: str) -> Milestone:
        for milestone in self.deadlines:
            if milestone.id == milestone_id:
                return milestone
        raise KeyError(milestone_id)

    def window_of(self, track: Track) -> Milestone | None:
        """The milestone whose window the applicant of ``track`` faces."""
        chosen = track.window or self.window
        return self.milestone(chosen) if chosen else None


def applies_to(item_tracks: tuple[str | None, ...], track_id: str | None) -> bool:
    """Whether a program-level item scoped by ``tracks`` concerns ``track_id``."""
    return not item_tracks or track_id in item_tracks
