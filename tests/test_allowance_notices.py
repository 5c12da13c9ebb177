"""The three special-allowance programs say what their notices say, and no more (issue 15, point 1).

Notices 000 (a Xinjiang draft for comment), 001 (Xinjiang 2020) and 002 (Shanxi/Yangquan 2023):
the statements found wrong in them, each held to the notice's text.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from bot.cli import main
from dialogs.loader import SHIPPED
from dialogs.quotes import normalise, quotes_of, read_notice, resolve
from dialogs.schedule import program_status

NOTICES = SHIPPED / "notices"
BEIJING = ZoneInfo("Asia/Shanghai")
ALLOWANCES = ("xj-regional-allowance", "xj-state-allowance-2020", "sx-state-allowance-2023")


def test_the_day_a_notice_was_issued_opens_no_window(content):
    for program in content.programs:
        for milestone in program.deadlines:
            assert milestone.opens is None or milestone.opens.date != program.notice.issued, (program.id, milestone.id)


def test_the_shanxi_call_is_open_before_the_day_its_forwarding_letter_is_dated(content):
    program = content.program("sx-state-allowance-2023")
    assert program.notice.issued == dt.date(2023, 3, 3)
    assert program_status(program, dt.datetime(2023, 3, 1, 9, 0, tzinfo=BEIJING)) == "open"


def test_every_opening_date_is_one_its_quote_gives(content):
    for program in content.programs:
        for milestone in program.deadlines:
            if milestone.opens is None or milestone.quote is None:
                continue
            day = f"{milestone.opens.date.month}月{milestone.opens.date.day}日"
            assert any(day in normalise(q) for q in quotes_of(milestone.quote)), (program.id, milestone.id)


def test_a_heading_behind_a_word_processor_bookmark_still_opens_its_clause():
    notice = read_notice(NOTICES / "001_f6ccedd1290f421a.txt")
    spans = resolve(notice, "§六")
    text = "".join(notice.text[s.start : s.end] for s in spans)
    assert "2020年5月6日前报送" in text
    assert "张立志" in text
    assert "2020年5月6日前报送" not in "".join(notice.text[s.start : s.end] for s in resolve(notice, "§五"))


def test_an_issuer_the_notice_does_not_name_is_not_named(content):
    """The draft (000) and the 2020 guide (附件2 without its covering letter, 001) name no issuing body."""
    for program_id in ("xj-regional-allowance", "xj-state-allowance-2020"):
        assert content.program(program_id).issuer is None, program_id
    assert content.program("sx-state-allowance-2023").issuer is not None  # 002 names both the province and the city


def test_asked_for_a_contact_the_draft_says_it_names_none_and_names_no_issuer(capsys):
    assert main(["ask", "--json", "自治区特贴 征求意见稿 联系电话是多少"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert reply["program"] == "xj-regional-allowance"
    assert "通知未列联系人" in reply["text"]
    assert "发文单位" not in reply["text"]
    assert "人力资源和社会保障厅" not in reply["text"]


def test_the_draft_proposes_and_never_reads_as_an_open_call(content):
    program = content.program("xj-regional-allowance")
    assert program.draft
    texts = [step.text for step in program.apply] + [benefit.text for benefit in program.benefits]
    texts += [quota.text for quota in program.quotas]
    texts += [document.note for document in program.documents if document.note is not None]
    for text in texts:
        assert text.zh.startswith("按征求意见稿"), text.zh
        assert text.en is not None and text.en.startswith("Under the draft"), text.en
        assert text.ug is not None and text.ug.startswith("پىكىر ئېلىش نۇسخىسى بويىچە"), text.ug


def test_the_conditions_an_applicant_is_asked_about_are_listed_in_full(content):
    """An applicant is asked about "one of the conditions listed" only where the bot shows that list."""
    for program_id in ALLOWANCES:
        for requirement in content.program(program_id).requirements:
            if requirement.rule.fact not in ("professional_achievement", "skill_achievement"):  # type: ignore[union-attr]
                continue
            for text in (requirement.text.zh, requirement.text.en, requirement.text.ug):
                assert text is not None and "1." in text and "6." in text, (program_id, requirement.id)
            assert "通知所列" not in requirement.text.zh


def test_the_english_says_no_more_than_the_chinese(content):
    """The phrases found in the English that the Chinese does not say."""
    for program_id in ALLOWANCES:
        dumped = json.dumps(content.program(program_id).model_dump(mode="json"), ensure_ascii=False)
        assert "30 years" not in dumped
        assert "for the last 5 years" not in dumped
        assert "answers policy questions" not in dumped
        # 人社部门 is an "HR authority": "Department" is the 厅 (the HR and Social Security Department)
        for phrase in ("local HR department", "prefecture HR department", "HR department at the same level"):
            assert phrase not in dumped


def test_the_shanxi_yangquan_contacts_sit_where_the_letter_puts_them(content):
    program = content.program("sx-state-allowance-2023")
    for contact_id in ("yq-professional", "yq-skilled"):
        contact = program.contacts[[c.id for c in program.contacts].index(contact_id)]
        assert contact.office.zh == "阳泉市人力资源和社会保障局"
