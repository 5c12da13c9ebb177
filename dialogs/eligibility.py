"""Eligibility: facts + a track's requirements → a verdict with one cited reason per requirement.

Verdicts follow CONTRACT §3: ``ineligible`` when any requirement fails or any
exclusion applies; else ``undetermined`` when a needed fact is missing; else
``eligible``. A requirement every possible answer decides the same way is decided
(:func:`dialogs.rules.settle`). Softened requirements (一般 / 原则上) count like any other; their
reasons say that exceptions are possible and whom to ask (see :mod:`dialogs.explain`).

A track's requirements and their rules are compiled once per content version (:class:`TrackPlan`,
with :mod:`dialogs.rule_plans`), and a verdict is remembered per answer to the facts the track reads:
the dialog, the screens and the fit-finder assess the same tracks on the same answers many times
over, for one applicant and across applicants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import repeat

from dialogs.facts import Facts, FactValue
from dialogs.memo import Memo, PerObject
from dialogs.rule_plans import MISSING, RulePlan
from dialogs.rules import operands
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


#: A verdict without its program and track (the memo must not keep the content alive).
Judged = tuple[Verdict, tuple[Reason, ...], tuple[str, ...]]

#: Verdicts kept per track (and as many sets of facts that matter): the answers to its facts most applicants
#: share. About a kilobyte each: a few dozen tracks keep some tens of megabytes at most.
VERDICTS_KEPT = 1_024


class TrackPlan:
    """One track's requirements compiled against one content's facts."""

    __slots__ = ("_judged", "exclusions", "mattering", "operands", "reading", "reads", "requirements", "rules")

    def __init__(self, requirements: tuple[Requirement, ...], rules: tuple[RulePlan, ...]):
        self.requirements = requirements
        self.rules = rules
        self.exclusions = tuple(r.kind == "exclusion" for r in requirements)
        #: Every fact a requirement of the track reads, in a fixed order (the memo key follows it).
        self.reads: tuple[str, ...] = tuple(sorted({f for plan in rules for f in plan.reads}))
        #: Per fact: the requirements (their positions) whose rule reads it.
        self.reading: dict[str, tuple[int, ...]] = {
            f: tuple(i for i, plan in enumerate(rules) if f in plan.reads) for f in self.reads
        }
        #: Per fact: the values the track's rules compare it with, as :func:`dialogs.rules.operands` lists them.
        self.operands: dict[str, tuple[FactValue, ...]] = {
            f: tuple(operands([r.rule for r in requirements], f)) for f in self.reads
        }
        self._judged: Memo[tuple[object, ...], Judged] = Memo(VERDICTS_KEPT)
        #: The missing facts that can change the verdict, per answers and facts never to be known
        #: (:func:`dialogs.relevance.mattering` keeps it here: it lives as long as the track's plan).
        self.mattering: Memo[tuple[object, ...], frozenset[str]] = Memo(VERDICTS_KEPT)

    def judge(self, facts: Facts) -> Judged:
        key = tuple(map(facts.get, self.reads, repeat(MISSING)))
        hit = self._judged.get(key)
        if hit is None:
            hit = self._judged.put(key, self._judge(facts))
        return hit

    def _judge(self, facts: Facts) -> Judged:
        reasons = []
        for requirement, plan, exclusion in zip(self.requirements, self.rules, self.exclusions, strict=True):
            outcome = plan.outcome(facts)
            met = outcome.value
            if exclusion and met is not None:
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
        return verdict, tuple(reasons), missing


class ProgramPlan:
    """A program's requirements per track, and their compiled form per content's facts."""

    def __init__(self, program: Program):
        self.requirements: dict[str | None, tuple[Requirement, ...]] = {
            t.id: _requirements(program, t.id) for t in program.tracks
        }
        self._program_requirements = program.requirements
        self._compiled: dict[int, tuple[Mapping[str, FactDef], dict[str | None, TrackPlan]]] = {}

    def requirements_of(self, track_id: str | None) -> tuple[Requirement, ...]:
        found = self.requirements.get(track_id)
        if found is None:  # a track that is not the program's own: filtered as asked
            found = tuple(r for r in self._program_requirements if applies_to(r.tracks, track_id))
        return found

    def track(self, track_id: str | None, registry: Mapping[str, FactDef]) -> TrackPlan:
        compiled = self._compiled.get(id(registry))
        if compiled is None or compiled[0] is not registry:
            compiled = self._compiled[id(registry)] = (registry, {})
        plan = compiled[1].get(track_id)
        if plan is None:
            rules = {id(r): RulePlan(r.rule, registry) for r in self._program_requirements}
            for tid in {*self.requirements, track_id}:
                requirements = self.requirements_of(tid)
                compiled[1][tid] = TrackPlan(requirements, tuple(rules[id(r)] for r in requirements))
            plan = compiled[1][track_id]
        return plan


def _requirements(program: Program, track_id: str | None) -> tuple[Requirement, ...]:
    return tuple(r for r in program.requirements if applies_to(r.tracks, track_id))


#: Each program's plan, for as long as the program (its content version) lives.
program_plan: PerObject[Program, ProgramPlan] = PerObject(ProgramPlan)


def track_plan(program: Program, track: Track, registry: Mapping[str, FactDef]) -> TrackPlan:
    return program_plan(program).track(track.id, registry)


def requirements_of(program: Program, track: Track) -> list[Requirement]:
    return list(program_plan(program).requirements_of(track.id))


def assess(program: Program, track: Track, facts: Facts, registry: Mapping[str, FactDef]) -> Assessment:
    return Assessment(program, track, *program_plan(program).track(track.id, registry).judge(facts))
