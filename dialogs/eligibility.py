"""Eligibility: facts + a track's requirements → a verdict with one cited reason per requirement.

Verdicts follow CONTRACT §3: ``ineligible`` when any requirement fails or any
exclusion applies; else ``undetermined`` when a needed fact is missing; else
``eligible``. A requirement every possible answer decides the same way is decided
(:func:`dialogs.rules.settle`). Softened requirements (一般 / 原则上) count like any other; their
reasons say that exceptions are possible and whom to ask (see :mod:`dialogs.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dialogs.facts import Facts
from dialogs.rules import settle
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track, applies_to
from dialogs.schema_rules import Requirement


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDETERMINED = "undetermined"


@dataclass(frozen=True)
class Reason:
    requirement: Requirement
    #: Whether the applicant passes this requirement (for an exclusion: is *not* excluded).
    met: bool | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    program: Program
    track: Track
    verdict: Verdict
    reasons: tuple[Reason, ...]
    #: Facts still needed to decide (empty unless the verdict is undetermined).
    missing: tuple[str, ...]


def requirements_of(program: Program, track: Track) -> list[Requirement]:
    return [r for r in program.requirements if applies_to(r.tracks, track.id)]


def assess(program: Program, track: Track, facts: Facts, registry: Mapping[str, FactDef]) -> Assessment:
    reasons = []
    for requirement in requirements_of(program, track):
        outcome = settle(requirement.rule, facts, registry)
        met = outcome.value
        if requirement.kind == "exclusion" and met is not None:
            met = not met
        reasons.append(Reason(requirement, met, outcome.missing))
    missing: tuple[str, ...]
    if any(r.met is False for r in reasons):
        verdict, missing = Verdict.INELIGIBLE, ()
    elif any(r.met is None for r in reasons):
        verdict = Verdict.UNDETERMINED
        missing = tuple(dict.fromkeys(f for r in reasons if r.met is None for f in r.missing))
    else:
        verdict, missing = Verdict.ELIGIBLE, ()
    return Assessment(program, track, verdict, tuple(reasons), missing)
