"""The fit-finder asks only what can matter, never about a list nobody has, and says exactly what is missing.

A question matters when some answers to the facts still open and two answers to it give
different verdicts. The oracle here searches those answers itself (every candidate answer
of every open fact of the track), independently of :mod:`dialogs.relevance`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.i18n import BabelTranslator
from dialogs.eligibility import Verdict, assess, requirements_of
from dialogs.facts import FactValue
from dialogs.loader import Content, load_content
from dialogs.matcher import Pair, next_question
from dialogs.relevance import list_facts, still_needed
from dialogs.render import render_composed
from dialogs.rules import operands
from dialogs.schema import Text
from dialogs.schema_rules import Assessed, Rule

CONTENT = load_content()
NOW = dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)
MINORITY = "xj-minority-backbone-2019"
AID = "xj-aid-talent-2023b2"

#: A minority-backbone applicant who meets everything the notice lets the bot check.
MINORITY_FACTS: dict[str, FactValue] = {
    "region": "xinjiang",
    "employer": "enterprise",
    "post": "professional",
    "ethnic_minority": True,
    "age": 40,
    "chinese_proficiency": True,
    "computer_skills": True,
    "education": "bachelor",
    "title": "intermediate",
}


def _with_list_requirements(content: Content) -> Content:
    """The content, with the minority track resting on both lists its notice names but does not contain
    (the plan table of annex 2, "certain scarce specialties"). The shipped content may instead leave them
    to reviewers; either way the finder must not ask them, and these tests read the case where it could."""
    program = content.program(MINORITY)
    read = {f for r in program.requirements for f in r.rule.facts()}
    template = program.requirements[0]
    rules = {
        "specialty_in_plan": {"fact": "specialty_in_plan", "eq": True},
        "scarce_specialty": {
            "any": [
                {"fact": "education", "gte": "bachelor"},
                {"all": [{"fact": "scarce_specialty", "eq": True}, {"fact": "education", "gte": "associate"}]},
            ]
        },
    }
    extra = tuple(
        template.model_copy(update={"id": f"test-{fact}", "kind": "requirement", "rule": Rule.model_validate(rule)})
        for fact, rule in rules.items()
        if fact not in read
    )
    changed = program.model_copy(update={"requirements": program.requirements + extra})
    facts = dict(content.facts)
    if "specialty_in_plan" not in facts:  # the shipped content leaves the annex-2 plan table to reviewers
        plan_table = Text(
            zh="《2019年新疆少数民族科技骨干特殊培养计划表》（附件2，通知正文未附）",
            en="the 2019 special training plan table (annex 2, not included in the notice text)",
            ug="2019-يىللىق ئالاھىدە يېتىشتۈرۈش پىلان جەدۋىلى (2-قوشۇمچە، ئۇقتۇرۇش تېكىستىگە قوشۇلمىغان)",
        )
        facts["specialty_in_plan"] = facts["scarce_specialty"].model_copy(
            update={"id": "specialty_in_plan", "needs_list": plan_table}
        )
    return dataclasses.replace(
        content, facts=facts, programs=tuple(changed if p.id == MINORITY else p for p in content.programs)
    )


LISTED = _with_list_requirements(CONTENT)
LISTS = list_facts(LISTED.facts)


def _choices(pair: Pair, fact_id: str) -> list[FactValue]:
    program, track = pair
    rules = [r.rule for r in requirements_of(program, track)]
    fact = LISTED.facts[fact_id]
    return list(fact.kind.candidates(fact, operands(rules, fact_id)))


def _can_change(pair: Pair, facts: Mapping[str, FactValue], fact_id: str, never: set[str]) -> bool:
    """Whether some answers to the track's other open facts and two answers to ``fact_id`` give two verdicts."""
    program, track = pair
    read = {f for r in requirements_of(program, track) for f in r.rule.facts()}
    if fact_id not in read:
        return False
    others = sorted(read - set(facts) - never - {fact_id})
    grid = [_choices(pair, f) for f in others]
    for answers in itertools.product(*grid):
        trial = {**facts, **dict(zip(others, answers, strict=True))}
        verdicts = {
            assess(program, track, {**trial, fact_id: v}, LISTED.facts).verdict for v in _choices(pair, fact_id)
        }
        if len(verdicts) > 1:
            return True
    return False


def _open_product(pairs: Sequence[Pair], facts: Mapping[str, FactValue], never: set[str]) -> int:
    """How many answer combinations the oracle would search for the largest track (to keep examples quick)."""
    largest = 1
    for pair in pairs:
        read = {f for r in requirements_of(*pair) for f in r.rule.facts()} - set(facts) - never
        size = 1
        for f in read:
            size *= len(_choices(pair, f))
        largest = max(largest, size)
    return largest


@st.composite
def partial_answers(draw: st.DrawFn) -> tuple[dict[str, FactValue], list[str]]:
    """Some facts answered (with values the rules tell apart), some skipped, the rest open."""
    facts: dict[str, FactValue] = {}
    skipped: list[str] = []
    keep = draw(st.floats(min_value=0.4, max_value=1.0))
    pairs = CONTENT.tracks()
    for fact_id in LISTED.facts:
        roll = draw(st.floats(min_value=0, max_value=1))
        if roll < keep:
            values = {v for pair in pairs for v in _choices(pair, fact_id)}
            facts[fact_id] = draw(st.sampled_from(sorted(values, key=repr)))
        elif roll < keep + 0.05:
            skipped.append(fact_id)
    return facts, skipped


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(answers=partial_answers(), one_track=st.integers(min_value=-1, max_value=len(CONTENT.tracks()) - 1))
def test_finder_never_asks_a_question_that_cannot_change_a_verdict(
    answers: tuple[dict[str, FactValue], list[str]], one_track: int
) -> None:
    facts, skipped = answers
    pairs = CONTENT.tracks() if one_track < 0 else [CONTENT.tracks()[one_track]]
    never = set(skipped) | LISTS
    assume(_open_product(pairs, facts, never) <= 3_000)
    asked = next_question(pairs, facts, CONTENT, skipped)
    if asked is None:
        return
    assert asked not in never
    undecided = [p for p in pairs if assess(*p, facts, LISTED.facts).verdict is Verdict.UNDETERMINED]
    assert any(_can_change(pair, facts, asked, never - {asked}) for pair in undecided), asked


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(answers=partial_answers(), track=st.integers(min_value=0, max_value=len(CONTENT.tracks()) - 1))
def test_still_needed_names_exactly_the_facts_that_can_change_the_verdict(
    answers: tuple[dict[str, FactValue], list[str]], track: int
) -> None:
    facts, _skipped = answers
    pair = CONTENT.tracks()[track]
    assume(_open_product([pair], facts, set(LISTS)) <= 3_000)
    assessment = assess(*pair, facts, LISTED.facts)
    needs = still_needed(assessment, facts, LISTED.facts)
    if assessment.verdict is not Verdict.UNDETERMINED:
        assert needs.facts == ()
        return
    open_facts = set(assessment.missing) - LISTS
    assert set(needs.facts) == {f for f in open_facts if _can_change(pair, facts, f, set(LISTS))}


def test_finder_does_not_ask_the_hospital_level_of_a_medical_team_of_ten() -> None:
    """The old finder asked it: a team of 10 meets "8 for a prefecture hospital, 6 for a county one"
    either way, so the answer changed nothing; the member is eligible without it."""
    program = CONTENT.program(AID)
    pair = (program, program.track("medical-team"))
    facts: dict[str, FactValue] = {
        "region": "other",
        "civil_servant": False,
        "in_key_program": False,
        "agreement_signed": True,
        "applying_elsewhere": False,
        "team_size": 10,
        "title": "associate_senior",
        "team_role": "member",
        "support_months": 18,
    }
    assert next_question([pair], facts, CONTENT) is None
    assert assess(*pair, facts, LISTED.facts).verdict is Verdict.ELIGIBLE
    assert next_question(CONTENT.tracks(), facts, CONTENT) != "hospital_level"


def test_finder_never_asks_about_a_list_the_notice_does_not_contain() -> None:
    assert {"specialty_in_plan", "scarce_specialty"} <= LISTS
    program = LISTED.program(MINORITY)
    pair = (program, program.tracks[0])
    facts: dict[str, FactValue] = {}
    asked: list[str] = []
    while (fact := next_question([pair], facts, LISTED)) is not None:
        asked.append(fact)
        facts[fact] = MINORITY_FACTS[fact]
    assert not LISTS & set(asked)
    assert asked  # the rest of the notice's conditions were asked
    needs = still_needed(assess(*pair, facts, LISTED.facts), facts, LISTED.facts)
    assert needs.facts == ()
    # Met by the degree, the scarce-specialty relaxation is not needed; the plan table still is.
    assert set(needs.lists) == {"specialty_in_plan"}


def test_a_skipped_question_is_not_asked_again_and_questions_that_only_it_made_useful_stop() -> None:
    """Once the age is skipped, what is left rests on a list nobody has: nothing more to ask."""
    program = LISTED.program(MINORITY)
    pair = (program, program.tracks[0])
    facts = {k: v for k, v in MINORITY_FACTS.items() if k != "age"}
    assert next_question([pair], facts, LISTED) == "age"
    assert next_question([pair], facts, LISTED, skipped=["age"]) is None


def _tr(lang: str) -> BabelTranslator:
    return BabelTranslator(lang)


def test_verdict_resting_on_a_missing_list_says_so_and_whom_to_ask() -> None:
    text = render_composed(
        "@verdict", {"program": MINORITY, "track": None, "facts": MINORITY_FACTS}, LISTED, NOW, _tr("zh")
    )
    head = text.splitlines()[0]
    assert "取决于通知未附的名单" in head
    assert "附件2" in text and "0991-3689692" in text
    assert "还需要了解" not in text and "Still unknown" not in text


def test_verdict_lists_only_the_answers_that_can_still_change_it() -> None:
    facts = {**MINORITY_FACTS}
    del facts["age"]
    text = render_composed("@verdict", {"program": MINORITY, "track": None, "facts": facts}, LISTED, NOW, _tr("en"))
    unknown = next(line for line in text.splitlines() if line.startswith("Still unknown:"))
    assert "Age" in unknown or "age" in unknown
    assert "Scarce specialty" not in unknown and "training plan" not in unknown


@pytest.mark.parametrize(
    ("lang", "frame"), [("zh", "评审还将考察："), ("en", "Reviewers will also judge:"), ("ug", "باھالىغۇچىلار")]
)
def test_reviewer_conditions_shown_with_the_verdict(lang: str, frame: str) -> None:
    text = render_composed(
        "@verdict", {"program": MINORITY, "track": None, "facts": MINORITY_FACTS}, CONTENT, NOW, _tr(lang)
    )
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if frame in line)
    shown = lines[start + 1 : start + 1 + len(CONTENT.program(MINORITY).assessed)]
    assert len(shown) == len(CONTENT.program(MINORITY).assessed)
    assert all("§" in line and len(line) < 160 for line in shown)


def test_requirements_screen_lists_reviewer_conditions_of_the_track() -> None:
    from dialogs.answers import compose

    program = CONTENT.program("sx-state-allowance-2023")
    text = compose("eligibility", program, program.track("skilled"), None, NOW, _tr("zh"))
    assert "评审还将考察：" in text
    assert "技艺精湛，贡献突出" in text  # the skilled track's own condition
    assert "近5年的专业技术业绩" not in text  # the professional track's is not


def test_staff_notice_lists_reviewer_conditions() -> None:
    submission = {
        "kind": "new_submission",
        "reference": "XJ-20230610-0001",
        "program": AID,
        "track": "medical-team",
        "contact": {"name": "A"},
        "facts": {},
        "verdict": "undetermined",
        "created_at": NOW,
        "documents": {},
    }
    text = render_composed("@staff_submission", submission, CONTENT, NOW, _tr("en"))
    assert "Reviewers will also judge:" in text
    assert "The team leader should generally have some hospital management" in text
    assert "management experience" not in text.split("Reviewers will also judge:")[0]


def test_long_reviewer_condition_is_cut_after_a_clause_and_a_title_wins() -> None:
    from dialogs.open_ends import short_condition

    long = Assessed(
        id="x",
        text=Text(zh="身心健康，能够胜任并全力投入完成特培期间的工作学习任务，并且另有很多很多要求", en="Healthy"),
        source="§二",
    )
    assert short_condition(long, "zh") == "身心健康…"  # cut at a clause break, never inside a word
    assert short_condition(long, "en") == "Healthy"
    titled = long.model_copy(update={"title": Text(zh="身心健康", en="Health")})
    assert short_condition(titled, "zh") == "身心健康"
