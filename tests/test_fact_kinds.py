"""Each kind of fact holds its own buttons, parsing, labels, value checks and comparisons.

Tried on the shipped facts where one of the kind exists, in Chinese, English and
Uyghur, and on small definitions made here for the cases the content does not have.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs import inputs
from dialogs.bidi import strip_marks
from dialogs.eligibility import Verdict, assess
from dialogs.explain import verdict_label
from dialogs.fact_kind_base import FactKind
from dialogs.fact_kinds import KINDS
from dialogs.facts import parse_profile
from dialogs.flows.buttons import PickProgram
from dialogs.loader import Content, load_content
from dialogs.problems import ContentError
from dialogs.schema_facts import FactDef
from tests.engine_driver import Driver
from tests.test_content_loader import edit, problems_of

TODAY = dt.date(2026, 11, 21)
LANGS = ("zh", "en", "ug")


def fact(content: Content, fact_id: str) -> tuple[FactDef, FactKind]:
    found = content.facts[fact_id]
    return found, found.kind


def parsed(found: FactDef, text: str, lang: str = "zh") -> inputs.Parsed[object]:
    return found.kind.parse(found, text, lang=lang, today=TODAY)  # type: ignore[return-value]


def made(**fields: object) -> FactDef:
    """A fact definition as a content file could write it."""
    return FactDef.model_validate({"id": "x", "label": {"zh": "某"}, "question": {"zh": "某？"}, **fields})


# --------------------------------------------------------------------------- the registry


def test_every_kind_is_registered_under_the_type_it_reads(content):
    assert {name: kind.name for name, kind in KINDS.items()} == {name: name for name in KINDS}
    assert {"bool", "int", "choice", "level", "country"} <= set(KINDS)
    assert {f.kind.name for f in content.facts.values()} == {"bool", "int", "choice", "level", "country"}


def test_a_fact_of_an_unknown_type_is_refused_with_file_line_and_field(content_copy):
    line = edit(
        content_copy, "facts.yaml", "  - id: civil_servant\n    type: bool", "  - id: civil_servant\n    type: boolean"
    )
    [problem] = [p for p in problems_of(content_copy) if p.startswith("content/facts.yaml")]
    assert problem.startswith(f"content/facts.yaml:{line + 1}: facts[10].type: 'boolean' is not a known type (known: ")
    assert "bool" in problem and "level" in problem


def test_a_unit_on_a_choice_and_an_unknown_unit_are_refused_where_they_are_written(content_copy):
    role = edit(
        content_copy,
        "facts.yaml",
        "  - id: team_role\n    type: choice\n",
        "  - id: team_role\n    type: choice\n    unit: people\n",
    )
    line = edit(
        content_copy,
        "facts.yaml",
        "    unit: people\n    min: 1\n    max: 200",
        "    unit: persons\n    min: 1\n    max: 200",
    )
    assert problems_of(content_copy) == [
        f"content/facts.yaml:{role + 2}: facts[26].unit: a unit is for int facts",
        f"content/facts.yaml:{line}: facts[28].unit: unknown unit 'persons' (known: years_of_age, years, months, months_per_year, days, people)",
    ]


# --------------------------------------------------------------------------- yes/no


def test_yes_no_buttons_stand_for_true_and_false_and_refuse_a_forged_token(content):
    found, kind = fact(content, "civil_servant")
    assert kind.buttons(found) == (("1", True), ("0", False))
    assert kind.from_button(found, "1") is True and kind.from_button(found, "0") is False
    assert kind.from_button(found, "2") is None and kind.from_button(found, "yes") is None


@pytest.mark.parametrize(
    ("text", "value"), [("是的", True), ("没有", False), ("yes", True), ("n", False), ("ھەئە", True), ("ياق", False)]
)
def test_yes_no_reads_yes_and_no_in_every_language(content, text, value):
    assert parsed(content.facts["civil_servant"], text).value is value


@pytest.mark.parametrize(("lang", "yes", "no"), [("zh", "是", "否"), ("en", "Yes", "No"), ("ug", "ھەئە", "ياق")])
def test_yes_no_labels_are_in_the_readers_language(content, lang, yes, no):
    found, kind = fact(content, "civil_servant")
    tr = translator(lang)
    assert (kind.label(found, True, tr), kind.label(found, False, tr)) == (tr.gettext("Yes"), tr.gettext("No"))
    assert kind.label(found, True, tr) != kind.label(found, False, tr)


def test_yes_no_takes_only_true_or_false_and_has_no_order(content):
    found, kind = fact(content, "civil_servant")
    assert kind.value_problem(found, True) is None
    assert kind.value_problem(found, 1) == "'civil_servant' is true or false, not 1"
    assert not kind.ordered
    with pytest.raises(TypeError):
        kind.rank(found, True)
    assert kind.compare(found, "eq", True, True) and not kind.compare(found, "eq", 1, True)


# --------------------------------------------------------------------------- numbers with a unit


def test_a_number_is_typed_with_its_unit_in_the_hint_and_no_buttons(content):
    found, kind = fact(content, "frontline_years")
    assert kind.buttons(found) == () and kind.from_button(found, "5") is None
    assert kind.expects == "number"
    assert kind.hint(found) == "Type a number of years, e.g. 5."
    assert kind.hint(made(type="int")) == "Type a number."


@pytest.mark.parametrize(
    ("fact_id", "value", "labels"),
    [
        ("age", 45, ("45岁", "45 years old", "45 ياش")),
        ("frontline_years", 1, ("1年", "1 year", "1 يىل")),
        ("months_in_xj_per_year", 6, ("每年6个月", "6 months a year", "يىلىغا 6 ئاي")),
        ("support_months", 18, ("18个月", "18 months", "18 ئاي")),
        ("team_size", 8, ("8人", "8 people", "8 كىشى")),
    ],
)
def test_a_number_reads_with_its_unit_in_every_language(content, fact_id, value, labels):
    found, kind = fact(content, fact_id)
    assert tuple(kind.label(found, value, translator(lang)) for lang in LANGS) == labels


def test_a_number_without_a_unit_reads_as_the_number():
    assert KINDS["int"].label(made(type="int"), 7, translator("en")) == "7"


@pytest.mark.parametrize(
    ("text", "value"), [("45", 45), ("四十五", 45), ("45岁", 45), ("１９８０年５月３日", 46), ("1980-11-22", 45)]
)
def test_an_age_is_typed_as_a_number_or_worked_out_from_a_birth_date(content, text, value):
    assert parsed(content.facts["age"], text).value == value


def test_an_impossible_birth_date_is_refused_with_the_reason(content):
    refusal = parsed(content.facts["age"], "1981年2月30日").error
    assert refusal is not None and refusal.key == inputs.DATE_NO_SUCH_DAY and refusal.args["days"] == 28


def test_a_birth_date_is_not_read_where_the_number_is_no_age(content):
    assert parsed(content.facts["frontline_years"], "1980年5月3日").error is not None
    refusal = parsed(content.facts["team_size"], "0").error
    assert refusal is not None and refusal.key == inputs.NUMBER_OUT_OF_RANGE


def test_a_number_is_checked_against_its_range_and_ordered(content):
    found, kind = fact(content, "age")
    assert kind.value_problem(found, 101) == "'age' cannot be above 100 (got 101)"
    assert kind.value_problem(found, True) == "'age' is a whole number, not True"
    assert kind.ordered and kind.compare(found, "lte", 45, 45) and not kind.compare(found, "lt", 46, 45)


def test_the_matcher_tries_a_number_around_each_threshold_within_its_range(content):
    found, kind = fact(content, "age")
    assert kind.candidates(found, [45, 100]) == [44, 45, 46, 99, 100]
    assert kind.candidates(found, []) == [14]


# --------------------------------------------------------------------------- choices and levels


def test_a_choice_has_a_button_per_value_and_refuses_a_value_it_does_not_list(content):
    found, kind = fact(content, "post")
    assert [token for token, _ in kind.buttons(found)] == ["professional", "skilled", "management", "other"]
    assert kind.from_button(found, "skilled") == "skilled"
    assert kind.from_button(found, "professor") is None


@pytest.mark.parametrize(
    ("lang", "typed", "label"),
    [
        ("zh", "管理岗位", "管理岗位"),
        ("en", "A management post", "A management post"),
        ("ug", "باشقۇرۇش ئىش ئورنى", "باشقۇرۇش ئىش ئورنى"),
        ("en", "3", "A management post"),
    ],
)
def test_a_choice_is_typed_as_its_label_or_number_and_shown_by_its_label(content, lang, typed, label):
    found, kind = fact(content, "post")
    assert parsed(found, typed, lang).value == "management"
    assert kind.label(found, "management", translator(lang)) == label


def test_a_choice_refusal_lists_the_options_in_the_readers_language(content):
    refusal = parsed(content.facts["post"], "astronaut", "en").error
    assert refusal is not None and refusal.key == inputs.CHOICE_UNKNOWN
    assert refusal.args["options"][0] == "A professional/technical post"


def test_a_choice_has_no_order_but_a_level_does(content):
    post, choice = fact(content, "post")
    title, level = fact(content, "title")
    assert not choice.ordered and level.ordered
    assert level.compare(title, "gte", "senior", "associate_senior")
    assert not level.compare(title, "gte", "intermediate", "associate_senior")
    assert level.compare(title, "in", "senior", ("associate_senior", "senior"))
    assert (
        choice.value_problem(post, "professor")
        == "'post' is one of professional, skilled, management, other; not 'professor'"
    )


def test_a_choice_without_values_is_refused_and_a_yes_no_with_values_too(content_copy):
    line = edit(content_copy, "facts.yaml", "    values: [leader, member]\n", "")
    edit(  # above it: one line more
        content_copy,
        "facts.yaml",
        "  - id: civil_servant\n    type: bool\n",
        "  - id: civil_servant\n    type: bool\n    values: [often, never]\n",
    )
    problems = problems_of(content_copy)
    assert f"content/facts.yaml:{line - 1}: facts[26].values: a choice fact needs its list of values" in problems
    assert any(p.endswith("facts[10].values: a bool fact has no list of values") for p in problems), problems


# --------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("text", "code"), [("CN", "CN"), ("us", "US"), ("中国", "CN"), ("United States", "US"), ("جۇڭگو", "CN")]
)
def test_a_country_is_typed_as_its_code_or_its_name(content, text, code):
    assert parsed(content.facts["nationality"], text).value == code


def test_an_unknown_country_is_refused_with_what_was_typed(content):
    refusal = parsed(content.facts["nationality"], "Narnia").error
    assert refusal is not None and refusal.args == {"text": "Narnia"}


@pytest.mark.parametrize(("lang", "label"), [("zh", "中国 (CN)"), ("en", "China (CN)"), ("ug", "جۇڭگو (CN)")])
def test_a_country_is_shown_by_its_name_in_the_readers_language(content, lang, label):
    found, kind = fact(content, "nationality")
    assert kind.label(found, "CN", translator(lang)) == label


def test_a_country_is_a_code_compared_by_equality_and_tried_against_one_other(content):
    found, kind = fact(content, "nationality")
    assert kind.value_problem(found, "China") is not None and kind.value_problem(found, "CN") is None
    assert not kind.ordered and kind.hint(found) == "Type the country code, e.g. CN."
    assert kind.candidates(found, ["CN"]) == ["CN", "AC"]


# --------------------------------------------------------------------------- content made with the kinds


def test_a_level_compared_with_lt_loads_and_a_choice_compared_with_lt_does_not(content_copy):
    edit(
        content_copy,
        "programs/xj-state-allowance-2020.yaml",
        "rule: {fact: title, gte: associate_senior}",
        "rule: {fact: post, gte: skilled}",
    )
    [problem] = problems_of(content_copy)
    assert "rule.gte: 'gte' compares ordered values; 'post' is a choice fact (use eq, ne, in, not_in)" in problem


def test_the_shipped_content_still_loads_with_its_units(content):
    assert content.facts["age"].unit == "years_of_age" and content.facts["age"].from_birth_date


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("zh", "2020年5月3日"), ("en", "3 May 2020"), ("ug", "2020-يىلى 5-ئاينىڭ 3-كۈنى"), ("en", "2020/5/3")],
)
def test_a_date_is_typed_as_people_write_it_and_kept_as_iso_text(lang, typed):
    assert KINDS["date"].parse(made(type="date"), typed, lang=lang, today=TODAY).value == "2020-05-03"


@pytest.mark.parametrize(
    ("typed", "key", "args"),
    [
        ("2月30日", inputs.DATE_NEVER, {"month": 2, "day": 30, "days": 29}),
        ("2021年2月29日", inputs.DATE_NOT_LEAP_YEAR, {"year": 2021}),
        ("1981-04-31", inputs.DATE_NO_SUCH_DAY, {"year": 1981, "month": 4, "day": 31, "days": 30}),
    ],
)
def test_an_impossible_date_is_refused_with_the_reason(typed, key, args):
    refusal = KINDS["date"].parse(made(type="date"), typed, lang="zh", today=TODAY).error
    assert refusal is not None and (refusal.key, dict(refusal.args)) == (key, args)


@pytest.mark.parametrize(("lang", "label"), [("zh", "2020年5月3日"), ("en", "3 May 2020"), ("ug", "3-ماي، 2020")])
def test_a_date_is_shown_the_way_the_reader_writes_dates(lang, label):
    assert KINDS["date"].label(made(type="date"), "2020-05-03", translator(lang)) == label


def test_a_date_is_an_existing_day_in_iso_form_and_ordered_by_day():
    found, kind = made(type="date"), KINDS["date"]
    assert kind.value_problem(found, "2020-05-03") is None
    assert kind.value_problem(found, "2020-5-3") == "'x' is a date written YYYY-MM-DD, not '2020-5-3'"
    assert kind.value_problem(found, "2021-02-29") == "'x': there is no day 2021-02-29"
    assert kind.value_problem(found, 20200503) is not None
    assert kind.ordered and kind.compare(found, "lt", "2020-12-31", "2021-01-01")
    assert not kind.compare(found, "lt", "2021-01-01", "2021-01-01") and kind.compare(
        found, "gte", "2021-01-01", "2021-01-01"
    )
    assert kind.candidates(found, ["2021-03-01"]) == ["2021-02-28", "2021-03-01", "2021-03-02"]


def test_a_date_question_has_no_value_buttons_and_says_how_to_write_one():
    found, kind = made(type="date"), KINDS["date"]
    assert kind.buttons(found) == () and kind.from_button(found, "2020-05-03") is None
    assert kind.hint(found) == "Type the date, e.g. 2020-05-03."


# --------------------------------------------------------------------------- free short text


@pytest.mark.parametrize(("lang", "typed"), [("zh", " 儿科 "), ("en", "Paediatrics"), ("ug", "بالىلار كېسەللىكلىرى")])
def test_a_short_text_is_taken_as_typed_and_shown_as_it_is(lang, typed):
    found, kind = made(type="text"), KINDS["text"]
    value = kind.parse(found, typed, lang=lang, today=TODAY).value
    assert value == typed.strip()
    assert kind.label(found, typed.strip(), translator(lang)) == typed.strip()


def test_an_empty_or_too_long_short_text_is_refused_with_the_limit():
    found, kind = made(type="text"), KINDS["text"]
    assert kind.parse(found, "  ", lang="zh", today=TODAY).error == inputs.Refusal(inputs.TEXT_EMPTY, {})
    refusal = kind.parse(found, "长" * 101, lang="zh", today=TODAY).error
    assert refusal is not None and refusal.key == inputs.TEXT_TOO_LONG and refusal.args == {"max": 100, "length": 101}
    assert kind.value_problem(found, "") is not None and kind.value_problem(found, 3) is not None


def test_a_short_text_matches_ignoring_case_width_and_spaces_and_has_no_order():
    found, kind = made(type="text"), KINDS["text"]
    assert kind.compare(found, "eq", "ＩＣＵ", "icu") and kind.compare(found, "in", "儿 科", ("儿科", "麻醉"))
    assert kind.compare(found, "not_in", "内科", ("儿科", "麻醉"))
    assert not kind.ordered and kind.buttons(found) == ()
    with pytest.raises(TypeError):
        kind.rank(found, "儿科")
    assert kind.candidates(found, ["儿科", "?"]) == ["儿科", "?", "??"]


# --------------------------------------------------------------------------- content written with a date and a text fact

FACTS_WITH_DATE_AND_TEXT = """\
facts:
  - id: title_since
    type: date
    label: {zh: 取得职称时间, en: "Title held since", ug: "ئۇنۋانغا ئېرىشكەن ۋاقىت"}
    question: {zh: 您何时取得现职称？, en: "When did you obtain your current title?", ug: "ھازىرقى ئۇنۋانىڭىزغا قاچان ئېرىشتىڭىز؟"}
  - id: specialty
    type: text
    label: {zh: 专业, en: "Specialty", ug: "كەسپى"}
    question: {zh: 您的专业是？, en: "What is your specialty?", ug: "كەسپىڭىز نېمە؟"}
"""

PROGRAM_WITH_DATE_AND_TEXT = """\
id: test-program
draft: true
notice: {file: test.txt, title: {zh: 测试通知, en: "Test notice", ug: "سىناق ئۇقتۇرۇشى"}}
title: {zh: 测试项目, en: "Test program", ug: "سىناق تۈرى"}
short_title: {zh: 测试项目, en: "Test program", ug: "سىناق تۈرى"}
summary: {zh: 测试, en: "A test", ug: "سىناق"}
issuer: {zh: 测试厅, en: "Test office", ug: "سىناق ئىدارىسى"}
region: xinjiang
tracks:
  - id: null
    title: {zh: 测试, en: "Test", ug: "سىناق"}
    summary: {zh: 测试, en: "Test", ug: "سىناق"}
requirements:
  - id: title-before-2021
    text: {zh: 2021年前取得职称, en: "Title obtained before 2021", ug: "2021-يىلدىن بۇرۇن ئۇنۋانغا ئېرىشكەن"}
    rule: {fact: title_since, lt: 2021-01-01}
    source: §一
    basis: office
  - id: scarce-specialty
    text: {zh: 儿科或麻醉专业, en: "Paediatrics or anaesthesia", ug: "بالىلار ياكى ناركوز كەسپى"}
    rule: {fact: specialty, in: [儿科, anaesthesia]}
    source: §二
    basis: office
"""


@pytest.fixture()
def dated_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "programs").mkdir(parents=True)
    (root / "facts.yaml").write_text(FACTS_WITH_DATE_AND_TEXT, encoding="utf-8")
    (root / "programs" / "test-program.yaml").write_text(PROGRAM_WITH_DATE_AND_TEXT, encoding="utf-8")
    # The notice the program cites: content check verifies its clauses (and quotes) against it.
    (root / "notices").mkdir()
    (root / "notices" / "test.txt").write_text("一、2021年前取得职称\n二、儿科或麻醉专业\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [
        ({"title_since": "2020-12-31", "specialty": "儿科"}, Verdict.ELIGIBLE),
        ({"title_since": "2020-12-31", "specialty": "Anaesthesia"}, Verdict.ELIGIBLE),
        ({"title_since": "2021-01-01", "specialty": "儿科"}, Verdict.INELIGIBLE),
        ({"title_since": "2019-06-01", "specialty": "内科"}, Verdict.INELIGIBLE),
        ({"title_since": "2019-06-01"}, Verdict.UNDETERMINED),
    ],
)
def test_content_with_a_date_and_a_text_fact_loads_and_evaluates(dated_content, facts, verdict):
    content = load_content(dated_content)
    [(program, track)] = content.tracks()
    assert assess(program, track, parse_profile(facts, content.facts), content.facts).verdict is verdict


def test_a_text_compared_with_lt_and_a_date_that_does_not_exist_are_refused_where_written(dated_content):
    file = dated_content / "programs" / "test-program.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("lt: 2021-01-01", "lt: 2021-02-30").replace(
        "specialty, in: [儿科, anaesthesia]", "specialty, lt: 儿科"
    )
    file.write_text(text, encoding="utf-8")
    date_line, text_line = (text[: text.index(marker)].count("\n") + 1 for marker in ("lt: 2021-02-30", "lt: 儿科"))
    with pytest.raises(ContentError) as caught:
        load_content(dated_content)
    assert [str(p) for p in caught.value.problems] == [
        f"content/programs/test-program.yaml:{date_line}: requirements[0].rule.lt: impossible value: 'title_since': there is no day 2021-02-30",
        f"content/programs/test-program.yaml:{text_line}: requirements[1].rule.lt: 'lt' compares ordered values; 'specialty' is a text fact (use eq, ne, in, not_in)",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_an_applicant_answers_a_date_and_a_text_question_in_the_conversation(dated_content, lang):
    content = load_content(dated_content)
    driver = Driver(content, dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    driver.state.lang = lang
    driver.command("check")
    driver.send_choice(PickProgram(driver.state.menu, "test-program").pack())
    assert driver.state.question == "title_since" and driver.replies[-1].expects == "date"
    assert translator(lang).gettext("Type the date, e.g. 2020-05-03.") in strip_marks(driver.screen)
    driver.text("2月30日")
    assert driver.state.question == "title_since" and driver.replies[0].key == inputs.DATE_NEVER
    driver.text("2020-05-03")
    assert driver.state.facts["title_since"] == "2020-05-03" and driver.state.question == "specialty"
    driver.text(" 儿科 ")
    assert driver.state.facts["specialty"] == "儿科" and driver.state.step == "verdict"
    tr = translator(lang)
    verdict = tr.gettext("{title}: {verdict}").format(
        title=content.programs[0].short_title.get(lang), verdict=verdict_label(Verdict.ELIGIBLE, tr)
    )
    assert verdict in strip_marks(driver.screen).splitlines()
    driver.command("edit")
    assert KINDS["date"].label(content.facts["title_since"], "2020-05-03", translator(lang)) in strip_marks(
        driver.labels()[0]
    )
