"""The shape of a program file (``programs/*.yaml``): one talent program as its notice states it.

Its tracks, deadlines, contacts, sectors, documents, benefits, quotas, the way to
apply, and the parts held in their own modules: the eligibility rules
(:mod:`dialogs.schema_rules`) and the program's own FAQ
(:mod:`dialogs.schema_questions`). Every item cites the clause of the notice it
comes from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from dialogs.schema import Alias, Clause, ContentModel, Grounded, Id, Text
from dialogs.schema_questions import Faq
from dialogs.schema_rules import Assessed, Requirement

# --------------------------------------------------------------------------- deadlines


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Moment(ContentModel):
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


class Milestone(Grounded):
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


class Duty(ContentModel):
    """What a contact is responsible for."""

    topics: tuple[Topic, ...] = Field(min_length=1)
    tracks: tuple[str | None, ...] = ()
    sectors: tuple[Id, ...] = ()
    #: Administrative level, where the notice distinguishes (city bureau vs province).
    level: Literal["city", "province", "region"] | None = None
    text: Text


class Contact(Grounded):
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


class Sector(Grounded):
    """A field of work a program distinguishes (which office handles it)."""

    id: Id
    label: Text
    aliases: tuple[Alias, ...] = ()
    source: Clause


# --------------------------------------------------------------------------- documents, money


DocumentForm = Literal["online_form", "printed_form", "scan", "photocopy", "original", "disc", "electronic", "paper"]


class Document(Grounded):
    id: Id
    tracks: tuple[str | None, ...] = ()
    name: Text
    copies: int | None = Field(default=None, ge=1)
    #: How it is handed in; empty where the notice does not say.
    forms: tuple[DocumentForm, ...] = ()
    provided_by: Literal["applicant", "unit", "authority"]
    note: Text | None = None
    source: Clause


class Amount(ContentModel):
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


class Benefit(Grounded):
    id: Id
    tracks: tuple[str | None, ...] = ()
    text: Text
    amount: Amount | None = None
    #: How long support lasts, in years, where the notice says.
    years: float | None = Field(default=None, gt=0)
    source: Clause


class Quota(Grounded):
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


class ApplyStep(Grounded):
    """How to apply: the online site, the paper route, who recommends."""

    id: Id
    tracks: tuple[str | None, ...] = ()
    channel: Literal["online", "paper", "recommendation", "procedure"]
    text: Text
    url: str | None = None
    source: Clause


# --------------------------------------------------------------------------- programs


class Notice(ContentModel):
    file: str = Field(pattern=r"^\S+\.txt$")
    title: Text
    number: str | None = None
    issued: dt.date | None = None


class Track(ContentModel):
    #: ``null`` for a program with a single track.
    id: Id | None
    title: Text
    summary: Text
    aliases: tuple[Alias, ...] = ()
    #: The applicant-facing milestone for this track, when it differs from the program's.
    window: Id | None = None
    #: Closed by an admin (``/close``) whatever its dates say: the office stopped taking applications.
    closed: bool = False


class Program(ContentModel):
    id: Id
    notice: Notice
    #: A draft (e.g. a policy out for comment) has no call for applications.
    draft: bool = False
    title: Text
    short_title: Text
    summary: Text
    #: The body that issued the notice, only where the notice's text names it.
    issuer: Text | None = None
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
