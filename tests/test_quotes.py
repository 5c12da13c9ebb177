"""A quote must be the notice's own words inside the clause its item cites; content check says where it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.loader import check_path, load_content
from dialogs.problems import ContentError
from dialogs.quotes import CitationError, normalise, parse_notice, quote_problems, resolve

#: A notice shaped like the real ones: a covering letter, 一、 sections, （一） and 1． items, a list
#: numbered （1）（2）（三） as one, two lists numbered alike inside one section, and contacts after the last item.
NOTICE = """阳泉市人力资源和社会保障局
关于转发的通知
联系人：史俊敏
联系电话：2293393

一、推荐范围
 自治区各类企业、事业单位中从事专业技术工作的骨干。
以下人员不在推荐范围内：
（一）党政机关工作人员。
（二）中央驻疆单位人员。
二、推荐条件
（1） 拥护中国共产党的领导，爱国爱疆。
（2） 遵纪守法，恪守职业道德。
（三）年龄在45岁以下（含45岁），身心健康。
（四）具有本科以上学历。
三、材料申报
（一）网上申报。申报人登录网站填报。
（二）纸质材料报送。
1．推荐报告。内容包括人选推荐情况。
2．登记表3份（用A4纸打印）。
联系人及联系方式：
自治区人社厅 曲波，0991—3689692
"""


@pytest.fixture(scope="module")
def notice():
    return parse_notice(NOTICE)


def spans_text(notice, citation: str) -> list[str]:
    return [notice.text[s.start : s.end] for s in resolve(notice, citation)]


def test_a_quote_from_the_cited_clause_is_verified(notice):
    assert quote_problems(notice, "§二(三)", "年龄在45岁以下（含45岁）") == []


def test_a_quote_that_is_not_in_the_notice_fails(notice):
    [problem] = quote_problems(notice, "§二(三)", "年龄在40岁以下")
    assert "is not in the notice" in problem


def test_a_quote_from_another_clause_of_the_notice_fails(notice):
    [problem] = quote_problems(notice, "§二(四)", "年龄在45岁以下")
    assert "is in the notice, but not in §二(四)" in problem


def test_white_space_line_breaks_and_full_or_half_width_punctuation_do_not_matter(notice):
    assert quote_problems(notice, "§二(三)", "年龄在 45 岁以下(含45岁),\n身心健康") == []
    assert normalise("（含４５岁）：") == normalise("(含45岁):")


def test_every_passage_of_a_quote_list_is_checked_on_its_own(notice):
    assert quote_problems(notice, "§二", ["拥护中国共产党的领导", "具有本科以上学历"]) == []
    [problem] = quote_problems(notice, "§二", ["拥护中国共产党的领导", "具有硕士以上学历"])
    assert "具有硕士以上学历" in problem


def test_a_clause_includes_its_sub_clauses(notice):
    assert quote_problems(notice, "§三", "登记表3份") == []
    assert quote_problems(notice, "§三(二)", "登记表3份") == []


def test_a_list_numbered_1_2_then_three_four_reads_as_one_list(notice):
    assert spans_text(notice, "§二(2)") == [normalise("（2） 遵纪守法，恪守职业道德。")]
    assert spans_text(notice, "§二(三)")[0].startswith("(三)年龄")


def test_sibling_marks_name_each_clause_and_a_range_names_each_item(notice):
    assert [t[:6] for t in spans_text(notice, "§三(一)(二)")] == ["(一)网上申", "(二)纸质材"]
    assert [t[:5] for t in spans_text(notice, "§三(二)1-2")] == ["1.推荐报", "2.登记表"]
    assert [t[:5] for t in spans_text(notice, "§三(一)、§三(二)1")] == ["(一)网上", "1.推荐报"]


def test_words_after_a_clause_mark_a_place_inside_it(notice):
    [contacts] = spans_text(notice, "§三 联系人及联系方式")
    assert contacts.startswith("联系人及联系方式") and "曲波" in contacts
    assert spans_text(notice, "§一 以下人员(二)") == ["(二)中央驻疆单位人员。"]


def test_a_citation_without_a_mark_is_the_covering_text_before_the_first_section(notice):
    assert quote_problems(notice, "§市通知 联系人", "联系人：史俊敏") == []
    [problem] = quote_problems(notice, "§市通知", "推荐范围")
    assert "but not in" in problem


def test_a_citation_naming_no_clause_is_refused(notice):
    with pytest.raises(CitationError, match="六"):
        resolve(notice, "§六")
    [problem] = quote_problems(notice, "§二(五)", "身心健康")
    assert "not a clause of the notice" in problem


# --------------------------------------------------------------------------- in the content files

PROGRAM = "programs/xj-minority-backbone-2019.yaml"
#: The age requirement's quote as shipped (§二(三)); the tests below change it.
AGE_QUOTE = '    quote: "年龄在45岁以下（含45岁）"\n'


def replace_line(root: Path, relative: str, old: str, new: str) -> int:
    """Replace the single line ``old`` by ``new`` (any number of lines); return the line number of ``old``."""
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    at = text.index(old)
    file.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1


def insert_after(root: Path, relative: str, anchor: str, added: str) -> int:
    """Insert ``added`` after the single line ``anchor``; return the line number of ``anchor``."""
    return replace_line(root, relative, anchor, anchor + added)


def item_problems(problems, line: int) -> list[str]:
    return [str(p) for p in problems if p.file == f"content/{PROGRAM}" and p.line == line]


def test_content_check_names_file_line_and_field_of_a_misquote(content_copy):
    line = replace_line(content_copy, PROGRAM, AGE_QUOTE, "    quote: 年龄在40岁以下\n")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"content/{PROGRAM}:{line}: requirements[4].quote: '年龄在40岁以下' is not in the notice (word for word)"
    ]


def test_content_check_refuses_a_quote_from_another_clause(content_copy):
    replace_line(content_copy, PROGRAM, AGE_QUOTE, "    quote: 具有本科以上学历\n")
    errors, _ = check_path(content_copy)
    assert [p.field for p in errors] == ["requirements[4].quote"]
    assert "is in the notice, but not in §二(三)" in errors[0].message


def test_an_item_resting_on_the_notice_without_a_quote_is_refused(content_copy):
    errors, _ = check_path(content_copy)
    assert errors == []
    replace_line(content_copy, PROGRAM, AGE_QUOTE, "")
    item = 1 + (content_copy / PROGRAM).read_text(encoding="utf-8").split("\n").index("  - id: age")
    errors, _ = check_path(content_copy)
    [missing] = item_problems(errors, item)
    assert missing.startswith(f"content/{PROGRAM}:{item}: requirements[4].quote: no quote")


def test_the_office_own_guidance_needs_no_quote(content_copy):
    replace_line(content_copy, PROGRAM, AGE_QUOTE, "    basis: office\n")
    errors, warnings = check_path(content_copy)
    assert errors == [] and [w for w in warnings if w.file == f"content/{PROGRAM}" and ".quote" in w.field] == []


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("zh", "办公室说明（通知原文未载明）："),
        ("en", "Office guidance (not in the notice): "),
        ("ug", "ئىشخانا يېتەكچىلىكى (ئۇقتۇرۇشتا يېزىلمىغان): "),
    ],
)
def test_the_office_own_guidance_is_shown_as_such(content_copy, lang, label):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.i18n import translator
    from dialogs.answers import answer

    insert_after(content_copy, PROGRAM, "  - id: fully-funded\n", "    basis: office\n")
    content = load_content(content_copy)
    now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    reply = answer("少数民族特培有什么待遇", content, now, translator(lang)).text
    benefit = content.program("xj-minority-backbone-2019").benefits[0].text.get(lang)
    assert label + benefit in reply
    plain = answer("少数民族特培有什么待遇", load_content(), now, translator(lang)).text
    assert label not in plain


def test_a_program_whose_notice_is_not_shipped_is_refused(content_copy):
    (content_copy / "notices" / "004_5e1263618b041c53.txt").unlink()
    errors, _ = check_path(content_copy)
    assert [(p.file, p.field) for p in errors] == [(f"content/{PROGRAM}", "notice.file")]
    assert "no such notice in notices/: 004_5e1263618b041c53.txt" in errors[0].message
