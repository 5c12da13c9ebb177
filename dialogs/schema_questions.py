"""The shape of what free questions are read with: ``faq.yaml``, ``ask.yaml`` and a program's FAQ.

Intents (what a question asks about, CONTRACT §4), the phrasings an answer is
found by, the cue words per intent and the regions and stopwords of
``ask.yaml``: none of it is shown to applicants except the answers themselves.
:mod:`dialogs.question_index` and :mod:`dialogs.answers` read it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from dialogs.schema import Alias, Basis, Clause, ContentModel, Grounded, Id, Quote, Text

#: What a free question asks about (CONTRACT §4).
Intent = Literal["deadline", "contact", "eligibility", "documents", "benefit", "quota", "apply", "programs", "other"]
INTENTS: tuple[Intent, ...] = (
    "deadline",
    "contact",
    "eligibility",
    "documents",
    "benefit",
    "quota",
    "apply",
    "programs",
    "other",
)


class Phrasings(ContentModel):
    """How applicants ask one question, per language: matched against what they type, never shown."""

    zh: tuple[Annotated[str, Field(min_length=2)], ...] = Field(min_length=1)
    en: tuple[Annotated[str, Field(min_length=2)], ...] = ()
    ug: tuple[Annotated[str, Field(min_length=2)], ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.zh + self.en + self.ug


class SourceRef(ContentModel):
    """A clause of one program's notice, for an answer that is not inside a program file."""

    program: Id
    clause: Clause
    #: The exact words of that clause the answer rests on (required unless the entry's basis is ``office``).
    quote: Quote | None = None


class Faq(Grounded):
    """A question the notice answers in a sentence rather than a field: "can a civil servant apply"."""

    id: Id
    #: Tracks it concerns; empty means the whole program.
    tracks: tuple[str | None, ...] = ()
    intent: Intent
    q: Phrasings
    a: Text
    source: Clause


class GlobalFaq(ContentModel):
    """A question about several programs or about the bot itself (``faq.yaml``)."""

    id: Id
    intent: Intent
    q: Phrasings
    a: Text
    #: The clauses the answer rests on; empty only for questions about using the bot.
    sources: tuple[SourceRef, ...] = ()
    #: ``office`` when the answer is the office's own guidance rather than the notices' words.
    basis: Basis = "notice"


class FaqFile(ContentModel):
    faq: tuple[GlobalFaq, ...] = ()


class Cues(ContentModel):
    """Words that signal an intent. ``*`` stands for a few characters: ``能*吗`` matches 能报吗, 能不能申请吗."""

    zh: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    en: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    ug: tuple[Annotated[str, Field(min_length=1)], ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.zh + self.en + self.ug


class IntentCues(ContentModel):
    #: Question words that say what kind of answer is wanted (什么时候, 找谁, 多少钱): they decide.
    asks: Cues = Cues()
    #: Topic words (材料, 名额, deadline): they decide when no question word does.
    about: Cues = Cues()


class AskFile(ContentModel):
    """``ask.yaml``: the vocabulary the answerer reads questions with (not shown to applicants)."""

    #: Per intent, the words that signal it (``other`` has none: it is what is left).
    intents: dict[
        Literal["deadline", "contact", "eligibility", "documents", "benefit", "quota", "apply", "programs"], IntentCues
    ]
    #: Words naming each region a program belongs to (新疆, 阳泉…): they tell two programs apart.
    regions: dict[Literal["xinjiang", "shanxi"], tuple[Alias, ...]] = Field(default_factory=dict)
    #: Words that ask to compare programs (区别, difference): every program named is then shown.
    compare: tuple[str, ...] = ()
    #: Words that ask which other programs there are (除了援疆还有什么计划, what other schemes): the list
    #: of every program answers, whatever program the question names.
    others: tuple[str, ...] = ()
    #: Groups of ways to say one thing (最多, 不超过, at most…; ``#`` a number): a clause and a question
    #: holding phrases of one group are taken to speak of the same subject.
    subjects: dict[Id, tuple[Annotated[str, Field(min_length=1)], ...]] = Field(default_factory=dict)
    #: Words too common to say what a question is about (的, 吗, the, is…): left out of matching.
    stopwords: tuple[str, ...] = ()
