"""The admin desk in a private chat with the bot: publish content, list versions, roll back, quick edits,
the audit log and announcements, for the Telegram users in ADMIN_IDS.

The Telegram desk asks this module first about every private message and every
admin button (:func:`dialogs.admin_buttons.is_admin_payload`). An admin command
or an admin's content file (.yaml, .yml, .txt, .zip) is handled here; everything
else, an admin's PDF or photo included, goes on to the applicant flow (an admin
may apply too). Whoever is not in ADMIN_IDS and sends an admin command or presses
an admin button, an old one too, is refused politely in their language and the
attempt is audited: the check is made on every call, not when a menu is shown.

Every change is a preview first (:mod:`bot.telegram.admin_drafts`); content is
validated exactly as at start, through the same :class:`bot.publishing.Publisher`
as the command line, and its diff is worded in the admin's language by
:mod:`dialogs.content_diff_text`.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable, Collection

from bot.i18n import LANGUAGES, BabelTranslator, translator
from bot.publishing import Prepared, Publisher, PublishRefused
from bot.service import Desk
from bot.telegram.admin_announce import Announcements
from bot.telegram.admin_drafts import (
    EDIT,
    PUBLISH,
    ROLLBACK,
    Drafts,
    actor_of,
    delta,
)
from bot.telegram.admin_views import (
    COMMANDS,
    audit_text,
    help_text,
    ids_text,
    problems_text,
    refused,
    usage,
    versions_text,
    with_usage,
)
from bot.telegram.applicants import CHANNEL, command_of, language_of
from bot.telegram.format import escape
from bot.telegram.locks import KeyedLocks
from bot.telegram.types import Gateway, IncomingCallback, IncomingMessage, Person, TelegramFailure
from dialogs.admin_buttons import DraftButton, PickFor, ProgramPick
from dialogs.admin_commands import ADMIN_COMMANDS, parse_move, parse_phone, parse_track, parse_version
from dialogs.callbacks import parse
from dialogs.content_diff import diff_content
from dialogs.content_diff_text import diff_lines, diff_summary
from dialogs.content_files import MAX_BYTES, UploadError, from_zip, with_file
from dialogs.engine import MENU_COMMANDS
from dialogs.events import CommandEvent
from dialogs.i18n import N_
from dialogs.loader import Content
from dialogs.problems import ContentError
from dialogs.quick_edits import EditRefused, QuickEdit, SetTrackClosed, apply_edit, describe
from dialogs.schedule import track_window_state
from dialogs.schema_program import Program
from storage.db import Database

log = logging.getLogger(__name__)

#: File names an admin sends to publish content (anything else goes to the applicant flow).
CONTENT_SUFFIXES = (".yaml", ".yml", ".txt", ".zip")
#: How many versions ``/versions`` lists, and audit entries ``/audit``.
VERSIONS_SHOWN = 10
AUDIT_SHOWN = 20


class Route(enum.Enum):
    """Where a private message goes."""

    ADMIN = "admin"
    APPLICANT = "applicant"
    #: An admin's ``/help``: the applicant's help, then the admin commands.
    APPLICANT_THEN_HELP = "applicant+help"


class AdminDesk:
    def __init__(
        self,
        desk: Desk,
        gateway: Gateway,
        clock: Callable[[], dt.datetime],
        *,
        admins: Collection[int],
        publisher: Publisher | None,
        wall_clock: Callable[[], dt.datetime],
    ) -> None:
        """``clock`` is the applicants' (windows in a diff are judged at it); ``wall_clock`` dates the
        versions, drafts and audit entries."""
        self.desk = desk
        self.gateway = gateway
        self.clock = clock
        self.admins = frozenset(admins)
        self.publisher = publisher
        self.wall_clock = wall_clock
        self.drafts = Drafts(
            desk.database,
            gateway,
            publisher,
            wall_clock=wall_clock,
            on_queued=lambda: _wake_all(desk.outbox_listeners),
        )
        self.announcements = Announcements(desk, gateway, self.drafts, wall_clock=wall_clock, reader=self.reader)
        self._lock: KeyedLocks[int] = KeyedLocks()

    @property
    def database(self) -> Database:
        return self.desk.database

    def is_admin(self, person: Person) -> bool:
        return person.id in self.admins

    async def reader(self, person: Person) -> BabelTranslator:
        """The admin's language: their applicant language, as everywhere else."""
        return translator(await self.desk.language(CHANNEL, str(person.id), language_of(person)))

    # ------------------------------------------------------------------ routing

    async def route(self, message: IncomingMessage) -> Route:
        """Whether a private message is the admin desk's (it then handles it), or the applicant flow's."""
        command = command_of((message.text or "").strip()) if message.file is None else None
        admin = self.is_admin(message.sender)
        if command is not None and command.name in ADMIN_COMMANDS:
            await self._command(message, command)
            return Route.ADMIN
        if not admin:
            return Route.APPLICANT
        if message.file is not None and message.file.name.lower().endswith(CONTENT_SUFFIXES):
            async with self._lock(message.sender.id):
                await self._upload(message)
            return Route.ADMIN
        if command is not None and command.name == "help":
            return Route.APPLICANT_THEN_HELP
        if message.file is None:
            async with self._lock(message.sender.id):
                if await self.announcements.answered(message, command):
                    return Route.ADMIN
        return Route.APPLICANT

    async def send_help(self, message: IncomingMessage) -> None:
        tr = await self.reader(message.sender)
        await self.gateway.send_text(message.chat_id, help_text(tr))

    async def on_callback(self, callback: IncomingCallback) -> None:
        """An admin button: checked against ADMIN_IDS on every press, whatever message it is under."""
        try:
            await self.gateway.answer_callback(callback.id)
        except TelegramFailure as failure:
            log.info("callback answer failed: %s", failure)
        chat_id = callback.chat_id if callback.chat_id is not None else callback.sender.id
        tr = await self.reader(callback.sender)
        data = callback.data or ""
        if not self.is_admin(callback.sender):
            await self._refuse(callback.sender, chat_id, "button " + data.split(":", 1)[0], tr)
            return
        payload = parse(data, DraftButton, ProgramPick)
        if payload is None:
            await self._tell(chat_id, tr.gettext("This button no longer works. Send the command again."))
            return
        async with self._lock(callback.sender.id):
            if isinstance(payload, DraftButton):
                await self.drafts.press(callback, payload, tr)
            else:
                assert isinstance(payload, ProgramPick)
                await self._picked(callback.sender, chat_id, payload, tr)

    async def register_commands(self) -> None:
        """The applicant's menu plus the admin commands, in each admin's own chat (a chat-scoped menu)."""
        for admin in sorted(self.admins):
            for lang in (None, *LANGUAGES):
                tr = translator(lang or self.desk.default_lang)
                commands = [(name, tr.gettext(what)) for name, what in (*MENU_COMMANDS, *COMMANDS)]
                try:
                    await self.gateway.set_commands(commands, lang, chat_id=admin)
                except TelegramFailure as failure:  # an admin who never opened the bot's chat: no chat yet
                    log.info("admin commands for chat %s not registered: %s", admin, failure)
                    break

    # ------------------------------------------------------------------ commands

    async def _command(self, message: IncomingMessage, command: CommandEvent) -> None:
        person, chat_id = message.sender, message.chat_id
        tr = await self.reader(person)
        if not self.is_admin(person):
            await self._refuse(person, chat_id, "/" + command.name, tr)
            return
        async with self._lock(person.id):
            try:
                await self._admin_command(person, chat_id, command, tr)
            except EditRefused as error:
                await self.gateway.send_text(chat_id, with_usage(refused(error, tr), command.name, tr))

    async def _admin_command(self, person: Person, chat_id: int, command: CommandEvent, tr: BabelTranslator) -> None:
        name, args = command.name, command.args
        if name == "admin":
            await self.gateway.send_text(chat_id, help_text(tr))
        elif name == "versions":
            await self._versions(chat_id, tr)
        elif name == "audit":
            async with self.database.uow() as uow:
                entries = await uow.audit.latest(AUDIT_SHOWN)
            await self.gateway.send_text(chat_id, audit_text(entries, tr))
        elif name == "rollback":
            await self._rollback(person, chat_id, parse_version(args), tr)
        elif name == "announce":
            if args:
                await self.announcements.ask(person, chat_id, args.split()[0], tr)
            else:
                await self._usage(chat_id, name, tr)
        elif not args:
            await self._usage(chat_id, name, tr)
        else:
            await self._quick_edit(person, chat_id, name, args, tr)

    async def _refuse(self, person: Person, chat_id: int, what: str, tr: BabelTranslator) -> None:
        """A non-admin's admin command or button: a polite answer, and the attempt in the audit log."""
        async with self.database.uow() as uow:
            await uow.audit.record(
                actor=actor_of(person.id), action="refused", target=what[:200], at=self.wall_clock(), allowed=False
            )
            await uow.commit()
        await self._tell(chat_id, tr.gettext("This command is for the bot's administrators."))

    async def _tell(self, chat_id: int, text: str) -> None:
        await self.gateway.send_text(chat_id, escape(text))

    # ------------------------------------------------------------------ versions

    async def _versions(self, chat_id: int, tr: BabelTranslator) -> None:
        if self.publisher is None:
            await self._tell(chat_id, tr.gettext("Publishing is not available in this run."))
            return
        versions = await self.publisher.versions(VERSIONS_SHOWN)
        live = self.publisher.live
        in_force = live.number if live.started else (versions[0].number if versions else 0)
        await self.gateway.send_text(chat_id, versions_text(versions, tr, in_force))

    async def _rollback(self, person: Person, chat_id: int, target: int | None, tr: BabelTranslator) -> None:
        publisher = self.publisher
        if publisher is None:
            await self._tell(chat_id, tr.gettext("Publishing is not available in this run."))
            return
        number, _files = await publisher.active_files()
        wanted = target if target is not None else number - 1
        if wanted < 1:
            await self._tell(chat_id, tr.gettext("There is no earlier version to go back to."))
            return
        if wanted == number:
            await self._tell(chat_id, tr.gettext("Version {number} is in force already.").format(number=number))
            return
        if wanted > number:
            await self._tell(
                chat_id,
                tr.gettext("There is no version {number}; the newest is {newest}.").format(
                    number=wanted, newest=number
                ),
            )
            return
        try:
            prepared = await publisher.prepare_rollback(wanted)
        except ContentError as error:
            header = tr.gettext("Version {number} no longer loads with this bot:").format(number=wanted)
            await self.gateway.send_text(chat_id, problems_text(header, error.problems, tr))
            return
        except PublishRefused:
            await self._tell(chat_id, tr.gettext("Someone published meanwhile; send /rollback again."))
            return
        head = tr.gettext("Going back to version {target} makes version {number}. What changes:").format(
            target=wanted, number=prepared.base_number + 1
        )
        await self._offer(person, chat_id, tr, prepared, kind=ROLLBACK, head=head, extra={"target": wanted})

    # ------------------------------------------------------------------ publishing a file

    async def _upload(self, message: IncomingMessage) -> None:
        file = message.file
        assert file is not None
        person, chat_id = message.sender, message.chat_id
        tr = await self.reader(person)
        publisher = self.publisher
        if publisher is None:
            await self._tell(chat_id, tr.gettext("Publishing is not available in this run."))
            return
        if file.size is not None and file.size > MAX_BYTES:
            await self._tell(
                chat_id,
                tr.gettext("{name} is too large for content ({size} bytes; at most {limit}).").format(
                    name=file.name, size=tr.number(file.size), limit=tr.number(MAX_BYTES)
                ),
            )
            return
        data = await self.gateway.download(file.file_id)
        _number, active = await publisher.active_files()
        try:
            files = from_zip(data) if file.name.lower().endswith(".zip") else with_file(active, file.name, data)[0]
        except UploadError as error:
            await self._tell(chat_id, tr.gettext("The file was not read: {reason}").format(reason=str(error)))
            return
        await self._prepare_and_offer(person, chat_id, tr, files, kind=PUBLISH, name=file.name)

    async def _prepare_and_offer(
        self,
        person: Person,
        chat_id: int,
        tr: BabelTranslator,
        files: dict[str, str],
        *,
        kind: str,
        name: str,
        note: str = "",
    ) -> None:
        publisher = self.publisher
        assert publisher is not None
        try:
            prepared = await publisher.prepare(files)
        except ContentError as error:
            number, _files = await publisher.active_files()
            if kind == PUBLISH:
                header = tr.ngettext(
                    "{name} was not published: {n} problem. Version {number} stays in force.",
                    "{name} was not published: {n} problems. Version {number} stays in force.",
                    len(error.problems),
                )
            else:
                header = tr.ngettext(
                    "The edit was not made: {n} problem. Version {number} stays in force.",
                    "The edit was not made: {n} problems. Version {number} stays in force.",
                    len(error.problems),
                )
            header = header.format(name=name, n=tr.number(len(error.problems)), number=number)
            await self.gateway.send_text(chat_id, problems_text(header, error.problems, tr))
            return
        if prepared.unchanged:
            await self._tell(
                chat_id,
                tr.gettext("Nothing changes: this is what version {number} holds already.").format(
                    number=prepared.base_number
                ),
            )
            return
        head = tr.gettext("What version {number} would change against version {base}:").format(
            number=prepared.base_number + 1, base=prepared.base_number
        )
        await self._offer(person, chat_id, tr, prepared, kind=kind, head=head, note=note, summary_head=name)

    async def _offer(
        self,
        person: Person,
        chat_id: int,
        tr: BabelTranslator,
        prepared: Prepared,
        *,
        kind: str,
        head: str,
        note: str = "",
        summary_head: str = "",
        extra: dict[str, object] | None = None,
    ) -> None:
        diff = diff_content(prepared.base, prepared.content, self.clock())
        lines = diff_lines(diff, tr, tr.lang)
        summary = diff_summary(diff, translator("en"))
        if kind == EDIT and summary_head:
            summary = f"{summary_head} ({summary})"
        text = "\n".join([head, *lines, *([note] if note else [])])
        number = prepared.base_number + 1
        confirm = (
            tr.gettext("Roll back as version {number}")
            if kind == ROLLBACK
            else tr.gettext("Publish as version {number}")
        ).format(number=number)
        payload: dict[str, object] = {"summary": summary, **(extra or {})}
        if kind != ROLLBACK:
            payload.update(delta(prepared))
        await self.drafts.offer(
            chat_id,
            actor_of(person.id),
            tr,
            kind=kind,
            payload=payload,
            base_number=prepared.base_number,
            text=text,
            confirm=confirm,
        )

    # ------------------------------------------------------------------ quick edits

    async def _usage(self, chat_id: int, command: str, tr: BabelTranslator) -> None:
        """How to use a quick edit or ``/announce``, with a button per program to see its ids."""
        content = self.desk.content
        keyboard = [
            [(program.short_title.get(tr.lang), ProgramPick(PickFor(command), program.id).pack())]
            for program in content.programs
        ]
        await self.gateway.send_text(chat_id, usage(command, tr), keyboard)

    async def _picked(self, person: Person, chat_id: int, pick: ProgramPick, tr: BabelTranslator) -> None:
        program = self.desk.content.find_program(pick.program)
        if program is None:
            await self._tell(chat_id, tr.gettext("There is no program {program}.").format(program=pick.program))
            return
        if pick.command is PickFor.ANNOUNCE:
            await self.announcements.ask(person, chat_id, program.id, tr)
            return
        await self.gateway.send_text(chat_id, ids_text(pick.command, program, self.desk.content, self.clock(), tr))

    async def _quick_edit(self, person: Person, chat_id: int, name: str, args: str, tr: BabelTranslator) -> None:
        publisher = self.publisher
        if publisher is None:
            await self._tell(chat_id, tr.gettext("Publishing is not available in this run."))
            return
        content = self.desk.content
        edit = self._edit_of(name, args, content)
        _number, active = await publisher.active_files()
        path, text = apply_edit(active, edit)
        files = {**active, path: text}
        note = self._note(edit, files, content, tr)
        await self._prepare_and_offer(person, chat_id, tr, files, kind=EDIT, name=describe(edit), note=note)

    def _edit_of(self, name: str, args: str, content: Content) -> QuickEdit:
        if name == "move":
            return parse_move(args)
        if name == "phone":
            return parse_phone(args)
        wanted = parse_track(args)
        track = wanted.track
        if not wanted.named:
            program = content.find_program(wanted.program)
            if program is None:
                raise EditRefused(N_("There is no program {program}."), program=wanted.program)
            if len(program.tracks) > 1:
                raise EditRefused(
                    N_("Name the track: {program} has the tracks {known}."),
                    program=program.id,
                    known=", ".join(t.id or "-" for t in program.tracks),
                )
            track = program.tracks[0].id
        return SetTrackClosed(wanted.program, track, closed=name == "close")

    def _note(self, edit: QuickEdit, files: dict[str, str], content: Content, tr: BabelTranslator) -> str:
        """A track opened again whose window has passed by date is still closed: say so, and what to do."""
        if not isinstance(edit, SetTrackClosed) or edit.closed:
            return ""
        program = content.find_program(edit.program)
        if program is None:
            return ""
        try:
            opened = _reopened(program, edit.track)
            track = opened.track(edit.track)
        except KeyError:  # the file has it, this process's content not yet (published a moment ago)
            return ""
        if track_window_state(opened, track, self.clock()) != "closed":
            return ""
        window = opened.window_of(track)
        hint = f"/move {program.id} {window.id} YYYY-MM-DD" if window is not None else "/move"
        return tr.gettext(
            "Note: this track's window has passed by its dates, so it stays closed for applicants; "
            "move its milestone too: {command}"
        ).format(command=hint)


def _reopened(program: Program, track_id: str | None) -> Program:
    """The program with the track no longer closed by hand: what its dates alone say."""
    tracks = tuple(t.model_copy(update={"closed": False}) if t.id == track_id else t for t in program.tracks)
    return program.model_copy(update={"tracks": tracks})


def _wake_all(listeners: list[Callable[[], None]]) -> None:
    """Wake the outbox worker(s) listening for queued notifications."""
    for listener in listeners:
        listener()
