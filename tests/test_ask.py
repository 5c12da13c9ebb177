"""Free questions: the right fact from the right program, or a question back — never a wrong date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.answers import answer

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def ask(content, question: str, lang: str = "zh", program_id: str | None = None):
    return answer(question, content, NOW, translator(lang), program_id=program_id)


@pytest.mark.parametrize(
    ("question", "lang", "intent", "program", "track", "facts"),
    [
        ("援疆项目什么时候截止？", "zh", "deadline", "xj-aid-talent-2023b2", None, ["2023年6月15日 20:00", "已截止"]),
        ("山西特贴材料报给谁", "zh", "contact", "sx-state-allowance-2023", None, ["史俊敏", "2293393", "0351-7676046"]),
        ("柔性专家能拿多少钱", "zh", "benefit", "xj-aid-talent-2023b2", "flexible-expert", ["5万元至15万元"]),
        (
            "少数民族特培需要什么材料",
            "zh",
            "documents",
            "xj-minority-backbone-2019",
            None,
            ["《少数民族特培学员申报表》", "3份"],
        ),
        ("自治区特贴能拿多少钱", "zh", "benefit", "xj-regional-allowance", None, ["3万元"]),
        ("自治区特贴什么时候截止", "zh", "deadline", "xj-regional-allowance", None, ["征求意见稿"]),
        ("2020年特贴怎么申报", "zh", "apply", "xj-state-allowance-2020", None, ["www.xjzcsq.com"]),
        ("援疆卫健委的联系人电话", "zh", "contact", "xj-aid-talent-2023b2", None, ["叶世安", "0991-8569973"]),
        (
            "When is the deadline for the aid talent plan?",
            "en",
            "deadline",
            "xj-aid-talent-2023b2",
            None,
            ["15 June 2023, 20:00 (Beijing time)"],
        ),
        (
            "How much money does a flexible expert get?",
            "en",
            "benefit",
            "xj-aid-talent-2023b2",
            "flexible-expert",
            ["CNY 50,000 to CNY 150,000"],
        ),
        ("山西特贴名额有多少", "zh", "quota", "sx-state-allowance-2023", None, ["56"]),
    ],
)
def test_question_gets_the_fact_from_the_right_program(content, question, lang, intent, program, track, facts):
    reply = ask(content, question, lang)
    assert (reply.intent, reply.program, reply.track) == (intent, program, track)
    for fact in facts:
        assert fact in reply.text


@pytest.mark.parametrize(
    ("question", "choices"),
    [
        ("特贴什么时候截止", {"xj-state-allowance-2020", "sx-state-allowance-2023", "xj-regional-allowance"}),
        ("国务院特贴截止时间", {"xj-state-allowance-2020", "sx-state-allowance-2023"}),
        (
            "联系电话是多少",
            {
                "xj-state-allowance-2020",
                "sx-state-allowance-2023",
                "xj-regional-allowance",
                "xj-aid-talent-2023b2",
                "xj-minority-backbone-2019",
            },
        ),
    ],
)
def test_ambiguous_question_is_asked_back_not_guessed(content, question, choices):
    reply = ask(content, question)
    assert reply.program is None
    assert set(reply.choices) == choices
    assert "您问的是哪个项目？" in reply.text
    assert "年" not in reply.text.split("\n")[0]  # no date offered before the program is known


def test_conversation_program_is_used_when_the_question_names_none(content):
    reply = ask(content, "什么时候截止", program_id="xj-minority-backbone-2019")
    assert reply.program == "xj-minority-backbone-2019"
    assert "2019年3月15日" in reply.text


def test_question_naming_another_program_overrides_the_conversation(content):
    reply = ask(content, "山西特贴什么时候截止", program_id="xj-minority-backbone-2019")
    assert reply.program == "sx-state-allowance-2023"


def test_unrecognised_question_says_so_and_lists_programs(content):
    reply = ask(content, "你好")
    assert reply.intent == "other" and reply.program is None
    assert "没能理解" in reply.text
    assert reply.text.count("\n- ") == 5


def test_ask_command_prints_contract_json(cli):
    import json

    result = cli("ask", "--json", "--now", "2026-11-21", "援疆项目什么时候截止？")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {"intent", "program", "track", "text"}
    assert data["intent"] == "deadline" and data["program"] == "xj-aid-talent-2023b2"
