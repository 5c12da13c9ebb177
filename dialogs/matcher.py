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
from itertools import repeat

from dialogs.eligibility import Assessment, TrackPlan, Verdict, assess, track_plan
from dialogs.facts import FactValue
from dialogs.loader import Content
from dialogs.memo import Memo, PerObject
from dialogs.relevance import list_facts, mattering_for_all
from dialogs.rule_plans import MISSING
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


@dataclass(frozen=True)
class _Group:
    """Some tracks asked about together (every track for the fit-finder, one for "am I eligible")."""

    pairs: tuple[Pair, ...]
    #: The pairs by their programs' identities and track ids.
    ids: tuple[tuple[int, str | None], ...]
    plans: tuple[TrackPlan, ...]
    #: Every fact a requirement of one of them reads, in a fixed order (memo keys follow it).
    reads: tuple[str, ...]

    def answers(self, facts: Mapping[str, FactValue]) -> tuple[object, ...]:
        """The answers that can matter to these tracks: a memo key."""
        return tuple(map(facts.get, self.reads, repeat(MISSING)))


def _group(pairs: Sequence[Pair], registry: Mapping[str, FactDef]) -> _Group:
    plans = tuple(track_plan(p, t, registry) for p, t in pairs)
    ids = tuple((id(p), t.id) for p, t in pairs)
    return _Group(tuple(pairs), ids, plans, tuple(sorted({f for plan in plans for f in plan.reads})))


@dataclass(frozen=True)
class _Plan:
    """What the picker needs of one content version besides the tracks' plans."""

    #: Each fact's position in facts.yaml (ties go to the earlier one).
    order: Mapping[str, int]
    #: Facts resting on a list the notice does not contain: never asked.
    lists: frozenset[str]
    #: Every track of the content.
    every: _Group
    #: Groups of tracks by their programs' identities and track ids (each keeps its programs: their
    #: ids cannot be another's while it lives).
    groups: Memo[tuple[tuple[int, str | None], ...], _Group]
    #: The question picked, by (tracks, their answers, skipped facts they read): see :func:`next_question`.
    picked: Memo[tuple[object, ...], tuple[_Group, str | None]]
    #: Every track's assessment, by the answers: see :func:`assess_every`.
    assessed: Memo[tuple[object, ...], tuple[Assessment, ...]]


def _plan(content: Content) -> _Plan:
    return _Plan(
        {fact_id: i for i, fact_id in enumerate(content.facts)},
        list_facts(content.facts),
        _group(content.tracks(), content.facts),
        Memo(GROUPS_KEPT),
        Memo(PICKS_KEPT),
        Memo(PICKS_KEPT // 2),
    )


#: Picks kept per content version (and half as many assessments of every track, some kilobytes each):
#: the answer sets most applicants share.
PICKS_KEPT = 4_096
#: Sets of tracks asked about together: every track, and each track on its own.
GROUPS_KEPT = 256

_plans: PerObject[Content, _Plan] = PerObject(_plan)


def assess_every(content: Content, facts: Mapping[str, FactValue]) -> tuple[Assessment, ...]:
    """Every track's assessment, in the content's order (the fit-finder's result), remembered per answers."""
    plan = _plans(content)
    key = plan.every.answers(facts)
    found = plan.assessed.get(key)
    if found is None:
        found = plan.assessed.put(
            key,
            tuple(
                Assessment(p, t, *tp.judge(facts))
                for (p, t), tp in zip(plan.every.pairs, plan.every.plans, strict=True)
            ),
        )
    return found


def next_question(
    pairs: Sequence[Pair], facts: Mapping[str, FactValue], content: Content, skipped: Iterable[str] = ()
) -> str | None:
    """The fact to ask next, or ``None`` when every track is decided (or only skipped facts remain).

    Remembered per content version, tracks, answers to the facts they read and skipped facts among
    those: every applicant of a round starts the fit-finder with the same answers (none), and most
    go on with the same few."""
    plan = _plans(content)
    ids = tuple((id(p), t.id) for p, t in pairs)
    group = plan.groups.get(ids)
    if group is None:
        group = plan.groups.put(ids, _group(pairs, content.facts))
    # the group's own ids (one tuple for every key of the group, not one per key)
    key = (group.ids, group.answers(facts), frozenset(skipped).intersection(group.reads))
    hit = plan.picked.get(key)
    if hit is None:
        # the key names the programs by identity: the group, kept with the pick, keeps them alive
        hit = plan.picked.put(key, (group, _pick(group, facts, content, key[2], plan)))
    return hit[1]


def _pick(
    group: _Group,
    facts: Mapping[str, FactValue],
    content: Content,
    skipped: frozenset[str],
    plan: _Plan,
) -> str | None:
    """For each fact that can still change a verdict, and each answer it could have, how many of the
    undecided tracks that answer would decide; the fact with the best worst case wins, ties broken by the
    best average and then by the facts' order in the content.

    Only what an answer can move is worked out again: the tracks still missing the fact, and of those
    only the requirements whose rule reads it (each rule's outcome per answer is remembered by its
    plan); every other requirement keeps the outcome it has now."""
    undecided: list[tuple[Assessment, TrackPlan]] = []
    for (program, track), track_plan_ in zip(group.pairs, group.plans, strict=True):
        verdict, reasons, missing = track_plan_.judge(facts)
        if verdict is Verdict.UNDETERMINED:
            undecided.append((Assessment(program, track, verdict, reasons, missing), track_plan_))
    if not undecided:
        return None
    order = plan.order
    never = skipped | plan.lists
    candidates = sorted(
        set(mattering_for_all([a for a, _ in undecided], facts, content.facts, never)) - never,
        key=lambda f: order.get(f, len(order)),
    )
    best: tuple[tuple[int, float, int], str] | None = None
    for fact_id in candidates:
        fact = content.facts[fact_id]
        # the values every undecided track's rules compare the fact with, as operands() lists them over
        # the tracks' rules in turn (it reads a list of rules from its end)
        compared = [v for _, t in reversed(undecided) for v in t.operands.get(fact_id, ())]
        values = fact.kind.candidates(fact, compared)
        affected = [(a, t) for a, t in undecided if fact_id in a.missing]  # no other track's verdict can move
        moving = [(t, t.reading[fact_id], _open_elsewhere(a, t.reading[fact_id])) for a, t in affected]
        decided = [
            sum(1 for t, reading, open_ in moving if _decides(t, reading, open_, facts, fact_id, value))
            for value in values
        ]
        score = (min(decided), sum(decided) / len(decided), -order.get(fact_id, 0))
        if best is None or score > best[0]:
            best = (score, fact_id)
    return best[1] if best else None


def _open_elsewhere(assessment: Assessment, reading: tuple[int, ...]) -> bool:
    """Whether a requirement that does not read the fact is undecided (the track then stays undecided
    unless the answer fails one that does)."""
    return any(r.met is None for i, r in enumerate(assessment.reasons) if i not in reading)


def _decides(
    track: TrackPlan,
    reading: tuple[int, ...],
    open_elsewhere: bool,
    facts: Mapping[str, FactValue],
    fact_id: str,
    value: FactValue,
) -> bool:
    """Whether answering ``value`` decides the track (an undecided one: no requirement fails yet)."""
    still_open = open_elsewhere
    for i in reading:
        met = track.rules[i].outcome_with(facts, fact_id, value).value
        if met is None:
            still_open = True
        elif met is track.exclusions[i]:  # fails: a requirement not met, or an exclusion that applies
            return True
    return not still_open


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
