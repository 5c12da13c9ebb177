"""Windows open and close to the minute, in Beijing time, whatever zone ``now`` is given in."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from dialogs.schedule import applicant_deadline, is_open, last_moment, program_status

BEIJING = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


# (program, moment, status) — the minute before and the minute a window opens or closes.
BOUNDARIES = [
    ("xj-state-allowance-2020", "2020-03-01T09:00", "open"),  # no opening date in the notice
    ("xj-state-allowance-2020", "2020-05-06T23:59", "open"),  # "5月6日前": the whole day counts
    ("xj-state-allowance-2020", "2020-05-07T00:00", "closed"),
    # no opening date in the notice: 3 March 2023 is the day the Yangquan letter was issued, not an opening
    ("sx-state-allowance-2023", "2023-03-02T23:59", "open"),
    ("sx-state-allowance-2023", "2023-03-03T00:00", "open"),
    ("sx-state-allowance-2023", "2023-03-31T23:59", "open"),
    ("sx-state-allowance-2023", "2023-04-01T00:00", "closed"),
    ("xj-aid-talent-2023b2", "2023-06-15T19:59", "open"),  # "6月15日20:00前"
    ("xj-aid-talent-2023b2", "2023-06-15T20:00", "closed"),
    ("xj-aid-talent-2023b2", "2023-06-15T11:59+00:00", "open"),  # the same minutes given in UTC
    ("xj-aid-talent-2023b2", "2023-06-15T12:00+00:00", "closed"),
    ("xj-minority-backbone-2019", "2019-02-14T23:59", "upcoming"),
    ("xj-minority-backbone-2019", "2019-02-15T00:00", "open"),
    ("xj-minority-backbone-2019", "2019-03-15T23:59", "open"),
    ("xj-minority-backbone-2019", "2019-03-16T00:00", "closed"),
    ("xj-regional-allowance", "2024-01-01T00:00", "draft"),
    ("xj-regional-allowance", "2026-11-21T12:00", "draft"),
]


@pytest.mark.parametrize(("program_id", "moment", "status"), BOUNDARIES, ids=[f"{p}@{m}" for p, m, _ in BOUNDARIES])
def test_window_state_changes_on_the_exact_minute(content, program_id, moment, status):
    program = content.program(program_id)
    now = at(moment)
    assert program_status(program, now) == status
    assert all(is_open(program, track, now) == (status == "open") for track in program.tracks)


def test_every_program_is_closed_or_draft_today(content):
    today = at("2026-11-21T12:00")
    statuses = {p.id: program_status(p, today) for p in content.programs}
    assert statuses == {
        "xj-regional-allowance": "draft",
        "xj-state-allowance-2020": "closed",
        "sx-state-allowance-2023": "closed",
        "xj-aid-talent-2023b2": "closed",
        "xj-minority-backbone-2019": "closed",
    }


@pytest.mark.parametrize(
    ("program_id", "deadline"),
    [
        ("xj-state-allowance-2020", "2020-05-06T23:59:59+08:00"),
        ("sx-state-allowance-2023", "2023-03-31T23:59:59+08:00"),
        ("xj-aid-talent-2023b2", "2023-06-15T20:00:00+08:00"),
        ("xj-minority-backbone-2019", "2019-03-15T23:59:59+08:00"),
    ],
)
def test_applicant_deadline_is_the_applicant_facing_one(content, program_id, deadline):
    program = content.program(program_id)
    for now in ("2010-01-01T00:00", "2026-11-21T12:00"):  # next one before it, the last one after it
        milestone = applicant_deadline(program, at(now))
        assert milestone is not None and last_moment(milestone).isoformat() == deadline


def test_draft_program_has_no_deadline(content):
    assert applicant_deadline(content.program("xj-regional-allowance"), at("2026-11-21T12:00")) is None


def test_programs_command_lists_every_program_and_track_with_status(cli):
    result = cli("programs", "--json", "--now", "2026-11-21T12:00:00+08:00")
    assert result.code == 0, result.err
    programs = json.loads(result.out)["programs"]
    assert len(programs) == 5
    assert sum(len(p["tracks"]) for p in programs) == 11  # 10 named tracks + the minority program's null track
    assert {p["status"] for p in programs} == {"closed", "draft"}
    assert not any(t["open"] for p in programs for t in p["tracks"])
    by_id = {p["id"]: p for p in programs}
    assert by_id["xj-aid-talent-2023b2"]["deadline"] == "2023-06-15T20:00:00+08:00"
    assert by_id["xj-regional-allowance"]["deadline"] is None
    assert [t["id"] for t in by_id["xj-minority-backbone-2019"]["tracks"]] == [None]
    assert [t["id"] for t in by_id["xj-aid-talent-2023b2"]["tracks"]] == [
        "medical-team",
        "small-team",
        "flexible-expert",
        "backbone-training",
    ]


@pytest.mark.parametrize(
    ("now", "open_program"),
    [
        ("2020-04-01T10:00:00+08:00", "xj-state-allowance-2020"),
        ("2023-03-20T10:00:00+08:00", "sx-state-allowance-2023"),
        ("2023-06-15T19:59:00+08:00", "xj-aid-talent-2023b2"),
        ("2019-03-01T10:00:00+08:00", "xj-minority-backbone-2019"),
    ],
)
def test_programs_command_shows_a_window_open_inside_it(cli, now, open_program):
    result = cli("programs", "--json", "--now", now)
    assert result.code == 0, result.err
    programs = {p["id"]: p for p in json.loads(result.out)["programs"]}
    assert programs[open_program]["status"] == "open"
    assert all(t["open"] for t in programs[open_program]["tracks"])
    assert programs["xj-regional-allowance"]["status"] == "draft"
