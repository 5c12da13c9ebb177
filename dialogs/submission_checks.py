"""What must hold before an application is sent, and what the applicant still owes the notice after.

The bot takes a submission only when the notice would: a requirement it states
firmly and the applicant fails stops it; one it softens (一般 / 原则上) lets it
through with a warning the applicant and staff both see; every item the
applicant provides must have a file; and one track takes one submission per
applicant. After sending, the notice's own route (through the unit, the online
system, paper copies by a date) still lies ahead: :func:`next_steps` reads it
from the content, never from a list kept per program. Pure: no clock, no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dialogs.eligibility import Assessment, Reason, Verdict, assess
from dialogs.loader import Content
from dialogs.schema_program import ApplyStep, Document, Milestone, Program, Track, applies_to

#: The apply channels that ask something of the applicant (``procedure`` steps are the offices' own work).
APPLICANT_CHANNELS = ("recommendation", "online", "paper")
#: How a document is handed in that is more than the file sent here: printed, on paper, on a disc, in person.
HANDED_IN_FORMS = frozenset({"printed_form", "paper", "photocopy", "original", "disc", "online_form"})


class Submitted(Protocol):
    """What the checks read of a submission already made (``dialogs.flows.context.SubmissionView`` fits)."""

    @property
    def reference(self) -> str: ...
    @property
    def program(self) -> str: ...
    @property
    def track(self) -> str | None: ...
    @property
    def status(self) -> str: ...


def firm_failures(assessment: Assessment) -> tuple[Reason, ...]:
    """Requirements the applicant fails that the notice states without a softening word: they stop a submission."""
    return tuple(r for r in assessment.reasons if r.met is False and r.requirement.softened is None)


def softened_failures(assessment: Assessment) -> tuple[Reason, ...]:
    """Requirements the applicant fails that the notice softens (一般 / 原则上): a warning, not a stop."""
    return tuple(r for r in assessment.reasons if r.met is False and r.requirement.softened is not None)


def firm_unknown(assessment: Assessment, skipped: Iterable[str] = ()) -> str | None:
    """A fact not yet answered that a firmly stated requirement needs. Asked before applying even when a
    softened failure has already made the verdict "not eligible": a firm failure must not hide behind it."""
    passed = set(skipped)
    for reason in assessment.reasons:
        if reason.met is None and reason.requirement.softened is None:
            for fact in reason.missing:
                if fact not in passed:
                    return fact
    return None


def applicant_items(program: Program, track: Track) -> list[Document]:
    """The checklist items the applicant provides themselves (their unit's may be left to the unit)."""
    return [d for d in program.documents if applies_to(d.tracks, track.id) and d.provided_by == "applicant"]


def missing_items(program: Program, track: Track, documents: Mapping[str, Sequence[Any]]) -> tuple[str, ...]:
    """The applicant's own checklist items with no file yet, in the checklist's order."""
    return tuple(d.id for d in applicant_items(program, track) if not documents.get(d.id))


def earlier_submission(submissions: Iterable[Submitted], program_id: str, track_id: str | None) -> Submitted | None:
    """The applicant's submission to this very track, if there is one (withdrawn ones are deleted, so
    every one the edge reads counts): a second is pointed to it instead of being made."""
    return next((s for s in submissions if s.program == program_id and s.track == track_id), None)


def fitting_tracks(content: Content, facts: Mapping[str, Any], besides: tuple[str, str | None]) -> list[Assessment]:
    """The other tracks the applicant's answers so far make them eligible for (a refusal names them)."""
    found = []
    for program, track in content.tracks():
        if (program.id, track.id) == besides or program.draft:
            continue
        assessment = assess(program, track, facts, content.facts)
        if assessment.verdict is Verdict.ELIGIBLE:
            found.append(assessment)
    return found


# --------------------------------------------------------------------------- after sending


@dataclass(frozen=True)
class NextSteps:
    """What the notice still asks of the applicant once the bot has sent the application on."""

    #: The notice's steps through the unit, the online system and on paper, for this track.
    steps: tuple[ApplyStep, ...]
    #: The applicant's own documents the notice wants handed in (printed, on paper, copies, a disc).
    handed_in: tuple[Document, ...]
    #: Dates the applicant (or their unit, on their behalf) must meet, in the content's order.
    dates: tuple[Milestone, ...]


def next_steps(program: Program, track: Track) -> NextSteps:
    """The route the notice lays down after the bot: read from the program's ``apply`` steps, the applicant's
    documents with copies or a paper form, and the deadlines of the applicant and of their unit."""
    steps = tuple(s for s in program.apply if applies_to(s.tracks, track.id) and s.channel in APPLICANT_CHANNELS)
    handed_in = tuple(
        d for d in applicant_items(program, track) if d.copies is not None or HANDED_IN_FORMS.intersection(d.forms)
    )
    dates = tuple(m for m in program.deadlines if m.audience in ("applicant", "unit"))
    return NextSteps(steps, handed_in, dates)
