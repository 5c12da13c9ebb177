"""Which missing facts can still change a verdict, so that the dialog asks those and no others.

Three-valued evaluation (:mod:`dialogs.rules`) names the facts an undecided rule
lacks, but a fact it names may still be unable to change anything: a track with
two undecided requirements, one resting on a list the notice does not contain,
is never *eligible*, so an answer that could only satisfy the other requirement
changes nothing. A fact *matters* to an undecided track when some answers to the
other facts that can still be asked, and two answers to this one, give the track
two different verdicts. Facts that will never be known (``unknowable``: skipped
by the applicant, or resting on a list the applicant cannot see) are not asked
and stay unknown in every such completion.

The search runs per track over groups of requirements linked by the facts they
share (requirements on disjoint facts are decided independently), trying for
each fact the answers its kind says could make a difference (its candidates).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

from dialogs.eligibility import Assessment, TrackPlan, Verdict, track_plan
from dialogs.facts import FactValue
from dialogs.rule_plans import MISSING
from dialogs.rules import distinct_answers
from dialogs.schema_facts import FactDef

#: A group whose answers multiply beyond this many is not searched: all its facts count as mattering
#: (asking one question too many is better than never asking one that decides). No content comes close.
SEARCH_LIMIT = 20_000


def list_facts(registry: Mapping[str, FactDef]) -> frozenset[str]:
    """Facts that rest on a list the notice names but does not contain: never asked."""
    return frozenset(fact_id for fact_id, fact in registry.items() if fact.needs_list is not None)


def mattering(
    assessment: Assessment,
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
    unknowable: Iterable[str] = (),
) -> tuple[str, ...]:
    """The missing facts, in the order the assessment names them, that can change this track's verdict."""
    if assessment.verdict is not Verdict.UNDETERMINED:
        return ()
    plan = track_plan(assessment.program, assessment.track, registry)
    # the dialog asks for the same track's facts again at every turn, and applicants share answers
    key = (tuple(map(facts.get, plan.reads, repeat(MISSING))), frozenset(unknowable).intersection(plan.reads))
    found = plan.mattering.get(key)
    if found is None:
        found = plan.mattering.put(key, _mattering(plan, facts, key[1], registry))
    return tuple(f for f in assessment.missing if f in found)


@dataclass(frozen=True)
class StillNeeded:
    """What an undecided verdict waits for: answers the applicant can give, and lists nobody has."""

    #: Facts the dialog can ask (or that were skipped) whose answer can still change the verdict.
    facts: tuple[str, ...]
    #: Facts resting on a list the notice names but does not contain, that the verdict depends on.
    lists: tuple[str, ...]


def still_needed(
    assessment: Assessment, facts: Mapping[str, FactValue], registry: Mapping[str, FactDef]
) -> StillNeeded:
    """Exactly the missing facts that can change this verdict ("what else would you need")."""
    lists = list_facts(registry)
    askable = mattering(assessment, facts, registry, lists)
    depends = mattering(assessment, facts, registry)
    return StillNeeded(tuple(f for f in askable if f not in lists), tuple(f for f in depends if f in lists))


def mattering_for_all(
    assessments: Sequence[Assessment],
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
    unknowable: Iterable[str] = (),
) -> tuple[str, ...]:
    """The facts that can change the verdict of at least one of ``assessments``, in order of first mention."""
    skip = frozenset(unknowable)
    return tuple(dict.fromkeys(f for a in assessments for f in mattering(a, facts, registry, skip)))


def _value(index: int, plan: TrackPlan, facts: Mapping[str, FactValue]) -> bool | None:
    """Whether the applicant passes the requirement (an exclusion: is not excluded), or None if unknown."""
    met = plan.rules[index].outcome(facts).value
    return met if met is None or not plan.exclusions[index] else not met


def _all3(values: Iterable[bool | None]) -> bool | None:
    """Three-valued "and": false beats unknown beats true."""
    result: bool | None = True
    for v in values:
        if v is False:
            return False
        if v is None:
            result = None
    return result


def _mattering(
    plan: TrackPlan,
    facts: Mapping[str, FactValue],
    unknowable: frozenset[str],
    registry: Mapping[str, FactDef],
) -> frozenset[str]:
    open_requirements: list[tuple[int, frozenset[str]]] = []
    for index, rule in enumerate(plan.rules):
        outcome = rule.outcome(facts)
        if outcome.value is None:
            open_requirements.append((index, frozenset(outcome.missing) - unknowable))
    groups = _groups(open_requirements)
    # What each group can come to over every answer to its askable facts; a group with none is unknown.
    reach: list[set[bool | None]] = []
    pivots: list[dict[str, tuple[bool, bool]]] = []
    for requirements, variables in groups:
        can, pivot = _search(plan, requirements, sorted(variables), facts, registry)
        reach.append(can)
        pivots.append(pivot)
    found: set[str] = set()
    for i, pivot in enumerate(pivots):
        others = [r for j, r in enumerate(reach) if j != i]
        others_true = all(True in r for r in others)
        others_not_false = all(True in r or None in r for r in others)
        for fact_id, (changes, to_false) in pivot.items():
            if (changes and others_true) or (to_false and others_not_false):
                found.add(fact_id)
    return frozenset(found)


def _groups(open_requirements: list[tuple[int, frozenset[str]]]) -> list[tuple[list[int], set[str]]]:
    """Requirements (their positions in the track's plan) linked by the askable facts they share, with those facts."""
    groups: list[tuple[list[int], set[str]]] = []
    for requirement, variables in open_requirements:
        linked = [g for g in groups if g[1] & variables]
        merged: tuple[list[int], set[str]] = ([requirement], set(variables))
        for g in linked:
            merged[0].extend(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    return groups


def _search(
    plan: TrackPlan,
    requirements: list[int],
    variables: list[str],
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
) -> tuple[set[bool | None], dict[str, tuple[bool, bool]]]:
    """Every value the group can take, and per fact: (some answer change moves the group's value,
    some answer change moves it to or from *false*)."""
    rules = [plan.requirements[i].rule for i in requirements]
    choices = [distinct_answers(rules, registry[v]) for v in variables]
    size = 1
    for c in choices:
        size *= len(c)
    if size > SEARCH_LIMIT:
        return {True, False, None}, dict.fromkeys(variables, (True, True))
    table: dict[tuple[FactValue, ...], bool | None] = {}
    trial = dict(facts)
    for answers in itertools.product(*choices):
        trial.update(zip(variables, answers, strict=True))
        table[answers] = _all3(_value(i, plan, trial) for i in requirements)
    pivot: dict[str, tuple[bool, bool]] = {}
    for i, fact_id in enumerate(variables):
        changes = to_false = False
        rows: dict[tuple[FactValue, ...], set[bool | None]] = {}
        for answers, value in table.items():
            rows.setdefault(answers[:i] + answers[i + 1 :], set()).add(value)
        for values in rows.values():
            if len(values) > 1:
                changes = True
                to_false = to_false or False in values
        pivot[fact_id] = (changes, to_false)
    return set(table.values()), pivot
