"""A real HTTP fake of the Telegram Bot API, for tests.

Why a server and not a mock: the bot reaches Telegram through aiogram or python-telegram-bot, and
each builds its own URLs, encodes forms and multipart uploads its own way and turns error
responses into its own exceptions. Mocking the client would test none of that. This module runs
an aiohttp server on 127.0.0.1 that speaks the Bot API wire format, so both clients talk to it
unmodified::

    async with FakeBotAPI() as api:
        aiogram_bot = Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base)))
        ptb_bot = telegram.Bot(api.token, base_url=f"{api.base}/bot", base_file_url=f"{api.base}/file/bot")
        await api.push_text(42, "/start")            # the user types
        [reply] = await api.next_messages(42)         # what the bot answered

The server validates what Telegram validates cheaply (text length, callback_data size, HTML
markup, file size for downloads) so that a bot passing here does not fail on the real server for
a reason we could have seen. Everything waits on one ``asyncio.Condition``; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import math
import mimetypes
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, not characters
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the public server's getFile refuses anything bigger
UPLOAD_LIMIT = 50 * 1024 * 1024

_METHOD_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[^/]*)")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")
# Forms carry every value as a string; these are the ones a handler needs typed again.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "media",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "allowed_updates",
    }
)
_INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "max_connections",
        "cache_time",
        "message_thread_id",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# HTML tags Telegram accepts, and the entity each one becomes.
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot)(;?)")
_HTML_ATTR = re.compile(r"\s*([^\s=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"']+))?")
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
_BAD_FILE = "Bad Request: wrong file identifier/HTTP URL specified"
#: The methods that put messages in a chat (what Telegram's flood limits count), in lower case.
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto", "sendmediagroup"})


@dataclass(frozen=True)
class UploadedFile:
    """One multipart part of a request: what the client actually put on the wire."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class Call:
    """One request to a method URL, recorded whether it succeeded or not.

    ``params`` are decoded (ints, bools and JSON values typed again), so tests can read
    ``call.params["reply_markup"]["inline_keyboard"]`` whichever client sent it.
    ``at`` is ``time.monotonic()`` on arrival; the call is recorded once it is answered.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    at: float
    failed: bool = False
    status: int = 200
    response: Any = None  # the result on success, the error body on failure


@dataclass
class StoredFile:
    """A file the server knows by file_id: pushed by a test or uploaded by the bot."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_size: int  # may exceed len(content): tests can declare a huge file without the bytes
    file_path: str
    kind: str  # "document" or "photo": Telegram refuses to send one as the other
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class Webhook:
    """The webhook as the bot last set it; ``url == ""`` means none (long polling allowed)."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None


class BotAPIError(Exception):
    """Raised inside handlers; becomes Telegram's ``{"ok": false, ...}`` error body."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            self.body["parameters"] = parameters


@dataclass
class Flood:
    """A flood wait the server imposes (see :meth:`FakeBotAPI.flood`): ``after`` more sends go through,
    then every send is answered 429 until ``seconds`` after the first 429 (``started``, ``ends``:
    ``time.monotonic()``, like :attr:`Call.at`)."""

    seconds: float
    after: int
    started: float | None = None

    @property
    def ends(self) -> float | None:
        return None if self.started is None else self.started + self.seconds


@dataclass
class _Fault:
    method: str  # lower case
    chat_id: int | str | None
    remaining: int
    code: int
    description: str
    parameters: dict[str, Any] | None


def utf16_len(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into (plain text, entities), or raise 400 like Telegram.

    Modelled on tdlib's ``parse_html``: any ``<`` must open or close a supported tag, tags must
    nest. With ``strict_ampersand`` a bare ``&`` is refused too: Telegram tolerates it, but its
    docs require ``&amp;``, and a bare ``&`` in interpolated user text is how "&lt" turns into
    "<" on the way out.
    """

    def fail(detail: str) -> BotAPIError:
        return BotAPIError(400, f"Bad Request: can't parse entities: {detail}")

    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, dict[str, str], int, int]] = []  # tag, attrs, utf16 start, len(out)
    pos16 = i = 0
    while i < len(text):
        ch = text[i]
        at = len(text[:i].encode())
        if ch == "&":
            match = _HTML_ENTITY.match(text, i)
            if match and (match.group(2) or not strict_ampersand):
                decoded = html.unescape(f"&{match.group(1)};")
                out.append(decoded)
                pos16 += utf16_len(decoded)
                i = match.end()
                continue
            if strict_ampersand:
                raise fail(f"Character '&' at byte offset {at} must be escaped as &amp;")
        if ch != "<":
            out.append(ch)
            pos16 += utf16_len(ch)
            i += 1
            continue
        end = text.find(">", i)
        if end < 0:
            raise fail(f"Unclosed start tag at byte offset {at}")
        inner = text[i + 1 : end]
        i = end + 1
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if not stack:
                raise fail(f"Unexpected end tag at byte offset {at}")
            tag, attrs, start16, start_out = stack.pop()
            if name and name != tag:
                raise fail(f'Unmatched end tag at byte offset {at}, expected "</{tag}>", found "</{name}>"')
            if pos16 > start16:
                entities.append(_html_entity(tag, attrs, start16, pos16 - start16, "".join(out[start_out:]), entities))
            continue
        name = re.match(r"\S*", inner).group().lower()  # type: ignore[union-attr]  # \S* matches every string, if only emptily
        attrs: dict[str, str] = {}
        for attr in _HTML_ATTR.finditer(inner, len(name)):
            if not attr.group(1):
                continue
            if attr.group(2) is None and attr.group(1) != "expandable":
                raise fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" at byte offset {at}'
                )
            attrs[attr.group(1).lower()] = html.unescape((attr.group(2) or "").strip("\"'"))
        if name not in _HTML_TAGS or (name == "span" and attrs.get("class") != "tg-spoiler"):
            raise fail(f'Unsupported start tag "{name}" at byte offset {at}')
        stack.append((name, attrs, pos16, len(out)))
    if stack:
        raise fail(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(
    tag: str, attrs: dict[str, str], offset: int, length: int, inner_text: str, done: list[dict[str, Any]]
) -> dict[str, Any]:
    """The MessageEntity a closed tag becomes; ``<pre><code class="language-x">`` merges."""
    entity: dict[str, Any] = {"type": _HTML_TAGS[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attrs.get("href") or inner_text
    elif tag == "code" and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"].removeprefix("language-")
    elif (
        tag == "pre"
        and done
        and done[-1]["type"] == "code"
        and (done[-1]["offset"], done[-1]["length"]) == (offset, length)
    ):
        code = done.pop()
        if "language" in code:
            entity["language"] = code["language"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    return entity


def _coerce(key: str, value: Any) -> Any:
    """Type a form value again: forms send ``"42"``, ``"true"`` and JSON as strings."""
    if not isinstance(value, str):
        return value
    if key in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise BotAPIError(400, f"Bad Request: can't parse {key} JSON object") from None
    if key in _INT_PARAMS and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if key == "timeout":  # floats are accepted so tests can long-poll for a fraction of a second
        try:
            return float(value)
        except ValueError:
            raise BotAPIError(400, "Bad Request: wrong parameter timeout") from None
    if key in _BOOL_PARAMS and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    """Telegram nests reply_to_message one level deep only."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}


class FakeBotAPI:
    """The fake server plus the test-side controls (push updates, inject faults, wait, inspect)."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        username: str = "desk_test_bot",
        *,
        strict_ampersand: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.username = username
        self.strict_ampersand = strict_ampersand
        self.base = ""
        self.calls: list[Call] = []
        self.downloads: list[str] = []  # file paths the bot fetched from /file/bot<token>/
        self.webhook = Webhook()
        self._runner: web.AppRunner | None = None
        self._closing = False
        # One condition for everything: calls, sent messages, pushed updates, webhook changes.
        self._changed = asyncio.Condition()
        self._users: dict[int, dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self.pushed = 0  # updates pushed so far (by the test side)
        #: Updates confirmed away before the bot ever received them (a repeated update_id pushed after
        #: the bot had confirmed that id: Telegram would not deliver it either).
        self.never_delivered = 0
        self._delivered: set[int] = set()  # id() of pending updates some getUpdates returned
        self.polls = 0  # getUpdates requests received so far (counted on arrival, before a long poll ends)
        self._poll_generation = 0
        self._polls_waiting = 0
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}  # latest version of each
        self._sent: dict[int, list[dict[str, Any]]] = {}
        self._read: dict[int, int] = {}
        self._uploads: dict[int, list[StoredFile]] = {}
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._seq = itertools.count(1)
        self._callback_ids: set[str] = set()
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._faults: list[_Fault] = []
        #: Flood waits asked for with :meth:`flood`, the current one last.
        self.floods: list[Flood] = []
        handlers: dict[str, Callable[[dict[str, Any], dict[str, UploadedFile]], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendMediaGroup": self._send_media_group,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendChatAction": self._send_chat_action,
        }
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a random port of 127.0.0.1 and set ``base``."""
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # handler_cancellation: a client that hangs up mid long-poll must not keep a handler alive.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Release pending long polls at once, then close the server."""
        async with self._changed:
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- HTTP plumbing -----------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if match := _FILE_PATH.fullmatch(request.path):
            return self._serve_file(match["token"], match["path"])
        match = _METHOD_PATH.fullmatch(request.path)
        if match is None:
            return web.json_response(BotAPIError(404, "Not Found").body, status=404)
        call = Call(method=match["method"], params={}, files={}, at=time.monotonic())
        try:
            call.params, call.files = await self._read_params(request)
            if match["token"] != self.token:
                raise BotAPIError(401, "Unauthorized")
            if (entry := self._methods.get(call.method.lower())) is None:
                raise BotAPIError(404, "Not Found")
            call.method = entry[0]
            self._take_flood(call)
            self._take_fault(call)
            call.response = await entry[1](call.params, call.files)
            body: dict[str, Any] = {"ok": True, "result": call.response}
        except (BotAPIError, KeyError, TypeError, ValueError, AttributeError) as exc:  # the latter: malformed params
            error = (
                exc
                if isinstance(exc, BotAPIError)
                else BotAPIError(400, f"Bad Request: the fake could not handle these parameters: {exc!r}")
            )
            call.failed, call.status, call.response = True, error.code, error.body
            body = error.body
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return web.json_response(body, status=call.status)

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        """Query string, urlencoded form, multipart form or JSON body, as Telegram accepts."""
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise BotAPIError(400, "Bad Request: can't parse JSON body") from None
                if not isinstance(body, dict):
                    raise BotAPIError(400, "Bad Request: JSON body must be an object")
                raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
                    elif isinstance(value, bytes | bytearray):
                        files[key] = UploadedFile(None, bytes(value), None)
                    else:
                        raw[key] = value
        return {key: _coerce(key, value) for key, value in raw.items()}, files

    def _serve_file(self, token: str, path: str) -> web.StreamResponse:
        if token != self.token:
            return web.json_response(BotAPIError(401, "Unauthorized").body, status=401)
        if (stored := self._paths.get(path)) is None:
            return web.json_response(BotAPIError(404, "Not Found").body, status=404)
        self.downloads.append(path)
        return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")

    def _take_flood(self, call: Call) -> None:
        """Telegram's flood control: once a flood began, every send of the bot (any chat) gets 429
        with the seconds left, rounded up, as ``retry_after``."""
        if not self.floods or call.method.lower() not in SEND_METHODS:
            return
        flood = self.floods[-1]
        if flood.started is None:
            if flood.after > 0:
                flood.after -= 1
                return
            flood.started = call.at
        assert flood.ends is not None
        left = flood.ends - call.at
        if left > 0:
            retry_after = max(1, math.ceil(left))
            raise BotAPIError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def _take_fault(self, call: Call) -> None:
        for fault in self._faults:
            if fault.method == call.method.lower() and (
                fault.chat_id is None or str(call.params.get("chat_id")) == str(fault.chat_id)
            ):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                raise BotAPIError(fault.code, fault.description, fault.parameters)

    # -- shared pieces of the methods --------------------------------------------------------

    @property
    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Desk Test Bot", "username": self.username}

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        user = self._users.get(chat_id, {"first_name": f"User {chat_id}"})
        extra = {k: user[k] for k in ("first_name", "last_name", "username") if k in user}
        return {"id": chat_id, "type": "private", **extra}

    @staticmethod
    def _chat_id(params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise BotAPIError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):  # "@channelname": the fake knows no channels
            raise BotAPIError(400, "Bad Request: chat not found")
        return chat_id

    def _new_message(self, chat_id: int, sender: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """Message ids count up per chat, shared by the user's and the bot's messages, as in Telegram."""
        ids = self._message_ids.setdefault(chat_id, itertools.count(1))
        message = {"message_id": next(ids), "from": sender, "chat": self._chat(chat_id), "date": int(time.time())}
        message.update({k: v for k, v in content.items() if v is not None})
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _bot_message(self, chat_id: int, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        markup = self._inline_markup(params)
        reply = self._reply_target(chat_id, params)
        message = self._new_message(
            chat_id, self.bot_user, {**content, "reply_to_message": reply, "reply_markup": markup}
        )
        self._sent.setdefault(chat_id, []).append(message)
        return message

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters") or {}
        if not reply and params.get("reply_to_message_id"):
            reply = {"message_id": params["reply_to_message_id"]}
        if not reply:
            return None
        target = self._messages.get((reply.get("chat_id", chat_id), reply.get("message_id")))
        if target is None:
            if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
                return None
            raise BotAPIError(400, "Bad Request: message to be replied not found")
        return _without_reply(target)

    @staticmethod
    def _inline_markup(params: dict[str, Any]) -> dict[str, Any] | None:
        """Validate reply_markup; only inline keyboards come back in the Message, as in Telegram."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise BotAPIError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise BotAPIError(
                400, "Bad Request: can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of buttons"
            )
        for button in itertools.chain.from_iterable(rows):
            data = button.get("callback_data") if isinstance(button, dict) else None
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise BotAPIError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _formatted(self, text: str, params: dict[str, Any], *, limit: int, too_long: str) -> tuple[str, list[Any]]:
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            plain, entities = parse_html(text, strict_ampersand=self.strict_ampersand)
        elif mode in ("", "markdown", "markdownv2"):  # Markdown passes through unchecked
            plain, entities = text, list(params.get("entities") or params.get("caption_entities") or [])
        else:
            raise BotAPIError(400, f"Bad Request: unsupported parse_mode {params['parse_mode']}")
        if len(plain) > limit:
            raise BotAPIError(400, too_long)
        return plain, entities

    def _text(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BotAPIError(400, "Bad Request: message text is empty")
        plain, entities = self._formatted(text, params, limit=TEXT_LIMIT, too_long="Bad Request: message is too long")
        if not plain.strip():
            raise BotAPIError(400, "Bad Request: message text is empty")
        return {"text": plain, "entities": entities or None}

    def _caption(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("caption"):
            return {}
        plain, entities = self._formatted(
            str(params["caption"]), params, limit=CAPTION_LIMIT, too_long="Bad Request: message caption is too long"
        )
        return {"caption": plain, "caption_entities": entities or None}

    def _register(
        self,
        content: bytes,
        *,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
        declared_size: int | None = None,
        suffix: str = "",
    ) -> StoredFile:
        """Keep a file so getFile and the download URL work for it."""
        n = next(self._seq)
        if not suffix and file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{'AgAC' if kind == 'photo' else 'BQAC'}{n:06d}{secrets.token_hex(6)}",
            file_unique_id=f"AQAD{n:06d}",
            content=content,
            file_size=declared_size if declared_size is not None else len(content),
            file_path=f"{kind}s/file_{n}{suffix}",
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    @staticmethod
    def _file_object(stored: StoredFile, **extra: Any) -> dict[str, Any]:
        """The Document / PhotoSize object for a stored file."""
        names = {"file_name": stored.file_name, "mime_type": stored.mime_type} if stored.kind == "document" else {}
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            **{k: v for k, v in names.items() if v},
            **extra,
        }

    def _document(
        self, content: bytes, file_name: str | None, mime_type: str | None, declared_size: int | None = None
    ) -> tuple[dict[str, Any], StoredFile]:
        stored = self._register(
            content, kind="document", file_name=file_name, mime_type=mime_type, declared_size=declared_size
        )
        return self._file_object(stored), stored

    def _photo(self, content: bytes, declared_size: int | None = None) -> tuple[list[dict[str, Any]], StoredFile]:
        """Three PhotoSizes like Telegram's thumbnails; only the largest holds the real bytes."""
        sizes: list[dict[str, Any]] = []
        for width, height in ((90, 67), (320, 240), (1280, 960)):
            largest = width == 1280
            data = content if largest else f"fake-jpeg-{width}x{height}".encode()
            stored = self._register(
                data,
                kind="photo",
                mime_type="image/jpeg",
                suffix=".jpg",
                declared_size=declared_size if largest else None,
            )
            sizes.append(self._file_object(stored, width=width, height=height))
        return sizes, stored

    def _media(self, value: Any, files: dict[str, UploadedFile], field: str, kind: str) -> tuple[Any, StoredFile]:
        """Resolve an InputFile: multipart part named like the field (PTB), ``attach://<part>``
        (aiogram, and any media group), or a file_id the server issued (a re-send)."""
        if value is None and field in files:
            upload = files[field]
        elif isinstance(value, str) and value.startswith("attach://"):
            if (part := value.removeprefix("attach://")) not in files:
                raise BotAPIError(400, _BAD_FILE)
            upload = files[part]
        elif isinstance(value, str) and value in self._files:
            known = self._files[value]
            if known.kind != kind:
                raise BotAPIError(400, "Bad Request: type of file mismatch")
            if kind == "photo":
                return [self._file_object(known, width=1280, height=960)], known
            return self._file_object(known), known
        elif value is None:
            raise BotAPIError(400, f"Bad Request: there is no {field} in the request")
        else:  # unknown ids and URLs: the fake fetches nothing from the network
            raise BotAPIError(400, _BAD_FILE)
        if not upload.content:
            raise BotAPIError(400, "Bad Request: file must be non-empty")
        if kind == "photo":
            return self._photo(upload.content)
        mime = mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream"
        return self._document(upload.content, upload.filename, mime)

    # -- Bot API methods -----------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        """Long poll: an offset confirms (drops) earlier updates; wait up to ``timeout`` seconds
        for one to arrive. A newer getUpdates ends an older waiting one with 409, like Telegram."""
        if self.webhook.url:
            raise BotAPIError(409, _WEBHOOK_CONFLICT)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        kept = self._updates
        if offset > 0:
            kept = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            kept = self._updates[offset:]
        if kept is not self._updates:
            alive = {id(u) for u in kept}
            for dropped in self._updates:
                if id(dropped) not in alive:
                    if id(dropped) not in self._delivered:
                        self.never_delivered += 1
                    self._delivered.discard(id(dropped))
            self._updates = kept
        self._poll_generation += 1
        generation = self._poll_generation
        async with self._changed:
            self.polls += 1
            # Wakes an older waiting poll (it now answers 409) and wait_polling() callers.
            self._changed.notify_all()
            if timeout and not self._updates:
                self._polls_waiting += 1
                try:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._changed.wait_for(
                                lambda: (
                                    bool(self._updates)
                                    or self._closing
                                    or bool(self.webhook.url)
                                    or generation != self._poll_generation
                                )
                            ),
                            timeout,
                        )
                finally:
                    self._polls_waiting -= 1
        if generation != self._poll_generation:
            raise BotAPIError(
                409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        if self.webhook.url:
            raise BotAPIError(409, _WEBHOOK_CONFLICT)
        batch = self._updates[:limit]
        self._delivered.update(id(u) for u in batch)
        return batch

    async def _send_message(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id = self._chat_id(params)
        return self._bot_message(chat_id, params, self._text(params))

    def _editable(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if "inline_message_id" in params:
            raise BotAPIError(400, "Bad Request: inline messages are not supported by the fake")
        chat_id = self._chat_id(params)
        if (old := self._messages.get((chat_id, params.get("message_id")))) is None:  # type: ignore[arg-type]  # no message_id finds nothing: "not found", as the Bot API says
            raise BotAPIError(400, "Bad Request: message to edit not found")
        if old["from"]["id"] != self.bot_id:
            raise BotAPIError(400, "Bad Request: message can't be edited")
        return chat_id, old

    def _store_edit(self, chat_id: int, old: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        new = {k: v for k, v in {**old, **changes}.items() if v is not None}
        if {k: v for k, v in new.items() if k != "edit_date"} == {k: v for k, v in old.items() if k != "edit_date"}:
            raise BotAPIError(400, _NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        self._messages[(chat_id, new["message_id"])] = new
        self._sent.setdefault(chat_id, []).append(new)
        return new

    async def _edit_message_text(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id, old = self._editable(params)
        if "text" not in old:
            raise BotAPIError(400, "Bad Request: there is no text in the message to edit")
        # Leaving reply_markup out removes the inline keyboard, as on the real server.
        return self._store_edit(chat_id, old, {**self._text(params), "reply_markup": self._inline_markup(params)})

    async def _edit_message_reply_markup(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id, old = self._editable(params)
        return self._store_edit(chat_id, old, {"reply_markup": self._inline_markup(params)})

    async def _answer_callback_query(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        if params.get("callback_query_id") not in self._callback_ids:
            raise BotAPIError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    async def _send_document(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id = self._chat_id(params)
        document, stored = self._media(params.get("document"), files, "document", "document")
        message = self._bot_message(chat_id, params, {"document": document, **self._caption(params)})
        self._uploads.setdefault(chat_id, []).append(stored)
        return message

    async def _send_photo(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id = self._chat_id(params)
        photo, stored = self._media(params.get("photo"), files, "photo", "photo")
        message = self._bot_message(chat_id, params, {"photo": photo, **self._caption(params)})
        self._uploads.setdefault(chat_id, []).append(stored)
        return message

    async def _send_media_group(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        chat_id = self._chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise BotAPIError(400, "Bad Request: can't parse media JSON object")
        if len(media) < 2:
            raise BotAPIError(400, "Bad Request: Too few messages to send as an album")
        if len(media) > 10:
            raise BotAPIError(400, "Bad Request: Too much messages to send as an album")
        kinds = {str(item.get("type")) for item in media}
        if not kinds <= {"photo", "document"}:
            raise BotAPIError(400, f"Bad Request: the fake supports photo and document albums, not {sorted(kinds)}")
        if len(kinds) > 1:
            raise BotAPIError(400, "Bad Request: document can't be mixed with other media types")
        # Resolve every item before creating any message: a bad item fails the whole album.
        resolved = [
            (item, *self._media(item.get("media"), files, str(item["type"]), str(item["type"]))) for item in media
        ]
        captions = [self._caption({**params, **item}) for item in media]
        self._inline_markup(params)  # albums take no keyboard; Telegram ignores it, we still validate
        group_id = str(10**17 + next(self._seq))
        messages = []
        for (item, obj, stored), caption in zip(resolved, captions, strict=True):
            messages.append(
                self._bot_message(
                    chat_id,
                    {**params, "reply_markup": None},
                    {item["type"]: obj, "media_group_id": group_id, **caption},
                )
            )
            self._uploads.setdefault(chat_id, []).append(stored)
        return messages

    async def _get_file(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        if (stored := self._files.get(str(params.get("file_id")))) is None:
            raise BotAPIError(400, "Bad Request: wrong file_id or the file is temporarily unavailable")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise BotAPIError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    @staticmethod
    def _commands_key(scope: dict[str, Any] | None, language_code: str | None) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    async def _set_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise BotAPIError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise BotAPIError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise BotAPIError(400, "Bad Request: command description must be 1-256 characters")
        self._commands[self._commands_key(params.get("scope"), params.get("language_code"))] = commands
        return True

    async def _get_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return self.commands(params.get("scope"), params.get("language_code"))

    async def _delete_my_commands(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self._commands.pop(self._commands_key(params.get("scope"), params.get("language_code")), None)
        return True

    async def _set_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise BotAPIError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise BotAPIError(400, "Bad Request: secret token contains unallowed characters")
        async with self._changed:
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self.webhook = (
                Webhook(
                    url,
                    secret,
                    int(params.get("max_connections") or 40),
                    params.get("allowed_updates"),
                    params.get("ip_address"),
                )
                if url
                else Webhook()
            )
            self._changed.notify_all()  # a waiting getUpdates now answers 409
        return True

    async def _delete_webhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return await self._set_webhook({"drop_pending_updates": params.get("drop_pending_updates")}, files)

    async def _get_webhook_info(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            info.update(
                {
                    k: v
                    for k, v in (
                        ("allowed_updates", self.webhook.allowed_updates),
                        ("ip_address", self.webhook.ip_address),
                    )
                    if v
                }
            )
        return info

    async def _send_chat_action(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self._chat_id(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise BotAPIError(400, "Bad Request: wrong parameter action in request")
        return True

    # -- test side: users and updates ----------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Create or update a user; unset fields keep their value (language defaults to "zh")."""
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User {user_id}", "language_code": "zh"}
        )
        for key, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        return dict(user)

    async def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        async with self._changed:
            update = {"update_id": next(self._update_ids), **payload}
            self._updates.append(update)
            self.pushed += 1
            self._changed.notify_all()
        return update

    async def push_raw(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An update exactly as given (plus its update_id), even one a library cannot parse."""
        return await self._push(payload)

    def _user_chat(self, user_id: int, chat_id: int | None, language_code: str | None) -> tuple[dict[str, Any], int]:
        user = self.user(user_id, language_code=language_code)
        chat = user_id if chat_id is None else chat_id
        if chat > 0 and chat != user_id:
            raise ValueError(
                f"private chat {chat} belongs to user {chat}, not {user_id}; use a negative id for a group"
            )
        return user, chat

    async def push_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """The user sends ``text``; a leading "/cmd" gets its bot_command entity. Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id, language_code)
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split(maxsplit=1)[0])}]
        if reply_to_message_id is not None:
            if (target := self._messages.get((chat, reply_to_message_id))) is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat} to reply to")
            content["reply_to_message"] = _without_reply(target)
        return await self._push({"message": self._new_message(chat, user, content)})

    async def press(
        self, user_id: int, message: dict[str, Any] | int, data: str, *, chat_id: int | None = None, force: bool = False
    ) -> dict[str, Any]:
        """The user presses an inline button. ``message`` is a Message the bot sent (or its id).

        Unless ``force``, ``data`` must be a callback_data on the message's *current* keyboard:
        a real user cannot press a button that is not there (e.g. after an edit removed it).
        """
        if isinstance(message, dict):
            chat, message_id = message["chat"]["id"], message["message_id"]
        else:
            chat, message_id = (user_id if chat_id is None else chat_id), message
        user, chat = self._user_chat(user_id, chat, None)
        current = self._messages.get((chat, message_id))
        if current is None or current["from"]["id"] != self.bot_id:
            raise ValueError(f"the bot sent no message {message_id} in chat {chat}")
        buttons = itertools.chain.from_iterable(current.get("reply_markup", {}).get("inline_keyboard", []))
        if not force and data not in {button.get("callback_data") for button in buttons}:
            raise ValueError(f"message {message_id} has no button with callback_data {data!r} now")
        query_id = str(next(self._seq) * 1000003)
        self._callback_ids.add(query_id)
        return await self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": current,
                    "chat_instance": str(abs(chat) * 7919),
                    "data": data,
                }
            }
        )

    async def push_update(self, payload: dict[str, Any], *, update_id: int | None = None) -> dict[str, Any]:
        """Any update as given, e.g. a hostile one (a channel post, a chat the server does not know);
        ``update_id`` repeats an earlier one (the bot may then receive the same update twice)."""
        async with self._changed:
            update = {"update_id": next(self._update_ids) if update_id is None else update_id, **payload}
            self._updates.append(update)
            self.pushed += 1
            self._changed.notify_all()
        return update

    async def press_raw(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A button press under ``message`` as given (any chat, a message the server never saw),
        with any ``data``: what a forged callback looks like to the bot."""
        query_id = str(next(self._seq) * 1000003)
        self._callback_ids.add(query_id)
        user = self.user(user_id)
        return await self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message,
                    "chat_instance": str(abs(message["chat"]["id"]) * 7919),
                    "data": data,
                }
            }
        )

    def document_object(
        self, content: bytes, file_name: str | None, mime_type: str | None, declared_size: int | None = None
    ) -> dict[str, Any]:
        """A Document the server knows (its file_id can be fetched), for an update built by hand."""
        return self._document(content, file_name, mime_type, declared_size)[0]

    def photo_sizes(self, content: bytes, declared_size: int | None = None) -> list[dict[str, Any]]:
        """PhotoSizes the server knows, for an update built by hand."""
        return self._photo(content, declared_size)[0]

    async def wait_fetched(self, timeout: float = 10) -> None:
        """Until every pushed update was fetched and confirmed by the bot's getUpdates offset."""
        await self._until(lambda: not self._updates, timeout, lambda: f"{len(self._updates)} update(s) unconfirmed")

    async def push_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        mime_type: str,
        *,
        declared_size: int | None = None,
        media_group_id: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """The user sends a file. ``declared_size`` claims a file_size without the bytes."""
        user, chat = self._user_chat(user_id, chat_id, None)
        document, _ = self._document(content, file_name, mime_type, declared_size)
        return await self._push(
            {
                "message": self._new_message(
                    chat, user, {"document": document, "caption": caption, "media_group_id": media_group_id}
                )
            }
        )

    async def push_photo(
        self,
        user_id: int,
        content: bytes,
        *,
        declared_size: int | None = None,
        media_group_id: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """The user sends a photo: three PhotoSizes, the largest with ``content``."""
        user, chat = self._user_chat(user_id, chat_id, None)
        photo, _ = self._photo(content, declared_size)
        return await self._push(
            {
                "message": self._new_message(
                    chat, user, {"photo": photo, "caption": caption, "media_group_id": media_group_id}
                )
            }
        )

    async def push_album(
        self,
        user_id: int,
        items: list[tuple[str, bytes, str, str]],
        *,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Several updates sharing a media_group_id; items are (kind, content, file_name, mime_type)
        with kind "document" or "photo"; the caption goes on the first, as clients do."""
        group_id = str(10**17 + next(self._seq))
        updates = []
        for index, (kind, content, name, mime) in enumerate(items):
            item_caption = caption if index == 0 else None
            if kind == "photo":
                updates.append(
                    await self.push_photo(
                        user_id, content, media_group_id=group_id, caption=item_caption, chat_id=chat_id
                    )
                )
            elif kind == "document":
                updates.append(
                    await self.push_document(
                        user_id, content, name, mime, media_group_id=group_id, caption=item_caption, chat_id=chat_id
                    )
                )
            else:
                raise ValueError(f"album items are 'photo' or 'document', not {kind!r}")
        return updates

    # -- test side: faults, waiting and inspection -------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | str | None = None,
        times: int = 1,
        error_code: int = 429,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``, if given) with an error.

        A 429 defaults to ``retry_after=1`` and Telegram's "Too Many Requests: retry after N".
        """
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else _DEFAULT_DESCRIPTIONS.get(error_code, "Bad Request")
            )
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self._faults.append(_Fault(method.lower(), chat_id, times, error_code, description, parameters))

    def flood(self, seconds: float, *, after: int = 0) -> Flood:
        """After ``after`` more sends, a flood wait of ``seconds``: the next send and every one until
        ``seconds`` after it are answered 429 with ``retry_after`` (the seconds left, rounded up)."""
        flood = Flood(seconds, after)
        self.floods.append(flood)
        return flood

    def sends(self, chat_id: int | None = None) -> list[Call]:
        """The send calls that put a message in a chat (``chat_id``'s, or any), in order of arrival."""
        found = [
            call
            for call in self.calls
            if call.method.lower() in SEND_METHODS
            and not call.failed
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]
        return sorted(found, key=lambda call: call.at)

    def send_times(self) -> dict[int, list[float]]:
        """When each chat's messages arrived (``time.monotonic()``), per chat: what the limits are about."""
        times: dict[int, list[float]] = {}
        for call in self.sends():
            times.setdefault(int(call.params["chat_id"]), []).append(call.at)
        return times

    async def _until(self, predicate: Callable[[], bool], timeout: float, explain: Callable[[], str]) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(f"{explain()} within {timeout}s; last calls: {self._summary()}") from None

    def _summary(self, last: int = 8) -> str:
        parts = []
        for call in self.calls[-last:]:
            outcome = f"{call.status} {call.response['description']}" if call.failed else "ok"
            parts.append(f"{call.method}(chat_id={call.params.get('chat_id')}) -> {outcome}")
        return "; ".join(parts) or "none"

    async def wait_for(
        self, predicate: Callable[[Call], bool] | str, *, count: int = 1, timeout: float = 10
    ) -> list[Call]:
        """Wait until ``count`` recorded calls match (a predicate, or a method name) and return
        the first ``count`` of them. Past calls count too; filter on ``call.at`` to exclude them."""

        def check(call: Call) -> bool:
            return call.method.lower() == predicate.lower() if isinstance(predicate, str) else predicate(call)

        def matching() -> list[Call]:
            return [call for call in self.calls if check(call)]

        await self._until(lambda: len(matching()) >= count, timeout, lambda: f"fewer than {count} matching call(s)")
        return matching()[:count]

    async def next_messages(self, chat_id: int, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        """The next ``count`` unread messages the bot sent or edited in ``chat_id``, oldest first.

        Exactly ``count`` are returned and marked read; later ones stay for the next call, so a
        test does not depend on how fast the bot sends its second message. An album counts as
        one message per item; an edit is the edited Message (it has ``edit_date``).
        """

        def unread() -> int:
            return len(self._sent.get(chat_id, [])) - self._read.get(chat_id, 0)

        await self._until(
            lambda: unread() >= count,
            timeout,
            lambda: f"the bot sent {unread()} of {count} expected message(s) to chat {chat_id}",
        )
        start = self._read.get(chat_id, 0)
        self._read[chat_id] = start + count
        return self._sent[chat_id][start : start + count]

    async def wait_polling(self, timeout: float = 10) -> None:
        """Wait until a getUpdates long poll is parked on the server (e.g. the bot is up)."""
        await self._until(lambda: self._polls_waiting > 0, timeout, lambda: "no getUpdates long poll waiting")

    async def wait_polls(self, count: int, timeout: float = 10) -> None:
        """Wait until ``count`` getUpdates requests have arrived in all (a restarted bot asks again)."""
        await self._until(lambda: self.polls >= count, timeout, lambda: f"{self.polls} of {count} getUpdates requests")

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Everything the bot sent or edited in ``chat_id``, read or not."""
        return list(self._sent.get(chat_id, []))

    def uploaded(self, chat_id: int) -> list[StoredFile]:
        """Files the bot sent to ``chat_id`` (uploads and re-sends by file_id), with bytes and name."""
        return list(self._uploads.get(chat_id, []))

    def file(self, file_id: str) -> StoredFile:
        """A file the server knows, by file_id."""
        return self._files[file_id]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str | None = None) -> list[dict[str, Any]]:
        """The bot's commands for a scope and language, as set with setMyCommands."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._updates)
