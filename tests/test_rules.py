"""Three-valued rule logic: false wins in all, true wins in any, unknown otherwise, with the facts to ask."""

from __future__ import annotations

import pytest

from dialogs.rules import evaluate
from dialogs.schema_rules import Rule


def rule(data: dict) -> Rule:
    return Rule.model_validate(data)


AGE = {"fact": "age", "lte": 45}
TITLE = {"fact": "title", "gte": "intermediate"}
MINORITY = {"fact": "ethnic_minority", "eq": True}


@pytest.mark.parametrize(
    ("facts", "value", "missing"),
    [
        ({"age": 45, "title": "senior"}, True, ()),
        ({"age": 46, "title": "senior"}, False, ()),
        ({"age": 46}, False, ()),  # one false part decides, whatever is missing
        ({"title": "senior"}, None, ("age",)),
        ({}, None, ("age", "title")),
    ],
)
def test_all_is_false_as_soon_as_one_part_fails(content, facts, value, missing):
    outcome = evaluate(rule({"all": [AGE, TITLE]}), facts, content.facts)
    assert (outcome.value, outcome.missing) == (value, missing)


@pytest.mark.parametrize(
    ("facts", "value", "missing"),
    [
        ({"ethnic_minority": True}, True, ()),  # one true part decides
        ({"ethnic_minority": False, "region": "xinjiang_south"}, True, ()),
        ({"ethnic_minority": False, "region": "xinjiang"}, False, ()),
        ({"ethnic_minority": False}, None, ("region",)),
        ({}, None, ("ethnic_minority", "region")),
    ],
)
def test_any_is_true_as_soon_as_one_part_holds(content, facts, value, missing):
    outcome = evaluate(rule({"any": [MINORITY, {"fact": "region", "eq": "xinjiang_south"}]}), facts, content.facts)
    assert (outcome.value, outcome.missing) == (value, missing)


def test_not_flips_known_values_and_keeps_unknown(content):
    negated = rule({"not": MINORITY})
    assert evaluate(negated, {"ethnic_minority": True}, content.facts).value is False
    assert evaluate(negated, {"ethnic_minority": False}, content.facts).value is True
    assert evaluate(negated, {}, content.facts).missing == ("ethnic_minority",)


@pytest.mark.parametrize(
    ("test", "value", "expected"),
    [
        ({"fact": "title", "gte": "associate_senior"}, "senior", True),
        ({"fact": "title", "gte": "associate_senior"}, "associate_senior", True),
        ({"fact": "title", "gte": "associate_senior"}, "intermediate", False),
        ({"fact": "education", "lt": "bachelor"}, "associate", True),
        ({"fact": "education", "gt": "bachelor"}, "bachelor", False),
        ({"fact": "skill_level", "lte": "technician"}, "senior_technician", False),
        ({"fact": "age", "gte": 46}, 46, True),
        ({"fact": "region", "in": ["xinjiang", "xinjiang_south"]}, "xinjiang_south", True),
        ({"fact": "region", "not_in": ["xinjiang", "xinjiang_south"]}, "shanxi", True),
        ({"fact": "employer", "ne": "central_unit_in_xj"}, "enterprise", True),
        ({"fact": "civil_servant", "eq": True}, False, False),
    ],
)
def test_comparisons_follow_the_order_of_levels(content, test, value, expected):
    assert evaluate(rule(test), {test["fact"]: value}, content.facts).value is expected


def test_a_rule_mixing_forms_is_refused_by_the_schema():
    with pytest.raises(ValueError, match="either all/any/not or a fact test"):
        rule({"all": [AGE], "fact": "age", "eq": 3})
