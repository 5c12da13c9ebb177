"""Choosing the language the bot speaks (also offered on the first start's menu)."""

from __future__ import annotations

from dialogs.events import SetLanguage
from dialogs.flows.buttons import Back, ChooseLanguage, Home, Lang
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import B, Key, Turn, literal
from dialogs.i18n import LANGUAGE_NAMES

LANGUAGES = tuple(str(lang) for lang in Lang)


def language_row() -> list[Key]:
    return [literal(LANGUAGE_NAMES[lang], ChooseLanguage, lang=lang) for lang in Lang]


def language_screen(turn: Turn, args: Args) -> None:
    rows = [language_row(), [B("Back", Back), B("Main menu", Home)]]
    turn.say("Choose your language.", rows)


def choose(turn: Turn, press: ChooseLanguage) -> None:
    turn.state.lang = str(press.lang)
    turn.effects.append(SetLanguage(str(press.lang)))
    turn.say("Language changed.")
    turn.home()


def specs() -> tuple[StepSpec, ...]:
    return (StepSpec(Step.LANGUAGE, language_screen, buttons={ChooseLanguage: choose}, goes_to=frozenset({Step.MENU})),)
