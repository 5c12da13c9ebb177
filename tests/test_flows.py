"""The declared conversation: every step redraws itself after a restart, Back returns to the screen before,
a detour ("change an answer") returns to where it began, and the registry refuses a broken declaration."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import translator
from bot.telegram.format import valid_callback
from dialogs.callbacks import MAX_BYTES, CallbackData, parse
from dialogs.events import ChoiceEvent, CommandEvent, Event, Reply
from dialogs.flows import buttons
from dialogs.flows.buttons import ALL, Back, Notice, NoticeAction
from dialogs.flows.driver import GENERIC_TARGETS
from dialogs.flows.model import REGISTRY, RegistryError, Step, StepSpec, register, validate
from dialogs.loader import Content, load_content
from dialogs.render import button_label, render
from dialogs.review_model import STAFF_PREFIXES, is_staff_payload
from dialogs.state import FORMAT, State
from tests.engine_driver import Driver
from tests.test_engine_journeys import EXPERT, INSIDE_AID_WINDOW, PDF, PNG, TODAY, answer_until_done

AID = "2023 aid-talent plan (batch 2)"
AID_ID = "xj-aid-talent-2023b2"
EXPERTS = "Flexible aid experts"


@dataclass
class Recorder(Driver):
    """A driver that keeps, after every event, the state and the replies it produced."""

    history: list[tuple[State, list[Reply]]] = field(default_factory=list)
    #: What storage held after each event: submissions and staff's decisions (shown by some screens).
    stored: list[tuple[dict[str, Any], dict[str, tuple[str, str | None]]]] = field(default_factory=list)

    def send(self, event: Event) -> str:
        screen = super().send(event)
        self.history.append((copy.deepcopy(self.state), list(self.replies)))
        self.stored.append((dict(self.submissions), dict(self.decisions)))
        return screen


def start(content: Content, now: dt.datetime = INSIDE_AID_WINDOW) -> Recorder:
    d = Recorder(content, now, state=State(lang="en"))
    d.command("start")
    return d


def to_review(d: Driver) -> None:
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    answer_until_done(d, EXPERT, {"months_in_xj_per_year": "3个月"})
    d.text("张三")
    d.text("139 1234 5678")
    d.text("浙江大学")
    d.press("Health (Regional Health Commission)")
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    assert d.state.step == Step.REVIEW


def tour(content: Content) -> Recorder:
    """One applicant through every step of the conversation."""
    d = start(content)
    d.press("My submissions")
    d.press("Main menu")
    d.press("Help")
    d.press("Main menu")
    d.press("Language")
    d.press("English")
    d.press("Deadlines, contacts and documents")
    d.press(AID)
    d.press("Deadlines")
    d.press("Back")
    d.press("Main menu")
    d.press("Which program fits me?")
    answer_until_done(d, EXPERT)
    d.press("Main menu")
    d.press("Am I eligible for a program?")
    d.press(AID)
    d.press(EXPERTS)
    answer_until_done(d, EXPERT, {"months_in_xj_per_year": "3"})
    d.press("Change an answer")
    d.press("Civil servant: No")
    d.press("Yes")
    d.press("Main menu")
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    d.press("Main menu")
    d.command("cancel")
    d.state.facts = {}
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    answer_until_done(d, {**EXPERT, "region": "Xinjiang (outside the four southern prefectures)"})
    assert d.state.step == Step.INELIGIBLE
    d.command("start")
    d.state.facts = {}
    to_review(d)
    d.press("Change an answer")
    d.press("Civil servant: No")
    d.press("Yes")
    d.press("Confirm and submit")
    assert d.state.step == Step.SUBMIT_REFUSED and not d.submissions
    d.press("Change an answer")
    d.press("Civil servant: Yes")
    d.press("No")
    assert d.state.step == Step.REVIEW
    d.press("Cancel the application")
    d.press("No, back to the review")
    d.press("Confirm and submit")
    [submission] = d.submissions.values()
    d.decisions[submission.reference] = ("returned", "Please send the form signed.")
    d.send_choice(Notice(NoticeAction.AMEND, submission.reference).pack())
    d.press(d.labels()[0])
    d.upload("signed.png", PNG)
    d.press("Done with this document")
    d.press("Send to staff")
    d.text("Can I bring my cat to the office?")
    d.press("Ask staff")
    d.press("Main menu")
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    assert d.state.step == Step.ALREADY_SUBMITTED
    d.now = TODAY
    d.press("Main menu")
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    d.press("Tell me when the next round opens")
    d.command("delete_my_data")
    return d


@pytest.fixture(scope="module")
def shipped() -> Content:
    return load_content()


@pytest.fixture(scope="module")
def toured(shipped: Content) -> Recorder:
    return tour(shipped)


def screen_of(replies: list[Reply], content: Content, state: State) -> list[tuple[str, list[str]]]:
    """What the applicant sees of a screen: its messages from the first one with buttons, with their labels."""
    first = next((i for i, r in enumerate(replies) if r.buttons), None)
    assert first is not None, [r.key for r in replies]
    tr = translator(state.lang)
    return [
        (render(r, content, INSIDE_AID_WINDOW, tr), [button_label(b, content, tr) for row in r.buttons for b in row])
        for r in replies[first:]
    ]


def replay(d: Recorder, state: State, event: Event) -> Recorder:
    """A driver holding ``state`` (and what storage held with it) that then receives ``event``."""
    at = next((i for i, (s, _) in enumerate(d.history) if s is state), None)
    submissions, decisions = d.stored[at] if at is not None else (d.submissions, d.decisions)
    again = Recorder(
        d.content, d.now, state=copy.deepcopy(state), submissions=dict(submissions), decisions=dict(decisions)
    )
    again.send(event)
    return again


def test_the_tour_reaches_every_step(toured: Recorder) -> None:
    assert {Step(s.step) for s, _ in toured.history} == set(Step)


@pytest.mark.parametrize("step", list(Step))
def test_a_restart_shows_the_screen_of_every_step_again(toured: Recorder, step: Step) -> None:
    state, replies = next((s, r) for s, r in toured.history if s.step == step and any(x.buttons for x in r))
    stored = State.from_json(copy.deepcopy(state.to_json()))
    assert stored == state
    resumed = replay(toured, state, CommandEvent("resume"))
    assert resumed.replies[0].key == "Welcome back. We continue where you left off."
    assert resumed.state.step == step
    assert screen_of(resumed.replies[1:], toured.content, state) == screen_of(replies, toured.content, state)


@pytest.mark.parametrize("step", [s for s in Step if s is not Step.MENU])
def test_back_returns_to_the_screen_shown_before(toured: Recorder, step: Step) -> None:
    history = toured.history
    i = next(i for i, (s, r) in enumerate(history) if s.step == step and len(s.trail) >= 2 and r)
    state = history[i][0]
    j = max(j for j in range(i) if history[j][0].trail == state.trail[:-1])
    before, shown = history[j]
    back = replay(toured, state, ChoiceEvent(Back(state.menu).pack()))
    assert back.state.step == before.step
    assert screen_of(back.replies, toured.content, state) == screen_of(shown, toured.content, state)


def test_back_after_starting_another_flow_shows_the_screen_before_as_it_was(shipped: Content) -> None:
    d = start(shipped)
    d.press("Deadlines, contacts and documents")
    d.press(AID)
    d.command("find")  # "which program fits me" forgets the program
    assert d.state.step == Step.QUESTION and d.state.program is None
    d.press("Back")
    assert d.state.step == Step.INFO and "What would you like to know about 2023 aid-talent plan" in d.screen


# --------------------------------------------------------------------------- the four reported bugs


def check_a_track(d: Driver) -> None:
    d.press("Am I eligible for a program?")
    d.press(AID)
    d.press(EXPERTS)
    d.press("Another province, autonomous region or municipality")


def test_changing_an_answer_from_a_programs_information_menu_returns_to_that_menu(shipped: Content) -> None:
    d = start(shipped)
    check_a_track(d)
    d.command("programs")
    d.press(AID)
    d.command("edit")
    d.press("Place of work: Another province, autonomous region or municipality")
    d.press("Shanxi Province")
    assert "What would you like to know about 2023 aid-talent plan (batch 2)?" in d.screen
    assert d.state.facts["region"] != "elsewhere"
    d.press("Deadlines")
    assert "internal error" not in d.screen and d.state.step == Step.TOPIC


def test_changing_an_answer_after_leaving_which_program_fits_me_returns_to_the_menu(shipped: Content) -> None:
    d = start(shipped)
    d.press("Which program fits me?")
    d.press("Another province, autonomous region or municipality")
    d.command("start")
    d.command("edit")
    d.press("Place of work: Another province, autonomous region or municipality")
    d.press("Shanxi Province")
    assert d.state.step == Step.MENU and "What would you like to do?" in d.screen
    d.press("Which program fits me?")
    assert d.state.step == Step.QUESTION


def test_back_from_change_an_answer_reached_from_the_review_returns_to_the_review(shipped: Content) -> None:
    d = start(shipped)
    to_review(d)
    d.press("Change an answer")
    assert "Which answer do you want to change?" in d.screen
    d.press("Back")
    assert d.state.step == Step.REVIEW and "Please check your application" in d.screen


def test_an_answer_changed_from_the_review_returns_to_the_review(shipped: Content) -> None:
    d = start(shipped)
    to_review(d)
    d.press("Change an answer")
    d.press("Civil servant: No")
    d.press("Yes")
    assert d.state.step == Step.REVIEW and d.state.facts["civil_servant"] is True


@pytest.mark.parametrize("step", [Step.VERDICT, Step.RANKING, Step.CLOSED, Step.ANSWER, Step.LANGUAGE])
def test_after_a_restart_a_result_screen_or_the_language_menu_is_shown_again_not_the_menu(
    toured: Recorder, step: Step
) -> None:
    state = next(s for s, _ in toured.history if s.step == step)
    resumed = replay(toured, State.from_json(state.to_json()), CommandEvent("resume"))
    assert resumed.state.step == step
    assert "What would you like to do?" not in resumed.screen


def test_cancelling_an_application_is_asked_once_more_and_drops_only_the_draft(shipped: Content) -> None:
    d = start(shipped)
    to_review(d)
    d.press("Change an answer")
    d.press("Civil servant: No")
    d.press("Yes")
    d.press("Confirm and submit")
    assert d.state.step == Step.SUBMIT_REFUSED and not d.submissions
    d.press("Change an answer")
    d.press("Civil servant: Yes")
    d.press("No")
    assert d.state.step == Step.REVIEW
    d.press("Cancel the application")
    assert "Cancel this application?" in d.screen and d.state.draft is not None
    d.press("No, back to the review")
    assert d.state.step == Step.REVIEW and "form.pdf" in d.screen
    d.press("Cancel the application")
    d.press("Yes, cancel it")
    assert "Cancelled." in d.screen and d.state.step == Step.MENU
    assert d.state.draft is None and d.state.facts and not d.submissions


# --------------------------------------------------------------------------- buttons


def test_a_forged_or_old_style_button_shows_the_current_screen(shipped: Content) -> None:
    d = start(shipped)
    d.press("Am I eligible for a program?")
    for data in ("3:p:xj-aid-talent-2023b2", "p:abc:xj", "b:999", "zz", Back(d.state.menu - 1).pack()):
        d.send_choice(data)
        assert "This menu has expired. Here is the current one." in d.screen
        assert d.state.step == Step.PICK_PROGRAM and AID in d.labels()


def test_a_button_of_another_screen_with_the_current_number_is_expired(shipped: Content) -> None:
    d = start(shipped)
    d.send_choice(buttons.Confirm(d.state.menu).pack())
    assert "This menu has expired" in d.screen and d.state.step == Step.MENU
    assert not d.submissions


def test_notification_buttons_sent_before_payloads_were_typed_still_work(shipped: Content) -> None:
    d = start(shipped)
    d.send_choice("x:mine")
    assert d.state.step == Step.SUBMISSIONS
    d.send_choice("x:menu")
    assert d.state.step == Step.MENU


def _values(kind: Any) -> st.SearchStrategy[Any]:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        [member] = [a for a in typing.get_args(kind) if a is not type(None)]
        return st.none() | _values(member)
    if kind is int:
        return st.integers(min_value=0, max_value=10**9)
    if kind is bool:
        return st.booleans()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(list(kind))
    return st.from_regex(r"[A-Za-z0-9_.\-]{1,40}", fullmatch=True)


def _instances(cls: type[CallbackData]) -> st.SearchStrategy[CallbackData]:
    hints = typing.get_type_hints(cls)
    return st.builds(cls, **{f.name: _values(hints[f.name]) for f in dataclasses.fields(cls)})


@given(st.sampled_from(ALL).flatmap(_instances))
def test_every_payload_class_reads_back_as_what_it_packed(press: CallbackData) -> None:
    data = press.pack()
    assert len(data.encode()) <= MAX_BYTES
    assert parse(data, *ALL) == press
    assert valid_callback(data)


def test_payload_prefixes_are_unique_and_none_is_staffs() -> None:
    prefixes = [cls.prefix for cls in ALL]
    assert len(prefixes) == len(set(prefixes))
    assert not set(prefixes) & STAFF_PREFIXES
    assert not any(is_staff_payload(cls.prefix + ":1") for cls in ALL)


# --------------------------------------------------------------------------- the registry


def test_the_shipped_registry_declares_every_step_once() -> None:
    assert set(REGISTRY) == set(Step)
    validate(REGISTRY, GENERIC_TARGETS)


def _broken(step: Step, **changes: Any) -> dict[Step, StepSpec]:
    registry = dict(REGISTRY)
    registry[step] = dataclasses.replace(registry[step], **changes)
    return registry


def test_a_step_without_a_spec_is_refused() -> None:
    registry = dict(REGISTRY)
    del registry[Step.TOPIC]
    with pytest.raises(RegistryError, match="without a spec: topic"):
        validate(registry, GENERIC_TARGETS)


def test_a_second_spec_for_a_step_is_refused() -> None:
    registry = dict(REGISTRY)
    with pytest.raises(RegistryError, match="declared twice"):
        register(REGISTRY[Step.HELP], registry)


def test_a_back_target_that_is_not_a_step_is_refused() -> None:
    with pytest.raises(RegistryError, match="not a declared step"):
        validate(_broken(Step.TOPIC, back="info_menu"), GENERIC_TARGETS)


def test_a_step_without_a_screen_is_refused() -> None:
    with pytest.raises(RegistryError, match="has no screen"):
        validate(_broken(Step.HELP, screen=None), GENERIC_TARGETS)


def test_a_step_nothing_leads_to_is_refused() -> None:
    registry = _broken(Step.REVIEW, goes_to=REGISTRY[Step.REVIEW].goes_to - {Step.DONE})
    with pytest.raises(RegistryError, match="not reachable from the menu: done"):
        validate(registry, GENERIC_TARGETS)


def test_a_handler_for_something_that_is_not_a_payload_class_is_refused() -> None:
    with pytest.raises(RegistryError, match="not a payload class"):
        validate(_broken(Step.HELP, buttons={str: lambda turn, press: None}), GENERIC_TARGETS)


# --------------------------------------------------------------------------- stored states


def test_a_stored_state_of_the_first_format_continues_on_its_screen(shipped: Content) -> None:
    old = {"format": 1, "lang": "en", "step": "question", "flow": "find", "question": "region", "menu": 4}
    state = State.from_json(old)
    assert state.step == Step.QUESTION and [e["step"] for e in state.trail] == ["menu", "question"]
    resumed = replay(start(shipped), state, CommandEvent("resume"))
    assert "Where do you work now?" in resumed.screen
    result = State.from_json({"format": 1, "step": "result", "flow": "find"})
    assert result.step == Step.RANKING
    assert State.from_json({"format": FORMAT, "step": "no_such_step"}).step == Step.MENU
    assert State.from_json({"format": 1, "step": "done"}).step == Step.MENU


def test_content_without_a_program_leaves_no_way_to_reach_it(content: Content) -> None:
    """Found by the random walks: after admins removed a program, an answer screen about it, a free
    question last answered for it, and Back to a screen shown for it each raised KeyError."""
    without = dataclasses.replace(
        content, programs=tuple(p for p in content.programs if p.id != AID_ID), version=content.version + "-without"
    )

    def data_of(d: Driver, label: str) -> str:
        """The button's data, found while the labels still render (the phone shows what it was sent)."""
        return next(data for text, data in d.buttons() if text == label)

    d = start(content)
    d.text("2月30日")
    d.press(AID)
    more = data_of(d, "More about this program")
    d.content = without
    d.send_choice(more)  # an answer screen about the removed program, redrawn
    assert d.replies[0].key == "This part was updated while you were away. Here it is as it stands now."
    assert d.state.program != AID_ID
    d.text("什么时候截止？")  # read on its own, not for the removed program
    assert d.state.free_question_program != AID_ID

    d = start(content)
    d.press("Deadlines, contacts and documents")
    d.press(AID)
    d.press("Main menu")
    d.press("Apply")
    back = data_of(d, "Back")
    d.content = without
    d.send_choice(back)  # the menu the trail kept was shown while the removed program was chosen
    d.text("XX")
    assert d.state.program is None


def test_back_from_a_changed_answer_gives_the_old_answer_back_and_shows_the_list_of_answers(content: Content) -> None:
    """Found by the 1,000,000-step walk: Back from a question opened by /edit took its answer away, so
    "Which answer do you want to change?" had nothing to list and the next Back showed the main menu."""
    d = start(content)
    d.press("Apply")
    d.press(AID)
    d.press(EXPERTS)
    d.press("I don't know")
    d.press("I don't know")
    d.press("Yes")  # inside another key program's support period: not eligible
    assert d.state.step == Step.INELIGIBLE
    d.press("Contacts")
    d.command("edit")
    d.press('Inside another "2+5" key talent program\'s support period: Yes')
    d.press("No")
    assert d.state.step == Step.TOPIC  # back where /edit was used
    d.press("Back")  # the change is undone: the answer is the one it was before /edit
    assert d.state.step == Step.QUESTION and d.state.facts["in_key_program"] is True
    d.press("Back")
    assert d.state.step == Step.EDIT_FACTS
    assert 'Inside another "2+5" key talent program\'s support period: Yes' in d.labels()
