"""The admin desk on Telegram: publishing from the chat, versions, rollback, quick edits, the audit log,
announcements, and refusals for everyone not in ADMIN_IDS, against the Bot API server on 127.0.0.1.

The bot runs on content versions in its database, seeded from a copy of the shipped folder (as
``python -m bot`` runs); the applicants' clock stands on 20 February 2024.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.telegram.runner import TelegramBot
from dialogs.admin_commands import ADMIN_COMMANDS
from tests.telegram.admin_chat import (
    ADMIN,
    OTHER_ADMIN,
    STRANGER,
    SX,
    SX_FILE,
    content_folder,
    shanxi_2024,
    start_bot,
    version_in_force,
    zipped,
)
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import PDF, Phone, Watch, buttons, make_bot, office_content

RUNTIMES = ["aiogram", "ptb"]
REFUSAL = "This command is for the bot's administrators."


@pytest.fixture(params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
async def bot(runtime: str, api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    running = start_bot(api, runtime, tmp_path)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture()
async def aiogram_bot(api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    """One runtime for what does not depend on it (the routing is shared code)."""
    running = start_bot(api, "aiogram", tmp_path)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


def admin_phone(api: FakeBotAPI, user_id: int = ADMIN) -> Phone:
    return Phone(api, user_id, "Admin", language_code="en")


async def versions_stored(bot: TelegramBot) -> list[int]:
    assert bot.database is not None
    async with bot.database.uow() as uow:
        return [row.number for row in await uow.content_versions.listing(50)]


async def audit_rows(bot: TelegramBot) -> list[tuple[str, str, str | None, bool]]:
    assert bot.database is not None
    async with bot.database.uow() as uow:
        return [(e.actor, e.action, e.target, e.allowed) for e in await uow.audit.latest(100)]


async def deadline_answer(api: FakeBotAPI, user_id: int = 7001) -> str:
    """What an applicant is told when they ask for the Shanxi allowance's deadline."""
    applicant = Phone(api, user_id, "Applicant", language_code="en")
    await applicant.say("/start")
    return await applicant.say("When is the deadline of the Shanxi allowance?", "Yangquan")


# --------------------------------------------------------------------------- publishing a file


async def test_an_admin_publishes_a_program_file_after_reading_its_diff_and_applicants_see_it_at_once(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    assert "31 March 2023" in await deadline_answer(api)

    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    preview = await admin.read()
    assert "What version 2 would change against version 1:" in preview
    assert "closing date: 31 March 2023 → 31 March 2024 (Beijing time)" in preview
    assert "opens 1 March 2024" in preview
    assert [label for label, _ in buttons(admin.seen[-1])] == ["Publish as version 2", "Cancel"]
    assert await version_in_force(bot) == 1  # a preview changes nothing

    done = await admin.press("Publish as version 2", "Published as version 2.")
    assert admin.seen[-1].get("edit_date") and "closing date" in done  # the preview itself, edited
    assert buttons(admin.seen[-1]) == []
    assert await version_in_force(bot) == 2
    assert ("tg:9001", "publish", "v2", True) in await audit_rows(bot)

    moved = await deadline_answer(api, 7002)
    assert "1 March 2024 to 31 March 2024 (Beijing time)" in moved


async def test_a_zip_of_the_content_folder_is_published_as_a_whole(
    api: FakeBotAPI, aiogram_bot: TelegramBot, tmp_path: Path
) -> None:
    admin = admin_phone(api)
    folder = content_folder(tmp_path)
    data = zipped(folder, {SX_FILE: shanxi_2024(), "programs/readme.md": b"not content"})
    await api.push_document(ADMIN, data, "content.zip", "application/zip")
    preview = await admin.read()
    assert "closing date: 31 March 2023 → 31 March 2024" in preview
    await admin.press("Publish as version 2", "Published as version 2.")
    assert await version_in_force(aiogram_bot) == 2


async def test_a_broken_file_is_refused_with_its_line_and_the_running_version_stays(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    broken = shanxi_2024().replace(b"audience: applicant", b"audience: everyone", 1)
    await api.push_document(ADMIN, broken, f"{SX}.yml", "application/x-yaml")
    refusal = await admin.read("stays in force")
    assert f"{SX}.yml was not published: 1 problem. Version 1 stays in force." in refusal
    line = broken.decode().splitlines().index("    audience: everyone") + 1
    assert f"content/{SX_FILE}:{line}: deadlines[0].audience: Input should be" in refusal
    assert buttons(admin.seen[-1]) == []
    assert await version_in_force(bot) == 1
    assert await versions_stored(bot) == [1]


async def test_a_file_that_is_no_content_file_at_all_is_refused_plainly(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    await api.push_document(ADMIN, b"\xff\xfe not utf-8 \xff", "facts.yaml", "application/x-yaml")
    assert "The file was not read: facts.yaml: not UTF-8 text" in await admin.read("not read")
    await api.push_document(ADMIN, b"PK not a zip", "content.zip", "application/zip")
    assert "not a valid ZIP archive" in await admin.read("not read")
    assert await versions_stored(aiogram_bot) == [1]


async def test_a_double_tap_on_publish_publishes_once(api: FakeBotAPI, bot: TelegramBot) -> None:
    admin = admin_phone(api)
    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    await admin.read()
    message, data = admin.last_with("Publish as version 2")
    await api.press(ADMIN, message, data)
    await api.press(ADMIN, message, data)  # the second tap lands before the first is answered
    answers = await admin.read("Published as version 2.") + await admin.read("already")
    assert "confirmed or cancelled already; nothing more is done" in answers
    assert await versions_stored(bot) == [2, 1]


async def test_cancel_changes_nothing_and_a_later_confirm_is_refused(api: FakeBotAPI, aiogram_bot: TelegramBot) -> None:
    admin = admin_phone(api)
    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    await admin.read()
    message, confirm = admin.last_with("Publish as version 2")
    await admin.press("Cancel", "Cancelled: nothing was changed.")
    await api.press(ADMIN, message, confirm, force=True)  # the button removed by the edit, pressed anyway
    assert "already" in await admin.read("already")
    assert await versions_stored(aiogram_bot) == [1]


async def test_a_preview_made_before_another_publish_is_refused_and_asks_for_the_file_again(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    admin, other = admin_phone(api), admin_phone(api, OTHER_ADMIN)
    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    await admin.read()
    await other.say("/phone sx-state-allowance-2023 yq-professional 0353-2293394")
    await other.press("Publish as version 2", "Published as version 2.")
    stale = await admin.press("Publish as version 2", "meanwhile")
    assert "Version 2 was published meanwhile; send the file again." in stale
    assert await versions_stored(aiogram_bot) == [2, 1]


async def test_only_the_admin_who_asked_confirms_and_a_stranger_is_refused_and_audited(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    admin, other, stranger = admin_phone(api), admin_phone(api, OTHER_ADMIN), admin_phone(api, STRANGER)
    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    await admin.read()
    _, confirm = admin.last_with("Publish as version 2")
    # neither can press a button in the admin's own chat: each forges it under a message in their own chat
    await other.say("/versions", "Version 1")
    await api.press_raw(OTHER_ADMIN, other.seen[-1], confirm)
    assert "Only the admin who asked for this preview" in await other.read("Only")
    await stranger.say("/start")
    await api.press_raw(STRANGER, stranger.seen[-1], confirm)
    assert REFUSAL in await stranger.read(REFUSAL)
    assert await versions_stored(aiogram_bot) == [1]
    rows = await audit_rows(aiogram_bot)
    assert ("tg:9002", "confirm", rows[1][2], False) in rows
    assert ("tg:7301", "refused", "button adm", False) in rows

    # a program button of an admin's usage help, pressed by the stranger: refused too
    await admin.say("/phone")
    _, pick = admin.last_with("2023 special allowance (Shanxi)")
    await api.press_raw(STRANGER, stranger.seen[-1], pick)
    assert REFUSAL in await stranger.read(REFUSAL)
    assert ("tg:7301", "refused", "button adp", False) in await audit_rows(aiogram_bot)


async def test_an_old_admin_button_works_after_a_restart(api: FakeBotAPI, runtime: str, tmp_path: Path) -> None:
    first = start_bot(api, runtime, tmp_path)
    await first.start()
    admin = admin_phone(api)
    try:
        await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
        await admin.read()
    finally:
        await first.stop()
    second = start_bot(api, runtime, tmp_path)
    await second.start()
    try:
        await admin.press("Publish as version 2", "Published as version 2.")
        assert await version_in_force(second) == 2
    finally:
        await second.stop()


# --------------------------------------------------------------------------- versions, rollback, audit


async def test_versions_rollback_and_audit(api: FakeBotAPI, bot: TelegramBot) -> None:
    admin = admin_phone(api)
    await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
    await admin.read()
    await admin.press("Publish as version 2", "Published")

    preview = await admin.say("/rollback")
    assert "Going back to version 1 makes version 3. What changes:" in preview
    assert "closing date: 31 March 2024 → 31 March 2023" in preview
    await admin.press("Roll back as version 3", "Published as version 3.")
    assert await version_in_force(bot) == 3
    assert bot.live is not None and bot.live().version == (await bot.live.version(1)).version  # type: ignore[union-attr]

    listing = await admin.say("/versions", "Version 1")
    assert "Version 3 (in force) — rollback to version 1, tg:9001" in listing
    assert "Version 2 — publish, tg:9001" in listing
    assert "Version 1 — first version, system" in listing

    assert "There is no version 9; the newest is 3." in await admin.say("/rollback 9", "no version")
    assert "Version 3 is in force already." in await admin.say("/rollback 3", "already")
    assert "x is not a version number." in await admin.say("/rollback x", "version number")

    audit = await admin.say("/audit", "Audit log")
    assert "tg:9001 · rollback v3" in audit
    assert "tg:9001 · publish v2" in audit
    assert "system · first version v1" in audit


# --------------------------------------------------------------------------- quick edits


async def test_move_a_deadline_with_its_opening_date_then_applicants_read_the_new_dates(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    usage = await admin.say("/move")
    assert "/move PROGRAM MILESTONE opens 2024-03-01 closes 2024-03-31" in usage
    ids = await admin.press("2023 special allowance (Shanxi)", "Milestones")
    assert "city-materials" in ids and "province-materials" in ids

    wrong = await admin.say(f"/move {SX}", "Use it like this")
    assert "Give the program, the milestone and the new date.\nUse it like this:\n/move PROGRAM MILESTONE" in wrong
    refused = await admin.say(f"/move {SX} city-materials 2024-02-30", "not a date")
    assert "2024-02-30 is not a date: 2024-02 has 29 days." in refused
    assert "its milestones: city-materials, province-materials" in await admin.say(
        f"/move {SX} nowhere 2024-03-31", "milestones"
    )

    preview = await admin.say(f"/move {SX} city-materials opens 2024-03-01 closes 2024-03-31 17:30")
    assert "closing date: 31 March 2023 → 31 March 2024, 17:30 (Beijing time)" in preview
    await admin.press("Publish as version 2", "Published as version 2.")
    assert bot.live is not None
    milestone = bot.live().program(SX).milestone("city-materials")
    assert (milestone.basis, milestone.quote) == ("office", None)
    assert "1 March 2024 to 31 March 2024, 17:30 (Beijing time)" in await deadline_answer(api)
    assert ("tg:9001", "edit", "v2", True) in await audit_rows(bot)


async def test_close_and_open_a_track(api: FakeBotAPI, aiogram_bot: TelegramBot) -> None:
    admin = admin_phone(api)
    await admin.say(f"/move {SX} city-materials opens 2024-02-01 closes 2024-03-31")
    await admin.press("Publish as version 2", "Published")
    assert "skilled" in await admin.say(f"/close {SX}", "Name the track")

    preview = await admin.say(f"/close {SX} skilled")
    assert "window closes" in preview
    await admin.press("Publish as version 3", "Published as version 3.")
    live = aiogram_bot.live
    assert live is not None and live().program(SX).track("skilled").closed
    assert "The office has closed applications for: Highly skilled workers." in await deadline_answer(api)
    applicant = Phone(api, 7009, "Applicant", language_code="en")
    await applicant.say("/apply", "Which program?")
    await applicant.press("2023 special allowance (Shanxi)")
    refused = await applicant.press("Highly skilled workers", "closed")
    assert "Applications for 2023 special allowance (Shanxi) — Highly skilled workers are closed" in refused
    assert "closed already" in await admin.say(f"/close {SX} skilled", "already")

    await admin.say(f"/open {SX} skilled")
    await admin.press("Publish as version 4", "Published as version 4.")
    assert not live().program(SX).track("skilled").closed


async def test_opening_a_track_whose_window_passed_says_to_move_its_milestone(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    await admin.say("/close xj-state-allowance-2020 professional")
    await admin.press("Publish as version 2", "Published")
    preview = await admin.say("/open xj-state-allowance-2020 professional")
    assert "this track's window has passed by its dates" in preview
    assert "/move xj-state-allowance-2020 materials YYYY-MM-DD" in preview


async def test_change_a_contacts_phone(api: FakeBotAPI, bot: TelegramBot) -> None:
    admin = admin_phone(api)
    ids = await admin.say("/phone")
    assert "/phone PROGRAM CONTACT OLD NEW" in ids
    assert "yq-professional" in await admin.press("2023 special allowance (Shanxi)", "Contacts")
    assert "not a phone number" in await admin.say(f"/phone {SX} yq-professional call-me", "phone number")

    await admin.say(f"/phone {SX} province-skilled 7676046 0351-7676047")
    await admin.press("Publish as version 2", "Published as version 2.")
    assert bot.live is not None
    contact = next(c for c in bot.live().program(SX).contacts if c.id == "province-skilled")
    assert contact.phones == ("0351-7676047",)
    assert (contact.basis, contact.quote) == ("office", None)


# --------------------------------------------------------------------------- announcements


async def test_announce_without_a_program_lists_the_programs(api: FakeBotAPI, aiogram_bot: TelegramBot) -> None:
    admin = admin_phone(api)
    usage = await admin.say("/announce")
    assert "/announce PROGRAM" in usage
    assert "2023 special allowance (Shanxi)" in [label for label, _ in buttons(admin.seen[-1])]


async def test_an_announcement_is_previewed_with_its_follower_count_then_reaches_the_follower(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    assert aiogram_bot.database is not None
    follower = Phone(api, 7005, "Follower", language_code="en")
    await follower.say("/start")
    async with aiogram_bot.database.uow() as uow:
        applicant = await uow.applicants.find("tg", "7005")
        assert applicant is not None
        await uow.subscriptions.add(applicant.id, SX, now=aiogram_bot.wall_clock())
        await uow.commit()
    admin = admin_phone(api)
    prompt = await admin.say(f"/announce {SX}", "reply to this message")
    assert "the 1 follower of 2023 special allowance (Shanxi)" in prompt
    preview = await admin.say("The 2024 round opens on 1 March.")
    assert "This will be sent to 1 follower of 2023 special allowance (Shanxi):" in preview
    done = await admin.press("Send to 1 follower", "Queued for 1 follower")
    assert "each gets it once" in done
    assert ("tg:9001", "announce", SX, True) in await audit_rows(aiogram_bot)
    assert "The 2024 round opens on 1 March." in await follower.read("The 2024 round opens on 1 March.")


async def test_announcing_to_a_program_nobody_follows_says_so(api: FakeBotAPI, aiogram_bot: TelegramBot) -> None:
    assert aiogram_bot.database is not None
    admin = admin_phone(api)
    await admin.say("/start")
    assert "No one follows" in await admin.say(f"/announce {SX}", "No one follows")


# --------------------------------------------------------------------------- refusals, help, routing


async def test_every_admin_command_from_a_non_admin_is_refused_politely_and_audited(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    stranger = Phone(api, STRANGER, "Stranger", language_code="zh")
    for name in ADMIN_COMMANDS:
        answer = await stranger.say(f"/{name} {SX} city-materials 2024-03-31", "管理员")
        assert "此命令仅供本机器人的管理员使用" in answer
    rows = await audit_rows(bot)
    refused = {target for actor, action, target, allowed in rows if actor == "tg:7301" and not allowed}
    assert refused == {f"/{name}" for name in ADMIN_COMMANDS}
    assert await versions_stored(bot) == [1]


@pytest.mark.parametrize(
    ("lang", "heading", "preview", "publish"),
    [
        ("zh", "管理员命令：", "第2版与第1版相比的变化：", "发布为第2版"),
        ("ug", "باشقۇرغۇچى بۇيرۇقلىرى:", "2-نەشر 1-نەشرگە سېلىشتۇرغاندا ئۆزگەرتىدىغانلار:", "2-نەشر قىلىپ ئېلان قىلىش"),
    ],
)
async def test_the_admin_desk_speaks_the_admins_language(
    api: FakeBotAPI, aiogram_bot: TelegramBot, lang: str, heading: str, preview: str, publish: str
) -> None:
    admin = Phone(api, ADMIN, "Admin", language_code=lang)
    assert heading in await admin.say("/admin", heading)
    assert preview in await admin.say(f"/close {SX} skilled")
    assert [label for label, _ in buttons(admin.seen[-1])][0] == publish


async def test_admin_help_lists_the_admin_commands_after_the_applicants_help(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    admin = admin_phone(api)
    text = await admin.say("/help", "Admin commands")
    assert text.index("Commands: /start") < text.index("Admin commands:")
    assert "/announce PROGRAM" in await admin.say("/admin", "Admin commands")
    menu = {c["command"] for c in api.commands({"type": "chat", "chat_id": ADMIN}, "en")}
    assert {"versions", "rollback", "move", "announce", "start"} <= menu
    assert "versions" not in {c["command"] for c in api.commands(language_code="en")}


async def test_an_admins_pdf_goes_to_the_applicant_flow(api: FakeBotAPI, aiogram_bot: TelegramBot) -> None:
    admin = admin_phone(api)
    await admin.say("/start")
    await api.push_document(ADMIN, PDF, "form.pdf", "application/pdf")
    assert "I was not expecting a file now." in await admin.read("expecting")
    assert await versions_stored(aiogram_bot) == [1]


async def test_admins_of_a_bot_on_fixed_content_are_told_publishing_is_not_available(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    bot = make_bot(api, "aiogram", tmp_path, office_content(), admin_ids=(ADMIN,))
    await bot.start()
    try:
        admin = admin_phone(api)
        assert "Publishing is not available in this run." in await admin.say("/versions", "not available")
        watch = Watch(api, bot)
        await api.push_document(ADMIN, shanxi_2024(), f"{SX}.yaml", "application/x-yaml")
        assert "Publishing is not available in this run." in await admin.read("not available")
        await watch.updates_handled()
    finally:
        await bot.stop()


# --------------------------------------------------------------------------- the transcript


async def test_transcript_of_an_admin_publishing_the_2024_round_of_the_shanxi_allowance(
    api: FakeBotAPI, aiogram_bot: TelegramBot
) -> None:
    from tests.telegram.admin_transcript import publish_2024_round

    transcript = await publish_2024_round(api, aiogram_bot)
    print(transcript)
    assert "Published as version 2." in transcript and "Published as version 3." in transcript
    assert "1 March 2024 to 15 April 2024, 17:30 (Beijing time)" in transcript
    assert "to the city HR bureau by 15 April" in transcript  # the note's sentence names the date by placeholder
    assert "0353-2293393" in transcript
