"""Long screens are composed once and shown again, yet always say where the windows stand at the moment.

A program's page, an answer, a verdict and the fit-finder's result are remembered per content version,
language and what they say of the moment (a window open or not, a program's status); a deadline's
"closes in 3 days" is composed every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.answers import compose
from dialogs.loader import Content, load_content
from dialogs.memo import forget_answers
from dialogs.render import COMPOSERS

BEIJING = ZoneInfo("Asia/Shanghai")
AID = "xj-aid-talent-2023b2"
#: The aid plan's window closes on 15 June 2023 at 20:00, Beijing time.
OPEN = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
CLOSED = dt.datetime(2023, 6, 16, 12, 0, tzinfo=BEIJING)
INTENTS = ("deadline", "contact", "documents", "benefit", "quota", "apply", "eligibility", "programs")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def fresh(make: Callable[..., str], *args: Any) -> str:
    """What a composer says with nothing remembered."""
    forget_answers()
    return make(*args)


@pytest.mark.parametrize("intent", INTENTS)
def test_a_remembered_program_page_reads_as_one_composed_anew(content: Content, intent: str) -> None:
    tr = translator("en")
    for program in content.programs:
        for now in (OPEN, CLOSED):
            first = compose(intent, program, None, None, now, tr)
            again = compose(intent, program, None, None, now, tr)
            assert first == again == fresh(compose, intent, program, None, None, now, tr)


def test_a_program_page_says_the_status_of_the_moment_it_is_shown(content: Content) -> None:
    tr = translator("en")
    aid = content.program(AID)
    while_open = compose("apply", aid, None, None, OPEN, tr)
    after = compose("apply", aid, None, None, CLOSED, tr)
    assert "(status: open)" in while_open
    assert "(status: closed)" in after


def test_a_deadline_answer_counts_the_time_left_at_each_showing(content: Content) -> None:
    tr = translator("en")
    aid = content.program(AID)
    five_days_before = compose("deadline", aid, None, None, OPEN, tr)
    a_day_later = compose("deadline", aid, None, None, OPEN + dt.timedelta(days=1), tr)
    assert five_days_before != a_day_later
    assert a_day_later == fresh(compose, "deadline", aid, None, None, OPEN + dt.timedelta(days=1), tr)


def test_a_remembered_verdict_tells_an_eligible_applicant_whether_the_window_is_open_now(content: Content) -> None:
    tr = translator("en")
    facts = {
        "region": "other",
        "title": "senior",
        "education": "doctorate",
        "agreement_signed": True,
        "civil_servant": False,
        "in_key_program": False,
        "applying_elsewhere": False,
        "months_in_xj_per_year": 6,
    }
    args = {"program": AID, "track": "flexible-expert", "facts": facts}
    verdict = COMPOSERS["@verdict"]
    while_open = verdict(args, content, OPEN, tr)
    after = verdict(args, content, CLOSED, tr)
    assert while_open == fresh(verdict, args, content, OPEN, tr)
    assert after == fresh(verdict, args, content, CLOSED, tr)
    assert "Next: you can apply now." in while_open
    assert "Next: you can apply now." not in after


def test_a_remembered_ranking_reads_as_one_composed_anew(content: Content) -> None:
    tr = translator("zh")
    ranking = COMPOSERS["@ranking"]
    for facts in ({}, {"region": "xinjiang", "post": "professional", "title": "senior"}, {"region": "other"}):
        args = {"facts": facts}
        for now in (OPEN, CLOSED):
            shown = ranking(args, content, now, tr)
            assert shown == ranking(args, content, now, tr) == fresh(ranking, args, content, now, tr)
