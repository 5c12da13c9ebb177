"""The general causes of misses found for issue 15, each read the way applicants type it: questions
asking which other programs there are, a track's condition asked as a quantity, "is it still open",
where the paper copies go, off-topic questions naming a place, and English typed on a phone.

The examples are our own (the blind set is never read); each states a behaviour, not an answer.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.answers import answer
from dialogs.question_index import index_for
from dialogs.question_reading import read
from dialogs.question_spelling import Speller
from dialogs.question_subjects import Subjects, plain_numbers
from dialogs.segment import normalise, stem_words

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


# --------------------------------------------------------------------------- which programs there are


@pytest.mark.parametrize(
    "question",
    ["除了援疆还有什么计划", "现在有哪些人才项目可以报", "what other schemes are there", "يەنە قانداق پىلانلار بار"],
)
def test_asking_which_other_programs_there_are_lists_every_program(content, question):
    reading = read(question, content)
    assert (reading.intent, reading.program, reading.choices) == ("programs", None, ())


def test_other_documents_is_still_a_documents_question(content):
    reading = read("援疆还有什么材料要交", content)
    assert (reading.intent, reading.program) == ("documents", "xj-aid-talent-2023b2")


# --------------------------------------------------------------------------- a track's own conditions


@pytest.mark.parametrize(
    ("question", "track", "condition"),
    [
        ("小组团最多几个人", "small-team", "small-team-max-size"),
        ("柔性 呆俩月够吗", "flexible-expert", "expert-months"),
        ("组团式 队长 要当院长吗", "medical-team", "medical-leader-runs-hospital"),
        ("small team: max how many people", "small-team", "small-team-max-size"),
        ("كىچىك گۇرۇپپا ئەترىتىدە ئەڭ كۆپ قانچە ئادەم بولىدۇ", "small-team", "small-team-max-size"),
    ],
)
def test_a_tracks_condition_asked_in_other_words_is_quoted_first(content, question, track, condition):
    reading = read(question, content)
    assert (reading.intent, reading.program, reading.track) == ("eligibility", "xj-aid-talent-2023b2", track)
    assert reading.focus and reading.focus[0].ref == condition


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("小组团队长要什么职称", "small-team-leader-title"),
        ("组团式队长要干几年", "medical-leader-period"),
        ("研修的要多大年纪以下", "trainee-age"),
    ],
)
def test_an_eligibility_question_naming_a_track_is_led_by_that_tracks_condition(content, question, condition):
    reading = read(question, content)
    assert reading.intent == "eligibility"
    assert reading.focus and reading.focus[0].ref == condition
    assert reading.track in reading.focus[0].tracks  # the named track's own, not another track's


def test_the_condition_sentence_leads_the_reply(content):
    reply = answer("小组团最多几个人", content, NOW, translator("zh"))
    assert reply.text.index("团队不超过8人") < reply.text.index("申报条件")


def test_a_money_question_naming_a_limit_stays_a_money_question(content):
    reading = read("小组团经费能给多少啊 最多", content)
    assert reading.intent == "benefit"


def test_a_quota_question_about_a_track_without_quotas_is_not_turned_into_a_condition(content):
    assert read("援疆骨干研修选派多少人", content).intent == "quota"


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("呆俩月", "呆2个月"),
        ("两个月", "2个月"),
        ("一年", "1年"),
        ("十二个月", "十二个月"),  # a number of two characters is left as typed, never half-read
        ("two months", "2 months"),
        ("a year", "1 year"),
        ("ئىككى ئاي", "2 ئاي"),
    ],
)
def test_numbers_typed_in_words_before_a_unit_are_read_as_digits(typed, read_as):
    assert plain_numbers(typed) == read_as


def test_a_subject_group_joins_two_ways_of_saying_one_thing():
    subjects = Subjects({"at-most": ["最多", "不超过", "at most"], "headcount": ["几个人", "#人"]})
    assert subjects.tokens(stem_words(normalise("团队不超过8人"))) == subjects.tokens(normalise("最多几个人"))
    assert subjects.tokens("2023年") == []  # a year is not a count of people
    assert subjects.blanked("最多几个人").strip() == ""


# --------------------------------------------------------------------------- still open, where to send


@pytest.mark.parametrize(
    ("question", "program"),
    [
        ("援疆现在还能报吗", "xj-aid-talent-2023b2"),
        ("山西特贴还开着吗", "sx-state-allowance-2023"),
        ("can I still apply for the shanxi allowance", "sx-state-allowance-2023"),
        ("شەنشى ئالاھىدە تولۇقلىمىسىغا تېخى ئىلتىماس قىلالامدىمەن", "sx-state-allowance-2023"),
    ],
)
def test_asking_whether_it_is_still_open_is_a_date_question(content, question, program):
    reading = read(question, content)
    assert (reading.intent, reading.program) == ("deadline", program)


def test_a_personal_condition_with_still_is_an_eligibility_question(content):
    assert read("我今年47了还能报少数民族特培吗", content).intent == "eligibility"


@pytest.mark.parametrize(
    "question",
    [
        "特培纸质材料寄到哪儿",
        "where to mail the hard copies for the minority training",
        "ئالاھىدە يېتىشتۈرۈشنىڭ قەغەز ماتېرىياللىرىنى قەيەرگە ئەۋەتىمەن",
    ],
)
def test_where_the_paper_copies_go_asks_for_the_route_not_the_document_list(content, question):
    reading = read(question, content)
    assert reading.intent in ("contact", "apply") and reading.program == "xj-minority-backbone-2019"


# --------------------------------------------------------------------------- off-topic with a place name


@pytest.mark.parametrize(
    "question", ["山西刀削面怎么做", "太原的酒店多少钱", "good hotel in taiyuan", "ئۈرۈمچىنىڭ ھاۋاسى قانداق"]
)
def test_a_place_name_alone_does_not_put_an_off_topic_question_on_a_program(content, question):
    reading = read(question, content)
    assert (reading.intent, reading.program, reading.sure) == ("other", None, False)


def test_a_place_name_with_a_real_question_still_names_its_program(content):
    reading = read("yangquan deadline", content)
    assert (reading.intent, reading.program) == ("deadline", "sx-state-allowance-2023")


# --------------------------------------------------------------------------- English typed on a phone


def test_an_english_typo_is_mended_to_the_content_word_one_edit_away():
    speller = Speller(["deadline", "flexible expert", "training", "eligible"])
    assert speller.mend("dedline flexibel trainng elegible") == "deadline flexible training eligible"


def test_short_and_unknown_english_words_are_left_as_typed():
    speller = Speller(["deadline", "office"])
    assert speller.mend("hr sx weather") == "hr sx weather"


def test_the_content_vocabulary_mends_a_question(content):
    assert "deadline" in index_for(content).speller.mend("dedline for aid plan")
    reading = read("dedline for aid plan", content)
    assert (reading.intent, reading.program) == ("deadline", "xj-aid-talent-2023b2")


@pytest.mark.parametrize(
    ("question", "intent", "program"),
    [
        ("docs for sx", "documents", "sx-state-allowance-2023"),
        ("phone hr yangquan", "contact", "sx-state-allowance-2023"),
        ("minority trainng age limit", "eligibility", "xj-minority-backbone-2019"),
    ],
)
def test_english_fragments_are_read(content, question, intent, program):
    reading = read(question, content)
    assert (reading.intent, reading.program) == (intent, program)


# --------------------------------------------------------------------------- FAQ phrasings


def test_a_faq_phrasing_is_matched_without_the_program_name_it_holds(content):
    reading = read("特培要去内地多久", content)
    assert reading.faq == ("xj-minority-backbone-2019", "training-length")
