"""A test driver for the pure engine: send text, press buttons by their label, upload files.

It plays the part storage plays in production: it applies effects (one
submission per idempotency key, language, subscriptions, questions passed on to
staff) so whole journeys can be run without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import translator
from dialogs.engine import Context, QuestionView, SubmissionView, handle
from dialogs.events import (
    AmendSubmission,
    ChoiceEvent,
    CommandEvent,
    CreateSubmission,
    Event,
    FileEvent,
    ForgetApplicant,
    ForwardQuestion,
    Reply,
    SetLanguage,
    StoreFile,
    TextEvent,
)
from dialogs.loader import Content
from dialogs.render import button_label, render
from dialogs.state import State
from storage.models import new_reference

#: Answers for the aid plan's flexible-expert questions, by a piece of the English question.
EXPERT_ANSWERS = {
    "Where do you work now?": "Another province, autonomous region or municipality",
    "civil servant": "No",
    "2+5": "No",
    "another host unit": "No",
    "letter of intent": "Yes",
    "professional title": "Full senior title",
    "highest level of education": "Doctorate",
}


@dataclass
class Driver:
    content: Content
    now: dt.datetime
    user: str = "test:1"
    state: State = field(default_factory=State)
    submissions: dict[str, CreateSubmission] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    effects: list[Any] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    #: reference → (status, staff comment), as staff decided (default: submitted, no comment).
    decisions: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: Questions passed on to staff, newest first (staff answers are set by the test).
    questions: list[QuestionView] = field(default_factory=list)
    #: Where a confirmed submission's reference comes from (the edge draws one per event); the random
    #: walks pass a seeded one so that a walk replays to the same references.
    references: Callable[[], str] = new_reference

    def context(self) -> Context:
        """What the edge would read from storage for the next event: submissions with staff's decisions, questions."""
        views = tuple(
            SubmissionView(
                s.reference,
                s.program,
                s.track,
                *self.decisions.get(s.reference, ("submitted", None))[:1],
                self.now,
                self.decisions.get(s.reference, ("submitted", None))[1],
            )
            for s in self.submissions.values()
        )
        return Context(self.user, views, tuple(self.questions), reference=self.references(), translator=translator)

    def send(self, event: Event) -> str:
        self.deliver(event)
        return self.screen

    def deliver(self, event: Event) -> None:
        """Handle ``event`` and apply its effects as storage would, without rendering (the walks render themselves)."""
        outcome = handle(self.state, event, self.content, self.now, self.context())
        self.state = outcome.state
        self.replies = outcome.replies
        for effect in outcome.effects:
            self.effects.append(effect)
            if isinstance(effect, CreateSubmission):
                self.submissions.setdefault(effect.key, effect)
            elif isinstance(effect, StoreFile):
                self.files[effect.stored_name] = effect.content
            elif isinstance(effect, SetLanguage):
                self.state.lang = effect.lang
            elif isinstance(effect, AmendSubmission):
                self.decisions[effect.reference] = ("submitted", None)
            elif isinstance(effect, ForwardQuestion):
                self.questions.insert(0, QuestionView(effect.question, effect.program, effect.office, self.now))
            elif isinstance(effect, ForgetApplicant):
                # Storage deletes the applicant's submissions, questions and files with the conversation.
                self.submissions.clear()
                self.decisions.clear()
                self.questions.clear()
                self.files.clear()

    @property
    def screen(self) -> str:
        tr = translator(self.state.lang)
        return "\n".join(render(r, self.content, self.now, tr) for r in self.replies)

    def buttons(self) -> list[tuple[str, str]]:
        tr = translator(self.state.lang)
        return [(button_label(b, self.content, tr), b.data) for r in self.replies for row in r.buttons for b in row]

    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons()]

    def press(self, label: str) -> str:
        """Press the button whose label is ``label`` (or, failing that, the only one containing it)."""
        buttons = self.buttons()
        exact = [data for text, data in buttons if text == label]
        partial = [data for text, data in buttons if label in text]
        chosen = exact or partial
        assert len(chosen) >= 1, f"no button {label!r} in {[t for t, _ in buttons]}"
        assert len(exact) == 1 or (not exact and len(partial) == 1), (
            f"button {label!r} is ambiguous in {[t for t, _ in buttons]}"
        )
        return self.send(ChoiceEvent(chosen[0]))

    def send_choice(self, data: str) -> str:
        """Press a button by its data (a notification's button, not on the last screen)."""
        return self.send(ChoiceEvent(data))

    def text(self, text: str) -> str:
        return self.send(TextEvent(text))

    def command(self, name: str) -> str:
        return self.send(CommandEvent(name))

    def upload(self, name: str, content: bytes) -> str:
        return self.send(FileEvent(name=name, size=len(content), content=content))
