"""The shape of the content files: what every one of them is written with.

These pydantic models check the *form* of each file (types, required fields, the
Chinese text being present). Cross-references and meaning (a rule naming a fact
that does not exist, a duplicate id, a contact nobody can reach) are checked
afterwards in :mod:`dialogs.checks`, so that every problem is reported against
the exact place in the file it comes from.

This module holds what every file shares: the languages, ids, clause marks,
aliases, the base model and :class:`Text`. The models of each file live beside
it, one module per file: :mod:`dialogs.schema_facts` (``facts.yaml``),
:mod:`dialogs.schema_program` (``programs/*.yaml``, with its eligibility rules in
:mod:`dialogs.schema_rules`), :mod:`dialogs.schema_questions` (``faq.yaml``,
``ask.yaml`` and a program's own FAQ) and :mod:`dialogs.schema_staff`
(``staff.yaml``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Lang = Literal["zh", "en", "ug"]
LANGS: tuple[Lang, ...] = ("zh", "en", "ug")

#: Ids end up in Telegram's callback data (64 bytes with the menu number and action), hence 40.
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)]
#: A clause of the program's notice, e.g. ``§二(一)`` or ``§五(三)``.
Clause = Annotated[str, Field(pattern=r"^§\S", max_length=80)]


def _number_as_text(value: object) -> object:
    """Aliases such as ``2020`` are words to match, whatever YAML made of them."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


#: A name a user may type for a program, track or sector.
Alias = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1)]


class ContentModel(BaseModel):
    """The base of every content model: unknown fields are refused, and a loaded content never changes.

    ``defer_build``: the validators are built when content is first validated (a YAML load, a publish),
    not at import: a bot that starts from its content cache unpickles models and validates none, and
    building the ~30 validators was ~13 ms of its start."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


#: The exact words of the notice an item rests on: one passage, or several (each checked on its own).
Quote = Annotated[str, Field(min_length=2)] | tuple[Annotated[str, Field(min_length=2)], ...]
#: ``notice``: the notice states it (a quote is required). ``office``: the office's own guidance or
#: explanation, which the notice does not state: no quote, and the bot shows it as the office's words.
Basis = Literal["notice", "office"]


class Grounded(ContentModel):
    """An item that rests on a clause of the notice: its words (``quote``) and whose statement it is (``basis``).

    :mod:`dialogs.quotes` checks each quote occurs in the clause the item's ``source`` cites.
    """

    quote: Quote | None = Field(default=None)
    basis: Basis = "notice"


class Text(ContentModel):
    """A user-facing text. Chinese is the reference and is always required."""

    zh: str = Field(min_length=1)
    en: str | None = Field(default=None, min_length=1)
    ug: str | None = Field(default=None, min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang``, falling back to Chinese where it has not been written yet."""
        value = getattr(self, lang, None) if lang in LANGS else None
        return value or self.zh
