"""The loader refuses broken content with file, line and field, and loads nothing of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.loader import check_path, load_content
from dialogs.problems import ContentError

PROGRAM = "programs/xj-state-allowance-2020.yaml"


def edit(root: Path, relative: str, old: str, new: str) -> int:
    """Replace the single occurrence of ``old``; return the 1-based line where ``new`` starts."""
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
    at = text.index(old)
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[:at].count("\n") + 1


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def test_shipped_content_is_valid_and_complete(content):
    assert [p.id for p in content.programs] == sorted(
        [
            "xj-regional-allowance",
            "xj-state-allowance-2020",
            "sx-state-allowance-2023",
            "xj-aid-talent-2023b2",
            "xj-minority-backbone-2019",
        ]
    )
    # 10 named tracks (CONTRACT §1) plus the single null track of the minority backbone program.
    assert len(content.tracks()) == 11
    assert len([t for _, t in content.tracks() if t.id is not None]) == 10
    errors, _warnings = check_path(content_root := Path(__file__).resolve().parent.parent / "dialogs" / "content")
    assert errors == [], content_root


def test_rule_naming_an_unknown_fact_is_refused_with_its_line(content_copy):
    line = edit(content_copy, PROGRAM, "rule: {fact: nationality, eq: CN}", "rule: {fact: citizenship, eq: CN}")
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line}: requirements[2].rule.fact: unknown fact 'citizenship'"
    ]


def test_rule_with_an_impossible_level_is_refused(content_copy):
    line = edit(
        content_copy, PROGRAM, "rule: {fact: title, gte: associate_senior}", "rule: {fact: title, gte: professor}"
    )
    [problem] = problems_of(content_copy)
    assert problem.startswith(f"content/{PROGRAM}:{line}: requirements[9].rule.gte: impossible value:")
    assert "professor" in problem and "associate_senior" in problem


def test_rule_with_an_out_of_range_number_is_refused(content_copy):
    edit(content_copy, PROGRAM, "rule: {fact: nationality, eq: CN}", "rule: {fact: age, lte: 450}")
    [problem] = problems_of(content_copy)
    assert "requirements[2].rule.lte: impossible value: 'age' cannot be above 100" in problem


def test_rule_comparing_a_bool_with_order_is_refused(content_copy):
    edit(
        content_copy,
        PROGRAM,
        "rule: {fact: has_state_allowance, eq: true}",
        "rule: {fact: has_state_allowance, gte: true}",
    )
    [problem] = problems_of(content_copy)
    assert "rule.gte: 'gte' compares ordered values; 'has_state_allowance' is a bool fact" in problem


def test_rule_with_a_bool_written_as_text_is_refused(content_copy):
    edit(
        content_copy,
        PROGRAM,
        "rule: {fact: has_state_allowance, eq: true}",
        "rule: {fact: has_state_allowance, eq: 'yes'}",
    )
    [problem] = problems_of(content_copy)
    assert "rule.eq: impossible value: 'has_state_allowance' is true or false" in problem


def test_rule_nested_in_all_points_at_the_inner_line(content_copy):
    line = edit(content_copy, PROGRAM, "- {fact: academician, eq: false}", "- {fact: academic, eq: false}")
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line}: requirements[5].rule.all[1].fact: unknown fact 'academic'"
    ]


def test_rule_with_two_comparisons_is_refused(content_copy):
    edit(
        content_copy,
        PROGRAM,
        "rule: {fact: title, gte: associate_senior}",
        "rule: {fact: title, gte: associate_senior, lte: senior}",
    )
    [problem] = problems_of(content_copy)
    assert "requirements[9].rule: a fact test needs exactly one comparison" in problem


def test_track_without_rules_is_refused(content_copy):
    file = content_copy / PROGRAM
    text = file.read_text(encoding="utf-8").replace(
        "tracks: [skilled]\n    text: {zh: 长期工作", "tracks: [professional]\n    text: {zh: 长期工作"
    )
    text = text.replace(
        "- id: senior-technician\n    tracks: [skilled]", "- id: senior-technician\n    tracks: [professional]"
    )
    text = text.replace(
        "- id: skill-achievement\n    tracks: [skilled]", "- id: skill-achievement\n    tracks: [professional]"
    )
    file.write_text(text, encoding="utf-8")
    line = text[: text.index("  - id: skilled")].count("\n") + 1
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line}: tracks[1]: track 'skilled' has no rules of its own: scope at least one requirement to it (tracks: [skilled])"
    ]


def test_deadline_without_time_zone_is_refused(content_copy):
    line = edit(
        content_copy,
        PROGRAM,
        "    closes: {date: 2020-05-06}\n    timezone: Asia/Shanghai\n",
        "    closes: {date: 2020-05-06}\n",
    )
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line - 3}: deadlines[0].timezone: required field is missing"
    ]


def test_deadline_with_unknown_time_zone_is_refused(content_copy):
    line = edit(
        content_copy,
        PROGRAM,
        "    closes: {date: 2020-05-06}\n    timezone: Asia/Shanghai",
        "    closes: {date: 2020-05-06}\n    timezone: Asia/Beijing",
    )
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line + 1}: deadlines[0].timezone: unknown time zone 'Asia/Beijing' (use an IANA name such as Asia/Shanghai)"
    ]


def test_unquoted_time_is_refused_with_a_hint(content_copy):
    line = edit(content_copy, PROGRAM, "closes: {date: 2020-05-06}", "closes: {date: 2020-05-06, time: 20:00}")
    [problem] = problems_of(content_copy)
    assert problem.startswith(f"content/{PROGRAM}:{line}: deadlines[0].closes.time: write the time in quotes")


def test_impossible_date_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, "closes: {date: 2020-05-06}", "closes: {date: 2020-02-30}")
    [problem] = problems_of(content_copy)
    assert problem.startswith(f"content/{PROGRAM}:{line}: deadlines[0].closes.date:")


def test_contact_without_any_way_to_reach_them_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, '    phones: ["0991-3689900"]\n', "") - 2  # the line of names: [陈宝涛]
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line - 1}: contacts[4]: contact 'evaluation-centre' has no way to reach them: give a phone, an e-mail or an address"
    ]


def test_phone_number_written_without_quotes_is_refused(content_copy):
    edit(content_copy, PROGRAM, 'phones: ["0991-3689900"]', "phones: [3689900]")
    [problem] = problems_of(content_copy)
    assert "contacts[4].phones[0]: Input should be a valid string" in problem


def test_duplicate_requirement_id_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, "- id: not-vice-provincial", "- id: not-leader-not-practicing")
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line}: requirements[4].id: duplicate requirement id 'not-leader-not-practicing'"
    ]


def test_duplicate_program_id_across_files_is_refused(content_copy):
    source = (content_copy / PROGRAM).read_text(encoding="utf-8")
    (content_copy / "programs" / "zz-copy.yaml").write_text(source, encoding="utf-8")
    assert problems_of(content_copy) == [
        f"content/programs/zz-copy.yaml:1: id: duplicate program id 'xj-state-allowance-2020' (also in content/{PROGRAM})"
    ]


def test_duplicate_yaml_key_is_refused_instead_of_overwritten(content_copy):
    line = edit(content_copy, PROGRAM, "region: xinjiang\n", "region: xinjiang\nregion: shanxi\n")
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line + 1}: region: duplicate key (first given on line {line})"
    ]


def test_text_missing_its_chinese_version_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, 'title: {zh: 专业技术人才, en: "Professionals"', 'title: {en: "Professionals"')
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line}: tracks[0].title.zh: the Chinese (zh) text is required"
    ]


def test_empty_chinese_text_is_refused(content_copy):
    edit(
        content_copy, PROGRAM, 'title: {zh: 专业技术人才, en: "Professionals"', "title: {zh: '', en: \"Professionals\""
    )
    [problem] = problems_of(content_copy)
    assert "tracks[0].title.zh: String should have at least 1 character" in problem


def test_unknown_field_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, "region: xinjiang\n", "region: xinjiang\nregoin_note: typo\n")
    assert problems_of(content_copy) == [
        f"content/{PROGRAM}:{line + 1}: regoin_note: unknown field (not part of the content schema)"
    ]


def test_softened_rule_asking_an_unknown_contact_is_refused(content_copy):
    edit(
        content_copy,
        PROGRAM,
        "softened: {word: generally, ask: [career-skills-division]}",
        "softened: {word: generally, ask: [skills-office]}",
    )
    [problem] = problems_of(content_copy)
    assert "requirements[12].softened.ask[0]: unknown contact 'skills-office'" in problem


def test_window_naming_an_unknown_deadline_is_refused(content_copy):
    line = edit(content_copy, PROGRAM, "window: materials", "window: paper")
    assert problems_of(content_copy) == [f"content/{PROGRAM}:{line}: window: unknown deadline 'paper'"]


def test_invalid_yaml_is_refused_with_its_line(content_copy):
    line = edit(content_copy, PROGRAM, "region: xinjiang\n", "region: [xinjiang\n")
    [problem] = problems_of(content_copy)
    assert problem.startswith(f"content/{PROGRAM}:")
    assert ": (yaml): not valid YAML:" in problem
    assert int(problem.split(":")[1]) >= line


def test_every_problem_in_every_file_is_reported_at_once(content_copy):
    edit(content_copy, PROGRAM, "rule: {fact: nationality, eq: CN}", "rule: {fact: citizenship, eq: CN}")
    edit(content_copy, "programs/sx-state-allowance-2023.yaml", "region: shanxi\n", "region: shanxi\nregion: other\n")
    problems = problems_of(content_copy)
    assert len(problems) == 2
    assert {p.split(":")[0] for p in problems} == {
        f"content/{PROGRAM}",
        "content/programs/sx-state-allowance-2023.yaml",
    }


def test_facts_file_defects_are_refused(content_copy):
    line = edit(
        content_copy,
        "facts.yaml",
        "values: [none, junior, intermediate, associate_senior, senior]",
        "values: [none, junior, intermediate, associate_senior, senior, academician]",
    )
    problems = problems_of(content_copy)
    assert f"content/facts.yaml:{line + 1}: facts[7].value_labels: no label for value 'academician'" in problems


def test_check_path_validates_a_single_program_file(content_copy):
    edit(content_copy, PROGRAM, "rule: {fact: nationality, eq: CN}", "rule: {fact: citizenship, eq: CN}")
    errors, _ = check_path(content_copy / PROGRAM)
    assert len(errors) == 1 and "unknown fact 'citizenship'" in str(errors[0])


def test_missing_english_text_is_a_warning_not_an_error(content_copy):
    line = edit(content_copy, PROGRAM, 'title: {zh: 专业技术人才, en: "Professionals"', "title: {zh: 专业技术人才")
    content = load_content(content_copy)
    assert f"content/{PROGRAM}:{line}: tracks[0].title.en: warning: no en text yet; Chinese is shown instead" in [
        str(w) for w in content.warnings
    ]
    assert content.program("xj-state-allowance-2020").tracks[0].title.get("en") == "专业技术人才"


def test_missing_uyghur_text_in_the_facts_is_a_warning_and_falls_back_to_chinese(content_copy):
    line = edit(content_copy, "facts.yaml", 'label: {zh: 年龄, en: "Age", ug: "يېشى"}', 'label: {zh: 年龄, en: "Age"}')
    content = load_content(content_copy)
    assert f"content/facts.yaml:{line}: facts[1].label.ug: warning: no ug text yet; Chinese is shown instead" in [
        str(w) for w in content.warnings
    ]
    assert content.facts["age"].label.get("ug") == "年龄"
    errors, warnings = check_path(content_copy / "facts.yaml")
    assert errors == [] and len(warnings) == 1


def test_the_shipped_content_has_every_text_in_all_three_languages(content):
    assert content.warnings == ()
