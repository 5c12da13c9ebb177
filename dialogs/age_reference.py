"""The day an age is worked out on, and whether a birth year (and month) is enough for the tracks in question.

Notices limit age ("原则上年龄不超过45周岁") without naming the day; what the office
checks is the applicant's age when applications close, so an age given as a birth
date is worked out on the program's deadline when the conversation is about one
program, and on today otherwise (finding a program across several, each with its
own deadline). A birth year alone, or a year and month whose missing day falls on
that reference day, leaves two possible ages: :func:`same_either_way` says whether
they lead to the same verdict and the same reasons on every track in question, in
which case the answer can be taken; otherwise the applicant is told both ages
instead of having one guessed.

Pure: ``now`` is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from dialogs.eligibility import assess
from dialogs.facts import FactValue
from dialogs.i18n import NOTICE_ZONE
from dialogs.schedule import applicant_deadline, last_moment
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track


def age_day(pairs: Sequence[tuple[Program, Track]], now: dt.datetime) -> dt.date:
    """The program's applicant deadline when every track in question is of one program that has one; else today."""
    programs = {program.id: program for program, _track in pairs}
    if len(programs) == 1:
        (program,) = programs.values()
        deadline = applicant_deadline(program, now)
        if deadline is not None:
            return last_moment(deadline).astimezone(ZoneInfo(deadline.timezone)).date()
    return now.astimezone(ZoneInfo(NOTICE_ZONE)).date()


def same_either_way(
    pairs: Sequence[tuple[Program, Track]],
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
    fact_id: str,
    values: tuple[FactValue, FactValue],
) -> bool:
    """Whether either value of ``fact_id`` gives every track the same verdict and every requirement the same
    outcome; False when there is no track to decide (nothing can then say the difference does not matter)."""
    if not pairs:
        return False
    for program, track in pairs:
        first, second = (assess(program, track, {**facts, fact_id: value}, registry) for value in values)
        if first.verdict != second.verdict or [r.met for r in first.reasons] != [r.met for r in second.reasons]:
            return False
    return True
