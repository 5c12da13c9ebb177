"""One event being handled: the working copy of the state, what it says, and the navigation trail.

Navigation is a stack of the screens shown going forward (``State.trail``),
each entry with the step, the flow, program and track it was shown for, and the
few arguments its screen needs to be drawn again. :meth:`Turn.go` shows a step and pushes it; :meth:`Turn.redraw`
shows the top again (restart, expired button, a message that did not fit);
:meth:`Turn.back` pops it and shows the screen before, after that step's undo
hook; :meth:`Turn.home` empties the trail to the menu.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from dialogs import inputs
from dialogs.callbacks import MAX_BYTES, SEPARATOR, CallbackData, CallbackError, parse
from dialogs.events import Button, Effect, Reply
from dialogs.flows.buttons import ALL, MenuBound, More
from dialogs.flows.model import REGISTRY, Args, Step, Unavailable
from dialogs.i18n import N_
from dialogs.loader import Content
from dialogs.memo import Memo
from dialogs.render import PAGED, composed_pages
from dialogs.schema_program import Program, Track
from dialogs.state import State

if TYPE_CHECKING:
    from dialogs.flows.context import Context

#: The trail keeps this many screens; older ones are forgotten (Back then falls back to each step's ``back``).
TRAIL_LIMIT = 40


@dataclass(frozen=True)
class Payload:
    """A button's payload packed once, bound to a message by putting the message's number in.

    A screen is drawn at nearly every event and its buttons are the same from one drawing to the next
    but for that number: packing each payload anew (building it, encoding every field) cost more than
    the rest of drawing a menu."""

    prefix: str
    #: For a payload bound to a message (:class:`MenuBound`): what follows its number; else the whole data.
    tail: str
    bound: bool
    #: The data as it reads bound to no message (menu 0): what :func:`signature` compares.
    unbound: str

    #: For a bound payload: what comes before the message's number, and how many bytes the data holds
    #: but for that number (its digits: a byte each), worked out once rather than at every binding.
    head: str = ""
    fixed: int = 0

    def data(self, menu: int) -> str:
        """The button's data on message ``menu``."""
        return self.bind(str(menu)) if self.bound else self.tail

    def bind(self, menu: str) -> str:
        """The data of a bound payload on message number ``menu`` (its digits)."""
        if self.fixed + len(menu) > MAX_BYTES:
            data = f"{self.head}{menu}{self.tail}"
            raise CallbackError(f"{self.prefix} packs to more than {MAX_BYTES} bytes: {data!r}")
        return self.head + menu + self.tail


def payload(cls: type[CallbackData], fields: Mapping[str, Any]) -> Payload:
    """``cls`` with ``fields`` (and a message number, for a :class:`MenuBound` class), packed once."""
    # with each value's type: 1 and True (or 1.0) are equal keys but need not pack alike
    key = (cls, tuple(fields.items()), tuple(map(type, fields.values())))
    found = _PAYLOADS.get(key)
    if found is None:
        if issubclass(cls, MenuBound):
            unbound = cls(menu=0, **fields).pack()
            head = f"{cls.prefix}{SEPARATOR}"
            tail = unbound[len(head) + 1 :]
            found = Payload(cls.prefix, tail, True, unbound, head, len(head.encode()) + len(tail.encode()))
        else:
            data = cls(**fields).pack()
            found = Payload(cls.prefix, data, False, data)
        _PAYLOADS.put(key, found)
    return found


_PAYLOADS: Memo[Hashable, Payload] = Memo(4_096)


class Key(NamedTuple):
    """A button before it is bound to its message: the label and its payload (a tuple: screens make
    many of them at every drawing)."""

    label: str
    payload: Payload
    args: dict[str, Any]
    literal: bool = False


def B(label: str, cls: type[CallbackData], **fields: Any) -> Key:  # noqa: N802 - reads like a constructor
    """A button with a catalog label (a msgid) and a payload of class ``cls``."""
    if not fields:  # Back, Main menu, I don't know…: the same key on every screen
        key = _PLAIN.get((label, cls))
        if key is None:
            key = _PLAIN[(label, cls)] = Key(label, payload(cls, fields), {})
        return key
    return Key(label, payload(cls, fields), {})


#: Buttons without fields by label and class: a few dozen, fixed by the code.
_PLAIN: dict[tuple[str, type[CallbackData]], Key] = {}


def content_button(label: str, args: dict[str, Any], cls: type[CallbackData], **fields: Any) -> Key:
    """A button labelled by a composer (``@program_title`` …) from content ``args``."""
    return Key(label, payload(cls, fields), args)


def literal(text: str, cls: type[CallbackData], **fields: Any) -> Key:
    """A button whose label is shown as is (a language's own name)."""
    return Key(text, payload(cls, fields), {}, literal=True)


Rows = list[list[Key]]


class Turn:
    """The working copy of one event's state and what the event produces."""

    def __init__(self, state: State, content: Content, now: dt.datetime, ctx: Context):
        self.state = state.clone()
        self.content = content
        self.now = now
        self.ctx = ctx
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._bumped = False
        #: What each reply with buttons offers to press, by the reply's identity (see :func:`signature`),
        #: noted as its buttons are bound rather than parsed back from their data.
        self._pressable: dict[int, list[Pressable]] = {}
        #: The message of a long screen to show (see :meth:`show`), from the trail entry being drawn.
        self._page = 0

    # ---- output

    def say(self, key: str, buttons: Rows | None = None, *, expects: str | None = None, **args: Any) -> None:
        """A reply; buttons are bound to a new message number (older messages' buttons expire)."""
        rows: tuple[tuple[Button, ...], ...] = ()
        if buttons:
            if not self._bumped:
                self.state.menu += 1
                self._bumped = True
            menu = str(self.state.menu)
            # Payload.bind inlined for the payloads that fit (all but a broken one, which bind refuses):
            # a screen binds five buttons on average at every drawing
            room = MAX_BYTES - len(menu)
            bound: list[tuple[Button, ...]] = []
            pressable: list[Pressable] = []
            for row in buttons:
                made = []
                for label, p, given, literal in row:
                    if p.bound:
                        data = p.head + menu + p.tail if p.fixed <= room else p.bind(menu)
                        pressable.append((label, given, literal, p.unbound))
                    else:
                        data = p.tail
                    made.append(Button(label, data, given, literal))
                bound.append(tuple(made))
            rows = tuple(bound)
        reply = Reply(key, args, rows, expects)
        if rows:
            self._pressable[id(reply)] = pressable
        self.replies.append(reply)

    def show(self, composer: str, buttons: Rows | None = None, *, expects: str | None = None, **args: Any) -> None:
        """A composed reply (``@name``, built by :mod:`dialogs.render` from the content), not a catalog message.

        A single-topic screen too long for one message is shown one message at a time: the page the
        trail entry asks for, with "More" for the next one above the screen's buttons. How long it is
        depends on the reader's language, so it is measured with the edge's translator; without one
        (a bare :class:`Context`) the screen is shown whole."""
        if composer in PAGED and self.ctx.translator is not None:
            pages = composed_pages(composer, args, self.content, self.now, self.ctx.translator(self.state.lang))
            page = max(0, min(self._page, len(pages) - 1))
            args["page"] = page
            if page + 1 < len(pages):
                label = N_("More ({page} of {pages})")
                more = Key(label, payload(More, {"page": page + 1}), {"page": page + 2, "pages": len(pages)})
                buttons = [[more], *(buttons or [])]
        self.say(composer, buttons, expects=expects, **args)

    def say_n(self, singular: str, plural: str, count: int, **args: Any) -> None:
        """A message with a number in it, in the plural form the reader's language uses for ``count``."""
        self.replies.append(Reply(singular, {**args, "count": count}, (), None, plural))

    def refuse(self, refusal: inputs.Refusal) -> None:
        """Why an answer was not taken: the refusal's message, with its arguments."""
        self.replies.append(Reply(refusal.key, dict(refusal.args)))

    # ---- what the state names, or Unavailable when the content no longer has it

    def program(self) -> Program | None:
        return self.content.find_program(self.state.program)

    def track(self) -> Track | None:
        program = self.program()
        if program is None or not self.state.track_chosen:
            return None
        return next((t for t in program.tracks if t.id == self.state.track), None)

    def need_program(self) -> Program:
        program = self.program()
        if program is None:
            raise Unavailable("no program")
        return program

    def need_track(self) -> tuple[Program, Track]:
        program, track = self.program(), self.track()
        if program is None or track is None:
            raise Unavailable("no track")
        return program, track

    # ---- navigation

    @property
    def top(self) -> dict[str, Any] | None:
        return self.state.trail[-1] if self.state.trail else None

    def entry(self, step: Step, args: Args) -> dict[str, Any]:
        """A trail entry: the step, the arguments of its screen, and the flow, program and track it was
        shown for (a later flow may have changed them; Back and a restart redraw it as it was)."""
        state = self.state
        return {
            "step": str(step),
            "flow": None if state.flow is None else str(state.flow),
            "program": state.program,
            "track": state.track,
            "chosen": state.track_chosen,
            # trail entries are never changed once made (State.clone shares them): a copy of the mapping
            # is enough, what it holds (an earlier entry to return to) is as fixed as this one
            "args": dict(args),
        }

    def go(self, step: Step, *, fresh: bool = False, **args: Any) -> None:
        """Show ``step`` and push it on the trail (once: showing the top again does not push it twice).

        ``fresh`` starts the trail again from the menu: after something Back cannot undo
        (a submission sent, documents sent again), the screens before it are gone."""
        entry = self.entry(step, args)
        trail = self.state.trail
        if step is Step.MENU or fresh:
            trail[:] = [] if step is Step.MENU else [self.entry(Step.MENU, {})]
        if not trail or trail[-1] != entry:
            trail.append(entry)
            del trail[:-TRAIL_LIMIT]
        self._draw(entry)

    def again(self, entry: dict[str, Any]) -> None:
        """Return to a screen shown earlier (where a detour such as "change an answer" began): shown as new."""
        self.restore(entry)
        self.go(Step(entry["step"]), **entry.get("args", {}))

    def redraw(self) -> None:
        """Show the current screen again."""
        top = self.top
        if top is None:
            self.go(Step.MENU)
            return
        self.restore(top)
        self._draw(top)

    def back(self) -> None:
        """Show the screen before this one, undoing what it collected; the step's fallback when none is known."""
        trail = self.state.trail
        if not trail:
            self.go(Step.MENU)
            return
        current = Step(trail.pop()["step"])
        if not trail:
            fallback = REGISTRY[current].back
            if fallback is not Step.MENU:
                trail.append(self.entry(Step.MENU, {}))
            trail.append(self.entry(fallback, {}))
        entry = trail[-1]
        self.restore(entry)
        self.state.step = entry["step"]
        undo = REGISTRY[Step(entry["step"])].undo
        if undo is not None:
            undo(self, entry.get("args", {}))
        self._draw(entry)

    def home(self) -> None:
        """The main menu, with the trail emptied and the current flow ended."""
        self.go(Step.MENU)

    def restore(self, entry: dict[str, Any]) -> None:
        state = self.state
        state.flow = entry.get("flow")
        if "program" in entry:
            state.program, state.track = entry["program"], entry.get("track")
            state.track_chosen = bool(entry.get("chosen"))

    def more(self, page: int) -> None:
        """The next message of the screen on top (its "More" was pressed), pushed like a screen of its own
        so that Back returns to the message before."""
        top = self.top
        if top is None:
            self.go(Step.MENU)
            return
        self.go(Step(top["step"]), **{**top.get("args", {}), "page": page})

    def _draw(self, entry: dict[str, Any]) -> None:
        try:
            self._screen(entry)
        except Unavailable:
            if entry["step"] == Step.MENU:
                raise
            self.go(Step.MENU)

    def _screen(self, entry: dict[str, Any]) -> None:
        """Draw ``entry``'s screen (:class:`Unavailable` when it cannot be) and remember what its buttons were."""
        step = Step(entry["step"])
        self.state.step = step
        page = entry.get("args", {}).get("page")
        self._page = page if isinstance(page, int) and page > 0 else 0
        shown = len(self.replies)
        REGISTRY[step].screen(self, entry.get("args", {}))
        self.state.drawn = signature(self.replies[shown:], self._pressable)

    def probe(self, entry: dict[str, Any]) -> str | None:
        """The :func:`signature` ``entry``'s screen would have if drawn now, or None when it can no longer be
        drawn; on a scratch copy of the state, so nothing is said or changed."""
        scratch = Turn(self.state, self.content, self.now, self.ctx)
        scratch.restore(entry)
        try:
            scratch._screen(entry)
        except Unavailable:
            return None
        return scratch.state.drawn


#: A button as :func:`signature` reads it: label, arguments, literal or not, payload without its menu number.
Pressable = tuple[str, dict[str, Any], bool, str]


def signature(replies: list[Reply], noted: Mapping[int, list[Pressable]] | None = None) -> str:
    """What a screen offers to press, in a form that compares across drawings: each button's label, its
    arguments and its payload without the number of the message it was bound to.

    After admins publish new content, a press on a screen whose signature is unchanged means what it meant
    when the screen was shown; one whose signature changed (an answer, a track or a document added or
    removed) is not taken: the screen is shown again. Texts are left out (they are rendered from the content
    in force whenever they are shown), and so are a notification's buttons, which are bound to a submission
    rather than to the screen (they change with what staff decide, not with the content).

    ``noted``: the buttons of replies as :meth:`Turn.say` bound them, by the reply's identity (a reply not
    in it is read from its buttons' data). A screen's digest is remembered: the same screens are drawn
    over and over, and encoding them was a good part of drawing one."""
    pressable: list[Pressable] = []
    for reply in replies:
        found = noted.get(id(reply)) if noted is not None else None
        pressable += found if found is not None else _pressable(reply)
    key: list[tuple[str, tuple[tuple[str, Any], ...], tuple[type, ...], bool, str]] = []
    for label, args, literal, data in pressable:
        if not args:  # most buttons: a catalog label and a payload
            key.append((label, (), (), literal, data))
            continue
        types = tuple(map(type, args.values()))
        if not _SCALARS.issuperset(types):  # a list, a mapping: not remembered
            return _digest(pressable)
        # with each argument's type, as JSON tells true from 1
        key.append((label, tuple(args.items()), types, literal, data))
    digest = _DIGESTS.get(tuple(key))
    if digest is None:
        digest = _DIGESTS.put(tuple(key), _digest(pressable))
    return digest


def _pressable(reply: Reply) -> list[Pressable]:
    found: list[Pressable] = []
    for row in reply.buttons:
        for button in row:
            press = parse(button.data, *ALL)
            if isinstance(press, MenuBound):
                found.append((button.label, button.args, button.literal, press.unbound(button.data)))
    return found


def _digest(pressable: list[Pressable]) -> str:
    text = json.dumps([list(p) for p in pressable], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


#: Screen digests by what the screen offers (arguments in the order given: a digest per order is harmless).
_DIGESTS: Memo[Hashable, str] = Memo(4_096)
_SCALARS = frozenset({str, int, bool, type(None)})


def arg(args: Args, name: str) -> Any:
    """An argument a screen needs; a trail entry without it (an older state) cannot be drawn."""
    value = args.get(name)
    if value is None:
        raise Unavailable(name)
    return value
