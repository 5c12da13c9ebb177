"""How long the bot's messages are: every reply to the labelled questions and every screen, per language.

Run: ``.venv/bin/python bench/replies.py [--over]``

Issue 15 asked for short, direct replies: the answer in the first line and a
single-topic answer under 1,000 characters, the rest one tap away. This prints
the length in characters (direction marks left out) of:

- every message the engine sends when a labelled question of ``tests/data`` is
  typed at the menu (the dev, held-out and Uyghur sets, and the blind set used
  here only as inputs whose replies are measured, never to tune anything), as
  the applicant sees it first; and the whole answer, the part behind the "More"
  button included;
- every message of the journey that walks every screen in Chinese, English and
  Uyghur (the one of ``tests/test_screens_in_every_language.py``), and the
  messages staff and applicants get outside the conversation;

each as median, p95, max and the count over 1,000 characters, per language and
overall. ``--over`` lists the messages over 1,000 characters. Lengths are
printed, never asserted (the tests assert the 1,000-character limit).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.i18n import translator  # noqa: E402
from dialogs.answers import answer  # noqa: E402
from dialogs.bidi import strip_marks  # noqa: E402
from dialogs.events import TextEvent  # noqa: E402
from dialogs.loader import Content, load_content  # noqa: E402
from dialogs.render import render  # noqa: E402
from dialogs.state import State  # noqa: E402
from tests.ask_eval import ALL_SETS, load_questions  # noqa: E402
from tests.engine_driver import Driver  # noqa: E402
from tests.test_screens_in_every_language import LANGS, staff_messages, walk_journey  # noqa: E402

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LIMIT = 1000


@dataclass(frozen=True)
class Measured:
    lang: str
    where: str
    text: str

    @property
    def length(self) -> int:
        return len(strip_marks(self.text))


def typed_replies(content: Content) -> tuple[list[Measured], list[Measured]]:
    """Each message sent for each labelled question typed at the menu, and each question's whole answer."""
    shown: list[Measured] = []
    whole: list[Measured] = []
    for path in ALL_SETS.values():
        for item in load_questions(path):
            driver = Driver(content, NOW, state=State(lang=item.lang))
            driver.deliver(TextEvent(item.q))
            tr = translator(item.lang)
            for reply in driver.replies:
                shown.append(Measured(item.lang, f"({item.set}) {item.q}", render(reply, content, NOW, tr)))
            whole.append(Measured(item.lang, f"({item.set}) {item.q}", answer(item.q, content, NOW, tr).text))
    return shown, whole


def screens(content: Content) -> list[Measured]:
    """Each message of the every-screen journey, and the messages sent outside the conversation."""
    measured = []
    for lang in LANGS:
        journey = walk_journey(content, lang)
        for screen in journey.screens:
            measured += [Measured(lang, screen.where, message) for message in screen.messages]
        measured += [Measured(lang, s.where, s.text) for s in staff_messages(content, lang, journey.tr)]
    return measured


def p95(lengths: list[int]) -> int:
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def distribution(title: str, measured: Iterable[Measured]) -> None:
    items = list(measured)
    print(f"{title}:")
    print(f"  {'':8} {'count':>6} {'median':>7} {'p95':>6} {'max':>6} {'>' + str(LIMIT):>6}")
    groups = [(lang, [m for m in items if m.lang == lang]) for lang in LANGS] + [("all", items)]
    for name, group in groups:
        if not group:
            continue
        lengths = [m.length for m in group]
        over = sum(n > LIMIT for n in lengths)
        print(
            f"  {name:8} {len(lengths):6} {statistics.median(lengths):7.0f} {p95(lengths):6} {max(lengths):6} {over:6}"
        )


def main(argv: list[str]) -> int:
    content = load_content()
    shown, whole = typed_replies(content)
    walked = screens(content)
    distribution("replies to typed questions, as first shown (each message)", shown)
    distribution("whole answers to typed questions (behind the More button included)", whole)
    distribution("screens of the journey in every language, and messages outside it (each message)", walked)
    distribution("every message above (first shown and screens)", [*shown, *walked])
    if "--over" in argv:
        print(f"messages over {LIMIT} characters:")
        for m in sorted((m for m in [*shown, *walked] if m.length > LIMIT), key=lambda m: -m.length):
            print(f"  {m.length:5} {m.lang} {m.where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
