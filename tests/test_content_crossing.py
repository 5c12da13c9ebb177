"""Conversations that cross a publish (issue 16, point 5): whatever step an applicant is in when admins put
new content in force, the next thing they do works. What the new content no longer has (a question, its
old choices, a track, a program, a document of the checklist) sends them to the nearest screen that still
makes sense, with a short "This part was updated while you were away: …", never an error; answers to
questions that still exist are kept; a window closed meanwhile refuses the confirm as a closed window does.

The second version of the content is the shipped folder copied and edited as an admin would (valid YAML,
every sourced item quoted or marked as the office's own), loaded by :func:`dialogs.loader.load_content`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.i18n import translator
from dialogs.engine import LANGUAGES
from dialogs.events import CommandEvent, StoreFile
from dialogs.flows import crossing
from dialogs.flows.buttons import Notice, NoticeAction
from dialogs.flows.model import Step
from dialogs.loader import Content, load_content
from dialogs.render import render
from dialogs.state import State
from tests import content_edits as edits
from tests.engine_driver import Driver
from tests.test_engine_journeys import EXPERT
from tests.walk.walker import START, Reload, Walker, World

BEIJING = ZoneInfo("Asia/Shanghai")
#: Inside the aid-talent plan's application window (it closes on 15 June 2023, 20:00).
INSIDE = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
AID = "2023 aid-talent plan (batch 2)"
EXPERTS = "Flexible aid experts"
V1_FORM = "Application form for small aid teams and flexible aid experts"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.7\n% another file\n%%EOF\n"
THIRD_PDF = b"%PDF-1.5\n% a third file\n%%EOF\n"


# --------------------------------------------------------------------------- the versions an admin publishes


EDITS: dict[str, Callable[[Path], None]] = {
    "fact_gone": edits.without_fact("applying_elsewhere", "one-application-only"),
    "choices": edits.without_value("title", "none"),
    "track_gone": edits.without_track("flexible-expert"),
    "program_gone": edits.without_program,
    "document_gone": edits.without_document("small-team-expert-application-form"),
    "document_added": edits.with_cv_first,
    "closed": edits.closed_on_9_june,
    "elsewhere": edits.shanxi_renamed,
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Content]:
    """Each second version, loaded once: the shipped folder copied, edited, and loaded as at start."""
    versions = {}
    for name, change in EDITS.items():
        root = edits.copied(tmp_path_factory.mktemp(name))
        change(root)
        versions[name] = load_content(root)
    return versions


# --------------------------------------------------------------------------- an applicant on version A


def applicant(content: Content, lang: str = "en") -> Driver:
    d = Driver(content, INSIDE, state=State(lang=lang))
    d.command("start")
    return d


def to_question(d: Driver, fact: str, answers: dict[str, str] | None = None) -> None:
    """Apply as a flexible expert, answering as one would, until ``fact`` is asked."""
    answers = {**EXPERT, **(answers or {})}
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    for _ in range(20):
        if d.state.question == fact:
            return
        assert d.state.step == Step.QUESTION, d.screen
        if d.state.question in answers:
            d.press(answers[d.state.question])
        else:
            d.text("3")
    raise AssertionError(f"{fact} was never asked")


def to_documents(d: Driver) -> None:
    """Apply as a flexible expert up to the first document of the checklist."""
    to_question(d, "title")
    d.press("Full senior title")
    d.text("张三")
    d.text("139 1234 5678")
    d.text("浙江大学")
    d.press("Health (Regional Health Commission)")
    assert d.state.step == Step.DOCUMENTS, d.screen


def to_review(d: Driver) -> None:
    to_documents(d)
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    assert d.state.step == Step.REVIEW, d.screen


def publish(d: Driver, version: Content, press: str | None = None) -> str:
    """Admins put ``version`` in force while the applicant looks at their screen; the payload of the
    button ``press`` on that screen, read before (the phone shows what it was sent)."""
    data = next(data for label, data in d.buttons() if label == press) if press else ""
    d.content = version
    return data


def keys(d: Driver) -> list[str]:
    return [reply.key for reply in d.replies]


# --------------------------------------------------------------------------- a question


@pytest.mark.parametrize("how", ["button", "typed", "restart"])
def test_a_question_removed_meanwhile_gives_way_to_the_next_one_and_the_answers_stay(
    content: Content, published: dict[str, Content], how: str
) -> None:
    d = applicant(content)
    to_question(d, "applying_elsewhere")
    answered = dict(d.state.facts)
    assert {"region", "civil_servant", "in_key_program", "agreement_signed"} <= answered.keys()
    no = publish(d, published["fact_gone"], "No")
    if how == "button":
        d.send_choice(no)  # the old screen's button
    elif how == "typed":
        d.text("no")
    else:
        d.send(CommandEvent("resume"))  # the bot restarted meanwhile
    assert keys(d)[0] == crossing.QUESTION_GONE
    assert d.state.step == Step.QUESTION and d.state.question == "months_in_xj_per_year"
    assert d.state.facts == answered  # every answer kept, none taken for the question that went
    d.text("3")
    assert d.state.question == "title"  # and the questions simply go on


def test_back_after_a_question_removed_meanwhile_skips_it(content: Content, published: dict[str, Content]) -> None:
    d = applicant(content)
    to_question(d, "applying_elsewhere")
    d.press("No")
    assert d.state.question == "months_in_xj_per_year"
    d.content = published["fact_gone"]
    d.text("3")
    assert d.state.question == "title" and d.replies[0].key != crossing.QUESTION_GONE  # nothing on screen went
    d.press("Back")
    d.press("Back")
    assert d.state.question == "agreement_signed"  # the removed question is not on the way back


def test_changed_choices_show_the_question_again_before_an_old_button_is_taken(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_question(d, "title")
    d.send_choice(publish(d, published["choices"], "Full senior title"))  # an answer both versions offer
    assert keys(d)[0] == crossing.CHOICES_CHANGED
    assert d.state.question == "title" and "title" not in d.state.facts
    assert "No title" not in d.labels() and "Full senior title" in d.labels()
    d.press("Full senior title")
    assert d.state.step == Step.CONTACT_NAME


def test_an_answer_the_new_choices_no_longer_offer_is_asked_again(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    d.press("Am I eligible for a program?")
    d.press(AID)
    d.press(EXPERTS)
    asked = []
    while d.state.step == Step.QUESTION and d.state.question != "title":
        asked.append(d.state.question)
        d.press(EXPERT[d.state.question]) if d.state.question in EXPERT else d.text("3")
    d.press("No title")
    assert d.state.facts["title"] == "none"
    d.content = published["choices"]
    d.command("edit")  # a command: handled as usual, with the note that an answer must be given again
    assert keys(d)[0] == crossing.ANSWERS_DROPPED
    assert "title" not in d.state.facts and all(fact in d.state.facts for fact in asked)


# --------------------------------------------------------------------------- a track, a program


@pytest.mark.parametrize("where", ["question", "documents"])
def test_a_track_removed_meanwhile_goes_back_to_the_tracks(
    content: Content, published: dict[str, Content], where: str
) -> None:
    d = applicant(content)
    if where == "question":
        to_question(d, "agreement_signed")
        d.send_choice(publish(d, published["track_gone"], "Yes"))
    else:
        to_documents(d)
        d.content = published["track_gone"]
        d.upload("form.pdf", PDF)
        assert not [e for e in d.effects if isinstance(e, StoreFile)]  # the file is not kept for a gone track
    assert keys(d)[0] == crossing.TRACK_GONE
    assert d.state.step == Step.PICK_TRACK
    assert EXPERTS not in d.labels() and "Small aid teams" in d.labels()
    assert d.state.draft is None and d.state.facts["region"] == "other"


def test_a_program_removed_meanwhile_goes_back_to_the_programs_and_nothing_is_submitted(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_review(d)
    d.send_choice(publish(d, published["program_gone"], "Confirm and submit"))
    assert keys(d)[0] == crossing.PROGRAM_GONE
    assert not d.submissions
    assert d.state.step == Step.PICK_PROGRAM and AID not in d.labels()
    assert d.state.program is None and d.state.draft is None


# --------------------------------------------------------------------------- documents


def test_a_document_removed_while_uploading_moves_on_to_the_next(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_documents(d)
    d.upload("form.pdf", PDF)
    assert d.state.draft is not None and d.state.draft.item == "small-team-expert-application-form"
    stored = len(d.files)
    d.content = published["document_gone"]
    d.upload("form-page2.pdf", OTHER_PDF)
    assert keys(d)[0] == crossing.DOCUMENT_GONE
    assert len(d.files) == stored  # the file for the removed document was not taken
    draft = d.state.draft
    assert draft is not None and draft.item == "small-team-expert-agreement"
    assert "small-team-expert-application-form" not in draft.documents
    assert "Document 1 of 1" in d.screen
    d.press("Skip: my unit sends this one")
    assert d.state.step == Step.REVIEW


def test_a_document_added_while_uploading_is_said_and_asked_before_the_review(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_documents(d)
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.content = published["document_added"]
    d.upload("agreement.pdf", OTHER_PDF)  # the file is for the document on screen, which is still wanted
    assert keys(d)[:2] == [crossing.DOCUMENTS_CHANGED, "Received {name}."]
    assert "Document 3 of 3" in d.screen
    d.press("Done with this document")
    assert d.state.draft is not None and d.state.draft.item == "cv"  # the new one, before the review
    d.upload("cv.pdf", THIRD_PDF)
    d.press("Done with this document")
    assert d.state.step == Step.REVIEW
    d.press("Confirm and submit")
    [submission] = d.submissions.values()
    assert {doc.item for doc in submission.documents} == {
        "cv",
        "small-team-expert-application-form",
        "small-team-expert-agreement",
    }


def test_a_document_removed_while_sending_it_again_goes_back_to_the_list(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_review(d)
    d.press("Confirm and submit")
    [submission] = d.submissions.values()
    d.decisions[submission.reference] = ("returned", "盖章不清晰")
    d.send_choice(Notice(NoticeAction.AMEND, submission.reference).pack())  # the notification's button
    d.press(V1_FORM)
    assert d.state.step == Step.AMEND_DOCUMENTS
    d.content = published["document_gone"]
    d.upload("form-again.pdf", OTHER_PDF)
    assert keys(d)[0] == crossing.DOCUMENT_GONE
    assert d.state.step == Step.AMEND and V1_FORM not in d.labels()
    draft = d.state.draft
    assert draft is not None and draft.amends == submission.reference and not any(draft.documents.values())


# --------------------------------------------------------------------------- a window, an old button


def test_a_window_closed_meanwhile_refuses_the_confirm_as_a_closed_window_does(
    content: Content, published: dict[str, Content]
) -> None:
    d = applicant(content)
    to_review(d)
    d.send_choice(publish(d, published["closed"], "Confirm and submit"))
    assert keys(d) == [crossing.WINDOW_CLOSED, "@closed"]
    assert not d.submissions
    assert "Tell me when the next round opens" in d.labels()


def test_an_old_button_works_when_its_screen_did_not_change(content: Content, published: dict[str, Content]) -> None:
    d = applicant(content)
    d.press("Apply")
    d.press(AID)
    d.send_choice(publish(d, published["elsewhere"], EXPERTS))  # another program's track renamed
    assert d.state.step == Step.QUESTION and d.state.track == "flexible-expert"
    assert not any(key.startswith("This part was updated") for key in keys(d))


def test_an_old_button_on_a_screen_that_changed_shows_it_again(content: Content, published: dict[str, Content]) -> None:
    d = applicant(content)
    d.press("Apply")
    d.press(AID)
    # still offered, but the buttons around it are not those pressed on
    d.send_choice(publish(d, published["track_gone"], "Small aid teams"))
    assert keys(d)[0] == crossing.UPDATED
    assert d.state.step == Step.PICK_TRACK and EXPERTS not in d.labels()
    d.press("Small aid teams")
    assert d.state.step == Step.QUESTION and d.state.track == "small-team"


def test_the_same_content_republished_changes_nothing(content: Content) -> None:
    d = applicant(content)
    to_review(d)
    d.send_choice(publish(d, dataclasses.replace(content, version=content.version + "-again"), "Confirm and submit"))
    assert len(d.submissions) == 1 and not any(key.startswith("This part was updated") for key in keys(d))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_explanation_is_in_the_applicants_language(
    content: Content, published: dict[str, Content], lang: str
) -> None:
    d = applicant(content)
    to_question(d, "applying_elsewhere")
    d.state.lang = lang  # the same applicant, reading another language
    d.content = published["fact_gone"]
    d.text("3")
    [said, *_] = d.replies
    text = render(said, d.content, d.now, translator(lang))
    assert said.key == crossing.QUESTION_GONE and text.strip()
    assert (text == said.key) is (lang == "en")


# --------------------------------------------------------------------------- random walks across a publish


@pytest.fixture(scope="module")
def crossings(content: Content, published: dict[str, Content]) -> Iterator[tuple[World, dict[str, World]]]:
    yield World.of(content), {name: World.of(version) for name, version in published.items()}


WALKS = 40
BEFORE, AFTER = 40, 30
#: The explanations the crossing may give (walks must give some, or they never crossed anything).
EXPLAINED = frozenset(
    {
        crossing.UPDATED,
        crossing.PROGRAM_GONE,
        crossing.TRACK_GONE,
        crossing.QUESTION_GONE,
        crossing.CHOICES_CHANGED,
        crossing.ANSWERS_DROPPED,
        crossing.DOCUMENT_GONE,
        crossing.DOCUMENTS_CHANGED,
        crossing.REVIEW_CHANGED,
        crossing.WINDOW_CLOSED,
    }
)


def test_random_walks_across_a_publish_never_break(crossings: tuple[World, dict[str, World]]) -> None:
    """Walks on the shipped content, then admins publish one of the versions above, then the walk goes on:
    no exception, every screen rendered, the state through JSON, a way out of every screen, Back and a
    restart as before (after the first event on the new version, which may rightly move the applicant)."""
    before, after = crossings
    names = sorted(after)
    walked = 0
    explained: set[str] = set()

    @settings(
        max_examples=WALKS,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def walk(data: st.DataObject) -> None:
        nonlocal walked
        choose = _Chooser(data)
        lang = LANGUAGES[choose.index([1] * len(LANGUAGES))]
        clocks = before.inside if choose.index([3, 1]) == 0 else before.clocks
        walker = Walker(before, lang, clocks[choose.index([1] * len(clocks))], eager=choose.index([1, 1]) == 1)
        failures = walker.apply(START)
        for step in range(BEFORE + AFTER):
            assert not failures, _explain(failures[0].reproducer(), failures[0].signature, failures[0].detail)
            if step == BEFORE:
                name = names[choose.index([1] * len(names))]
                walker.world = after[name]
                walker.apply(Reload("shipped"))  # the published version is the new world's own content
                walker.reloaded = True  # the next screen may rightly differ: it is explained
            failures = walker.step(choose)
            if step == BEFORE:
                explained.update(r.key for r in walker.driver.replies if r.key in EXPLAINED)
        assert not failures, _explain(failures[0].reproducer(), failures[0].signature, failures[0].detail)
        walked += walker.steps

    walk()
    assert walked >= WALKS * (BEFORE + AFTER)
    assert len(explained) >= 3, explained  # the walks did cross screens that changed, in several ways


class _Chooser:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def index(self, weights: list[int] | tuple[int, ...]) -> int:
        if len(weights) == 1:
            return 0
        total = sum(weights)
        drawn = self.data.draw(st.integers(0, total - 1))
        for index, weight in enumerate(weights):
            drawn -= weight
            if drawn < 0:
                return index
        return len(weights) - 1


def _explain(steps: list[str], signature: str, detail: str) -> str:
    return f"{signature}\n{detail[:500]}\nsteps:\n  " + "\n  ".join(steps)
