"""Staff review, decided: (what is stored + a staff event + who/where + now) → replies and effects.

The Telegram layer (:mod:`bot.telegram.staff`) only orchestrates, the way
:meth:`bot.service.Desk.handle` drives the applicant engine: it asks
:func:`dialogs.review_model.subject` what to load, loads a :class:`ReviewView` through storage, calls
:func:`review`, commits the effects through storage and sends the replies. When
the commit finds the world moved (a colleague decided first, the prompt was
answered, the applicant deleted their data), it loads again and asks again, so
every refusal is worded here, from what is stored.

A decision is a status change (who, when, why) plus exactly one notice to the
applicant, in the same transaction. Accepting is one press; returning and asking
for a document need words: the engine asks for a prompt (a force-reply message)
whose reply carries the comment. A question an applicant passed on to staff
arrives as a prompt too; each reply to it is relayed. Pure: no clock, database or
Telegram.
"""

from __future__ import annotations

import datetime as dt

from dialogs.callbacks import parse
from dialogs.events import Button, Reply
from dialogs.i18n import LANGUAGE_NAMES, N_
from dialogs.lifecycle import NEEDS_COMMENT, Replay, Status, is_submission_reference, replay_of_decision
from dialogs.review_model import (
    DECISION_OF,
    AnswerQuestion,
    AuditDecision,
    ChangeStatus,
    CloseDecisionPrompt,
    LanguageAsked,
    Press,
    PromptPurpose,
    PromptReply,
    PromptRequest,
    RecordPrompt,
    ReviewButton,
    ReviewContext,
    ReviewedSubmission,
    ReviewEffect,
    Reviewer,
    ReviewOutcome,
    ReviewView,
    SetChatLanguage,
    StaffEvent,
    StaffLanguageButton,
    StaffReply,
    TellApplicant,
    Via,
)

MAX_COMMENT = 1000
#: Longest staff answer to a question taken as one reply (Telegram's own limit is 4,096).
MAX_ANSWER = 3000

NOT_A_REVIEWER = N_("Only the reviewers named in the bot's settings can decide on submissions.")
NOT_HERE = N_("{reference} is reviewed in the staff chat it was sent to; decide there.")
NOT_VALID = N_("This button is no longer valid.")
NOT_STAFF = N_("Only staff can use these buttons, in their staff chat.")
GONE = N_("Submission {reference} no longer exists (withdrawn by the applicant).")
QUESTION_GONE = N_("This question no longer exists: the applicant deleted their data.")
PROMPT_DONE = N_("This prompt was already answered.")
RELAYED = N_("Sent to the applicant.")
COMMENT_PLEASE = N_("Reply to my message with your comment.")
PROMPT_FAILED = N_("Telegram did not take the message; please press again.")
DECIDED = N_("{reference}: {decision}")
LANGUAGE_SET = N_("This staff chat now reads the bot in {language}.")
LANGUAGE_MENU = N_("Choose the language of this staff chat: notifications, prompts and confirmations here will use it.")
#: What a decision that cannot be taken says, by the status the submission is in.
ALREADY = {
    Status.ACCEPTED: N_("{reference} was already accepted."),
    Status.RETURNED: N_("{reference} was already returned to the applicant; it comes back when they send documents."),
    Status.MORE_REQUESTED: N_("{reference} already waits for a document from the applicant."),
    Status.SUBMITTED: N_("{reference} changed meanwhile; please look at it again."),
}
#: The prompt that asks for the words of a decision.
PROMPTS = {
    Status.RETURNED: N_(
        "{who}: reply to this message with the reason for returning {reference}. The applicant will read it."
    ),
    Status.MORE_REQUESTED: N_(
        "{who}: reply to this message with the document you need for {reference}, and why. The applicant will read it."
    ),
}


def _answer(key: str, via: Via = Via.ALERT, **args: object) -> ReviewOutcome:
    return ReviewOutcome(replies=(StaffReply(Reply(key, dict(args)), via),))


def _tell(press: bool, key: str, reply_to: int | None, **args: object) -> ReviewOutcome:
    """A refusal: an alert for a button press, a reply in the chat for a message."""
    if press:
        return _answer(key, Via.ALERT, **args)
    return ReviewOutcome(replies=(StaffReply(Reply(key, dict(args)), Via.CHAT, reply_to),))


# --------------------------------------------------------------------------- the engine


def review(view: ReviewView, event: StaffEvent, ctx: ReviewContext, now: dt.datetime) -> ReviewOutcome:
    """Decide what a staff event does, from what is stored now."""
    if isinstance(event, Press):
        return _press(view, event, ctx, now)
    if isinstance(event, PromptReply):
        return _reply(view, event, ctx, now)
    return _language_command(event, ctx, now)


def _press(view: ReviewView, event: Press, ctx: ReviewContext, now: dt.datetime) -> ReviewOutcome:
    if event.chat_id is None or event.chat_id not in ctx.staff_chats:
        return _answer(NOT_STAFF)
    button = parse(event.data, ReviewButton, StaffLanguageButton)
    if isinstance(button, StaffLanguageButton):
        if button.lang not in ctx.languages:
            return _answer(NOT_VALID)
        return _set_language(event.chat_id, button.lang, event.by, now, event.message_id, press=True)
    if not isinstance(button, ReviewButton) or not is_submission_reference(button.reference):
        return _answer(NOT_VALID)
    decision = DECISION_OF[button.action]
    if not ctx.may_decide(event.by):
        return _not_a_reviewer(view.submission, button.reference, decision, event.by, event.chat_id, now, press=True)
    refused = _refusal(view.submission, button.reference, event.chat_id, decision, None, True, event.message_id)
    if refused is not None:
        return refused
    assert view.submission is not None
    if decision in NEEDS_COMMENT:
        record = RecordPrompt(
            event.chat_id, button.reference, PromptPurpose(decision.value), view.submission.status,
            event.message_id, event.by.label, now,
        )  # fmt: skip
        return ReviewOutcome(
            prompt=PromptRequest(
                Reply(PROMPTS[decision], {"who": event.by.name, "reference": button.reference}),
                event.message_id,
                record,
                StaffReply(Reply(COMMENT_PLEASE), Via.POPUP),
                StaffReply(Reply(PROMPT_FAILED), Via.ALERT),
            )
        )
    return _decide(
        view.submission,
        decision,
        None,
        event.by,
        now,
        press=True,
        notice=event.message_id,
        reply_to=None,
        chat=event.chat_id,
    )


def _not_a_reviewer(
    submission: ReviewedSubmission | None,
    reference: str,
    decision: Status,
    by: Reviewer,
    chat: int | None,
    now: dt.datetime,
    *,
    press: bool,
    reply_to: int | None = None,
) -> ReviewOutcome:
    """Refused, politely, and kept in the audit log: someone outside ADMIN_IDS tried to decide."""
    refused = _tell(press, NOT_A_REVIEWER, reply_to)
    before = submission.status.value if submission is not None else None
    audit = AuditDecision(AuditDecision.actor_of(by), reference, now, decision.value, before, chat, allowed=False)
    return ReviewOutcome(refused.replies, (audit,))


def _refusal(
    submission: ReviewedSubmission | None,
    reference: str,
    chat_id: int,
    decision: Status,
    seen: Status | None,
    press: bool,
    reply_to: int | None,
) -> ReviewOutcome | None:
    """Why this decision cannot be taken here and now, or None when it can."""
    if submission is None:
        return _tell(press, GONE, reply_to, reference=reference)
    if chat_id not in submission.routed_to:
        return _tell(press, NOT_HERE, reply_to, reference=reference)
    if replay_of_decision(submission.status, decision, seen) is not Replay.APPLY:
        return _tell(press, ALREADY[submission.status], reply_to, reference=reference)
    return None


def _decide(
    submission: ReviewedSubmission,
    decision: Status,
    comment: str | None,
    by: Reviewer,
    now: dt.datetime,
    *,
    press: bool,
    notice: int | None,
    reply_to: int | None,
    expected: Status | None = None,
    prompt_id: int | None = None,
    chat: int | None = None,
) -> ReviewOutcome:
    """The decision taken: the status moves, the applicant is told once, the chat sees who decided, the
    audit log keeps it (who, from which status to which, in which chat)."""
    reference = submission.reference
    line = Reply("@staff_decision", {"status": decision.value, "who": by.name, "at": now, "comment": comment})
    effects: list[ReviewEffect] = []
    if prompt_id is not None:
        effects.append(CloseDecisionPrompt(prompt_id, now))
    before = expected or submission.status
    effects += [
        ChangeStatus(reference, decision, before, by.label, now, comment),
        TellApplicant(reference, decision, comment, now),
        AuditDecision(AuditDecision.actor_of(by), reference, now, decision.value, before.value, chat),
    ]
    replies = [StaffReply(line, Via.POPUP)] if press else []
    replies.append(
        StaffReply(Reply(DECIDED, {"reference": reference, "decision": line}), Via.CHAT, notice if press else reply_to)
    )
    return ReviewOutcome(tuple(replies), tuple(effects), clear_buttons=() if notice is None else (notice,))


def _reply(view: ReviewView, event: PromptReply, ctx: ReviewContext, now: dt.datetime) -> ReviewOutcome:
    prompt = view.prompt
    text = event.text.strip()
    if prompt is None or not text or event.chat_id not in ctx.staff_chats:
        return ReviewOutcome()  # staff talking among themselves
    if prompt.purpose is PromptPurpose.ANSWER:
        if view.question is None:
            return _tell(False, QUESTION_GONE, event.message_id)
        answer = AnswerQuestion(view.question.number, view.question.reference, text[:MAX_ANSWER], event.by.label, now)
        audit = AuditDecision(
            AuditDecision.actor_of(event.by), view.question.reference, now, "answered", None, event.chat_id
        )
        return ReviewOutcome((StaffReply(Reply(RELAYED), Via.CHAT, event.message_id),), (answer, audit))
    if prompt.answered:
        return _tell(False, PROMPT_DONE, event.message_id)
    decision = Status(prompt.purpose.value)
    if not ctx.may_decide(event.by):
        return _not_a_reviewer(
            view.submission, prompt.reference, decision, event.by, event.chat_id, now, press=False,
            reply_to=event.message_id,
        )  # fmt: skip
    refused = _refusal(
        view.submission, prompt.reference, event.chat_id, decision, prompt.seen_status, False, event.message_id
    )
    if refused is not None:
        return refused
    assert view.submission is not None
    return _decide(
        view.submission,
        decision,
        text[:MAX_COMMENT],
        event.by,
        now,
        press=False,
        notice=prompt.notice_message_id,
        reply_to=event.message_id,
        expected=prompt.seen_status,
        prompt_id=prompt.id,
        chat=event.chat_id,
    )


def _language_command(event: LanguageAsked, ctx: ReviewContext, now: dt.datetime) -> ReviewOutcome:
    """``/language ug`` switches at once; bare ``/language`` offers the languages as buttons."""
    if event.chat_id not in ctx.staff_chats:
        return ReviewOutcome()
    if event.wanted in ctx.languages:
        return _set_language(event.chat_id, event.wanted, event.by, now, None, press=False)
    buttons = tuple(
        Button(LANGUAGE_NAMES[lang], StaffLanguageButton(lang).pack(), literal=True) for lang in ctx.languages
    )
    menu = Reply(LANGUAGE_MENU, buttons=(buttons,))
    return ReviewOutcome(replies=(StaffReply(menu, Via.CHAT, event.message_id),))


def _set_language(
    chat_id: int, lang: str, by: Reviewer, now: dt.datetime, menu: int | None, *, press: bool
) -> ReviewOutcome:
    done = Reply(LANGUAGE_SET, {"language": LANGUAGE_NAMES[lang]})
    replies = ([StaffReply(done, Via.POPUP, lang=lang)] if press else []) + [StaffReply(done, Via.CHAT, lang=lang)]
    return ReviewOutcome(
        tuple(replies), (SetChatLanguage(chat_id, lang, by.label, now),), clear_buttons=() if menu is None else (menu,)
    )
