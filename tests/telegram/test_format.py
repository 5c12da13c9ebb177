"""Replies as Telegram messages: escaped, split under the limit, buttons on the last part; throttling."""

from __future__ import annotations

import datetime as dt

from bot.i18n import translator
from bot.telegram.format import MAX_TEXT, outgoing, split_text, utf16_len, valid_callback
from bot.telegram.throttle import Throttle
from dialogs.engine import Context, handle
from dialogs.events import Button, CommandEvent, Reply
from dialogs.flows.buttons import ReplaceDocument
from dialogs.state import State

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def test_long_text_is_split_at_line_ends_under_telegrams_limit_in_utf16_units():
    text = "\n".join(f"第{i}行：申报材料须加盖单位公章 🏛️" for i in range(600))
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(utf16_len(p) <= MAX_TEXT for p in pieces)
    assert "\n".join(pieces) == text  # nothing lost, nothing cut inside a line


def test_a_text_without_line_breaks_is_still_split():
    pieces = split_text("字" * 10000)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_content_text_is_escaped_for_html_and_buttons_go_on_the_last_part(content):
    reply = Reply(
        "{label}: {value}", {"label": "<b>材料</b> & 公章", "value": "x" * 5000}, ((Button("Main menu", "3:menu"),),)
    )
    messages = outgoing([reply], content, NOW, translator("en"))
    assert len(messages) == 2
    assert messages[0].text.startswith("&lt;b&gt;材料&lt;/b&gt; &amp; 公章") and messages[0].keyboard is None
    assert messages[-1].keyboard == [[("Main menu", "3:menu")]]


def test_short_replies_without_buttons_join_the_next_message(content):
    outcome = handle(State(lang="en"), CommandEvent("start"), content, NOW, Context("tg:1"))
    messages = outgoing(outcome.replies, content, NOW, translator("en"))
    assert len(outcome.replies) == 2 and len(messages) == 1
    assert messages[0].text.startswith("Welcome!") and messages[0].keyboard


def test_every_button_the_engine_makes_fits_telegrams_64_bytes(content):
    longest_ids = max((len(d.id) for p in content.programs for d in p.documents), default=0)
    assert valid_callback(ReplaceDocument(999999, "a" * longest_ids).pack())
    assert valid_callback("x:amend:AD-ABCDEFGH") and valid_callback("s:ok:XJ-2026-000123")
    for forged in ("", "hello", "1:p:<x>", "1:" + "a" * 70, "-1:menu", "1:menu:" + "é"):
        assert not valid_callback(forged)


def test_throttle_lets_a_burst_through_then_warns_once_then_drops_until_tokens_return():
    now = [0.0]
    throttle = Throttle(rate=1.0, burst=3, clock=lambda: now[0])
    assert [throttle.check(1) for _ in range(5)] == ["ok", "ok", "ok", "warn", "drop"]
    assert throttle.check(2) == "ok"  # per user
    now[0] = 1.0
    assert throttle.check(1) == "ok"
