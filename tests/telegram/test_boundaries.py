"""Nothing lost, nobody let in: decisions only from the chat a submission was sent to (and by the
reviewers ADMIN_IDS names), references nobody can compute or get back, and nothing said in chats
the bot does not serve."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.runner import TelegramBot
from bot.telegram.throttle import Throttle
from tests.telegram.botapi import Call, FakeBotAPI
from tests.telegram.harness import (
    FALLBACK_CHAT,
    HEALTH_OFFICE_CHAT,
    Phone,
    Watch,
    make_bot,
    office_content,
    submit,
)

NOT_VALID = "此按钮已失效"


@pytest.fixture(params=["aiogram", "ptb"])
def runtime(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
async def bot(runtime: str, api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    running = make_bot(api, runtime, tmp_path, office_content())
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def answer_to(api: FakeBotAPI, update: dict[str, Any]) -> Call:
    """The bot's answerCallbackQuery for a pushed button press."""
    query = update["callback_query"]["id"]
    [answer] = await api.wait_for(
        lambda c: c.method.lower() == "answercallbackquery" and c.params["callback_query_id"] == query
    )
    return answer


async def a_bot_message_in(api: FakeBotAPI, chat: int, staff: Phone) -> dict[str, Any]:
    """Some message of the bot in a staff chat to press forged buttons under (its language menu)."""
    await staff.say("/language", "选择")
    return staff.seen[-1]


async def status_of(applicant: Phone, reference: str) -> str:
    await applicant.say("/status", reference)
    return str(applicant.seen[-1]["text"])


def sends_to(api: FakeBotAPI, chat: int) -> list[Call]:
    return [c for c in api.calls if c.method.lower().startswith("send") and c.params.get("chat_id") == chat]


# --------------------------------------------------------------------------- item 4: who decides, where


async def test_a_decision_from_another_staff_chat_is_refused(api: FakeBotAPI, bot: TelegramBot) -> None:
    applicant = Phone(api, 7501, "周一", language_code="en")
    reference = await submit(api, applicant)  # announced in the health office's chat
    await Phone(api, 8501, "陈老师", chat_id=HEALTH_OFFICE_CHAT).read(reference)
    outsider = Phone(api, 8502, "王老师", chat_id=FALLBACK_CHAT)
    menu = await a_bot_message_in(api, FALLBACK_CHAT, outsider)
    for action in ("ok", "ret", "more"):
        update = await api.press(outsider.user_id, menu, f"s:{action}:{reference}", force=True)
        answer = await answer_to(api, update)
        assert answer.params["show_alert"] is True and "所在的工作群" in answer.params["text"]
    assert "submitted: sent to the office, not yet reviewed" in await status_of(applicant, reference)
    assert not [c for c in sends_to(api, FALLBACK_CHAT) if "回复" in c.params.get("text", "")]  # no prompt there


async def test_with_admin_ids_set_only_those_reviewers_decide(runtime: str, api: FakeBotAPI, tmp_path: Path) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content(), admin_ids=(8511,))
    await bot.start()
    try:
        applicant = Phone(api, 7511, "吴二", language_code="en")
        reference = await submit(api, applicant)
        member = Phone(api, 8512, "刘干事", chat_id=HEALTH_OFFICE_CHAT)
        await member.read(reference)
        notice, accept = member.last_with("接受")
        answer = await answer_to(api, await api.press(member.user_id, notice, accept))
        assert answer.params["show_alert"] is True and "审核人员" in answer.params["text"]
        assert "submitted: sent to the office, not yet reviewed" in await status_of(applicant, reference)
        # the reviewer asks for a comment; a member who is not one replying to the prompt decides nothing
        reviewer = Phone(api, 8511, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
        reviewer.seen = list(member.seen)
        await reviewer.press("退回并说明原因", "请回复本条消息")
        prompt = reviewer.seen[-1]
        await api.push_text(
            member.user_id, "材料不全", chat_id=HEALTH_OFFICE_CHAT, reply_to_message_id=prompt["message_id"]
        )
        refusal = await member.read("审核人员")
        assert "审核人员" in refusal
        assert "submitted: sent to the office, not yet reviewed" in await status_of(applicant, reference)
        await api.push_text(
            reviewer.user_id, "材料不全", chat_id=HEALTH_OFFICE_CHAT, reply_to_message_id=prompt["message_id"]
        )
        await reviewer.read("退回")
        assert "returned" in await status_of(applicant, reference)
    finally:
        await bot.stop()


@pytest.mark.parametrize("forged", ["s:ok", "s:x:y:z", "s:ok:AD-ABCDE-FGHJK:more", "s:ok:<b>", "s:", "s:ok:"])
async def test_malformed_staff_button_data_is_an_invalid_button_not_an_error(
    api: FakeBotAPI, bot: TelegramBot, forged: str
) -> None:
    staff = Phone(api, 8521, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
    menu = await a_bot_message_in(api, HEALTH_OFFICE_CHAT, staff)
    answer = await answer_to(api, await api.press(staff.user_id, menu, forged, force=True))
    assert NOT_VALID in answer.params["text"]
    assert not [c for c in sends_to(api, HEALTH_OFFICE_CHAT) if "出了点问题" in c.params.get("text", "")]


async def test_an_applicant_button_pressed_in_a_staff_chat_does_nothing_there(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    staff = Phone(api, 8531, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
    menu = await a_bot_message_in(api, HEALTH_OFFICE_CHAT, staff)
    watch = Watch(api, bot)
    before = len(sends_to(api, HEALTH_OFFICE_CHAT))
    for data in ("x:mine", "1:menu", "x:amend:AD-ABCDE-FGHJK"):
        answer = await answer_to(api, await api.press(staff.user_id, menu, data, force=True))
        assert not answer.params.get("text")
    await watch.settled()
    assert len(sends_to(api, HEALTH_OFFICE_CHAT)) == before
    assert sends_to(api, staff.user_id) == []  # nor the staff member's own applicant conversation


# --------------------------------------------------------------------------- item 5: references


async def test_a_reapplication_after_deleting_ones_data_gets_a_new_reference_and_old_prompts_act_on_nothing(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    applicant = Phone(api, 7541, "郑三", language_code="en")
    old = await submit(api, applicant)
    staff = Phone(api, 8541, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
    await staff.read(old)
    await staff.press("退回并说明原因", "请回复本条消息")
    old_prompt = staff.seen[-1]
    await applicant.say("/delete_my_data", "This cannot be undone")
    await applicant.press("Yes, delete my data", "Your data has been deleted")
    await staff.read("已撤回")
    new = await submit(api, applicant)
    assert new != old and re.fullmatch(r"AD-[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}", new)
    await staff.read(new)
    watch = Watch(api, bot)
    before = len(api.calls)
    await api.push_text(
        staff.user_id, "关于旧申请的意见", chat_id=HEALTH_OFFICE_CHAT, reply_to_message_id=old_prompt["message_id"]
    )
    await watch.settled()
    # the deletion took the old prompt with it (it held the reference): the reply is staff talking,
    # it decides nothing, and the new submission waits for its own review
    assert [c for c in api.calls[before:] if c.method.lower() == "sendmessage"] == []
    assert "submitted: sent to the office, not yet reviewed" in await status_of(applicant, new)


async def test_a_reference_already_taken_is_drawn_again(api: FakeBotAPI, bot: TelegramBot) -> None:
    from storage.models import new_reference

    first = await submit(api, Phone(api, 7551, "甲", language_code="en"))
    assert bot.desk is not None
    draws = iter([first])
    bot.desk.desk._references = lambda: next(draws, None) or new_reference()  # the first draw collides
    second = await submit(api, Phone(api, 7552, "乙", language_code="en"))
    assert second != first


# --------------------------------------------------------------------------- item 12: only where it belongs


async def test_updates_from_groups_and_channels_get_nothing_there(
    runtime: str, api: FakeBotAPI, tmp_path: Path
) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content())
    bot.throttle = Throttle(rate=0.01, burst=2)  # the flood warning would come at the third
    await bot.start()
    try:
        watch = Watch(api, bot)
        api.user(7561, "群友", language_code="en")
        group = -5551
        staff = Phone(api, 8561, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
        menu = await a_bot_message_in(api, HEALTH_OFFICE_CHAT, staff)
        for _ in range(5):
            await api.push_text(7561, "/start", chat_id=group)
        presses = []
        for data in ("1:menu", "x:mine", "s:ok:AD-ABCDE-FGHJK", "s:lang:en", "junk"):
            forged = {**menu, "chat": {"id": group, "type": "group", "title": "Some group"}}
            presses.append(await api.press_raw(7561, forged, data))
        await watch.settled()
        assert api.sent_to(group) == [] and sends_to(api, group) == []
        assert sends_to(api, 7561) == []  # not even the flood note in the person's own chat
        for update in presses:
            answer = await answer_to(api, update)
            assert not answer.params.get("text")  # a silent answer stops the spinner, nothing more
    finally:
        await bot.stop()
