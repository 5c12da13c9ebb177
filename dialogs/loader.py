"""Loading the content: all of it valid, or none of it.

A content root holds ``facts.yaml`` and ``programs/*.yaml``. Loading reads every
file, checks its form (pydantic) and its meaning (:mod:`dialogs.checks`), and
either returns a :class:`Content` or raises :class:`ContentError` listing every
problem as ``file:line: field: message``. Callers that already run with some
content keep it when a reload fails.

Texts name dates, phones and amounts by placeholder (:mod:`dialogs.prose`): the
check refuses prose that types one again or contradicts a field
(:mod:`dialogs.prose_check`), and the loaded content holds every text filled in,
with the files' own form (placeholders and all) kept beside it for diffs and edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from dialogs.memo import PerObject
from dialogs.problems import ContentError, Problem, field_name
from dialogs.schema_facts import FactDef, FactsFile
from dialogs.schema_program import Program, Track
from dialogs.schema_questions import AskFile, FaqFile, GlobalFaq

if TYPE_CHECKING:
    from dialogs.checks import Finding
    from dialogs.quotes import NoticeText
    from dialogs.yamlfile import YamlFile

#: The content shipped with the bot.
SHIPPED = FsPath(__file__).resolve().parent / "content"
FACTS_FILE = "facts.yaml"
PROGRAMS_DIR = "programs"
#: Optional: which Telegram chat each reviewing office reads.
STAFF_FILE = "staff.yaml"
#: Optional: the words free questions are read with (intent cues, regions, stopwords).
ASK_FILE = "ask.yaml"
#: Optional: questions answered across programs or about the bot itself.
FAQ_FILE = "faq.yaml"
#: The notices the programs cite, which every quote is checked against (the shipped ones when absent).
NOTICES_DIR = "notices"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Content:
    """One consistent version of everything the bot says and decides."""

    facts: Mapping[str, FactDef]
    programs: tuple[Program, ...]
    #: A digest of the files it was read from: tells two versions apart.
    version: str
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    #: (program id, contact id) → the Telegram chat where that office reviews submissions.
    staff_chats: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)
    #: How free questions are read; None when the content has no ``ask.yaml`` (names and FAQ still match).
    lexicon: AskFile | None = field(default=None, compare=False)
    #: Questions answered across programs or about the bot (``faq.yaml``); programs hold their own.
    faq: tuple[GlobalFaq, ...] = field(default=(), compare=False)
    #: The programs as their files write them, placeholders unfilled (``programs`` has them filled in):
    #: what a diff compares and a quick edit changes. Empty for content built without files.
    raw_programs: tuple[Program, ...] = field(default=(), compare=False)
    #: ``faq.yaml`` as written, likewise.
    raw_faq: tuple[GlobalFaq, ...] = field(default=(), compare=False)

    def raw_program(self, program_id: str) -> Program | None:
        """The program as its file writes it (``{closes:…}`` and all), or None when there is none by that id."""
        raw = next((p for p in self.raw_programs if p.id == program_id), None)
        return raw if raw is not None or self.raw_programs else self.find_program(program_id)

    def staff_chat(self, program_id: str, contact_id: str | None) -> int | None:
        """The chat of the office, or None when the content names none (the bot's STAFF_CHAT_ID then)."""
        return None if contact_id is None else self.staff_chats.get((program_id, contact_id))

    def program(self, program_id: str) -> Program:
        program = self.find_program(program_id)
        if program is None:
            raise KeyError(program_id)
        return program

    def find_program(self, program_id: str | None) -> Program | None:
        """The program, or None when this version of the content has none by that id (it may have
        been removed since a conversation, a stored question or a submission named it)."""
        return _programs_by_id(self).get(program_id) if program_id else None

    def tracks(self) -> list[tuple[Program, Track]]:
        """Every (program, track) pair, in the stable order of the programs and their tracks."""
        return [(p, t) for p in self.programs for t in p.tracks]


def _first_by_id(content: Content) -> dict[str, Program]:
    found: dict[str, Program] = {}
    for program in content.programs:
        found.setdefault(program.id, program)  # the first of two by one id, as a search in order finds
    return found


#: Each content's programs by id: nearly every event names its program, many screens several times.
_programs_by_id: PerObject[Content, dict[str, Program]] = PerObject(_first_by_id)


def _message(error: Mapping[str, Any]) -> str:
    loc = error.get("loc", ())
    kind = error.get("type", "")
    if kind == "missing":
        if loc and loc[-1] == "zh":
            return "the Chinese (zh) text is required"
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not part of the content schema)"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def read_yaml(file: FsPath, name: str) -> tuple[YamlFile | None, list[Problem]]:
    """:func:`dialogs.yamlfile.read_yaml`, imported on first use, as the checks are below: a bot that
    starts from its content cache reads no YAML and checks nothing, and PyYAML with the checks' modules
    was ~25 ms of its start."""
    from dialogs.yamlfile import read_yaml as read

    return read(file, name)


def _validate(model: type[M], source: YamlFile) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            problems.append(Problem(source.name, source.line_of(loc), field_name(loc), _message(error)))
        return None, problems


def _pinned(source: YamlFile, findings: Iterable[Finding], severity: str = "error") -> list[Problem]:
    return [
        Problem(source.name, source.line_of(path), field_name(path), message, severity) for path, message in findings
    ]


def _display_name(file: FsPath, root: FsPath) -> str:
    try:
        return str(file.relative_to(root.parent))
    except ValueError:
        return str(file)


def load_facts(file: FsPath, name: str) -> tuple[dict[str, FactDef], list[Problem], list[Problem]]:
    """The facts file: ``(facts, errors, warnings)``."""
    source, problems = read_yaml(file, name)
    if source is None:
        return {}, problems, []
    parsed, problems = _validate(FactsFile, source)
    if parsed is None:
        return {}, problems, []
    from dialogs.checks import check_facts, check_texts
    from dialogs.prose import placeholder_findings

    problems = _pinned(source, check_facts(parsed.facts))
    problems += _pinned(source, placeholder_findings(parsed, None))
    warnings = _pinned(source, check_texts(parsed, ()), "warning")
    return {f.id: f for f in parsed.facts}, problems, warnings


def notices_dir(root: FsPath) -> FsPath:
    """Where the notices of a content folder are: its own ``notices/``, or the shipped ones."""
    own = FsPath(root) / NOTICES_DIR
    return own if own.is_dir() else SHIPPED / NOTICES_DIR


def _notice(folder: FsPath, file: str) -> NoticeText | None:
    from dialogs.quotes import read_notice

    path = folder / file
    return read_notice(path) if path.is_file() else None


def _quote_problems(source: YamlFile, findings: Iterable[tuple[Any, str]]) -> tuple[list[Problem], list[Problem]]:
    """Quote findings as ``(errors, warnings)``: every one is refused.

    A statement of the notice without the notice's words (a missing quote), or
    with words the cited clause does not hold, cannot be published: the bot
    says only what the notices say (issue 15); what the office adds is marked
    ``basis: office`` and needs no quote. (While the shipped files were being
    quoted, a missing quote only warned; all of them are quoted now.)
    """
    return _pinned(source, list(findings)), []


def load_program(
    file: FsPath, name: str, facts: Mapping[str, FactDef], notices: FsPath | None = None
) -> tuple[Program | None, list[Problem], list[Problem]]:
    """One program file: ``(program or None, errors, warnings)``; quotes are checked against ``notices``."""
    source, problems = read_yaml(file, name)
    if source is None:
        return None, problems, []
    program, problems = _validate(Program, source)
    if program is None:
        return None, problems, []
    from dialogs.checks import check_program, check_texts
    from dialogs.prose_check import program_findings
    from dialogs.quotes import check_quotes

    errors = _pinned(source, check_program(program, facts))
    errors += _pinned(source, program_findings(program))
    warnings = _pinned(source, check_texts(program, ()), "warning")
    folder = notices if notices is not None else SHIPPED / NOTICES_DIR
    notice = _notice(folder, program.notice.file)
    if notice is None:
        errors += _pinned(source, [(("notice", "file"), f"no such notice in {folder.name}/: {program.notice.file}")])
    quote_errors, quote_warnings = _quote_problems(source, check_quotes(program, notice))
    errors += quote_errors
    warnings += quote_warnings
    return (program if not errors else None), errors, warnings


def load_content(root: FsPath = SHIPPED) -> Content:
    """Load and validate every file under ``root``; raise :class:`ContentError` on any problem."""
    root = FsPath(root)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    digest = hashlib.sha256()

    facts_file = root / FACTS_FILE
    if not facts_file.is_file():
        raise ContentError(
            [Problem(_display_name(facts_file, root), 1, "(file)", "missing: the facts file is required")]
        )
    digest.update(facts_file.read_bytes())
    facts, found, notes = load_facts(facts_file, _display_name(facts_file, root))
    problems += found
    warnings += notes

    program_files = sorted((root / PROGRAMS_DIR).glob("*.yaml"))
    if not program_files:
        problems.append(Problem(_display_name(root / PROGRAMS_DIR, root), 1, "(folder)", "no program files (*.yaml)"))
    programs: list[Program] = []
    first_seen: dict[str, str] = {}
    for file in program_files:
        name = _display_name(file, root)
        digest.update(name.encode() + b"\0" + file.read_bytes())
        program, errors, notes = load_program(file, name, facts, notices_dir(root))
        problems += errors
        warnings += notes
        if program is None:
            continue
        if program.id in first_seen:
            problems.append(
                Problem(name, 1, "id", f"duplicate program id '{program.id}' (also in {first_seen[program.id]})")
            )
            continue
        first_seen[program.id] = name
        programs.append(program)

    staff_chats: dict[tuple[str, str], int] = {}
    staff_file = root / STAFF_FILE
    if staff_file.is_file():
        digest.update(b"staff\0" + staff_file.read_bytes())
        staff_chats, found = load_staff(staff_file, _display_name(staff_file, root), programs)
        problems += found

    lexicon: AskFile | None = None
    ask_file = root / ASK_FILE
    if ask_file.is_file():
        digest.update(b"ask\0" + ask_file.read_bytes())
        lexicon, found = load_lexicon(ask_file, _display_name(ask_file, root))
        problems += found

    faq: tuple[GlobalFaq, ...] = ()
    faq_file = root / FAQ_FILE
    if faq_file.is_file():
        digest.update(b"faq\0" + faq_file.read_bytes())
        faq, found, notes = load_faq(faq_file, _display_name(faq_file, root), programs, notices_dir(root))
        problems += found
        warnings += notes

    if problems:
        raise ContentError(problems)
    from dialogs.prose import render_faq, render_program

    return Content(
        facts=facts,
        programs=tuple(render_program(p) for p in programs),
        version=digest.hexdigest()[:12],
        warnings=tuple(warnings),
        staff_chats=staff_chats,
        lexicon=lexicon,
        faq=render_faq(faq, programs),
        raw_programs=tuple(programs),
        raw_faq=faq,
    )


def load_lexicon(file: FsPath, name: str) -> tuple[AskFile | None, list[Problem]]:
    """``ask.yaml``: the form is all there is to check; a cue made only of wildcards is refused."""
    source, problems = read_yaml(file, name)
    if source is None:
        return None, problems
    parsed, problems = _validate(AskFile, source)
    if parsed is None:
        return None, problems
    findings: list[tuple[tuple[Any, ...], str]] = []
    for intent, kinds in parsed.intents.items():
        for kind in ("asks", "about"):
            for lang in ("zh", "en", "ug"):
                for i, cue in enumerate(getattr(getattr(kinds, kind), lang)):
                    if not cue.replace("*", "").strip():
                        findings.append(
                            (("intents", intent, kind, lang, i), "a cue needs at least one character besides '*'")
                        )
    errors = _pinned(source, findings)
    return (parsed if not errors else None), errors


def load_faq(
    file: FsPath, name: str, programs: Iterable[Program], notices: FsPath | None = None
) -> tuple[tuple[GlobalFaq, ...], list[Problem], list[Problem]]:
    """``faq.yaml``: every source names a program and quotes its notice; the entries' ids differ."""
    source, problems = read_yaml(file, name)
    if source is None:
        return (), problems, []
    if source.data is None:
        return (), [], []
    parsed, problems = _validate(FaqFile, source)
    if parsed is None:
        return (), problems, []
    from dialogs.checks import check_texts
    from dialogs.prose_check import faq_findings
    from dialogs.quotes import item_findings

    known = {p.id: p for p in programs}
    folder = notices if notices is not None else SHIPPED / NOTICES_DIR
    read: dict[str, NoticeText | None] = {}
    findings: list[tuple[tuple[Any, ...], str]] = []
    quoted: list[tuple[tuple[Any, ...], str]] = []
    seen: set[str] = set()
    for i, entry in enumerate(parsed.faq):
        if entry.id in seen:
            findings.append((("faq", i, "id"), f"duplicate FAQ entry id '{entry.id}'"))
        seen.add(entry.id)
        for j, ref in enumerate(entry.sources):
            program = known.get(ref.program)
            if program is None:
                findings.append((("faq", i, "sources", j, "program"), f"unknown program '{ref.program}'"))
                continue
            notice_file = program.notice.file
            if notice_file not in read:
                read[notice_file] = _notice(folder, notice_file)
            grounded = _Grounding(ref.quote, entry.basis)
            quoted += item_findings(grounded, read[notice_file], ref.clause, ("faq", i, "sources", j))
    errors = _pinned(source, findings)
    errors += _pinned(source, faq_findings(parsed.faq, known))
    warnings = _pinned(source, check_texts(parsed, ()), "warning")
    quote_errors, quote_warnings = _quote_problems(source, quoted)
    errors += quote_errors
    warnings += quote_warnings
    return (parsed.faq if not errors else ()), errors, warnings


@dataclass(frozen=True)
class _Grounding:
    """A FAQ source's quote with its entry's basis: what :func:`item_findings` reads."""

    quote: object
    basis: str


def load_staff(
    file: FsPath, name: str, programs: Iterable[Program]
) -> tuple[dict[tuple[str, str], int], list[Problem]]:
    """``staff.yaml``: each office (a program's contact) and its chat; unknown or repeated offices are refused."""
    source, problems = read_yaml(file, name)
    if source is None:
        return {}, problems
    if source.data is None:
        return {}, []
    from dialogs.schema_staff import StaffFile

    parsed, problems = _validate(StaffFile, source)
    if parsed is None:
        return {}, problems
    contacts = {p.id: {c.id for c in p.contacts} for p in programs}
    chats: dict[tuple[str, str], int] = {}
    findings: list[tuple[tuple[Any, ...], str]] = []
    for i, office in enumerate(parsed.offices):
        if office.program not in contacts:
            findings.append((("offices", i, "program"), f"unknown program '{office.program}'"))
        elif office.contact not in contacts[office.program]:
            findings.append((("offices", i, "contact"), f"'{office.contact}' is not a contact of {office.program}"))
        elif (office.program, office.contact) in chats:
            findings.append((("offices", i, "contact"), f"{office.program}/{office.contact} is listed twice"))
        else:
            chats[(office.program, office.contact)] = office.chat
    return chats, _pinned(source, findings)


def check_path(path: FsPath) -> tuple[list[Problem], list[Problem]]:
    """Validate a content folder, or one file against the shipped facts: ``(errors, warnings)``."""
    path = FsPath(path)
    if path.is_dir():
        try:
            content = load_content(path)
        except ContentError as exc:
            return list(exc.problems), []
        return [], list(content.warnings)
    if not path.exists():
        return [Problem(str(path), 1, "(file)", "no such file or folder")], []
    if path.name == FACTS_FILE:
        _, problems, warnings = load_facts(path, str(path))
        return problems, warnings
    shipped = load_content(SHIPPED)
    _, errors, warnings = load_program(path, str(path), shipped.facts, notices_dir(path.parent.parent))
    return errors, warnings
