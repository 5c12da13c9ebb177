"""Choosing the language the bot speaks (also offered on the first start's menu)."""

from __future__ import annotations

from dialogs.events import SetLanguage
from dialogs.flows.buttons import ChooseLanguage, Lang
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import Key, Turn, literal
from dialogs.i18n import LANGUAGE_NAMES

LANGUAGES = tuple(str(lang) for lang in Lang)


def language_row() -> list[Key]:
    return [literal(LANGUAGE_NAMES[lang], ChooseLanguage, lang=lang) for lang in Lang]


def language_screen(turn: Turn, args: Args) -> None:
    turn.say("Choose your language.", [language_row()])


def choose(turn: Turn, press: ChooseLanguage) -> None:
    turn.state.lang = str(press.lang)
    turn.effects.append(SetLanguage(str(press.lang)))
    turn.say("Language changed.")
    turn.home()


def specs() -> tuple[StepSpec, ...]:
    return (StepSpec(Step.LANGUAGE, language_screen, buttons={ChooseLanguage: choose}, goes_to=frozenset({Step.MENU})),)
