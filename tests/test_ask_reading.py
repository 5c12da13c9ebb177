"""How a free question is read: typos, Traditional characters, Uyghur words and their endings, FAQ
entries, ambiguity, and the conversation around the answer (a button per program, "Ask staff" when
unsure)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.answers import answer
from dialogs.loader import load_content
from dialogs.problems import ContentError
from dialogs.question_reading import read
from dialogs.segment import PhraseSet, normalise, stem_words, terms, uyghur_key, uyghur_keys
from dialogs.state import State
from tests.engine_driver import Driver

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def ask(content, question: str, lang: str = "zh", program_id: str | None = None):
    return answer(question, content, NOW, translator(lang), program_id=program_id)


# --------------------------------------------------------------------------- typos and scripts


def test_homophone_typo_still_finds_the_contact(content):
    reply = ask(content, "工信厅援疆聯細人电话")  # 聯細人 typed for 联系人
    assert (reply.intent, reply.program) == ("contact", "xj-aid-talent-2023b2")
    assert "0991-4520716" in reply.text


def test_homophone_of_a_sector_name_still_routes_to_its_office(content):
    reply = ask(content, "援疆卫建委联系人")  # 卫建委 typed for 卫健委
    assert "叶世安" in reply.text


def test_a_rare_reading_does_not_make_words_sound_alike():
    # 呆 was once read as 保; only the usual reading counts, so 呆几个 is not 报几个.
    assert PhraseSet(["报几个"]).hits(normalise("呆几个月")) == {}
    assert set(PhraseSet(["联系人"]).hits(normalise("联细人"))) == {"联系人"}


def test_traditional_question_gets_the_simplified_content(content):
    reply = ask(content, "組團式受援醫院每年能拿多少經費")
    assert (reply.intent, reply.program, reply.track) == ("benefit", "xj-aid-talent-2023b2", "medical-team")
    assert "200万元" in reply.text


def test_english_typo_in_a_stemmed_word_still_reads(content):
    reply = ask(content, "deadlines for the yangquan special allowance?", "en")
    assert (reply.intent, reply.program) == ("deadline", "sx-state-allowance-2023")
    assert "31 March" in reply.text


# --------------------------------------------------------------------------- Uyghur


def key(word: str) -> str:
    return uyghur_key(normalise(word))


def test_uyghur_case_endings_meet_the_stem():
    assert key("مۇددەت") == key("مۇددەتنى") == key("مۇددەتكە") == key("مۇددەتتىن")  # deadline: object, to, from
    assert key("كىم") == key("كىمگە") == key("كىمدىن") == key("كىمنىڭ")  # who, to whom, from whom, whose
    assert key("قاچان") == key("قاچانغىچە")  # when, until when
    assert key("شىنجاڭ") == key("شىنجاڭدا") == key("شىنجاڭدىكى") == key("شىنجاڭغا")


def test_uyghur_possessive_and_plural_endings_meet_the_stem():
    assert key("ماتېرىيال") == key("ماتېرىياللار") == key("ماتېرىياللىرى") == key("ماتېرىياللىرىنى")
    assert key("تېلېفون") == key("تېلېفونى") == key("تېلېفوننى")  # its phone (ن + ى) and the phone (+ نى)
    assert key("ئىلتىماس") == key("ئىلتىماسى") == key("ئىلتىماسنى")


def test_uyghur_vowel_changes_before_an_ending_are_undone():
    assert key("مۇددەت") == key("مۇددىتى")  # e raised to i
    assert key("پروگرامما") == key("پروگراممىسى") == key("پروگراممىسىنىڭ")  # a raised to i
    assert key("ۋاقىت") == key("ۋاقتى")  # i dropped
    assert key("ئورۇن") == key("ئورنى")  # u dropped


def test_common_uyghur_spelling_slips_still_meet_the_word():
    assert key("مۇدەت") == key("مۇددەت")  # a doubled letter typed once
    assert key("تېلفون") == key("تىلىفون") == key("تېلېفون")  # a vowel left out, ې typed as ى
    assert key("ماتىريال") == key("ماتېرىيال")
    assert key("الاھىدە") == key("ئالاھىدە")  # the hamza left out
    assert normalise("شهنشى") == normalise("شەنشى")  # Arabic heh typed for ە
    assert normalise("ئالاقە‌چى") == normalise("ئالاقەچى")  # a zero-width non-joiner


def test_different_uyghur_words_keep_different_keys():
    words = [
        "مۇددەت",
        "تېلېفون",
        "ماتېرىيال",
        "پروگرامما",
        "ئالاقە",
        "شەرت",
        "قاچان",
        "كىم",
        "ياش",
        "پۇل",
        "نومۇر",
        "كۈن",
    ]
    assert len({key(w) for w in words}) == len(words)


def test_arabic_presentation_forms_are_read_as_letters():
    isolated = "".join(
        unicodedata.lookup(f"ARABIC LETTER {name} ISOLATED FORM") for name in ("QAF", "ALEF", "TCHEH", "ALEF", "NOON")
    )
    assert normalise(isolated) == "قاچان"


def test_uyghur_punctuation_separates_words():
    text = stem_words(normalise("ياردەم پروگراممىسىنىڭ ئاخىرقى مۇددىتى،قاچان؟"))
    assert key("مۇددەت") in set(terms(text)) and key("قاچان") in set(terms(text))
    assert "،" not in "".join(terms(text)) and "؟" not in "".join(terms(text))


def test_a_uyghur_phrase_matches_whole_words_only():
    phrases = PhraseSet([uyghur_keys(normalise("كىم"))])
    assert phrases.hits(uyghur_keys(normalise("كىمگە تېلېفون قىلىمەن")))  # كىمگە is كىم with an ending
    assert not phrases.hits(uyghur_keys(normalise("كىملىك ئىسپاتى")))  # كىملىك (identity) is another word


def test_uyghur_question_gets_the_date_in_uyghur(content):
    reply = ask(content, "ياردەم پروگراممىسىنىڭ ئاخىرقى مۇددىتى قاچان؟", "ug")
    assert (reply.intent, reply.program) == ("deadline", "xj-aid-talent-2023b2")
    assert "15-ئىيۇن، 2023" in reply.text


def test_uyghur_question_with_endings_finds_the_contact(content):
    reply = ask(content, "شەنشى ئالاھىدە تولۇقلىمىسى ئۈچۈن كىمگە تېلېفون قىلىمەن؟", "ug")
    assert (reply.intent, reply.program) == ("contact", "sx-state-allowance-2023")
    assert "0351-7676026" in reply.text


def test_uyghur_question_naming_the_program_in_chinese(content):
    reply = ask(content, "援疆 ئاخىرقى مۇددىتى قاچان", "ug")
    assert (reply.intent, reply.program) == ("deadline", "xj-aid-talent-2023b2")


def test_uyghur_question_naming_no_program_is_asked_back(content):
    reading = read("تېلېفون نومۇرى قانچە", content)
    assert (reading.intent, reading.program) == ("contact", None)
    assert len(reading.choices) == len(content.programs)


def test_off_topic_uyghur_question_is_not_answered_for_a_program(content):
    reading = read("بۈگۈن ئۈرۈمچىنىڭ ھاۋاسى قانداق", content)  # what is the weather in Urumqi today
    assert (reading.intent, reading.program, reading.sure) == ("other", None, False)


# --------------------------------------------------------------------------- names and ambiguity


def test_a_name_only_one_program_has_outweighs_a_shared_one(content):
    reading = read("已经拿过国务院特贴了还能评自治区特贴吗", content)
    assert reading.program == "xj-regional-allowance"


def test_region_word_settles_a_shared_name(content):
    assert read("新疆国务院特贴高技能这块联系谁", content).program == "xj-state-allowance-2020"


def test_question_naming_nothing_is_asked_back_with_every_program(content):
    reading = read("截止日期是哪天", content)
    assert reading.program is None and len(reading.choices) == len(content.programs)


def test_comparison_describes_each_program_named(content):
    reply = ask(content, "特贴和特培有啥区别")
    assert reply.intent == "programs" and reply.program is None
    assert "xj-minority-backbone-2019" in reply.choices
    assert "400" in reply.text  # the minority training's summary is shown, not just its name


def test_off_topic_question_about_a_place_names_no_program(content):
    reading = read("乌鲁木齐今天天气咋样", content)
    assert (reading.intent, reading.program, reading.sure) == ("other", None, False)


# --------------------------------------------------------------------------- answers from the notices


def test_reply_quotes_the_clause_the_question_is_about(content):
    reply = ask(content, "我是公务员 能申请援疆人才计划不")
    assert reply.program == "xj-aid-talent-2023b2"
    assert "公务员和参照公务员管理的工作人员不允许申报" in reply.text
    assert "003_b53d22bf1246d926.txt §四1" in reply.text


def test_silent_notice_says_so_and_names_whom_to_ask(content):
    reply = ask(content, "山西特贴批下来每月给多少钱")
    assert reply.intent == "benefit"
    assert "通知未写明津贴金额或其他待遇" in reply.text
    assert "《2023年新一批享受政府特殊津贴人员选拔推荐（山西省·阳泉市）》" in reply.text  # the full title
    assert "0351-7676026" in reply.text  # the policy contact


def test_program_faq_answers_with_its_clause(content):
    reply = ask(content, "特培选上了能不能不去")
    assert (reply.intent, reply.program) == ("apply", "xj-minority-backbone-2019")
    assert "不得随意放弃" in reply.text and "§六" in reply.text


def test_global_faq_answers_questions_about_the_bot(content):
    reply = ask(content, "怎么上传材料")
    assert reply.intent == "apply" and reply.program is None
    assert "20 MB" in reply.text


def test_faq_of_one_program_is_not_used_for_another(content):
    reading = read("山西特贴公务员能报吗", content)
    assert reading.program == "sx-state-allowance-2023"
    assert reading.faq is None or reading.faq[0] == "sx-state-allowance-2023"


# --------------------------------------------------------------------------- content checks


def test_faq_citing_an_unknown_program_is_refused_with_its_line(content_copy: Path):
    faq = content_copy / "faq.yaml"
    faq.write_text(
        "faq:\n  - id: x\n    intent: other\n    q: {zh: [你好吗]}\n    a: {zh: 好}\n    sources:\n      - {program: no-such, clause: §一}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert [str(p) for p in caught.value.problems] == [
        "content/faq.yaml:7: faq[0].sources[0].program: unknown program 'no-such'"
    ]


def test_intent_cue_of_wildcards_only_is_refused(content_copy: Path):
    ask_file = content_copy / "ask.yaml"
    text = ask_file.read_text(encoding="utf-8").replace("zh: [什么时候,", "zh: ['*', 什么时候,", 1)
    ask_file.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert len(caught.value.problems) == 1
    assert "intents.deadline.asks.zh[0]" in str(caught.value.problems[0])


def test_duplicate_faq_id_in_a_program_is_refused(content_copy: Path):
    program = content_copy / "programs" / "xj-aid-talent-2023b2.yaml"
    text = program.read_text(encoding="utf-8").replace(
        "  - id: one-application-only\n    intent: eligibility", "  - id: civil-servants\n    intent: eligibility"
    )
    program.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert any("duplicate FAQ entry id 'civil-servants'" in str(p) for p in caught.value.problems)


# --------------------------------------------------------------------------- in the conversation


def chat(content) -> Driver:
    return Driver(content, NOW, state=State(lang="zh"))


def test_ambiguous_question_offers_a_button_per_program_and_answers_the_one_picked(content):
    d = chat(content)
    d.text("特贴什么时候截止")
    assert "您问的是哪个项目？" in d.screen
    picks = [label for label in d.labels() if "特贴" in label]
    assert len(picks) == 3
    d.press(next(label for label in picks if "山西" in label))
    assert "2023年3月31日" in d.screen


def test_follow_up_question_keeps_the_program_of_the_last_one(content):
    d = chat(content)
    d.text("援疆项目什么时候截止")
    d.text("那联系人是谁")
    assert "叶世安" in d.screen


def test_unsure_answer_offers_to_ask_staff_and_a_sure_one_does_not(content):
    d = chat(content)
    d.text("食堂几点开门")
    assert "问工作人员" in d.labels()
    d.text("援疆项目什么时候截止")
    assert "问工作人员" not in d.labels()
    assert "查看该项目详情" in d.labels()


def test_off_topic_question_inside_a_program_conversation_is_not_answered_for_the_program(content):
    d = chat(content)
    d.text("援疆项目什么时候截止")
    d.text("食堂几点开门")
    assert "没能理解" in d.screen and "问工作人员" in d.labels()
    d.text("那联系人是谁")  # the conversation's program still holds for a real follow-up
    assert "叶世安" in d.screen


def test_an_ambiguous_question_lists_its_programs_in_the_same_order_in_every_process() -> None:
    """Found by the random walks: the programs came in set-iteration order, which follows
    PYTHONHASHSEED, so the same question showed its buttons in another order after a restart."""
    import ast
    import os
    import subprocess
    import sys

    script = (
        "from dialogs.loader import load_content\n"
        "from dialogs.question_reading import read\n"
        "c = load_content()\n"
        "print([read(q, c, None).choices for q in ('特贴什么时候截止', 'How much is the allowance?', 'allowance deadline')])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    order = [p.id for p in load_content().programs]
    for choices in ast.literal_eval(outputs.pop()):
        assert len(choices) > 1
        assert list(choices) == sorted(choices, key=order.index)


def test_a_question_read_for_a_program_the_content_no_longer_has_is_read_on_its_own() -> None:
    """Found by the random walks: an answer screen redrawn after admins removed its program raised KeyError."""
    content = load_content()
    assert read("什么时候截止？", content, "no-such-program") == read("什么时候截止？", content, None)
    assert read("什么时候截止？", content, "no-such-program", chosen=True) == read("什么时候截止？", content, None)
