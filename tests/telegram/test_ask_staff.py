"""'Ask staff' on Telegram, on both runtimes: a question the bot could not answer well reaches the staff
chat of the office that answers questions about the program, and staff replies reach the applicant."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.runner import TelegramBot
from dialogs.flows.buttons import AskStaff
from dialogs.loader import SHIPPED, Content
from storage.db import open_database
from storage.models import Question
from tests.telegram.botapi import Call, FakeBotAPI
from tests.telegram.harness import FALLBACK_CHAT, INSIDE_AID_WINDOW, Phone, buttons, database_in, load, make_bot

RUNTIMES = ["aiogram", "ptb"]
#: The chat of the aid plan's office for questions (its Organisation Department contact).
QUESTION_OFFICE_CHAT = -1002002
OFFICE = "Aid Talent Division, Organisation Department of the Regional Party Committee"
#: Characters that must be escaped for Telegram's HTML, and a question the bot cannot settle itself.
QUESTION = "My contract is <2 years & my unit is in Hainan: does the aid plan still take me?"


def content_with_question_office(root: Path) -> Path:
    """The shipped content with a chat for the aid plan's question office, as an admin would add it."""
    target = root / "content"
    shutil.copytree(SHIPPED, target)
    (target / "staff.yaml").write_text(
        f"offices:\n  - program: xj-aid-talent-2023b2\n    contact: org-aid-talent-wu\n    chat: {QUESTION_OFFICE_CHAT}\n",
        encoding="utf-8",
    )
    return target


@functools.cache
def question_office_content() -> Content:
    """:func:`content_with_question_office`, loaded once (tests only read it)."""
    with tempfile.TemporaryDirectory() as root:
        return load(content_with_question_office(Path(root)))


def started(api: FakeBotAPI, runtime: str, tmp_path: Path) -> TelegramBot:
    """A bot on the database in ``tmp_path`` (a second one there is the first one restarted)."""
    return make_bot(api, runtime, tmp_path, question_office_content())


async def _question_row(bot: TelegramBot, user_id: int) -> Question | None:
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            applicant = await uow.applicants.find("tg", str(user_id))
            questions = [] if applicant is None else await uow.questions.list_for(applicant.id)
    finally:
        await database.close()
    return questions[0] if questions else None


async def _leave_question_in_state(bot: TelegramBot, user_id: int, question: str, program: str | None) -> int:
    """What the free-question answer does when it is unsure (the lead's part): keep the question in the
    conversation for "Ask staff". Returns the current menu number, for pressing the button."""
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            applicant = await uow.applicants.find("tg", str(user_id))
            assert applicant is not None
            loaded = await uow.conversations.load(applicant.id, "tg")
            assert loaded is not None
            state, version = loaded
            state = {**state, "free_question": question, "free_question_program": program}
            await uow.conversations.save(applicant.id, "tg", state, expected_version=version, now=bot.clock())
            await uow.commit()
    finally:
        await database.close()
    return int(state["menu"])


async def ask_staff(api: FakeBotAPI, bot: TelegramBot, phone: Phone, question: str, program: str | None) -> str:
    """Type ``question`` and press "Ask staff" under the answer; where the answer offers no such
    button (the bot was sure, or the unsure-answer button is not there yet), the question is
    left in the conversation as the unsure answer leaves it, and the button's data is pressed."""
    await phone.say(question)
    answer = phone.seen[-1]
    if "Ask staff" in [label for label, _ in buttons(answer)]:
        return await phone.press("Ask staff", "Your question was passed")
    menu = await _leave_question_in_state(bot, phone.user_id, question, program)
    await api.press(phone.user_id, answer, AskStaff(menu).pack(), force=True)
    return await phone.read("Your question was passed")


async def about_the_aid_plan(phone: Phone) -> None:
    """Open the aid plan's information screen: the question is then about that program."""
    await phone.say("/start", "What would you like to do?")
    await phone.say("/programs", "Which program?")
    await phone.press("2023 aid-talent plan (batch 2)", "What would you like to know about")


def _force_reply_to(chat: int) -> Any:
    def matches(call: Call) -> bool:
        markup = call.params.get("reply_markup") or {}
        return (
            call.method.lower() == "sendmessage"
            and call.params.get("chat_id") == chat
            and markup.get("force_reply") is True
        )

    return matches


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_staff_reply_to_forwarded_question_reaches_applicant(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    bot = started(api, runtime, tmp_path)
    await bot.start()
    try:
        applicant = Phone(api, 7501, "Ayşe", language_code="en")
        staff = Phone(api, 8501, "王老师", chat_id=QUESTION_OFFICE_CHAT)
        await about_the_aid_plan(applicant)
        told = await ask_staff(api, bot, applicant, QUESTION, "xj-aid-talent-2023b2")
        assert f"Your question was passed to the staff of {OFFICE}." in told

        # the office's chat gets the question, escaped, with who asks about what, as a reply prompt
        asked = await staff.read(QUESTION)
        assert "Ayşe" in asked and "2023智力援疆人才计划（第二批）" in asked and "自治区党委组织部援疆人才处" in asked
        await api.wait_for(_force_reply_to(QUESTION_OFFICE_CHAT))
        assert api.sent_to(FALLBACK_CHAT) == []
        prompt = staff.seen[-1]

        # staff reply to it: the applicant reads the answer in English, with the office named
        await api.push_text(
            staff.user_id,
            "可以，合同期满两年即可。",
            chat_id=QUESTION_OFFICE_CHAT,
            reply_to_message_id=prompt["message_id"],
        )
        await staff.read("已转给申请人")
        answer = await applicant.read("answered your question")
        assert f"Staff of {OFFICE} answered your question" in answer and QUESTION in answer
        assert "可以，合同期满两年即可。" in answer

        # a second reply to the same question is relayed too: it is a conversation
        await api.push_text(
            staff.user_id,
            "请同时准备单位推荐函。",
            chat_id=QUESTION_OFFICE_CHAT,
            reply_to_message_id=prompt["message_id"],
        )
        assert "请同时准备单位推荐函。" in await applicant.read("answered your question")

        # the question keeps every reply and who gave the last; "My submissions" shows them
        status = await applicant.say("/status", "Your questions to staff")
        assert QUESTION in status and "可以，合同期满两年即可。" in status and "请同时准备单位推荐函。" in status
    finally:
        await bot.stop()
    question = await _question_row(bot, applicant.user_id)
    assert question is not None
    assert (question.text, question.program, question.office) == (QUESTION, "xj-aid-talent-2023b2", "org-aid-talent-wu")
    assert question.answer == "可以，合同期满两年即可。\n请同时准备单位推荐函。"
    assert question.answered_by == "王老师 (tg:8501)" and question.answered_at is not None


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_staff_reply_after_a_restart_still_reaches_the_applicant(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    first = started(api, runtime, tmp_path)
    await first.start()
    try:
        applicant = Phone(api, 7502, "Bilal", language_code="en")
        staff = Phone(api, 8502, "李老师", chat_id=QUESTION_OFFICE_CHAT)
        await about_the_aid_plan(applicant)
        await ask_staff(api, first, applicant, QUESTION, "xj-aid-talent-2023b2")
        await staff.read(QUESTION)
        prompt = staff.seen[-1]
    finally:
        await first.stop()

    second = started(api, runtime, tmp_path)
    await second.start()
    try:
        await api.push_text(
            staff.user_id, "可以申请。", chat_id=QUESTION_OFFICE_CHAT, reply_to_message_id=prompt["message_id"]
        )
        answer = await applicant.read("answered your question")
        assert "可以申请。" in answer
    finally:
        await second.stop()
    assert len([c for c in api.calls if _force_reply_to(QUESTION_OFFICE_CHAT)(c)]) == 1  # the question went out once


async def test_a_question_about_no_program_goes_to_the_staff_chat_setting(api: FakeBotAPI, tmp_path: Path) -> None:
    bot = started(api, "aiogram", tmp_path)
    await bot.start()
    try:
        applicant = Phone(api, 7503, "Chen", language_code="en")
        staff = Phone(api, 8503, "赵老师", chat_id=FALLBACK_CHAT)
        await applicant.say("/start", "What would you like to do?")
        told = await ask_staff(api, bot, applicant, "Can I apply for two programs in one year?", None)
        assert "Your question was passed to our staff." in told
        await staff.read("Can I apply for two programs in one year?")
        await api.push_text(
            staff.user_id,
            "可以，但需分别申报。",
            chat_id=FALLBACK_CHAT,
            reply_to_message_id=staff.seen[-1]["message_id"],
        )
        answer = await applicant.read("answered your question")
        assert "Staff answered your question" in answer and "可以，但需分别申报。" in answer
    finally:
        await bot.stop()
    assert api.sent_to(QUESTION_OFFICE_CHAT) == []


async def test_a_reply_to_the_question_of_someone_who_deleted_their_data_is_not_relayed(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    bot = started(api, "ptb", tmp_path)
    await bot.start()
    try:
        applicant = Phone(api, 7504, "Dilnur", language_code="en")
        staff = Phone(api, 8504, "孙老师", chat_id=QUESTION_OFFICE_CHAT)
        await about_the_aid_plan(applicant)
        await ask_staff(api, bot, applicant, QUESTION, "xj-aid-talent-2023b2")
        await staff.read(QUESTION)
        prompt = staff.seen[-1]
        await applicant.say("/delete_my_data", "This cannot be undone")
        await applicant.press("Yes, delete my data", "Your data has been deleted")
        assert await _question_row(bot, applicant.user_id) is None
        await api.push_text(
            staff.user_id, "可以。", chat_id=QUESTION_OFFICE_CHAT, reply_to_message_id=prompt["message_id"]
        )
        await staff.read("申请人已删除其数据")
    finally:
        await bot.stop()
    assert not [m for m in api.sent_to(applicant.chat_id) if "answered your question" in (m.get("text") or "")]


async def test_a_question_withdrawn_while_its_notice_is_being_sent_ends_quietly(tmp_path: Path) -> None:
    """The worker claimed the notice, then the applicant deleted their data (and the notice with it):
    the attempt ends without an error that would hold up the other notifications of the round."""
    from bot.telegram.outbox import OutboxWorker
    from dialogs.events import ForgetApplicant, ForwardQuestion
    from storage.effects import apply_effects
    from storage.files import FileStore

    content = question_office_content()
    database = await open_database(database_in(tmp_path))
    try:
        now = INSIDE_AID_WINDOW
        async with database.uow() as uow:
            applicant = await uow.applicants.get_or_create("tg", "7505", now=now)
            await apply_effects(
                uow,
                [ForwardQuestion(QUESTION, "xj-aid-talent-2023b2", "org-aid-talent-wu", "en")],
                applicant_id=applicant.id,
                now=now,
            )
            await uow.commit()
        async with database.uow() as uow:
            [claimed] = await uow.outbox.claim_due(now)
            await uow.commit()
        async with database.uow() as uow:
            await apply_effects(uow, [ForgetApplicant()], applicant_id=applicant.id, now=now)
            await uow.commit()
        worker = OutboxWorker(
            database,
            FileStore(tmp_path / "files"),
            None,  # type: ignore[arg-type]  # no gateway: the test shows a stale claim sends nothing
            lambda: content,
            staff_chat_id=FALLBACK_CHAT,
            wall_clock=lambda: now,
        )
        await worker._attempt(claimed)  # nothing is sent: the gateway is never reached
        async with database.uow() as uow:
            assert await uow.outbox.for_reference(claimed.reference or "") == []
    finally:
        await database.close()
