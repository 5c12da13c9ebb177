"""Each kind of fact holds its own buttons, parsing, labels, value checks and comparisons.

Tried on the shipped facts where one of the kind exists, in Chinese, English and
Uyghur, and on small definitions made here for the cases the content does not have.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import translator
from dialogs import inputs
from dialogs.fact_kinds import KINDS, FactKind
from dialogs.loader import Content
from dialogs.schema import FactDef
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
        f"content/facts.yaml:{line}: facts[28].unit: unknown unit 'persons' (known: years_of_age, years, months, people)",
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
        ("months_in_xj_per_year", 6, ("6个月", "6 months", "6 ئاي")),
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
