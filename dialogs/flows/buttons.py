"""The applicant's button payloads, one typed class per kind of press (see :mod:`dialogs.callbacks`).

Buttons on a conversation screen are :class:`MenuBound`: they carry the number of
the message that showed them, so a press on an older message is recognised as
expired. Buttons on notifications sent outside the conversation carry a
submission reference instead (:class:`Notice`), and stay valid until the
submission moves on. Staff buttons are the review engine's, not these.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dialogs.callbacks import SEPARATOR, CallbackData


class MenuItem(enum.StrEnum):
    """What the main menu (and a few onward buttons elsewhere) opens."""

    FIND = "find"
    CHECK = "check"
    INFO = "info"
    APPLY = "apply"
    MINE = "mine"
    LANGUAGE = "lang"
    HELP = "help"


class Intent(enum.StrEnum):
    """A topic of a program's information menu."""

    DEADLINE = "deadline"
    CONTACT = "contact"
    DOCUMENTS = "documents"
    BENEFIT = "benefit"
    QUOTA = "quota"
    APPLY = "apply"
    ELIGIBILITY = "eligibility"


class ContactField(enum.StrEnum):
    NAME = "name"
    PHONE = "phone"
    EMPLOYER = "employer"


class Lang(enum.StrEnum):
    ZH = "zh"
    EN = "en"
    UG = "ug"


class NoticeAction(enum.StrEnum):
    AMEND = "amend"
    MINE = "mine"
    MENU = "menu"


class FollowAction(enum.StrEnum):
    """What a button on a follower's notification starts (see :class:`Follow`)."""

    APPLY = "apply"
    CHECK = "check"
    CONTINUE = "go"


@dataclass(frozen=True)
class MenuBound(CallbackData):
    """A button of one conversation message: ``menu`` is that message's number."""

    menu: int

    def unbound(self, data: str) -> str:
        """``data`` (this payload packed) as it reads bound to no message (menu 0): what a screen offers,
        whichever message showed it. The menu is the first field, packed right after the prefix."""
        head = f"{self.prefix}{SEPARATOR}{self.menu}"
        return f"{self.prefix}{SEPARATOR}0{data[len(head) :]}"


# ---- handled by the driver on every screen


@dataclass(frozen=True)
class Back(MenuBound):
    prefix = "b"


@dataclass(frozen=True)
class Home(MenuBound):
    prefix = "h"


@dataclass(frozen=True)
class Open(MenuBound):
    prefix = "o"
    item: MenuItem


@dataclass(frozen=True)
class AskStaff(MenuBound):
    prefix = "as"


# ---- handled by the step whose screen shows them


@dataclass(frozen=True)
class PickProgram(MenuBound):
    prefix = "p"
    program: str


@dataclass(frozen=True)
class PickTrack(MenuBound):
    prefix = "t"
    track: str


@dataclass(frozen=True)
class Topic(MenuBound):
    prefix = "i"
    intent: Intent


@dataclass(frozen=True)
class CheckHere(MenuBound):
    prefix = "ck"


@dataclass(frozen=True)
class ApplyHere(MenuBound):
    prefix = "ap"


@dataclass(frozen=True)
class Value(MenuBound):
    """An answer to the question on screen, as the fact's value (``1``/``0`` for yes/no)."""

    prefix = "v"
    value: str


@dataclass(frozen=True)
class Skip(MenuBound):
    """ "I don't know" to the question on screen."""

    prefix = "sk"


@dataclass(frozen=True)
class ChangeFact(MenuBound):
    prefix = "f"
    fact: str


@dataclass(frozen=True)
class EditFacts(MenuBound):
    prefix = "ef"


@dataclass(frozen=True)
class Notify(MenuBound):
    prefix = "n"


@dataclass(frozen=True)
class Sector(MenuBound):
    prefix = "sec"
    sector: str


@dataclass(frozen=True)
class NextDocument(MenuBound):
    prefix = "nx"


@dataclass(frozen=True)
class SkipDocument(MenuBound):
    prefix = "sd"


@dataclass(frozen=True)
class Confirm(MenuBound):
    prefix = "c"


@dataclass(frozen=True)
class EditContact(MenuBound):
    prefix = "e"
    field: ContactField


@dataclass(frozen=True)
class ReplaceDocument(MenuBound):
    prefix = "d"
    item: str


@dataclass(frozen=True)
class Cancel(MenuBound):
    prefix = "cn"


@dataclass(frozen=True)
class AmendItem(MenuBound):
    prefix = "am"
    index: int


@dataclass(frozen=True)
class AmendDone(MenuBound):
    prefix = "ad"


@dataclass(frozen=True)
class AmendSend(MenuBound):
    prefix = "sn"


@dataclass(frozen=True)
class Forget(MenuBound):
    prefix = "fg"


@dataclass(frozen=True)
class ChooseLanguage(MenuBound):
    prefix = "l"
    lang: Lang


@dataclass(frozen=True)
class AnswerFor(MenuBound):
    """A program picked after an ambiguous free question: answer the question for it."""

    prefix = "aq"
    program: str


@dataclass(frozen=True)
class MoreAbout(MenuBound):
    prefix = "mo"
    program: str


@dataclass(frozen=True)
class More(MenuBound):
    """The next message of a screen too long for one (an answer, a topic of a program): ``page`` counts from 0."""

    prefix = "mr"
    page: int


# ---- on notifications, bound to a submission rather than to a message


@dataclass(frozen=True)
class Notice(CallbackData):
    prefix = "x"
    action: NoticeAction
    reference: str | None = None


@dataclass(frozen=True)
class Follow(CallbackData):
    """A button on a message to a program's followers (a round opened, a deadline is near): bound to the
    program, not to a menu, so it works days later; what it names may be gone by then, and the press
    is answered from the content in force (:mod:`dialogs.flows.follow`)."""

    prefix = "fw"
    action: FollowAction
    program: str
    track: str | None = None


#: Every applicant payload class, for :func:`dialogs.callbacks.parse`.
ALL: tuple[type[CallbackData], ...] = (
    Back,
    Home,
    Open,
    AskStaff,
    PickProgram,
    PickTrack,
    Topic,
    CheckHere,
    ApplyHere,
    Value,
    Skip,
    ChangeFact,
    EditFacts,
    Notify,
    Sector,
    NextDocument,
    SkipDocument,
    Confirm,
    EditContact,
    ReplaceDocument,
    Cancel,
    AmendItem,
    AmendDone,
    AmendSend,
    Forget,
    ChooseLanguage,
    AnswerFor,
    MoreAbout,
    More,
    Notice,
    Follow,
)

#: Notification buttons sent before payloads were typed (``x:mine`` had no reference field): still in chats.
LEGACY = {"x:mine": Notice(NoticeAction.MINE).pack(), "x:menu": Notice(NoticeAction.MENU).pack()}
