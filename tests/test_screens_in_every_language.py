"""Every screen of the applicant's journey, and every staff message, in Chinese, English and Uyghur.

The same journey (find a program, read about each program, check eligibility for
every track, apply with documents, fix an answer, submit, see the status, get a
return from staff and send documents again, ask staff, delete one's data, and
the usual mistakes on the way) is driven in each language by button *data*, so
it does not depend on any wording. Every message and button label it shows is
then checked:

- every catalog message it used exists in that language's catalog (no silent
  fallback to the msgid or to Chinese);
- no ``{placeholder}`` is left unfilled;
- an English or Uyghur screen holds no Chinese, except proper names: people's
  names, the clause marks that cite the Chinese notices (``§二(一)``) and the
  name of the Chinese language on the language buttons;
- a Uyghur screen holds no leftover English sentence, and every line opens with
  a right-to-left mark (see :mod:`dialogs.bidi`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel

from bot.i18n import BabelTranslator, catalog
from dialogs.bidi import RLM, strip_marks
from dialogs.callbacks import parse
from dialogs.events import ChoiceEvent, CommandEvent, FileEvent, Reply, TextEvent
from dialogs.flows import buttons
from dialogs.flows.buttons import MenuItem, Open
from dialogs.i18n import LANGUAGE_NAMES
from dialogs.loader import Content
from dialogs.render import button_label, render, render_composed
from dialogs.state import State
from tests.engine_driver import Driver

BEIJING = ZoneInfo("Asia/Shanghai")
INSIDE_AID_WINDOW = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
TODAY = dt.datetime(2026, 11, 21, 12, 0, tzinfo=BEIJING)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
LANGS = ("zh", "en", "ug")

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
#: Three English words in a row: an untranslated sentence in a Uyghur screen.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}\b(?:[ ,]+\b[A-Za-z]{2,}\b){2,}")
LATIN_TOKENS = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+|\S+\.(?:pdf|png|jpg|jpeg|docx?|xlsx?|txt|com|cn)\b|/[a-z_]+", re.IGNORECASE
)

#: What the applicant types, in the language of the journey (never Chinese outside the Chinese one).
TYPED = {
    "zh": {
        "name": "李明",
        "employer": "浙江大学",
        "question": "援疆项目什么时候截止？",
        "question2": "联系人是谁",
        "long_question": "山西特贴的申报条件",
        "off_topic": "食堂几点开门",
        "staff_question": "我的单位不在名单上，怎么办？",
        "comment": "请补充盖章的推荐表。",
        "answer": "请联系所在单位人事处。",
    },
    "en": {
        "name": "Li Ming",
        "employer": "Zhejiang University",
        "question": "When is the deadline of the aid plan?",
        "question2": "who is the contact",
        "long_question": "What are the requirements of the Shanxi allowance?",
        "off_topic": "when does the canteen open",
        "staff_question": "My unit is not on the list, what should I do?",
        "comment": "Please add the stamped recommendation form.",
        "answer": "Please ask your unit's HR office.",
    },
    "ug": {
        "name": "ئەخمەت ئابدۇللا",
        "employer": "شىنجاڭ ئۇنىۋېرسىتېتى",
        "question": "ياردەم پروگراممىسىنىڭ ئاخىرقى مۇددىتى قاچان؟",
        "question2": "ئالاقىلاشقۇچى كىم",
        "long_question": "شەنشى ئالاھىدە تولۇقلىمىسىنىڭ شەرتلىرى نېمە",
        "off_topic": "ئاشخانا قاچان ئېچىلىدۇ",
        "staff_question": "ئورنىمىز تىزىملىكتە يوق، قانداق قىلىمەن؟",
        "comment": "تامغا بېسىلغان تەۋسىيە جەدۋىلىنى قوشۇڭ.",
        "answer": "ئورنىڭىزنىڭ كادىرلار بۆلۈمىدىن سوراڭ.",
    },
}

#: Answers that make the flexible-expert track of the aid plan eligible (fact → value id).
EXPERT = {
    "region": "other",
    "civil_servant": "0",
    "in_key_program": "0",
    "applying_elsewhere": "0",
    "agreement_signed": "1",
    "title": "senior",
    "education": "doctorate",
}


class CheckingTranslator(BabelTranslator):
    """The real translator, noting every message its catalog does not have."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.known = catalog(lang)._catalog  # type: ignore[attr-defined]  # gettext's message table is private, not in typeshed
        self.missing: set[str] = set()

    def gettext(self, message: str) -> str:
        if message not in self.known:
            self.missing.add(message)
        return super().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in self.known:
            self.missing.add(singular)
        return super().ngettext(singular, plural, n)


@dataclass
class Screen:
    where: str
    text: str
    labels: list[str]
    #: Each message of the screen on its own (a channel sends them one by one): what reply lengths measure.
    messages: list[str] = field(default_factory=list)


@dataclass
class Journey:
    content: Content
    lang: str
    now: dt.datetime
    tr: CheckingTranslator = field(init=False)
    driver: Driver = field(init=False)
    screens: list[Screen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tr = CheckingTranslator(self.lang)
        self.driver = Driver(self.content, self.now, state=State(lang=self.lang))

    # -------------------------------------------------------------- driving

    def _record(self, where: str) -> None:
        replies: list[Reply] = self.driver.replies
        messages = [render(r, self.content, self.driver.now, self.tr) for r in replies]
        labels = [button_label(b, self.content, self.tr) for r in replies for row in r.buttons for b in row]
        self.screens.append(Screen(where, "\n".join(messages), labels, messages))

    def command(self, name: str, args: str = "") -> None:
        self.driver.send(CommandEvent(name, args))
        self._record(f"/{name}")

    def text(self, text: str) -> None:
        self.driver.send(TextEvent(text))
        self._record(f"text {text!r}")

    def upload(self, name: str, content: bytes) -> None:
        self.driver.send(FileEvent(name=name, size=len(content), content=content))
        self._record(f"upload {name}")

    def actions(self) -> list[str]:
        return [action_of(data) for _label, data in self.driver.buttons()]

    def tap(self, action: str) -> None:
        """Press the button whose action (its data without the menu number) is ``action``."""
        for _label, data in self.driver.buttons():
            if action_of(data) == action:
                self.driver.send(ChoiceEvent(data))
                self._record(f"tap {action}")
                return
        raise AssertionError(f"no button {action!r} in {self.actions()} ({self.lang}, step {self.driver.state.step})")

    def answer_questions(self, preferred: dict[str, str], typed: dict[str, list[str]] | None = None) -> None:
        """Answer until the questions end: ``preferred`` values by button, ``typed`` attempts in turn
        (wrong ones first, to see the refusals), a number where one is expected, else "I don't know"."""
        attempts = {fact: list(values) for fact, values in (typed or {}).items()}
        asked: dict[str, int] = {}
        while self.driver.state.step == "question":
            fact = self.driver.state.question
            asked[fact] = asked.get(fact, 0) + 1
            assert asked[fact] < 6, f"{fact} asked again and again ({self.lang})"
            wanted = f"v:{preferred.get(fact)}"
            if attempts.get(fact):
                self.text(attempts[fact].pop(0))
            elif wanted in self.actions():
                self.tap(wanted)
            elif self.driver.replies[-1].expects and asked[fact] == 1:
                self.text("45" if fact == "age" else "3")
            else:
                self.tap("skip")


#: The journey's short names for the buttons' payload classes (the menu number left out).
ACTIONS: dict[type[buttons.MenuBound], str] = {
    buttons.Back: "back",
    buttons.Home: "menu",
    buttons.AskStaff: "ask_staff",
    buttons.Skip: "skip",
    buttons.CheckHere: "check_here",
    buttons.ApplyHere: "apply_here",
    buttons.EditFacts: "edit_facts",
    buttons.Notify: "notify",
    buttons.NextDocument: "next",
    buttons.SkipDocument: "skip_doc",
    buttons.Confirm: "confirm",
    buttons.Cancel: "cancel",
    buttons.AmendDone: "am_done",
    buttons.AmendSend: "am_send",
    buttons.Forget: "forget",
    buttons.PickProgram: "p",
    buttons.PickTrack: "t",
    buttons.Topic: "i",
    buttons.Value: "v",
    buttons.ChangeFact: "f",
    buttons.Sector: "sec",
    buttons.EditContact: "edit",
    buttons.ReplaceDocument: "doc",
    buttons.AmendItem: "am",
    buttons.ChooseLanguage: "l",
    buttons.AnswerFor: "aq",
    buttons.MoreAbout: "aq_more",
    buttons.More: "more",
}


def action_of(data: str) -> str:
    """A button's typed payload as the journey names it: ``find``, ``p:<program>``, ``v:1`` …"""
    press = parse(data, *buttons.ALL)
    if isinstance(press, Open):
        return str(press.item)
    assert isinstance(press, buttons.MenuBound), data
    fields = [str(getattr(press, f.name)) for f in dataclasses.fields(press) if f.name != "menu"]
    return ":".join([ACTIONS[type(press)], *fields])


def walk_journey(content: Content, lang: str) -> Journey:
    typed = TYPED[lang]
    j = Journey(content, lang, INSIDE_AID_WINDOW)
    j.command("start")
    j.command("help")
    j.tap("menu") if "menu" in j.actions() else j.command("start")

    # information on every program, every topic
    for program in content.programs:
        j.tap("info")
        j.tap(f"p:{program.id}")
        topics = [a for a in j.actions() if a.startswith("i:")]
        for topic in topics:
            j.tap(topic)
            j.tap("back")
        j.tap("menu")

    # which program fits me: answer everything we are asked, some typed, some skipped
    j.tap("find")
    j.answer_questions(EXPERT)
    j.tap("menu")

    # check every track of every program, knowing little: every requirement listed; a birth date
    # that does not exist and an age that is no number are refused on the way
    bad_dates = ["1980年2月30日" if lang == "zh" else "1980-02-30", "abc", "1980-05-03"]
    for program in content.programs:
        for track in program.tracks:
            j.tap("check")
            j.tap(f"p:{program.id}")
            if f"t:{track.id}" in j.actions():
                j.tap(f"t:{track.id}")
            j.answer_questions({}, {"age": list(bad_dates)})
            j.tap("menu")

    # apply, with the usual mistakes on the way
    j.tap("apply")
    j.tap("p:xj-aid-talent-2023b2")
    j.tap("t:flexible-expert")
    j.answer_questions(EXPERT, {"months_in_xj_per_year": ["三个月左右" if lang == "zh" else "about three", "3"]})
    j.text(typed["name"])
    j.text("12345")  # not a phone number
    j.text("139 1234 567")  # a digit short
    j.text("139 1234 5678")
    j.text(typed["employer"])
    j.tap("sec:health")
    j.upload("virus.exe", b"MZ\x90\x00")  # not a document type
    j.upload("form-page1.pdf", PDF)
    j.upload("form-page1.pdf", PDF)  # the same file twice
    j.driver.send(FileEvent(name="album-1.png", size=len(PNG), content=PNG))
    j._record("upload album-1.png")
    j.tap("next")
    j.tap("skip_doc")
    j.tap("edit:phone")
    j.text("3689692")  # a landline without its area code
    j.text("0991-3689692")
    j.tap("edit_facts")
    j.tap("f:months_in_xj_per_year")
    j.text("4")
    j.tap("confirm")
    j.tap("mine")

    # staff return it with a comment; the applicant sends a document again from the notification's button
    [submission] = j.driver.submissions.values()
    j.driver.decisions[submission.reference] = ("returned", typed["comment"])
    j.tap("menu")
    j.tap("mine")
    j.driver.send_choice(f"x:amend:{submission.reference}")
    j._record("x:amend")
    j.tap("am:0")
    j.upload("stamped-form.pdf", PDF + b"%stamped\n")
    j.tap("am_done")
    j.tap("am_send")
    j.command("start")

    # free questions, one the notices do not answer, and one passed on to staff
    j.text(typed["question"])
    j.text(typed["question2"])
    j.text(typed["long_question"])  # an answer longer than one message: its rest behind "More"
    j.tap("more:1")
    j.text("9")  # a button number the screen does not have
    j.text(typed["off_topic"])
    if "ask_staff" in j.actions():
        j.tap("ask_staff")
    j.text(typed["staff_question"])
    if "ask_staff" in j.actions():
        j.tap("ask_staff")
    if j.driver.questions:
        first = j.driver.questions[0]
        j.driver.questions[0] = type(first)(
            first.text, first.program, first.office, first.asked_at, typed["answer"], j.now
        )
    j.command("status")

    # an old button, an unknown command, the language menu
    j.driver.send(ChoiceEvent(Open(1, MenuItem.FIND).pack()))
    j._record("an old button")
    j.command("nosuchcommand")
    j.command("language")
    j.tap(f"l:{lang}")

    # a closed window, and asking to hear of the next round
    j.driver.now = TODAY
    j.command("apply")
    j.tap("p:sx-state-allowance-2023")
    if j.driver.state.step == "pick_track":
        j.tap(j.actions()[0])
    j.answer_questions({})
    j.tap("notify")
    j.command("programs")
    j.tap("p:xj-regional-allowance")
    j.tap("i:deadline")

    # delete my data
    j.command("delete_my_data")
    j.tap("forget")
    return j


def staff_messages(content: Content, lang: str, tr: BabelTranslator) -> Iterator[Screen]:
    """What staff (in a chat of this language) and applicants read outside the conversation."""
    typed = TYPED[lang]
    submission = {
        "reference": "XJ-20230610-0001",
        "program": "xj-aid-talent-2023b2",
        "track": "flexible-expert",
        "contact": {"name": typed["name"], "phone": "13912345678", "employer": typed["employer"], "sector": "health"},
        "facts": {"region": "other", "title": "senior"},
        "verdict": "eligible",
        "created_at": INSIDE_AID_WINDOW,
        "documents": {"form": [{"original_name": "form-page1.pdf"}]},
    }
    for kind in ("new_submission", "resubmitted"):
        yield Screen(
            f"@staff_submission {kind}",
            render_composed("@staff_submission", {**submission, "kind": kind}, content, TODAY, tr),
            [],
        )
    for status in ("accepted", "returned", "more_requested"):
        decision = {"status": status, "who": "王老师", "at": TODAY, "comment": typed["comment"]}
        yield Screen(f"@staff_decision {status}", render_composed("@staff_decision", decision, content, TODAY, tr), [])
        update = {
            "status": status,
            "comment": typed["comment"],
            "program": "xj-aid-talent-2023b2",
            "track": "flexible-expert",
            "reference": "XJ-20230610-0001",
        }
        yield Screen(
            f"@applicant_update {status}", render_composed("@applicant_update", update, content, TODAY, tr), []
        )
    yield Screen(
        "@staff_withdrawn",
        render_composed("@staff_withdrawn", {"reference": "XJ-20230610-0001"}, content, TODAY, tr),
        [],
    )
    question = {
        "reference": "Q-7",
        "asker": typed["name"],
        "program": "xj-aid-talent-2023b2",
        "office": "health-aid-office",
        "asked_at": TODAY,
        "question": typed["staff_question"],
    }
    yield Screen("@staff_question", render_composed("@staff_question", question, content, TODAY, tr), [])
    answer = {
        "program": "xj-aid-talent-2023b2",
        "office": "health-aid-office",
        "question": typed["staff_question"],
        "answer": typed["answer"],
    }
    yield Screen("@question_answer", render_composed("@question_answer", answer, content, TODAY, tr), [])


def proper_names(content: Content) -> list[str]:
    """Chinese that may stand in any language: people's names, clause marks of the notices, 中文."""
    names: set[str] = set(LANGUAGE_NAMES.values())
    for program in content.programs:
        for contact in program.contacts:
            names.update(contact.names)

    def clauses(model: object) -> Iterator[str]:
        if isinstance(model, str):
            if model.startswith("§"):
                yield from (part.strip() for part in model.split("、"))
        elif isinstance(model, BaseModel):
            for name in type(model).model_fields:
                yield from clauses(getattr(model, name))
        elif isinstance(model, (tuple, list)):
            for item in model:
                yield from clauses(item)
        elif isinstance(model, dict):
            for item in model.values():
                yield from clauses(item)

    for program in content.programs:
        names.update(clauses(program))
        # a website's section, quoted as the Chinese site shows it ("section [少数民族特培]")
        for step in program.apply:
            names.update(re.findall(r"\[[^\]]*\]", step.text.zh))
    names.update(("王老师",))  # the staff member's name in the staff messages above
    return sorted(names, key=len, reverse=True)


@pytest.fixture(scope="module")
def journeys(content) -> dict[str, Journey]:
    return {lang: walk_journey(content, lang) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_the_journey_reaches_every_part_of_the_bot(journeys, lang):
    screens = journeys[lang].screens
    where = " ".join(s.where for s in screens)
    for part in (
        "tap i:deadline",
        "tap i:documents",
        "tap i:contact",
        "tap confirm",
        "tap mine",
        "tap sec:health",
        "tap am_send",
        "tap forget",
        "tap notify",
        "tap more:1",
    ):
        assert part in where, f"the {lang} journey never did {part}"
    assert len(screens) > 120


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_journey_is_in_the_catalog(journeys, lang):
    assert not journeys[lang].tr.missing, f"not in locales/{lang}: {sorted(journeys[lang].tr.missing)}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_placeholder_is_left_unfilled(content, journeys, lang):
    journey = journeys[lang]
    for screen in [*journey.screens, *staff_messages(content, lang, journey.tr)]:
        for line in [screen.text, *screen.labels]:
            assert not PLACEHOLDER.search(line), f"{lang} {screen.where}: {line!r}"


@pytest.mark.parametrize("lang", ["en", "ug"])
def test_english_and_uyghur_screens_hold_no_chinese_but_proper_names(content, journeys, lang):
    journey = journeys[lang]
    allowed = proper_names(content)
    leaks = []
    for screen in [*journey.screens, *staff_messages(content, lang, journey.tr)]:
        for line in [*strip_marks(screen.text).split("\n"), *map(strip_marks, screen.labels)]:
            rest = line
            for name in allowed:
                rest = rest.replace(name, "")
            if CJK.search(rest):
                leaks.append(f"{screen.where}: {line}")
    assert not leaks, f"{len(leaks)} {lang} lines with Chinese:\n" + "\n".join(sorted(set(leaks))[:40])


def test_uyghur_screens_hold_no_english_sentence(content, journeys):
    journey = journeys["ug"]
    leaks = []
    for screen in [*journey.screens, *staff_messages(content, "ug", journey.tr)]:
        for line in [*strip_marks(screen.text).split("\n"), *map(strip_marks, screen.labels)]:
            if ENGLISH_RUN.search(LATIN_TOKENS.sub(" ", line)):
                leaks.append(f"{screen.where}: {line}")
    assert not leaks, f"{len(leaks)} Uyghur lines with English:\n" + "\n".join(sorted(set(leaks))[:40])


def test_every_uyghur_line_is_laid_out_right_to_left(content, journeys):
    journey = journeys["ug"]
    for screen in [*journey.screens, *staff_messages(content, "ug", journey.tr)]:
        for line in screen.text.split("\n"):
            assert not line.strip() or line.startswith(RLM), f"{screen.where}: {line!r}"


def test_chinese_and_english_screens_carry_no_direction_marks(content, journeys):
    for lang in ("zh", "en"):
        for screen in journeys[lang].screens:
            assert strip_marks(screen.text) == screen.text, f"{lang} {screen.where}"
