"""Nothing in the content is invented: names, numbers, dates and amounts appear in the notice they cite."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS
from tests.services import require_seeds


@pytest.fixture(autouse=True, scope="module")
def _the_notices_are_here() -> None:
    """Every test here reads the notices: without them it fails in CI and is skipped, visibly, elsewhere."""
    require_seeds(SEEDS)


CHINESE_NUMERALS = "一二三四五六七八九十"


def notice_text(program) -> str:
    """The notice with white space removed and full-width dashes and colons made plain."""
    text = (SEEDS / program.notice.file).read_text(encoding="utf-8")
    text = text.replace("－", "-").replace("—", "-").replace("∶", ":").replace("：", ":")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def notices(content):
    return {p.id: notice_text(p) for p in content.programs}


def test_every_program_cites_an_existing_notice(content):
    files = {p.notice.file for p in content.programs}
    assert files == {p.name for p in SEEDS.glob("*.txt")}


def test_every_contact_name_phone_and_email_is_in_the_notice(content, notices):
    checked = 0
    for program in content.programs:
        text = notices[program.id]
        for contact in program.contacts:
            for name in contact.names:
                assert name in text, f"{program.id}: {contact.id}: name {name}"
            for phone in contact.phones:
                area, _, local = phone.rpartition("-")
                assert local in text, f"{program.id}: {contact.id}: phone {phone}"
                if area:
                    assert area in text, f"{program.id}: {contact.id}: area code {area}"
                checked += 1
            for email in contact.emails:
                assert email in text, f"{program.id}: {contact.id}: e-mail {email}"
    assert checked >= 25


def test_every_deadline_date_and_time_is_in_the_notice(content, notices):
    for program in content.programs:
        text = notices[program.id]
        for milestone in program.deadlines:
            for moment in (milestone.opens, milestone.closes):
                if moment is None:
                    continue
                day = f"{moment.date.month}月{moment.date.day}日"
                assert day in text, f"{program.id}: {milestone.id}: {day}"
                assert str(moment.date.year) in text
                if moment.time:
                    assert moment.time in text, f"{program.id}: {milestone.id}: {moment.time}"
            assert milestone.timezone == "Asia/Shanghai"


def test_every_amount_is_in_the_notice(content, notices):
    for program in content.programs:
        text = notices[program.id]
        for benefit in program.benefits:
            if benefit.amount is None:
                continue
            for value in (benefit.amount.min, benefit.amount.max):
                if value is None:
                    continue
                wan = value / 10000
                figure = str(int(wan)) if wan == int(wan) else str(wan)
                assert figure in text and "万元" in text, f"{program.id}: {benefit.id}: {value}"


def test_every_quota_number_is_in_the_notice(content, notices):
    for program in content.programs:
        text = notices[program.id]
        for quota in program.quotas:
            for value in (quota.count, quota.min, quota.max):
                if value is not None:
                    assert str(value) in text, f"{program.id}: {quota.id}: {value}"


def test_every_cited_section_exists_in_the_notice(content, notices):
    for program in content.programs:
        text = notices[program.id]
        items = [
            *program.requirements,
            *program.documents,
            *program.benefits,
            *program.quotas,
            *program.contacts,
            *program.apply,
            *program.deadlines,
            *program.assessed,
        ]
        for item in items:
            section = item.source[1]
            if section in CHINESE_NUMERALS:
                assert f"{section}、" in text, f"{program.id}: {item.id}: {item.source}"


def test_every_online_address_is_in_the_notice(content, notices):
    for program in content.programs:
        for step in program.apply:
            if step.url:
                host = re.sub(r"^https?://", "", step.url).rstrip("/")
                assert host in notices[program.id], f"{program.id}: {step.id}: {step.url}"
