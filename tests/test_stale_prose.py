"""Prose that cannot go stale: texts state dates, phones and amounts by placeholder, filled in from the fields.

Moving a deadline (or a phone, or an amount) in a program file changes every sentence
that states it, in Chinese, English and Uyghur; a text that types such a value again,
or states one that contradicts its field, is refused with file, line and field.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dialogs.loader import SHIPPED, load_content
from dialogs.problems import ContentError
from dialogs.prose import texts_of
from dialogs.schema import LANGS
from dialogs.schema_program import Program
from dialogs.schema_questions import FaqFile
from dialogs.yamlfile import read_yaml

SX = "programs/sx-state-allowance-2023.yaml"
AID = "programs/xj-aid-talent-2023b2.yaml"
REGIONAL = "programs/xj-regional-allowance.yaml"
#: The last commit whose content typed dates, phones and amounts into its texts (before the placeholders).
BEFORE_PLACEHOLDERS = "e6c1189e9171c88a6d92eaaee79b91006c161a82"


def edit(root: Path, relative: str, old: str, new: str) -> int:
    """Replace the single occurrence of ``old``; return the 1-based line where it stood."""
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {relative}"
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def every_text(program: Program) -> dict[tuple[object, ...], dict[str, str]]:
    """Every text of a program as each reader reads it, by its place in the file."""
    return {path: {lang: text.get(lang) for lang in LANGS} for path, text, _ in texts_of(program)}


# --------------------------------------------------------------------------- a field moves, the prose follows


def test_a_moved_deadline_changes_every_sentence_stating_it_in_every_language(content_copy, content):
    edit(content_copy, SX, "closes: {date: 2023-03-31}", "closes: {date: 2024-03-29}")
    moved = load_content(content_copy).program("sx-state-allowance-2023")
    before = every_text(content.program("sx-state-allowance-2023"))

    def moved_by_hand(text: str) -> str:
        return (
            text.replace("3月31日", "3月29日")
            .replace("31 March", "29 March")
            .replace("3-ئاينىڭ 31-كۈنى", "3-ئاينىڭ 29-كۈنى")
        )

    after = every_text(moved)
    assert after == {path: {lang: moved_by_hand(v) for lang, v in texts.items()} for path, texts in before.items()}
    changed = {path[0] for path, texts in before.items() if texts != after[path]}
    assert changed == {"summary", "deadlines", "apply"}
    assert "于3月29日前将申报材料报回市人社局" in moved.summary.get("zh")
    assert "by 29 March." in moved.summary.get("en")
    assert "3-ئاينىڭ 29-كۈنىدىن ئىلگىرى" in moved.summary.get("ug")


def test_a_deadline_with_a_time_moves_its_date_and_its_time(content_copy):
    edit(content_copy, AID, 'closes: {date: 2023-06-15, time: "20:00"}', 'closes: {date: 2024-06-20, time: "18:00"}')
    note = load_content(content_copy).program("xj-aid-talent-2023b2").milestone("application").note
    assert note is not None
    assert note.get("zh").startswith("申报截至日期为2024年6月20日18:00前，")
    assert note.get("en").startswith("Applications close before 18:00 on 20 June 2024;")
    assert note.get("ug").startswith("ئىلتىماس قىلىش 2024-يىلى 6-ئاينىڭ 20-كۈنى سائەت 18:00 دىن بۇرۇن ئاخىرلىشىدۇ")


def test_a_changed_phone_and_amount_reach_the_texts_that_state_them(content_copy):
    edit(content_copy, SX, 'phones: ["0351-7676026"]', 'phones: ["0351-7676000"]')
    edit(content_copy, REGIONAL, "min: 30000", "min: 50000")
    content = load_content(content_copy)
    note = content.program("sx-state-allowance-2023").contacts[3].note
    assert note is not None
    assert "（与政策咨询电话0351-7676000相同）" in note.get("zh")
    assert "(it is also the policy line 0351-7676000)" in note.get("en")
    assert "(سىياسەت مەسلىھەتى تېلېفونى 0351-7676000 بىلەن ئوخشاش)" in note.get("ug")
    summary = content.program("xj-regional-allowance").summary
    assert "一次性发放津贴5万元。" in summary.get("zh")
    assert "a one-off allowance of 50,000 yuan." in summary.get("en")
    assert "بىر قېتىملىق 50 مىڭ يۈەن تولۇقلىما" in summary.get("ug")


def test_the_files_keep_their_placeholders_and_the_quotes_their_words(content_copy):
    edit(content_copy, SX, "closes: {date: 2023-03-31}", "closes: {date: 2024-03-29}")
    content = load_content(content_copy)
    raw = content.raw_program("sx-state-allowance-2023")
    shown = content.program("sx-state-allowance-2023")
    assert raw is not None
    assert "于{closes:city-materials:no-year}前" in raw.summary.zh
    # The notice's words are quoted as printed: the old date stays in the quote, filled in nowhere.
    assert shown.milestone("city-materials").quote == raw.milestone("city-materials").quote
    assert shown.milestone("city-materials").quote == "并于3月31日前将申报材料（含电子版）报回市人社局"
    assert "{closes" in (SHIPPED / SX).read_text(encoding="utf-8")


def test_a_text_without_a_translation_shows_its_dates_in_the_readers_form(content_copy):
    edit(
        content_copy,
        AID,
        '      en: "The competent regional departments send their review results to the Office of the Talent Work Leading Group by {closes:review-results}."\n',
        "",
    )
    note = load_content(content_copy).program("xj-aid-talent-2023b2").milestone("review-results").note
    assert note is not None and note.en is None
    assert note.get("en") == "自治区有关行业主管部门于25 June 2023前将评审结果报自治区党委人才工作领导小组办公室。"
    assert note.get("zh") == "自治区有关行业主管部门于2023年6月25日前将评审结果报自治区党委人才工作领导小组办公室。"


# --------------------------------------------------------------------------- refused


def test_a_date_typed_again_is_refused_with_file_line_and_field(content_copy):
    line = edit(
        content_copy,
        SX,
        "于{closes:city-materials:no-year}前将申报材料报回市人社局",
        "于3月31日前将申报材料报回市人社局",
    )
    assert problems_of(content_copy) == [
        f"content/{SX}:{line}: summary.zh: states '3月31日', which is milestone city-materials (closes: 2023-03-31): "
        "write {closes:city-materials:no-year} (typed again, it goes stale when that field changes)"
    ]


def test_a_phone_and_an_amount_typed_again_are_refused(content_copy):
    phone = edit(
        content_copy,
        SX,
        "(it is also the policy line {phone:province-policy})",
        "(it is also the policy line 0351-7676026)",
    )
    amount = edit(
        content_copy,
        AID,
        "培养经费{amount:training-funding}，",
        "培养经费7万元，",
    )
    assert sorted(problems_of(content_copy)) == sorted(
        [
            f"content/{SX}:{phone}: contacts[3].note.en: states '0351-7676026', which is contact province-professional's "
            "phone 0351-7676026: write {phone:province-professional:2} (typed again, it goes stale when that field changes)",
            f"content/{AID}:{amount}: benefits[3].text.zh: states '7万元', which is benefit training-funding's amount "
            "(70,000 CNY): write {amount:training-funding} (typed again, it goes stale when that field changes)",
        ]
    )


def test_a_literal_contradicting_its_own_field_is_refused(content_copy):
    date = edit(
        content_copy,
        SX,
        "by {closes:city-materials:no-year} (professionals: the Professional",
        "by 29 March (professionals: the Professional",
    )
    phone = 1 + edit(
        content_copy,
        SX,
        'phones: ["2299977"]\n    note: {zh: 通知所载为阳泉本地号码，未写区号。',
        'phones: ["2299977"]\n    note: {zh: 通知所载为阳泉本地号码（旧号码2299978），未写区号。',
    )
    amount = edit(
        content_copy, REGIONAL, "一次性发放津贴{amount:one-off-allowance}（每人）", "一次性发放津贴5万元（每人）"
    )
    assert sorted(problems_of(content_copy)) == sorted(
        [
            f"content/{SX}:{date}: deadlines[0].note.en: states '29 March', which contradicts milestone "
            "city-materials (closes: 2023-03-31)",
            f"content/{SX}:{phone}: contacts[1].note.zh: states '2299978', which contradicts contact yq-skilled "
            "(phones: 2299977)",
            f"content/{REGIONAL}:{amount}: benefits[1].text.zh: states '5万元', which contradicts benefit "
            "one-off-allowance (amount: 30,000 CNY)",
        ]
    )


def test_a_date_no_field_holds_stays_only_where_the_notice_states_it(content_copy):
    review = "经公示无异议后向省人社厅报送本市推荐人选。"
    line = edit(content_copy, SX, review, "经公示无异议后向省人社厅报送本市推荐人选（市通知2023年3月3日印发）。")
    [problem] = problems_of(content_copy)
    assert problem == (
        f"content/{SX}:{line}: apply[4].text.zh: states '2023年3月3日', which no milestone of this program holds and "
        "the notice's words quoted here do not state: add it as a milestone and write its placeholder, or quote the "
        "notice's words that give it"
    )
    # Quoting the notice's words that give the date (the Yangquan letter's own) makes it the notice's statement.
    edit(
        content_copy,
        SX,
        'quote: "市人社部门将严格选拔推荐程序，组织开展资格复核、专家评议工作，经公示无异议后向省人社厅报送我市推荐人选"',
        'quote: ["市人社部门将严格选拔推荐程序，组织开展资格复核、专家评议工作，经公示无异议后向省人社厅报送我市推荐人选", "2023年3月3日印发"]',
    )
    assert (
        "（市通知2023年3月3日印发）" in load_content(content_copy).program("sx-state-allowance-2023").apply[4].text.zh
    )


def test_an_unknown_placeholder_is_refused(content_copy):
    line = edit(
        content_copy,
        SX,
        "于{closes:city-materials:no-year}前将申报材料报回市人社局",
        "于{closes:city-material}前将申报材料报回市人社局",
    )
    aid = edit(
        content_copy,
        AID,
        "{closes:application}{closes:application:time}前",
        "{closes:application}{opens:application}前",
    )
    faq = edit(content_copy, AID, "培养经费{amount:training-funding}，", "培养经费{money:training-funding}，")
    assert sorted(problems_of(content_copy)) == sorted(
        [
            f"content/{SX}:{line}: summary.zh: unknown placeholder {{closes:city-material}}: no milestone "
            "'city-material' here (milestones: city-materials, province-materials)",
            f"content/{AID}:{aid}: deadlines[0].note.zh: {{opens:application}}: milestone 'application' has no "
            "opening date",
            f"content/{AID}:{faq}: benefits[3].text.zh: unknown placeholder {{money:training-funding}}: the field is "
            "one of opens, closes, phone, amount",
        ]
    )


def test_a_malformed_placeholder_or_a_lone_brace_is_refused(content_copy):
    line = edit(
        content_copy,
        REGIONAL,
        "一次性发放津贴{amount:one-off-allowance}（每人）",
        "一次性发放津贴{amount one-off-allowance}（每人}",
    )
    assert problems_of(content_copy) == [
        f"content/{REGIONAL}:{line}: benefits[1].text.zh: '{{amount one-off-allowance}}' is not a placeholder: write "
        "{field:item} or {field:item:form}, e.g. {closes:ID}, {phone:ID:2}",
        f"content/{REGIONAL}:{line}: benefits[1].text.zh: a lone '{{' or '}}': braces only mark placeholders such as "
        "{closes:ID}",
    ]


def test_a_placeholder_in_a_quote_is_refused(content_copy):
    line = edit(
        content_copy,
        SX,
        'quote: "并于3月31日前将申报材料（含电子版）报回市人社局"',
        'quote: "并于{closes:city-materials:no-year}前将申报材料（含电子版）报回市人社局"',
    )
    problems = problems_of(content_copy)
    assert (
        f"content/{SX}:{line}: deadlines[0].quote: no placeholder here: a quote is the notice's words as printed; "
        "write the words themselves"
    ) in problems


def test_faq_answers_fill_placeholders_from_the_programs_they_cite(content_copy):
    faq = content_copy / "faq.yaml"
    faq.write_text(
        faq.read_text(encoding="utf-8")
        + """
  - id: aid-deadline
    intent: deadline
    q:
      zh: [援疆计划什么时候截止]
    a:
      zh: "申报截至{closes:application}{closes:application:time}前。"
      en: "Applications close before {closes:application:time} on {closes:application}."
    sources:
      - program: xj-aid-talent-2023b2
        clause: §四
        quote: "申报截至日期为2023年6月15日20∶00前，逾期不再受理"
""",
        encoding="utf-8",
    )
    entry = next(e for e in load_content(content_copy).faq if e.id == "aid-deadline")
    assert entry.a.get("zh") == "申报截至2023年6月15日20:00前。"
    assert entry.a.get("en") == "Applications close before 20:00 on 15 June 2023."
    assert entry.a.get("ug") == "申报截至2023-يىلى 6-ئاينىڭ 15-كۈنى20:00前。"
    line = edit(
        content_copy,
        "faq.yaml",
        "申报截至{closes:application}{closes:application:time}前。",
        "申报截至2023年6月15日20:00前。",
    )
    assert sorted(problems_of(content_copy)) == [
        f"content/faq.yaml:{line}: faq[3].a.zh: states '2023年6月15日', which is milestone application (closes: "
        "2023-06-15 20:00): write {closes:application} (typed again, it goes stale when that field changes)",
        f"content/faq.yaml:{line}: faq[3].a.zh: states '20:00', which is milestone application (closes: 2023-06-15 "
        "20:00): write {closes:application:time} (typed again, it goes stale when that field changes)",
    ]


def test_facts_hold_no_placeholder(content_copy):
    text = (content_copy / "facts.yaml").read_text(encoding="utf-8")
    asked = next(line for line in text.splitlines() if "1980年5月3日" in line).split(", en: ")[0]
    zh = asked.split("zh: ", 1)[1]
    line = edit(
        content_copy, "facts.yaml", asked, asked.replace(zh, f'"{zh.replace("1980年5月3日", "{closes:application}")}"')
    )
    [problem] = [p for p in problems_of(content_copy) if "placeholder" in p]
    assert problem.startswith(f"content/facts.yaml:{line}: ")
    assert problem.endswith(
        "{closes:application}: this file belongs to no program, so no placeholder is filled in here"
    )


# --------------------------------------------------------------------------- the shipped content


def _before(relative: str) -> str:
    try:
        shown = subprocess.run(
            ["git", "show", f"{BEFORE_PLACEHOLDERS}:dialogs/content/{relative}"],
            cwd=SHIPPED,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"needs the git history of the content ({BEFORE_PLACEHOLDERS[:8]}): {exc}")
    return shown.stdout


def test_the_shipped_content_reads_exactly_as_before_the_placeholders(content, tmp_path):
    """Every program and FAQ answer, filled in, equals the files of before: texts, quotes and all fields."""
    for file in sorted((SHIPPED / "programs").glob("*.yaml")):
        old_file = tmp_path / file.name
        old_file.write_text(_before(f"programs/{file.name}"), encoding="utf-8")
        source, problems = read_yaml(old_file, file.name)
        assert source is not None, problems
        old = Program.model_validate(source.data)
        assert content.program(old.id).model_dump() == old.model_dump(), file.name
    old_faq = tmp_path / "faq.yaml"
    old_faq.write_text(_before("faq.yaml"), encoding="utf-8")
    source, problems = read_yaml(old_faq, "faq.yaml")
    assert source is not None, problems
    assert [e.model_dump() for e in content.faq] == [e.model_dump() for e in FaqFile.model_validate(source.data).faq]


def test_the_shipped_content_states_every_deadline_amount_and_phone_by_placeholder(content):
    placeholders = [
        (program.id, path)
        for program in content.raw_programs
        for path, text, _ in texts_of(program)
        if any("{" in (getattr(text, lang) or "") for lang in LANGS)
    ]
    # 16 texts: every one of them that states a milestone's date, a benefit's amount or a phone.
    assert len(placeholders) == 16
    assert {program for program, _ in placeholders} == {p.id for p in content.programs}
