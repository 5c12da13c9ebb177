"""Which question to ask next, so that every track is decided with as few questions as possible.

Only facts that can change the verdict of a still-undecided track are candidates
(:mod:`dialogs.relevance`): a fact whose every answer leaves every verdict as it is,
given what is known and what never will be (skipped questions, facts resting on a
list the notice does not contain), is never asked. For each candidate, we
try every answer it could have (for numbers: the thresholds the rules compare
with, and their neighbours) and count how many undecided tracks that answer
would decide; the fact with the best worst case wins, ties broken by the best
average and then by the facts' order in the content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dialogs.eligibility import Assessment, Verdict, assess
from dialogs.facts import FactValue
from dialogs.loader import Content
from dialogs.relevance import list_facts, mattering_for_all
from dialogs.rules import operands
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track
from dialogs.schema_rules import Rule

Pair = tuple[Program, Track]


@dataclass(frozen=True)
class Ranking:
    """The end of a "which program fits me" dialog, in the order to show."""

    eligible_open: tuple[Assessment, ...]
    eligible_closed: tuple[Assessment, ...]
    blocked: tuple[Assessment, ...]
    undecided: tuple[Assessment, ...]


def candidate_values(fact: FactDef, rules: Sequence[Rule]) -> Sequence[FactValue]:
    """Every answer that could make a difference to ``rules``."""
    return fact.kind.candidates(fact, operands(rules, fact.id))


def assess_all(
    pairs: Sequence[Pair], facts: Mapping[str, FactValue], registry: Mapping[str, FactDef]
) -> list[Assessment]:
    return [assess(p, t, facts, registry) for p, t in pairs]


def next_question(
    pairs: Sequence[Pair], facts: Mapping[str, FactValue], content: Content, skipped: Iterable[str] = ()
) -> str | None:
    """The fact to ask next, or ``None`` when every track is decided (or only skipped facts remain)."""
    undecided = [a for a in assess_all(pairs, facts, content.facts) if a.verdict is Verdict.UNDETERMINED]
    if not undecided:
        return None
    order = {fact_id: i for i, fact_id in enumerate(content.facts)}
    never = set(skipped) | list_facts(content.facts)
    candidates = sorted(
        set(mattering_for_all(undecided, facts, content.facts, never)) - never,
        key=lambda f: order.get(f, len(order)),
    )
    rules = [r.rule for a in undecided for r in (x.requirement for x in a.reasons)]
    best: tuple[tuple[int, float, int], str] | None = None
    for fact_id in candidates:
        values = candidate_values(content.facts[fact_id], rules)
        affected = [a for a in undecided if fact_id in a.missing]  # no other track's verdict can move
        decided = []
        for value in values:
            trial = {**facts, fact_id: value}
            decided.append(
                sum(
                    1
                    for a in affected
                    if assess(a.program, a.track, trial, content.facts).verdict is not Verdict.UNDETERMINED
                )
            )
        score = (min(decided), sum(decided) / len(decided), -order.get(fact_id, 0))
        if best is None or score > best[0]:
            best = (score, fact_id)
    return best[1] if best else None


def rank(assessments: Sequence[Assessment], open_now: Mapping[tuple[str, str | None], bool]) -> Ranking:
    """Eligible and open first; then eligible but closed; then what blocks the others."""
    eligible = [a for a in assessments if a.verdict is Verdict.ELIGIBLE]
    return Ranking(
        eligible_open=tuple(a for a in eligible if open_now[(a.program.id, a.track.id)]),
        eligible_closed=tuple(a for a in eligible if not open_now[(a.program.id, a.track.id)]),
        blocked=tuple(a for a in assessments if a.verdict is Verdict.INELIGIBLE),
        undecided=tuple(a for a in assessments if a.verdict is Verdict.UNDETERMINED),
    )


def fixed_form_size(pairs: Sequence[Pair]) -> int:
    """How many facts a fixed form covering these tracks would ask: every fact any of their rules reads."""
    facts: set[str] = set()
    for program, track in pairs:
        for requirement in program.requirements:
            if not requirement.tracks or track.id in requirement.tracks:
                facts |= requirement.rule.facts()
    return len(facts)
