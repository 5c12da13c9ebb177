"""The fake Bot API server behaves like Telegram on the wire, for both client libraries we ship.

Raw HTTP tests pin the protocol (long polling, offsets, errors); the aiogram and
python-telegram-bot tests prove each real client talks to the fake unmodified.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from aiogram import Bot as AiogramBot
from aiogram import Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Message,
)
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.telegram.botapi import FakeBotAPI

USER = 1001
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4


@pytest.fixture()
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture()
async def aiogram_bot(api: FakeBotAPI) -> AsyncIterator[AiogramBot]:
    bot = AiogramBot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base)))
    yield bot
    await bot.session.close()


@pytest.fixture()
async def ptb_bot(api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[telegram.Bot]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # durations as timedelta, without deprecation warnings
    async with telegram.Bot(api.token, base_url=f"{api.base}/bot", base_file_url=f"{api.base}/file/bot") as bot:
        yield bot


async def raw(
    http: aiohttp.ClientSession, api: FakeBotAPI, method: str, *, token: str | None = None, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{api.base}/bot{token or api.token}/{method}", json=params) as response:
        return response.status, await response.json()


# -- protocol, over raw HTTP ---------------------------------------------------------------------


async def test_get_updates_waits_for_a_pushed_update_and_honours_offset(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    poll = asyncio.create_task(raw(http, api, "getUpdates", timeout=5))
    await api.wait_polling()
    started = asyncio.get_running_loop().time()
    update = await api.push_text(USER, "hello")
    status, body = await poll
    assert status == 200 and body["result"] == [update]
    assert asyncio.get_running_loop().time() - started < 1

    # Not confirmed yet: an offset equal to its id returns it again.
    assert (await raw(http, api, "getUpdates", offset=update["update_id"]))[1]["result"] == [update]
    # offset = id + 1 confirms it for good.
    assert (await raw(http, api, "getUpdates", offset=update["update_id"] + 1))[1]["result"] == []
    assert api.pending_updates == []
    assert (await raw(http, api, "getUpdates"))[1]["result"] == []


async def test_get_updates_times_out_empty_and_respects_limit(api: FakeBotAPI, http: aiohttp.ClientSession) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, body = await raw(http, api, "getUpdates", timeout=0.2)
    assert (status, body) == (200, {"ok": True, "result": []})
    assert 0.2 <= loop.time() - started < 1

    first = await api.push_text(USER, "one")
    await api.push_text(USER, "two")
    assert (await raw(http, api, "getUpdates", limit=1))[1]["result"] == [first]


async def test_a_newer_get_updates_ends_a_waiting_one_with_conflict(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    old = asyncio.create_task(raw(http, api, "getUpdates", timeout=5))
    await api.wait_polling()
    assert (await raw(http, api, "getUpdates"))[0] == 200
    status, body = await asyncio.wait_for(old, 1)  # released at once, not after its 5 s
    assert status == 409 and body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_wrong_token_is_unauthorized_unknown_method_not_found_and_names_ignore_case(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    assert await raw(http, api, "getMe", token="999:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await raw(http, api, "sendPigeon") == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await raw(http, api, "GETME")
    assert status == 200 and body["result"]["username"] == "desk_test_bot"
    assert [(call.method, call.failed) for call in api.calls] == [
        ("getMe", True),
        ("sendPigeon", True),
        ("getMe", False),
    ]


async def test_params_arrive_from_query_string_form_or_json_and_are_decoded(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    async with http.get(f"{api.base}/bot{api.token}/sendMessage", params={"chat_id": "5", "text": "via query"}):
        pass
    async with http.post(
        f"{api.base}/bot{api.token}/sendMessage", data={"chat_id": "5", "text": "via form", "reply_markup": markup}
    ):
        pass
    await raw(http, api, "sendMessage", chat_id=5, text="via json")
    calls = await api.wait_for("sendMessage", count=3)
    assert [c.params["text"] for c in calls] == ["via query", "via form", "via json"]
    assert all(c.params["chat_id"] == 5 for c in calls)
    assert calls[1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"
    assert [m["message_id"] for m in await api.next_messages(5, count=3)] == [1, 2, 3]


async def test_send_message_is_validated_like_telegram(api: FakeBotAPI, http: aiohttp.ClientSession) -> None:
    async def error(**params: Any) -> tuple[int, str]:
        status, body = await raw(http, api, "sendMessage", chat_id=USER, **params)
        return status, body.get("description", "")

    assert await error(text="x" * 4097) == (400, "Bad Request: message is too long")
    assert await error(text="") == (400, "Bad Request: message text is empty")
    long_data = {"inline_keyboard": [[{"text": "A", "callback_data": "é" * 33}]]}  # 66 bytes
    assert await error(text="hi", reply_markup=long_data) == (400, "Bad Request: BUTTON_DATA_INVALID")
    for bad_html in ("<b>open", "<div>x</div>", "1 < 2", "Tom & Jerry", "<b>x</i>"):
        status, description = await error(text=bad_html, parse_mode="HTML")
        assert status == 400 and description.startswith("Bad Request: can't parse entities"), bad_html
    assert api.sent_to(USER) == []

    status, body = await raw(http, api, "sendMessage", chat_id=USER, text="x" * 4096)
    assert status == 200
    status, body = await raw(
        http,
        api,
        "sendMessage",
        chat_id=USER,
        parse_mode="HTML",
        text='<b>Deadline</b> &lt;soon&gt; &amp; <a href="https://e.x">link</a>',
    )
    assert body["result"]["text"] == "Deadline <soon> & link"
    assert body["result"]["entities"] == [
        {"type": "bold", "offset": 0, "length": 8},
        {"type": "text_link", "offset": 18, "length": 4, "url": "https://e.x"},
    ]


async def test_webhook_blocks_long_polling_until_deleted(
    api: FakeBotAPI, http: aiohttp.ClientSession, aiogram_bot: AiogramBot
) -> None:
    waiting = asyncio.create_task(raw(http, api, "getUpdates", timeout=5))
    await api.wait_polling()
    assert (await raw(http, api, "setWebhook", url="http://insecure.example/hook"))[0] == 400
    assert await aiogram_bot.set_webhook("https://bot.example/hook", secret_token="s3cret-token")
    assert (api.webhook.url, api.webhook.secret_token) == ("https://bot.example/hook", "s3cret-token")
    status, body = await waiting  # the parked poll is released with the conflict
    assert status == 409 and "webhook is active" in body["description"]
    with pytest.raises(TelegramConflictError):
        await aiogram_bot.get_updates()
    assert (await aiogram_bot.get_webhook_info()).url == "https://bot.example/hook"

    await aiogram_bot.delete_webhook()
    assert api.webhook.url == "" and await aiogram_bot.get_updates() == []


async def test_fail_next_answers_telegrams_error_shape_for_the_chosen_chat_only(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    api.fail_next("sendmessage", chat_id=7, times=2, retry_after=3)
    assert (await raw(http, api, "sendMessage", chat_id=8, text="other chat"))[0] == 200
    for _ in range(2):
        assert await raw(http, api, "sendMessage", chat_id=7, text="hi") == (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 3",
                "parameters": {"retry_after": 3},
            },
        )
    assert (await raw(http, api, "sendMessage", chat_id=7, text="hi"))[0] == 200
    assert [c.failed for c in api.calls] == [False, True, True, False]
    assert [m["text"] for m in api.sent_to(7)] == ["hi"]


async def test_pushed_messages_carry_commands_replies_and_group_chats(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    api.user(USER, "Ada", language_code="en")
    start = await api.push_text(USER, "/start promo")
    assert start["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert start["message"]["from"]["language_code"] == "en"  # a registered user keeps her language
    _, sent = await raw(http, api, "sendMessage", chat_id=USER, text="Your name?")
    reply = await api.push_text(USER, "Ada L.", reply_to_message_id=sent["result"]["message_id"])
    assert reply["message"]["reply_to_message"] == sent["result"]
    assert [start["message"]["message_id"], sent["result"]["message_id"], reply["message"]["message_id"]] == [1, 2, 3]

    group = await api.push_text(USER, "hi all", chat_id=-100123)
    assert group["message"]["chat"]["type"] == "supergroup" and group["message"]["from"]["id"] == USER
    with pytest.raises(ValueError):
        await api.push_text(USER, "hi", reply_to_message_id=99)


async def test_edits_are_recorded_and_buttons_can_only_be_pressed_while_shown(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    _, body = await raw(http, api, "sendMessage", chat_id=USER, text="Sure?", reply_markup=keyboard)
    [message] = await api.next_messages(USER)
    assert message == body["result"] and message["reply_markup"] == keyboard

    press = await api.press(USER, message, "yes")
    query = press["callback_query"]
    assert query["message"]["message_id"] == message["message_id"] and query["data"] == "yes"
    assert (await raw(http, api, "answerCallbackQuery", callback_query_id=query["id"]))[0] == 200
    assert (await raw(http, api, "answerCallbackQuery", callback_query_id="nope"))[0] == 400

    status, body = await raw(
        http,
        api,
        "editMessageText",
        chat_id=USER,
        message_id=message["message_id"],
        text="Sure?",
        reply_markup=keyboard,
    )
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    await raw(http, api, "editMessageText", chat_id=USER, message_id=message["message_id"], text="Done")
    [edited] = await api.next_messages(USER)
    assert edited["text"] == "Done" and "edit_date" in edited and "reply_markup" not in edited
    with pytest.raises(ValueError):
        await api.press(USER, message, "yes")  # the keyboard is gone


async def test_albums_and_photos_register_files_for_get_file_and_download(
    api: FakeBotAPI, http: aiohttp.ClientSession
) -> None:
    updates = await api.push_album(
        USER,
        [("document", PDF, "cv.pdf", "application/pdf"), ("photo", b"\xff\xd8JPEG", "p.jpg", "image/jpeg")],
        caption="my docs",
    )
    assert len({u["message"]["media_group_id"] for u in updates}) == 1
    assert updates[0]["message"]["caption"] == "my docs" and "caption" not in updates[1]["message"]
    sizes = updates[1]["message"]["photo"]
    assert len(sizes) == 3 and sizes[-1]["width"] == max(s["width"] for s in sizes)

    for file_id, expected in (
        (updates[0]["message"]["document"]["file_id"], PDF),
        (sizes[-1]["file_id"], b"\xff\xd8JPEG"),
    ):
        _, body = await raw(http, api, "getFile", file_id=file_id)
        async with http.get(f"{api.base}/file/bot{api.token}/{body['result']['file_path']}") as response:
            assert await response.read() == expected
    _, small = await raw(http, api, "getFile", file_id=sizes[0]["file_id"])
    assert small["result"]["file_size"] != len(b"\xff\xd8JPEG")

    document_id = updates[0]["message"]["document"]["file_id"]
    status, body = await raw(http, api, "sendPhoto", chat_id=USER, photo=document_id)
    assert (status, body["description"]) == (400, "Bad Request: type of file mismatch")
    assert (await raw(http, api, "sendDocument", chat_id=USER, document=document_id))[1]["result"]["document"][
        "file_name"
    ] == "cv.pdf"
    assert api.uploaded(USER)[0].content == PDF  # a re-send by file_id counts as sent there

    huge = await api.push_document(USER, b"tiny", "big.zip", "application/zip", declared_size=21 * 1024 * 1024)
    assert huge["message"]["document"]["file_size"] == 21 * 1024 * 1024
    assert await raw(http, api, "getFile", file_id=huge["message"]["document"]["file_id"]) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: file is too big"},
    )


async def test_wait_for_gives_up_with_a_readable_error(api: FakeBotAPI) -> None:
    with pytest.raises(AssertionError, match="fewer than 1 matching call"):
        await api.wait_for("sendMessage", timeout=0.05)
    with pytest.raises(AssertionError, match=f"0 of 1 expected message.*chat {USER}"):
        await api.next_messages(USER, timeout=0.05)


# -- aiogram 3 ----------------------------------------------------------------------------------------


async def test_aiogram_gets_me_sends_a_keyboard_and_receives_the_press(
    api: FakeBotAPI, aiogram_bot: AiogramBot
) -> None:
    me = await aiogram_bot.get_me()
    assert (me.id, me.username, me.is_bot) == (api.bot_id, "desk_test_bot", True)

    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Apply", callback_data="apply:42")]])
    sent = await aiogram_bot.send_message(USER, "<b>Ready?</b>", parse_mode="HTML", reply_markup=keyboard)
    assert sent.text == "Ready?" and sent.chat.type == "private"
    assert sent.reply_markup is not None and sent.reply_markup.inline_keyboard[0][0].callback_data == "apply:42"
    [call] = await api.wait_for("sendMessage")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Apply", "callback_data": "apply:42"}]]}

    await api.press(USER, sent.message_id, "apply:42")
    [update] = await aiogram_bot.get_updates(timeout=1)
    assert update.callback_query is not None and update.callback_query.data == "apply:42"
    assert await aiogram_bot.answer_callback_query(update.callback_query.id, text="Noted")
    await aiogram_bot.send_chat_action(USER, "typing")


async def test_aiogram_uploads_a_document_and_an_album(api: FakeBotAPI, aiogram_bot: AiogramBot) -> None:
    sent = await aiogram_bot.send_document(USER, BufferedInputFile(PDF, "receipt.pdf"), caption="Your receipt")
    assert (
        sent.document is not None and sent.document.file_name == "receipt.pdf" and sent.document.file_size == len(PDF)
    )
    album = await aiogram_bot.send_media_group(
        USER,
        [
            InputMediaDocument(media=BufferedInputFile(b"one", "1.txt")),
            InputMediaDocument(media=sent.document.file_id, caption="again"),  # a re-send by file_id
        ],
    )
    assert len(album) == 2 and album[0].media_group_id and album[0].media_group_id == album[1].media_group_id
    assert [(f.file_name, f.content) for f in api.uploaded(USER)] == [
        ("receipt.pdf", PDF),
        ("1.txt", b"one"),
        ("receipt.pdf", PDF),
    ]
    assert len(await api.next_messages(USER, count=3)) == 3


async def test_aiogram_downloads_what_the_user_sent(api: FakeBotAPI, aiogram_bot: AiogramBot) -> None:
    update = await api.push_document(USER, PDF, "cv.pdf", "application/pdf")
    file = await aiogram_bot.get_file(update["message"]["document"]["file_id"])
    assert file.file_size == len(PDF)
    downloaded = await aiogram_bot.download(file.file_id)
    assert downloaded is not None and downloaded.read() == PDF
    assert api.downloads == [file.file_path]


async def test_aiogram_sees_flood_control_and_bad_requests_as_its_own_exceptions(
    api: FakeBotAPI, aiogram_bot: AiogramBot
) -> None:
    api.fail_next("sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as flood:
        await aiogram_bot.send_message(USER, "hi")
    assert flood.value.retry_after == 7
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await aiogram_bot.send_message(USER, "x" * 4097)
    assert (await aiogram_bot.send_message(USER, "hi")).message_id == 1
    assert [c.failed for c in api.calls] == [True, True, False]


async def test_aiogram_sets_commands_per_scope_and_language(api: FakeBotAPI, aiogram_bot: AiogramBot) -> None:
    from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

    await aiogram_bot.set_my_commands([BotCommand(command="start", description="Begin")])
    await aiogram_bot.set_my_commands(
        [BotCommand(command="start", description="开始")], scope=BotCommandScopeAllPrivateChats(), language_code="zh"
    )
    assert [c.description for c in await aiogram_bot.get_my_commands()] == ["Begin"]
    assert api.commands({"type": "all_private_chats"}, "zh") == [{"command": "start", "description": "开始"}]
    await aiogram_bot.delete_my_commands()
    assert await aiogram_bot.get_my_commands() == []


async def test_aiogram_dispatcher_polls_the_fake_end_to_end(api: FakeBotAPI, aiogram_bot: AiogramBot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            "Welcome",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Go", callback_data="go")]]),
        )

    @dispatcher.callback_query()
    async def go(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text("Going")

    @dispatcher.message()
    async def document(message: Message) -> None:
        assert message.document is not None
        received = await aiogram_bot.download(message.document)
        assert received is not None
        await message.reply_document(BufferedInputFile(received.read()[::-1], "reversed.bin"))

    polling = asyncio.create_task(dispatcher.start_polling(aiogram_bot, polling_timeout=5, handle_signals=False))
    try:
        await api.push_text(USER, "/start")
        [welcome] = await api.next_messages(USER)
        await api.press(USER, welcome, "go")
        [edited] = await api.next_messages(USER)
        assert (edited["message_id"], edited["text"]) == (welcome["message_id"], "Going")
        upload = await api.push_document(USER, b"abc", "a.bin", "application/octet-stream")
        [reply] = await api.next_messages(USER)
        assert reply["reply_to_message"]["message_id"] == upload["message"]["message_id"]
        assert api.uploaded(USER)[-1].content == b"cba"
    finally:
        with contextlib.suppress(RuntimeError):  # polling never started: the test failed already
            await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 5)


# -- python-telegram-bot 22 ---------------------------------------------------------------------------


async def test_ptb_gets_me_sends_a_keyboard_and_polls(api: FakeBotAPI, ptb_bot: telegram.Bot) -> None:
    assert ptb_bot.username == "desk_test_bot"  # fetched by getMe during initialize()
    keyboard = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("Apply", callback_data="apply:42")]])
    sent = await ptb_bot.send_message(USER, "Ready?", reply_markup=keyboard)
    assert sent.text == "Ready?" and sent.reply_markup == keyboard
    [call] = await api.wait_for("sendMessage")
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Apply", "callback_data": "apply:42"}]]}

    await api.push_text(USER, "/start")
    [update] = await ptb_bot.get_updates(timeout=1)
    assert update.message is not None and update.message.text == "/start"
    assert (await ptb_bot.get_updates(offset=update.update_id + 1)) == ()


async def test_ptb_uploads_a_document_and_an_album(api: FakeBotAPI, ptb_bot: telegram.Bot) -> None:
    sent = await ptb_bot.send_document(USER, PDF, filename="receipt.pdf")
    assert sent.document is not None and sent.document.file_name == "receipt.pdf"
    album = await ptb_bot.send_media_group(
        USER,
        [
            telegram.InputMediaDocument(b"one", filename="1.txt"),
            telegram.InputMediaDocument(b"two", filename="2.txt"),
        ],
    )
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id is not None
    assert [(f.file_name, f.content) for f in api.uploaded(USER)] == [
        ("receipt.pdf", PDF),
        ("1.txt", b"one"),
        ("2.txt", b"two"),
    ]
    photo = await ptb_bot.send_photo(USER, b"\xff\xd8photo")
    assert photo.photo[-1].file_size == len(b"\xff\xd8photo")


async def test_ptb_downloads_what_the_user_sent(api: FakeBotAPI, ptb_bot: telegram.Bot) -> None:
    update = await api.push_document(USER, PDF, "cv.pdf", "application/pdf")
    file = await ptb_bot.get_file(update["message"]["document"]["file_id"])
    # PTB rewrites file_path into the full download URL built from base_file_url.
    assert file.file_path is not None and file.file_path.startswith(f"{api.base}/file/bot{api.token}/documents/")
    assert bytes(await file.download_as_bytearray()) == PDF


async def test_ptb_sees_flood_control_and_bad_requests_as_its_own_exceptions(
    api: FakeBotAPI, ptb_bot: telegram.Bot
) -> None:
    api.fail_next("sendMessage", retry_after=7)
    with pytest.raises(telegram.error.RetryAfter) as flood:
        await ptb_bot.send_message(USER, "hi")
    assert flood.value.retry_after == dt.timedelta(seconds=7)
    # PTB drops the "Bad Request: " prefix and capitalises what is left.
    with pytest.raises(telegram.error.BadRequest, match=r"[Mm]essage is too long"):
        await ptb_bot.send_message(USER, "x" * 4097)
    await ptb_bot.set_webhook("https://bot.example/hook")
    with pytest.raises(telegram.error.Conflict):
        await ptb_bot.get_updates()


async def test_ptb_application_polls_the_fake_end_to_end(api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    app = (
        Application.builder().token(api.token).base_url(f"{api.base}/bot").base_file_url(f"{api.base}/file/bot").build()
    )

    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("<b>Welcome</b>", parse_mode="HTML")

    async def document(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.document is not None
        received = await (await update.message.document.get_file()).download_as_bytearray()
        await update.message.reply_document(bytes(received[::-1]), filename="reversed.bin")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    async with app:
        await app.start()
        assert app.updater is not None  # the builder makes one unless told not to
        await app.updater.start_polling(timeout=5)
        try:
            await api.push_text(USER, "/start")
            [welcome] = await api.next_messages(USER)
            assert welcome["text"] == "Welcome" and welcome["entities"][0]["type"] == "bold"
            await api.push_document(USER, b"abc", "a.bin", "application/octet-stream")
            await api.next_messages(USER)
            assert [(f.file_name, f.content) for f in api.uploaded(USER)] == [("reversed.bin", b"cba")]
        finally:
            await app.updater.stop()
            await app.stop()
    assert api.pending_updates == []  # PTB confirmed what it handled on the way out
