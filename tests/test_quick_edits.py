"""Quick edits on the raw program files: only the edited values change, the result loads, and a date
that does not exist is refused as such. Pure: the shipped files in, new file text out."""

from __future__ import annotations

import datetime as dt
import difflib
from zoneinfo import ZoneInfo

import pytest

from dialogs.admin_commands import parse_date, parse_move, parse_phone, parse_time, parse_track, parse_version
from dialogs.content_files import load_files, read_folder
from dialogs.loader import SHIPPED, Content
from dialogs.quick_edits import (
    ChangePhone,
    EditRefused,
    Moment,
    MoveMilestone,
    SetTrackClosed,
    apply_edit,
    describe,
    ids_of,
    program_file,
)
from dialogs.schedule import is_open, program_status, track_window_state

SX = "sx-state-allowance-2023"
BEIJING = ZoneInfo("Asia/Shanghai")
FILES = read_folder(SHIPPED)


def edited(edit: MoveMilestone | SetTrackClosed | ChangePhone) -> tuple[list[str], Content]:
    """The lines the edit changed (removed with ``-``, added with ``+``) and the content it makes."""
    path, text = apply_edit(FILES, edit)
    changed = [
        line
        for line in difflib.unified_diff(FILES[path].splitlines(), text.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return changed, load_files({**FILES, path: text})


@pytest.mark.parametrize(
    "program", sorted({p.removeprefix("programs/").removesuffix(".yaml") for p in FILES if p.startswith("programs/")})
)
def test_an_edit_changes_its_own_line_and_every_other_byte_of_the_file_stays(program: str) -> None:
    first_track = ids_of(FILES, program, "tracks")[0]
    changed, _ = edited(SetTrackClosed(program, first_track, closed=True))
    assert changed == ["+    closed: true"]


def test_moving_a_deadline_changes_its_dates_and_marks_it_office_guidance_and_nothing_else() -> None:
    edit = MoveMilestone(
        SX, "city-materials", closes=Moment(dt.date(2024, 3, 31), dt.time(17, 30)), opens=Moment(dt.date(2024, 3, 1))
    )
    changed, content = edited(edit)
    assert changed == [
        "-    closes: {date: 2023-03-31}",
        "+    opens: {date: 2024-03-01}",
        '+    closes: {date: 2024-03-31, time: "17:30"}',
        '-    quote: "并于3月31日前将申报材料（含电子版）报回市人社局"',
        "+    basis: office",
    ]
    milestone = content.program(SX).milestone("city-materials")
    assert (milestone.basis, milestone.quote) == ("office", None)
    program = content.program(SX)
    assert program_status(program, dt.datetime(2024, 2, 20, tzinfo=BEIJING)) == "upcoming"
    assert is_open(program, program.tracks[0], dt.datetime(2024, 3, 31, 17, 29, tzinfo=BEIJING))
    assert not is_open(program, program.tracks[0], dt.datetime(2024, 3, 31, 17, 30, tzinfo=BEIJING))


def test_a_moved_closing_date_without_a_time_keeps_its_time_of_day() -> None:
    changed, content = edited(MoveMilestone("xj-aid-talent-2023b2", "application", closes=Moment(dt.date(2024, 6, 15))))
    assert changed[:2] == [
        '-    closes: {date: 2023-06-15, time: "20:00"}',
        '+    closes: {date: 2024-06-15, time: "20:00"}',
    ]
    assert content.program("xj-aid-talent-2023b2").milestone("application").closes.time == "20:00"


def test_a_window_that_would_open_after_it_closes_is_refused() -> None:
    with pytest.raises(EditRefused) as refused:
        apply_edit(FILES, MoveMilestone(SX, "city-materials", opens=Moment(dt.date(2024, 4, 1))))
    assert str(refused.value) == "The window would open (2024-04-01) after it closes (2023-03-31)."


def test_closing_and_opening_a_track_and_the_single_track_whose_id_is_null() -> None:
    changed, content = edited(SetTrackClosed(SX, "skilled", closed=True))
    assert changed == ["+    closed: true"]
    program = content.program(SX)
    moment = dt.datetime(2023, 3, 10, tzinfo=BEIJING)  # inside the 2023 window
    assert track_window_state(program, program.track("skilled"), moment) == "closed"
    assert track_window_state(program, program.track("professional"), moment) == "open"
    path, closed_text = apply_edit(FILES, SetTrackClosed(SX, "skilled", closed=True))
    assert apply_edit({**FILES, path: closed_text}, SetTrackClosed(SX, "skilled", closed=False)) == (path, FILES[path])
    changed, content = edited(SetTrackClosed("xj-minority-backbone-2019", None, closed=True))
    assert changed == ["+    closed: true"]
    assert (
        program_status(content.program("xj-minority-backbone-2019"), dt.datetime(2019, 3, 1, tzinfo=BEIJING))
        == "closed"
    )


def test_changing_a_phone_replaces_the_first_or_the_one_named_and_marks_it_office_guidance() -> None:
    changed, content = edited(ChangePhone(SX, "yq-professional", new="0353-2293393"))
    assert changed[:2] == ['-    phones: ["2293393"]', '+    phones: ["0353-2293393"]']
    aid = "xj-aid-talent-2023b2"
    _, content = edited(ChangePhone(aid, "health-aid-office", new="16699295019", old="16699295018"))
    contact = next(c for c in content.program(aid).contacts if c.id == "health-aid-office")
    assert (contact.phones, contact.basis, contact.quote) == (("0991-8569973", "16699295019"), "office", None)
    _, content = edited(ChangePhone(aid, "org-aid-talent-wu", new="0991-2398077", old="2398076"))  # no area code
    contact = next(c for c in content.program(aid).contacts if c.id == "org-aid-talent-wu")
    assert contact.phones == ("0991-2398077", "15299122551")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (SetTrackClosed("nowhere", "x", closed=True), "There is no program nowhere."),
        (
            MoveMilestone(SX, "nope", closes=Moment(dt.date(2024, 1, 1))),
            f"{SX} has no milestone nope; its milestones: city-materials, province-materials.",
        ),
        (SetTrackClosed(SX, "x", closed=True), f"{SX} has no track x; its tracks: professional, skilled."),
        (SetTrackClosed(SX, "skilled", closed=False), f"Track skilled of {SX} is not closed."),
        (
            ChangePhone(SX, "nobody", new="12345"),
            f"{SX} has no contact nobody; its contacts: yq-professional, yq-skilled, province-policy, province-professional, province-skilled.",
        ),
        (ChangePhone(SX, "yq-skilled", new="2299977"), "The phone is 2299977 already."),
        (
            ChangePhone(SX, "province-professional", new="12345", old="999"),
            "Contact province-professional has no phone 999; its phones: 0351-7676028, 0351-7676026.",
        ),
    ],
)
def test_an_edit_of_what_is_not_there_is_refused_with_what_is(edit: object, message: str) -> None:
    with pytest.raises(EditRefused) as refused:
        apply_edit(FILES, edit)  # type: ignore[arg-type]
    assert str(refused.value) == message


def test_ids_of_a_program_list_what_an_admin_can_name() -> None:
    assert program_file(FILES, SX) == f"programs/{SX}.yaml"
    assert ids_of(FILES, SX, "deadlines") == ["city-materials", "province-materials"]
    assert ids_of(FILES, "xj-minority-backbone-2019", "tracks") == [None]


# --------------------------------------------------------------------------- reading the commands


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-02-30", "2024-02-30 is not a date: 2024-02 has 29 days."),
        ("2023-02-29", "2023-02-29 is not a date: 2023-02 has 28 days."),
        ("2024年2月30日", "2024年2月30日 is not a date: 2024-02 has 29 days."),
        ("2024-04-31", "2024-04-31 is not a date: 2024-04 has 30 days."),
        ("2024-13-01", "2024-13-01 is not a date: there is no month 13."),
        ("next friday", "next friday is not a date: write it as YYYY-MM-DD, e.g. 2024-03-31."),
    ],
)
def test_a_day_that_does_not_exist_is_refused_never_read_as_another(text: str, message: str) -> None:
    with pytest.raises(EditRefused) as refused:
        parse_date(text)
    assert str(refused.value) == message


def test_dates_and_times_in_the_forms_admins_type() -> None:
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date("2024/3/1") == dt.date(2024, 3, 1)
    assert parse_date("2024年3月31日") == dt.date(2024, 3, 31)
    assert parse_time("8:00") == dt.time(8, 0)
    assert parse_time("17：30") == dt.time(17, 30)
    for bad in ("24:00", "17:60", "noon"):
        with pytest.raises(EditRefused):
            parse_time(bad)


def test_move_reads_the_closing_the_opening_or_both() -> None:
    assert parse_move(f"{SX} city-materials 2024-03-31") == MoveMilestone(
        SX, "city-materials", closes=Moment(dt.date(2024, 3, 31))
    )
    assert parse_move(f"{SX} city-materials opens 2024-03-01") == MoveMilestone(
        SX, "city-materials", opens=Moment(dt.date(2024, 3, 1))
    )
    both = parse_move(f"{SX} city-materials opens 2024-03-01 8:30 closes 2024-03-31 17:30")
    assert both.opens == Moment(dt.date(2024, 3, 1), dt.time(8, 30))
    assert both.closes == Moment(dt.date(2024, 3, 31), dt.time(17, 30))
    assert describe(both) == f"move {SX} city-materials: opens 2024-03-01 08:30, closes 2024-03-31 17:30"
    for bad, message in [
        (f"{SX} city-materials", "Give the program, the milestone and the new date."),
        (f"{SX} city-materials opens", "Give the date after opens."),
        (f"{SX} city-materials 2024-03-31 2024-04-30", "Give one date for the opening and one for the closing."),
        (f"{SX} city-materials 2024-03-31 25:00", "25:00 is not a time of day: write it as HH:MM, e.g. 17:30."),
    ]:
        with pytest.raises(EditRefused) as refused:
            parse_move(bad)
        assert str(refused.value) == message


def test_track_phone_and_version_arguments() -> None:
    assert parse_track(f"{SX} skilled").track == "skilled"
    single = parse_track("xj-minority-backbone-2019")
    assert (single.track, single.named) == (None, False)
    assert parse_track("xj-minority-backbone-2019 -").named
    assert parse_phone(f"{SX} yq-skilled 0353-2299978") == ChangePhone(SX, "yq-skilled", new="0353-2299978")
    assert parse_phone(f"{SX} yq-skilled 2299977 +86-353-2299978").old == "2299977"
    with pytest.raises(EditRefused):
        parse_phone(f"{SX} yq-skilled 0353 2299978 extra words")
    with pytest.raises(EditRefused):
        parse_phone(f"{SX} yq-skilled call-me")
    assert parse_version("") is None
    assert parse_version("v3") == 3
    with pytest.raises(EditRefused):
        parse_version("0")
