"""The review engine on its own: every staff event against every status, from every place and person."""

from __future__ import annotations

import datetime as dt

import pytest

from dialogs.events import Reply
from dialogs.lifecycle import (
    FINAL_STATUSES,
    TRANSITIONS,
    Replay,
    Status,
    can_move,
    replay_of_amend,
    replay_of_confirm,
    replay_of_decision,
)
from dialogs.review import (
    ALREADY,
    COMMENT_PLEASE,
    DECIDED,
    GONE,
    LANGUAGE_MENU,
    LANGUAGE_SET,
    MAX_COMMENT,
    NOT_A_REVIEWER,
    NOT_HERE,
    NOT_STAFF,
    NOT_VALID,
    PROMPT_DONE,
    PROMPT_FAILED,
    PROMPTS,
    QUESTION_GONE,
    RELAYED,
    review,
)
from dialogs.review_model import (
    AnswerQuestion,
    AskedQuestion,
    AuditDecision,
    ChangeStatus,
    CloseDecisionPrompt,
    LanguageAsked,
    Press,
    PromptPurpose,
    PromptReply,
    PromptView,
    ReviewButton,
    ReviewContext,
    ReviewedSubmission,
    Reviewer,
    ReviewView,
    SetChatLanguage,
    StaffLanguageButton,
    Subject,
    TellApplicant,
    Via,
    is_staff_payload,
    review_buttons,
    subject,
)

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
REF = "AD-7KQ4M-XP2ZT"
OFFICE, OTHER_OFFICE, PRIVATE = -1001, -1002, 4242
NOTICE = 77
CHEN = Reviewer(8521, "陈老师")
GUEST = Reviewer(9999, "访客")
CTX = ReviewContext(frozenset({OFFICE, OTHER_OFFICE}), frozenset({CHEN.id}))
OPEN_CTX = ReviewContext(frozenset({OFFICE, OTHER_OFFICE}))


def at(status: Status, routed: frozenset[int] = frozenset({OFFICE})) -> ReviewView:
    return ReviewView(submission=ReviewedSubmission(REF, status, routed))


def press(action: str, *, by: Reviewer = CHEN, chat: int | None = OFFICE, reference: str = REF) -> Press:
    return Press(f"s:{action}:{reference}", by, chat, NOTICE)


def only_reply(outcome: object) -> Reply:
    replies = outcome.replies  # type: ignore[attr-defined]
    assert len(replies) == 1
    return replies[0].message  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the lifecycle


def test_accepted_is_final_and_nothing_moves_out_of_it() -> None:
    assert frozenset({Status.ACCEPTED}) == FINAL_STATUSES
    assert not any(can_move(Status.ACCEPTED, to) for to in Status)


def test_only_an_applicants_upload_moves_a_returned_submission() -> None:
    assert TRANSITIONS[Status.RETURNED] == {Status.SUBMITTED}
    assert not can_move("returned", "accepted") and can_move("returned", "submitted")


def test_an_unknown_status_moves_nowhere() -> None:
    assert not can_move("withdrawn", "accepted") and not can_move("submitted", "withdrawn")


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("decision", [Status.ACCEPTED, Status.RETURNED, Status.MORE_REQUESTED])
def test_a_repeated_decision_is_already_done_and_a_stale_one_is_overtaken(current: Status, decision: Status) -> None:
    replay = replay_of_decision(current, decision)
    if current == decision:
        assert replay is Replay.ALREADY_DONE
    elif replay is Replay.APPLY:
        assert can_move(current, decision)
    # a decision from what staff saw earlier never applies once the submission moved
    for seen in Status:
        if seen != current:
            assert replay_of_decision(current, decision, seen) is not Replay.APPLY


def test_a_replayed_confirm_is_one_submission_and_an_amend_applies_only_while_awaited() -> None:
    assert replay_of_confirm(True) is Replay.APPLY and replay_of_confirm(False) is Replay.ALREADY_DONE
    assert replay_of_amend("returned", owned=True) is Replay.APPLY
    assert replay_of_amend("more_requested", owned=True) is Replay.APPLY
    assert replay_of_amend("submitted", owned=True) is Replay.OVERTAKEN
    assert replay_of_amend("returned", owned=False) is Replay.OVERTAKEN


# --------------------------------------------------------------------------- buttons


def test_the_notice_buttons_keep_their_wire_form_and_read_back_typed() -> None:
    datas = [button.data for row in review_buttons(REF) for button in row]
    assert datas == [f"s:ok:{REF}", f"s:ret:{REF}", f"s:more:{REF}"]
    assert all(is_staff_payload(data) for data in datas)
    assert is_staff_payload(StaffLanguageButton("ug").pack()) and not is_staff_payload("s")
    assert not is_staff_payload("x:amend:" + REF) and not is_staff_payload(None)
    assert subject(press("ok")) == Subject(reference=REF)
    assert ReviewButton.unpack(datas[1]).reference == REF


@pytest.mark.parametrize(
    "data",
    [
        "s:ok",
        "s:x:y:z",
        f"s:ok:{REF}:more",
        "s:ok:<b>",
        "s:",
        "s:ok:",
        "s:lang:ug",
        "sl:xx",
        "sl:",
        "s:ok:ad-7kq4m-xp2zt",
    ],
)
def test_a_forged_or_garbled_staff_button_is_no_longer_valid_and_loads_nothing(data: str) -> None:
    event = Press(data, CHEN, OFFICE, NOTICE)
    assert subject(event) == Subject()
    outcome = review(ReviewView(), event, CTX, NOW)
    assert only_reply(outcome).key == NOT_VALID and outcome.replies[0].via is Via.ALERT
    assert outcome.effects == () and outcome.prompt is None


# --------------------------------------------------------------------------- deciding by button


def test_accepting_moves_the_status_tells_the_applicant_once_and_takes_the_buttons_away() -> None:
    outcome = review(at(Status.SUBMITTED), press("ok"), CTX, NOW)
    assert outcome.effects == (
        ChangeStatus(REF, Status.ACCEPTED, Status.SUBMITTED, CHEN.label, NOW, None),
        TellApplicant(REF, Status.ACCEPTED, None, NOW),
        AuditDecision(f"tg:{CHEN.id}", REF, NOW, "accepted", "submitted", OFFICE),
    )
    popup, line = outcome.replies
    assert popup.via is Via.POPUP and popup.message.key == "@staff_decision"
    assert line.via is Via.CHAT and line.reply_to == NOTICE and line.message.key == DECIDED
    assert line.message.args["decision"] == popup.message
    assert outcome.clear_buttons == (NOTICE,)


def test_accepting_while_a_document_is_awaited_is_allowed() -> None:
    outcome = review(at(Status.MORE_REQUESTED), press("ok"), CTX, NOW)
    assert [type(e) for e in outcome.effects] == [ChangeStatus, TellApplicant, AuditDecision]


@pytest.mark.parametrize("action, decision", [("ret", Status.RETURNED), ("more", Status.MORE_REQUESTED)])
def test_returning_or_asking_for_more_first_asks_for_words(action: str, decision: Status) -> None:
    outcome = review(at(Status.SUBMITTED), press(action), CTX, NOW)
    assert outcome.effects == () and outcome.replies == ()
    prompt = outcome.prompt
    assert prompt is not None
    assert prompt.message == Reply(PROMPTS[decision], {"who": CHEN.name, "reference": REF})
    assert prompt.reply_to == NOTICE
    assert (prompt.record.purpose.value, prompt.record.seen_status) == (decision.value, Status.SUBMITTED)
    assert prompt.done.message.key == COMMENT_PLEASE and prompt.failed.message.key == PROMPT_FAILED


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", ["ok", "ret", "more"])
def test_every_button_against_every_status(status: Status, action: str) -> None:
    outcome = review(at(status), press(action), CTX, NOW)
    decision = {"ok": Status.ACCEPTED, "ret": Status.RETURNED, "more": Status.MORE_REQUESTED}[action]
    if replay_of_decision(status, decision) is Replay.APPLY:
        decided = [ChangeStatus, TellApplicant, AuditDecision]
        assert outcome.prompt is not None or [type(e) for e in outcome.effects] == decided
    else:
        assert only_reply(outcome) == Reply(ALREADY[status], {"reference": REF})
        assert outcome.effects == () and outcome.prompt is None


def test_a_double_press_decides_once_the_second_hears_it_was_already_accepted() -> None:
    first = review(at(Status.SUBMITTED), press("ok"), CTX, NOW)
    second = review(at(Status.ACCEPTED), press("ok"), CTX, NOW)
    assert sum(isinstance(e, TellApplicant) for e in first.effects + second.effects) == 1
    assert only_reply(second).key == ALREADY[Status.ACCEPTED] and second.replies[0].via is Via.ALERT


def test_a_decision_from_a_staff_chat_the_submission_was_not_sent_to_is_refused() -> None:
    outcome = review(at(Status.SUBMITTED), press("ok", chat=OTHER_OFFICE), CTX, NOW)
    assert only_reply(outcome) == Reply(NOT_HERE, {"reference": REF}) and outcome.effects == ()


def test_a_staff_button_outside_a_staff_chat_is_refused() -> None:
    for chat in (PRIVATE, None):
        outcome = review(at(Status.SUBMITTED), press("ok", chat=chat), CTX, NOW)
        assert only_reply(outcome).key == NOT_STAFF and outcome.effects == ()


def test_only_the_reviewers_named_in_the_settings_decide_when_some_are_named() -> None:
    refused = review(at(Status.SUBMITTED), press("ok", by=GUEST), CTX, NOW)
    assert only_reply(refused).key == NOT_A_REVIEWER
    # nothing decided; the attempt is kept in the audit log, refused
    assert refused.effects == (AuditDecision(f"tg:{GUEST.id}", REF, NOW, "accepted", "submitted", OFFICE, False),)
    allowed = review(at(Status.SUBMITTED), press("ok", by=GUEST), OPEN_CTX, NOW)
    assert [type(e) for e in allowed.effects] == [ChangeStatus, TellApplicant, AuditDecision]


def test_a_withdrawn_submission_is_said_to_be_gone() -> None:
    outcome = review(ReviewView(), press("more"), CTX, NOW)
    assert only_reply(outcome) == Reply(GONE, {"reference": REF}) and outcome.prompt is None


# --------------------------------------------------------------------------- replies to prompts


def prompt(purpose: PromptPurpose = PromptPurpose.RETURN, *, answered: bool = False) -> PromptView:
    seen = None if purpose is PromptPurpose.ANSWER else Status.SUBMITTED
    reference = "Q-3" if purpose is PromptPurpose.ANSWER else REF
    return PromptView(5, reference, purpose, seen, NOTICE if seen else None, answered)


def reply(text: str = "盖章不清晰", by: Reviewer = CHEN) -> PromptReply:
    return PromptReply(text, by, OFFICE, 90, 88)


def test_a_reply_to_the_prompt_decides_with_its_words_and_closes_the_prompt() -> None:
    view = ReviewView(submission=ReviewedSubmission(REF, Status.SUBMITTED, frozenset({OFFICE})), prompt=prompt())
    outcome = review(view, reply("  盖章不清晰 " + "x" * 2000), CTX, NOW)
    comment = ("盖章不清晰 " + "x" * 2000)[:MAX_COMMENT]
    assert outcome.effects == (
        CloseDecisionPrompt(5, NOW),
        ChangeStatus(REF, Status.RETURNED, Status.SUBMITTED, CHEN.label, NOW, comment),
        TellApplicant(REF, Status.RETURNED, comment, NOW),
        AuditDecision(f"tg:{CHEN.id}", REF, NOW, "returned", "submitted", OFFICE),
    )
    [line] = outcome.replies
    assert line.via is Via.CHAT and line.reply_to == 90 and outcome.clear_buttons == (NOTICE,)
    assert subject(reply()) == Subject(prompt=(OFFICE, 88))


def test_a_prompt_answered_once_says_so_the_second_time() -> None:
    view = ReviewView(
        submission=ReviewedSubmission(REF, Status.RETURNED, frozenset({OFFICE})), prompt=prompt(answered=True)
    )
    outcome = review(view, reply(), CTX, NOW)
    assert only_reply(outcome).key == PROMPT_DONE and outcome.effects == ()


def test_words_written_while_a_colleague_accepted_do_not_overrule_them() -> None:
    view = ReviewView(submission=ReviewedSubmission(REF, Status.ACCEPTED, frozenset({OFFICE})), prompt=prompt())
    outcome = review(view, reply(), CTX, NOW)
    assert only_reply(outcome).key == ALREADY[Status.ACCEPTED] and outcome.effects == ()


def test_a_reply_by_someone_not_named_a_reviewer_decides_nothing() -> None:
    view = ReviewView(submission=ReviewedSubmission(REF, Status.SUBMITTED, frozenset({OFFICE})), prompt=prompt())
    outcome = review(view, reply(by=GUEST), CTX, NOW)
    assert only_reply(outcome).key == NOT_A_REVIEWER
    assert outcome.effects == (AuditDecision(f"tg:{GUEST.id}", REF, NOW, "returned", "submitted", OFFICE, False),)


def test_talk_that_answers_no_prompt_and_empty_replies_are_left_alone() -> None:
    assert review(ReviewView(), reply(), CTX, NOW) == review(ReviewView(), reply(), CTX, NOW)
    assert review(ReviewView(), reply(), CTX, NOW).replies == ()
    view = ReviewView(submission=ReviewedSubmission(REF, Status.SUBMITTED, frozenset({OFFICE})), prompt=prompt())
    assert review(view, reply("   "), CTX, NOW).effects == ()


def test_an_answer_to_an_applicants_question_is_relayed_by_anyone_in_the_chat() -> None:
    view = ReviewView(prompt=prompt(PromptPurpose.ANSWER), question=AskedQuestion(3, "Q-3"))
    outcome = review(view, reply("由派出单位缴纳。", by=GUEST), CTX, NOW)
    assert outcome.effects == (
        AnswerQuestion(3, "Q-3", "由派出单位缴纳。", GUEST.label, NOW),
        AuditDecision(f"tg:{GUEST.id}", "Q-3", NOW, "answered", None, OFFICE),
    )
    assert only_reply(outcome).key == RELAYED


def test_an_answer_to_a_question_whose_asker_deleted_their_data_says_so() -> None:
    outcome = review(ReviewView(prompt=prompt(PromptPurpose.ANSWER)), reply(), CTX, NOW)
    assert only_reply(outcome).key == QUESTION_GONE and outcome.effects == ()


# --------------------------------------------------------------------------- the chat's language


def test_language_by_command_by_menu_and_by_button() -> None:
    direct = review(ReviewView(), LanguageAsked("ug", GUEST, OFFICE, 12), CTX, NOW)
    assert direct.effects == (SetChatLanguage(OFFICE, "ug", GUEST.label, NOW),)
    assert [(r.via, r.lang, r.message.key) for r in direct.replies] == [(Via.CHAT, "ug", LANGUAGE_SET)]
    menu = review(ReviewView(), LanguageAsked("", GUEST, OFFICE, 12), CTX, NOW)
    assert only_reply(menu).key == LANGUAGE_MENU and menu.effects == ()
    buttons = [button.data for row in menu.replies[0].message.buttons for button in row]
    assert buttons == ["sl:zh", "sl:en", "sl:ug"]
    pressed = review(ReviewView(), Press("sl:en", GUEST, OFFICE, 13), CTX, NOW)
    assert pressed.effects == (SetChatLanguage(OFFICE, "en", GUEST.label, NOW),)
    assert [r.via for r in pressed.replies] == [Via.POPUP, Via.CHAT] and pressed.clear_buttons == (13,)
    assert review(ReviewView(), LanguageAsked("ug", GUEST, PRIVATE, 12), CTX, NOW).effects == ()
