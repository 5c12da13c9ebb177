"""One random walker through the pure applicant engine, shared by the suite's hypothesis test
(tests/walk/test_random_walks.py) and ``python -m bench.walk``.

Each step draws what a person can do at the screen they are on — press a button of it or of an
earlier one, send a command, type an answer (good or bad), ask a free question, send files or an
album — or what happens around them: the bot restarts (the state goes through its JSON and the
conversation resumes), admins publish new content (another version, or one without a program), staff
return a submission (its notification's button becomes pressable), the clock moves in or out of a
program's window. Storage's part is played by :class:`tests.engine_driver.Driver`.

After every step the invariants are checked (see :meth:`Walker.check`): no exception; the state reads
back equal from its JSON; the screen offers a way back or to the menu (a screen without buttons: /start
works); Back returns to the screen shown before it, where there was one; a restart shows the same screen.
A failure is grouped by a signature (the exception's type and place, or the invariant and the screens).

Choices come from a :class:`Chooser`: ``random.Random`` for the bench, hypothesis' ``data.draw`` for
the suite (so hypothesis can shrink a failing walk). Every step is recorded as an :data:`Action` that
replays on a fresh walker, which is how reproducers are shortened.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import random
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.i18n import translator
from dialogs.engine import LANGUAGES, MENU_COMMANDS, Outcome, handle
from dialogs.events import (
    AmendSubmission,
    Button,
    ChoiceEvent,
    CommandEvent,
    CreateSubmission,
    Event,
    FileEvent,
    FilesEvent,
    ForgetApplicant,
    ForwardQuestion,
    Reply,
    Subscribe,
    TextEvent,
)
from dialogs.loader import Content
from dialogs.render import button_label, render
from dialogs.schedule import applicant_windows, closes_at, opens_at, program_status
from dialogs.state import State
from storage.models import REFERENCE_ALPHABET
from tests.engine_driver import Driver
from tests.walk import samples
from tests.walk.screens import Screen, buttons_of, is_back, is_menu, offers_way_out, screen_of

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
BEIJING = ZoneInfo("Asia/Shanghai")
#: The day the bot's tests call "today": every shipped program's window is closed by then.
TODAY = dt.datetime(2026, 11, 21, 12, 0, tzinfo=BEIJING)
#: Every command a person can send: the registered ones, the extra ones the engine reads, unknown ones.
COMMANDS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [name for name, _ in MENU_COMMANDS]
        + ["start", "menu", "back", "edit", "resume", "cancel", "find", "programs", "status", "forget"]
        + list(samples.UNKNOWN_COMMANDS)
    )
)
#: Keys of the screens that ask for contact details (typed text).
CONTACT_KEYS = frozenset(
    {
        "Your full name, as on your ID card?",
        "Your phone number? A mobile number, a landline with its area code, or a number abroad with its country code.",
        "The name of your employer (your unit)?",
    }
)
#: Keys of the screens that ask for files.
DOCUMENT_KEYS = frozenset({"@document_request", "@amend_request"})
#: Effects Back cannot undo: the screen shown after one starts a new history of screens.
IRREVERSIBLE = (CreateSubmission, AmendSubmission, ForwardQuestion, Subscribe)
#: Keys of the screens of an application under way (contact details, documents, review, amending).
APPLICATION_KEYS = (
    CONTACT_KEYS
    | DOCUMENT_KEYS
    | {"@review", "@amend", "Which field do you work in? It decides which office reviews your application."}
)
#: How many earlier buttons a walk keeps to press as stale ones.
STALE_KEPT = 40
#: How much likelier a button is pressed than another (default 4): onward to an application more often
#: than away, so that walks reach the documents, the review and the receipt.
PRESS_WEIGHTS = {
    "Main menu": 1,
    "Cancel": 1,
    "Cancel the application": 1,
    "Back": 2,
    "Help": 1,
    "Language": 2,
    "My submissions": 2,
    "Apply": 12,
    "Confirm and submit": 10,
    "Done with this document": 10,
    "Skip: my unit sends this one": 10,
    "Send to staff": 10,
    "I don't know": 10,
}
#: Submission statuses staff may set, with a comment or none.
STAFF_DECISIONS: tuple[tuple[str, str | None], ...] = (
    ("returned", "学历证明不清晰，请重新上传。"),
    ("more_requested", "Please add your employment contract."),
    ("returned", None),
    ("accepted", None),
    ("rejected", "Not eligible: age."),
)


# --------------------------------------------------------------------------- choosing


class Chooser(Protocol):
    """Where a walk's choices come from."""

    def index(self, weights: Sequence[int]) -> int:
        """An index into ``weights``, drawn in proportion to them (every weight > 0)."""
        ...


class RandomChooser:
    """Choices from a seeded ``random.Random`` (the bench)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def index(self, weights: Sequence[int]) -> int:
        cumulative = []
        total = 0
        for w in weights:
            total += w
            cumulative.append(total)
        return bisect.bisect_right(cumulative, self.rng.random() * total)


def pick(chooser: Chooser, options: Sequence[T], weights: Sequence[int] | None = None) -> T:
    return options[chooser.index(weights if weights is not None else [1] * len(options))]


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Send:
    """An event the person sends: a command, typed text, a file or an album."""

    event: Event

    def __str__(self) -> str:
        event = self.event
        if isinstance(event, CommandEvent):
            return f"/{event.name}"
        if isinstance(event, TextEvent):
            return f"type {_short(event.text)}"
        if isinstance(event, FileEvent):
            return f"send file {_short(event.name)} ({event.size} bytes)"
        if isinstance(event, FilesEvent):
            return "send album [" + ", ".join(_short(f.name) for f in event.files) + "]"
        return f"press {event.data}"


@dataclass(frozen=True)
class Press:
    """Press a button of the current screen, named by its label (and arguments): on a replay the button
    with that label is pressed wherever it is now, else the recorded payload is sent as it was."""

    label: str
    args: str
    data: str

    def __str__(self) -> str:
        return f"press {self.label!r}" + (f" {self.args}" if self.args != "{}" else "")


@dataclass(frozen=True)
class Stale:
    """Press a button of an earlier screen."""

    data: str

    def __str__(self) -> str:
        return f"press an earlier screen's button {self.data!r}"


@dataclass(frozen=True)
class Restart:
    """The bot restarts: the state goes to JSON and back, then the conversation resumes (``/resume``)."""

    def __str__(self) -> str:
        return "restart (state through JSON, then /resume)"


@dataclass(frozen=True)
class Reload:
    """Admins publish content: ``again`` (same texts, another version) or ``without:<program>``, or ``shipped``."""

    variant: str

    def __str__(self) -> str:
        return f"content reloaded: {self.variant}"


@dataclass(frozen=True)
class Clock:
    now: dt.datetime

    def __str__(self) -> str:
        return f"clock at {self.now.isoformat()}"


@dataclass(frozen=True)
class StaffDecides:
    """Staff set the status of the applicant's ``index``-th submission (modulo how many there are)."""

    index: int
    status: str
    comment: str | None

    def __str__(self) -> str:
        return f"staff set submission #{self.index} to {self.status}" + (f" ({self.comment})" if self.comment else "")


@dataclass(frozen=True)
class Notification:
    """Press a button of a notification sent outside the conversation (``x:amend:REF``, ``x:mine``, ``x:menu``)."""

    action: str
    index: int

    def __str__(self) -> str:
        return f"press the notification button {self.action} (submission #{self.index})"


Action = Send | Press | Stale | Restart | Reload | Clock | StaffDecides | Notification


def notification_data(action: str, reference: str | None) -> str:
    """The payload of a notification's button, as the outbox sends it (bot/telegram/outbox.py)."""
    return f"x:{action}:{reference}" if reference else f"x:{action}"


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + f"…(+{len(text) - limit})")


# --------------------------------------------------------------------------- failures


@dataclass
class Failure:
    """An exception or a broken invariant after one step."""

    kind: str  # exception, render, round_trip, no_way_out, bare_start, back, restart
    signature: str  # what failures of one cause share (grouping key)
    detail: str
    actions: tuple[Action, ...]
    lang: str
    now: dt.datetime

    def reproducer(self) -> list[str]:
        return [f"lang={self.lang}, clock at {self.now.isoformat()}"] + [str(a) for a in self.actions]


def _location(exc: BaseException) -> str:
    """The innermost frame of the project's own code the exception passed through."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith(str(ROOT)) and "/tests/" not in f.filename]
    frame = (own or frames)[-1]
    return (
        f"{Path(frame.filename).resolve().relative_to(ROOT) if own else frame.filename}:{frame.lineno} in {frame.name}"
    )


#: Ends the signature of a Back failure after /back on a screen without a Back button.
UNBUTTONED = " (/back where no Back button is shown)"


# --------------------------------------------------------------------------- content variants and clocks


@dataclass(frozen=True)
class World:
    """What does not change during a walk: the content variants and the instants worth being at."""

    shipped: Content
    variants: dict[str, Content]
    clocks: tuple[dt.datetime, ...]
    #: Instants inside some program's application window (a walk starts at one of them more often).
    inside: tuple[dt.datetime, ...]

    @classmethod
    def of(cls, content: Content) -> World:
        variants = {"shipped": content, "again": dataclasses.replace(content, version=content.version + "-again")}
        for program in content.programs:
            variants[f"without:{program.id}"] = dataclasses.replace(
                content,
                programs=tuple(p for p in content.programs if p.id != program.id),
                version=f"{content.version}-without-{program.id}",
            )
        clocks: list[dt.datetime] = [TODAY]
        inside: list[dt.datetime] = []
        second = dt.timedelta(seconds=1)
        for program in content.programs:
            for window in applicant_windows(program):
                end = closes_at(window)
                start = opens_at(window) or end - dt.timedelta(days=30)
                inside += [start, start + (end - start) / 2, end - second]
                clocks += [start - second, start, start + (end - start) / 2, end - second, end]
        return cls(content, variants, tuple(dict.fromkeys(clocks)), tuple(dict.fromkeys(inside)))


def roundtrip(state: State) -> State:
    """The state as a restarted bot reads it back: through its JSON document and a JSON string."""
    return State.from_json(json.loads(json.dumps(state.to_json())))


def reference_maker() -> Callable[[], str]:
    """References in the real shape (AD-XXXXX-XXXXX), from a counter so that a walk replays exactly."""
    count = 0
    base = len(REFERENCE_ALPHABET)

    def make() -> str:
        nonlocal count
        count += 1
        n, code = count, ""
        for _ in range(10):
            n, digit = divmod(n, base)
            code += REFERENCE_ALPHABET[digit]
        return f"AD-{code[:5]}-{code[5:]}"

    return make


# --------------------------------------------------------------------------- the walker


@dataclass
class Walker:
    """One person's walk: a driver (engine + storage's part), what they see, and what they did."""

    world: World
    lang: str
    now: dt.datetime
    render: bool = True
    #: An eager applicant: answers "I don't know" to most questions (so stays eligible, as far as the bot
    #: can tell) and goes on to apply; walks without it explore answers and results more.
    eager: bool = False
    driver: Driver = field(init=False)
    screen: Screen | None = None
    buttons: list[Button] = field(default_factory=list)
    #: Screens shown since the last main menu, oldest first (Back should return to the one before the last).
    history: list[Screen] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    steps: int = 0
    #: How often each screen (by key) was reached: how deep the walks go.
    seen: Counter[str] = field(default_factory=Counter)
    #: Content was reloaded since the last event: the next screen may differ for that reason alone.
    reloaded: bool = False
    #: The last turn showed no buttons.
    bare: bool = False
    #: The step being checked is /back on a screen that shows no Back button.
    unbuttoned_back: bool = False
    #: Seconds spent inside the engine (``handle``), probes included, and how many calls.
    engine_seconds: float = 0.0
    engine_calls: int = 0
    #: Of those, the calls for the walk's own events (not probes), and their seconds: the pure engine's pace.
    event_seconds: float = 0.0
    event_calls: int = 0

    def __post_init__(self) -> None:
        self.driver = Driver(
            self.world.shipped, self.now, user="walk:1", state=State(lang=self.lang), references=reference_maker()
        )

    # ---- drawing what happens next

    def draw(self, chooser: Chooser) -> Action:
        key = self.screen.key if self.screen else None
        submissions = list(self.driver.submissions.values())
        on_question, on_contact, on_documents = key == "@question", key in CONTACT_KEYS, key in DOCUMENT_KEYS
        # Inside an application, what leads on is four times likelier (so walks reach the review,
        # the receipt and the amend flow); the rest of what a person may do stays possible.
        on = 4 if key in APPLICATION_KEYS else 1
        kinds: list[tuple[int, Callable[[Chooser], Action]]] = [
            (0 if not self.buttons else on * (10 if on_contact else 25 if on_documents else 50), self._press),
            (on * ((4 if self.eager else 15) if on_question else 40 if on_contact else 3), self._typed),
            (2, lambda c: Send(TextEvent(pick(c, samples.FREE_QUESTIONS)))),
            (2, lambda c: Send(TextEvent(pick(c, samples.BAD_ANSWERS)))),
            (on * (35 if on_documents else 2), self._file),
            (on * (8 if on_documents else 1), self._album),
            (4, lambda c: Send(CommandEvent(pick(c, COMMANDS)))),
            (2 if self.stale else 0, lambda c: Stale(pick(c, self.stale))),
            (2, lambda c: Restart()),
            (1, lambda c: Reload(pick(c, list(self.world.variants)))),
            (1, lambda c: Clock(pick(c, self.world.clocks))),
            (2 if submissions else 0, self._staff),
            (3 if submissions else 0, self._notification),
        ]
        live = [(w, make) for w, make in kinds if w > 0]
        make = live[chooser.index([w for w, _ in live])][1]
        return make(chooser)

    def _press(self, chooser: Chooser) -> Action:
        weights = [self._weight(b) for b in self.buttons]
        button = pick(chooser, self.buttons, weights)
        return Press(button.label, _args_key(button), button.data)

    def _weight(self, button: Button) -> int:
        """Onward buttons likelier than away ones; a program open now likelier than a closed one."""
        program = self.driver.content.find_program(button.args.get("program")) if "program" in button.args else None
        if program is not None and button.label in ("@program_title", "@track_title"):
            return 12 if program_status(program, self.driver.now) == "open" else 2
        if self.eager and button.label == "I don't know":
            return 40
        return PRESS_WEIGHTS.get(button.label, 4)

    def _typed(self, chooser: Chooser) -> Action:
        if self.screen is not None and self.screen.key in CONTACT_KEYS:
            fitting = samples.CONTACT_TEXT.get(self.screen.key, ())
            every = tuple(text for texts in samples.CONTACT_TEXT.values() for text in texts)
            return Send(TextEvent(pick(chooser, pick(chooser, [fitting, every], [3, 1]))))
        fact_id = dict(self.screen.args).get("fact") if self.screen else None
        fact = self.driver.content.facts.get(fact_id) if fact_id else None
        good = samples.GOOD_ANSWERS.get(fact.type, ()) if fact is not None else ()
        pool = pick(chooser, [good, samples.BAD_ANSWERS], [3, 1]) if good else samples.BAD_ANSWERS
        return Send(TextEvent(pick(chooser, pool)))

    def _file(self, chooser: Chooser) -> Action:
        pool = pick(chooser, [samples.GOOD_FILES, samples.BAD_FILES], [3, 1])
        return Send(_file_event(pick(chooser, pool)))

    def _album(self, chooser: Chooser) -> Action:
        count = 2 + chooser.index([4, 2, 1])
        every = samples.GOOD_FILES + samples.BAD_FILES
        weights = [3] * len(samples.GOOD_FILES) + [1] * len(samples.BAD_FILES)
        return Send(FilesEvent(tuple(_file_event(pick(chooser, every, weights)) for _ in range(count))))

    def _staff(self, chooser: Chooser) -> Action:
        status, comment = pick(chooser, STAFF_DECISIONS)
        return StaffDecides(chooser.index([1] * len(self.driver.submissions)), status, comment)

    def _notification(self, chooser: Chooser) -> Action:
        action = pick(chooser, ["amend", "mine", "menu"], [4, 1, 1])
        return Notification(action, chooser.index([1] * len(self.driver.submissions)))

    # ---- applying one action

    def step(self, chooser: Chooser) -> list[Failure]:
        return self.apply(self.draw(chooser))

    def apply(self, action: Action) -> list[Failure]:
        """Do ``action`` and check the invariants; the failures found (empty: all held)."""
        self.actions.append(action)
        self.steps += 1
        self.unbuttoned_back = False
        # Every screen shown is one Back should return from to the screen before it, however it was reached
        # (a button, a command, an earlier screen's button, a notification's); /back is a Back everywhere.
        back = restart = False
        if isinstance(action, Send):
            event: Event = action.event
            back = isinstance(event, CommandEvent) and event.name == "back"
            self.unbuttoned_back = back and not any(map(is_back, self.buttons))
        elif isinstance(action, Press):
            current = next((b for b in self.buttons if b.label == action.label and _args_key(b) == action.args), None)
            event = ChoiceEvent(current.data if current else action.data)
            back = current is not None and is_back(current)
        elif isinstance(action, Stale):
            event = ChoiceEvent(action.data)
        elif isinstance(action, Notification):
            references = [s.reference for s in self.driver.submissions.values()]
            if not references:
                return []
            reference = references[action.index % len(references)]
            event = ChoiceEvent(notification_data(action.action, reference if action.action == "amend" else None))
        elif isinstance(action, Restart):
            try:
                self.driver.state = roundtrip(self.driver.state)
            except Exception as exc:
                return [self._failure("round_trip", f"{type(exc).__name__} at {_location(exc)}", repr(exc))]
            event, restart = CommandEvent("resume"), True
        elif isinstance(action, Reload):
            content = self.world.variants[action.variant]
            # Only content with other programs may rightly change where the person is (the same programs
            # under another version must change nothing).
            ids = [p.id for p in content.programs]
            self.reloaded = self.reloaded or ids != [p.id for p in self.driver.content.programs]
            self.driver.content = content
            return []
        elif isinstance(action, Clock):
            self.driver.now = action.now
            return []
        else:
            self._staff_decides(action)
            return []
        return self._deliver(event, back=back, restart=restart)

    def _staff_decides(self, action: StaffDecides) -> None:
        references = [s.reference for s in self.driver.submissions.values()]
        if references:
            self.driver.decisions[references[action.index % len(references)]] = (action.status, action.comment)

    def _handle(self, state: State, event: Event) -> Outcome:
        """The engine on a copy of the state, as a probe: nothing is applied."""
        began = time.perf_counter()
        try:
            return handle(state, event, self.driver.content, self.driver.now, self.driver.context())
        finally:
            self.engine_seconds += time.perf_counter() - began
            self.engine_calls += 1

    def _deliver(self, event: Event, *, back: bool, restart: bool) -> list[Failure]:
        # After a turn without buttons (a refusal, "your data has been deleted") the last screen is no
        # longer what a restart must show again.
        before = None if self.bare else self.screen
        jump = False
        effects = len(self.driver.effects)
        began = time.perf_counter()
        try:
            self.driver.deliver(event)
        except Exception as exc:
            # As the desk does: the state is kept as it was, the person is told something went wrong.
            return [self._failure("exception", f"{type(exc).__name__} at {_location(exc)}", repr(exc))]
        finally:
            spent = time.perf_counter() - began
            self.engine_seconds += spent
            self.event_seconds += spent
            self.engine_calls += 1
            self.event_calls += 1
        replies = self.driver.replies
        if self.reloaded:
            # After new content, a screen about something removed rightly gives way to another: nothing
            # to compare with, and what was shown before is no longer where Back leads.
            back, restart, jump, self.reloaded = False, False, True, False
            self.history = []
        failures = self.check(replies, before, back=back, restart=restart)
        screen = screen_of(replies, self.driver.state)
        self.bare = screen is None
        done = self.driver.effects[effects:]
        if any(isinstance(e, ForgetApplicant) for e in done):
            # The conversation was deleted: nothing shown before it is a screen to go back to.
            self.history, self.screen, self.buttons = [], None, []
        elif any(isinstance(e, IRREVERSIBLE) for e in done):
            # What was done cannot be undone by Back (a question passed to staff, a submission sent):
            # the screen after it starts a new history, as the menu does.
            jump = True
        if screen is not None:
            back_ok = not any(f.kind == "back" for f in failures)
            self._move_to(screen, buttons_of(replies), back=back, back_ok=back_ok, jump=jump)
        return failures

    def _move_to(self, screen: Screen, buttons: list[Button], *, back: bool, back_ok: bool, jump: bool) -> None:
        previous = self.screen
        self.seen[screen.key] += 1
        if sorted(b.data for b in buttons) != sorted(b.data for b in self.buttons):
            self.stale = ([b.data for b in self.buttons] + self.stale)[:STALE_KEPT]
        # In a fixed order of their own: the engine's order of some buttons (the programs an ambiguous
        # free question may be about) follows set iteration, so it changes with PYTHONHASHSEED, and a walk
        # must draw the same choices in every process to replay and to keep the suite deterministic.
        buttons = sorted(buttons, key=lambda b: (b.label, _args_key(b), b.data))
        self.screen, self.buttons = screen, buttons
        if is_menu(screen) or (jump and screen != previous):
            self.history = [screen]
        elif back and back_ok and len(self.history) >= 2:
            self.history.pop()
        elif back and not back_ok:
            self.history = [screen]  # the walk goes on from where it landed; no cascade of failures
        elif back:
            # Back from the first screen the walk knows of (after a jump): what came before it is not
            # known, so where Back landed starts the history (it is not a screen shown after it).
            self.history = [screen]
        elif not self.history or self.history[-1] != screen:
            self.history = (self.history + [screen])[-50:]

    # ---- the invariants

    def check(self, replies: list[Reply], before: Screen | None, *, back: bool, restart: bool) -> list[Failure]:
        failures: list[Failure] = []
        state = self.driver.state
        if self.render:
            failures += self._render(replies)
        try:
            if roundtrip(state) != state:
                failures.append(self._failure("round_trip", "state differs after JSON", f"{state!r}"))
        except Exception as exc:
            failures.append(self._failure("round_trip", f"{type(exc).__name__} at {_location(exc)}", repr(exc)))
        screen, buttons = screen_of(replies, state), buttons_of(replies)
        if screen is None:
            try:
                start = self._handle(state, CommandEvent("start"))
            except Exception as exc:
                failures.append(self._failure("bare_start", f"/start raised {type(exc).__name__}", repr(exc)))
                return failures
            shown = screen_of(start.replies, start.state)
            if shown is None or not offers_way_out(shown, buttons_of(start.replies)):
                failures.append(self._failure("bare_start", f"/start after {replies[-1].key!r} shows {shown}", ""))
            return failures
        if not offers_way_out(screen, buttons):
            failures.append(
                self._failure("no_way_out", f"no way out of {screen.key!r}", f"buttons: {[b.label for b in buttons]}")
            )
        if back and len(self.history) >= 2 and screen != self.history[-2]:
            failures.append(
                self._failure(
                    "back",
                    f"back from {self.history[-1].key!r} went to {screen.key!r} instead of {self.history[-2].key!r}"
                    + (UNBUTTONED if self.unbuttoned_back else ""),
                    f"from {self.history[-1]} expected {self.history[-2]}, got {screen}",
                )
            )
        if restart and before is not None and screen != before:
            failures.append(self._failure("restart", f"restart on {before.key!r} showed {screen.key!r}", ""))
        try:
            probe = self._handle(roundtrip(state), CommandEvent("resume"))
            resumed = screen_of(probe.replies, probe.state)
        except Exception as exc:
            failures.append(self._failure("exception", f"{type(exc).__name__} at {_location(exc)} (on resume)", ""))
            return failures
        if resumed != screen:
            failures.append(
                self._failure("restart", f"restart on {screen.key!r} showed {resumed.key if resumed else None!r}", "")
            )
        return failures

    def _render(self, replies: list[Reply]) -> list[Failure]:
        tr = translator(self.driver.state.lang)
        try:
            for reply in replies:
                render(reply, self.driver.content, self.driver.now, tr)
                for row in reply.buttons:
                    for button in row:
                        button_label(button, self.driver.content, tr)
        except Exception as exc:
            return [self._failure("render", f"{type(exc).__name__} at {_location(exc)}", repr(exc))]
        return []

    def _failure(self, kind: str, signature: str, detail: str) -> Failure:
        failure = Failure(kind, signature, detail, tuple(self.actions), self.lang, self.now)
        return failure


def _args_key(button: Button) -> str:
    return json.dumps(button.args, sort_keys=True, ensure_ascii=False, default=str)


def _file_event(sample: tuple[str, int | None, bytes]) -> FileEvent:
    name, size, content = sample
    return FileEvent(name=name, size=len(content) if size is None else size, content=content)


def new_walker(world: World, chooser: Chooser, *, render: bool = True) -> Walker:
    """A walk's start: a language, a clock (mostly inside a window) and eagerness drawn (the first action is then /start)."""
    clocks = pick(chooser, [world.inside, world.clocks], [3, 1])
    lang, now = pick(chooser, LANGUAGES), pick(chooser, clocks)
    return Walker(world, lang, now, render=render, eager=chooser.index([1, 1]) == 1)


START = Send(CommandEvent("start"))


def reproduces(world: World, failure: Failure, actions: Sequence[Action]) -> bool:
    """Whether ``actions`` end in a failure with the same signature (on their last step)."""
    walker = Walker(world, failure.lang, failure.now, render=True)
    found: list[Failure] = []
    for action in actions:
        found = walker.apply(action)
    return any(f.signature == failure.signature for f in found)


def shorten(world: World, failure: Failure, budget_seconds: float = 5.0) -> tuple[Action, ...]:
    """A shorter sequence of actions ending in the same failure: chunks removed while it still reproduces
    (delta debugging, within a time budget)."""
    actions = list(failure.actions)
    deadline = time.perf_counter() + budget_seconds
    chunk = max(1, len(actions) // 2)
    while chunk >= 1 and time.perf_counter() < deadline:
        start, removed = 0, False
        while start < len(actions) - 1 and time.perf_counter() < deadline:
            trial = actions[:start] + actions[start + chunk :]
            if trial and trial[-1] == actions[-1] and reproduces(world, failure, trial):
                actions, removed = trial, True
            else:
                start += chunk
        if not removed:
            chunk //= 2
    return tuple(actions)
