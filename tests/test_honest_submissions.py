"""Submissions the notice would take, and only those: refusals and warnings at confirm, one per track,
a receipt that says nothing was reviewed yet and what the notice still asks, and status words that
follow the review."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.i18n import translator
from dialogs.events import CreateSubmission, NotifyStaff
from dialogs.flows.model import Step
from dialogs.render import render_composed
from dialogs.state import State
from tests.engine_driver import Driver
from tests.test_engine_journeys import INSIDE_AID_WINDOW, PDF, driver

BEIJING = ZoneInfo("Asia/Shanghai")
INSIDE_MINORITY_WINDOW = dt.datetime(2019, 3, 1, 10, 0, tzinfo=BEIJING)
AID = "2023 aid-talent plan (batch 2)"
MINORITY = "2019 minority backbone training"
#: A flexible expert from outside Xinjiang who meets every rule of that track; as a small-team leader too.
EXPERT_FACTS = {
    "region": "other",
    "civil_servant": False,
    "in_key_program": False,
    "applying_elsewhere": False,
    "agreement_signed": True,
    "title": "senior",
    "education": "doctorate",
    "months_in_xj_per_year": 3,
}
TEAM_LEADER_FACTS = {**EXPERT_FACTS, "team_size": 6, "team_role": "leader", "same_host_unit": True}
#: A minority professional in Xinjiang who meets every rule of the 2019 backbone training.
MINORITY_FACTS = {
    "region": "xinjiang",
    "employer": "enterprise",
    "post": "professional",
    "ethnic_minority": True,
    "specialty_in_plan": True,
    "age": 30,
    "chinese_proficiency": True,
    "computer_skills": True,
    "education": "bachelor",
    "title": "intermediate",
}
CONFIRM = {"en": "Confirm and submit", "zh": "确认并提交"}


def aid_review(d: Driver, track: str, facts: dict[str, object]) -> None:
    """From the menu to the review of an aid-plan application with ``facts`` already answered."""
    d.state.facts = dict(facts)
    d.press("Apply")
    d.press(AID)
    d.press(track)
    d.text("张三")
    d.text("139 1234 5678")
    d.text("浙江大学")
    d.press("Health (Regional Health Commission)")
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    assert d.state.step == Step.REVIEW


def minority_review(d: Driver) -> None:
    """To the review of a 2019 minority-backbone application, each of the applicant's own items with a file."""
    d.state.facts = dict(MINORITY_FACTS)
    d.press("Apply")
    d.press(MINORITY)
    d.text("阿依古丽")
    d.text("13912345678")
    d.text("喀什第一中学")
    for n in range(3):
        d.upload(f"page{n}.pdf", PDF + bytes([n]))
        d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    d.press("Skip: my unit sends this one")
    assert d.state.step == Step.REVIEW


def created(d: Driver) -> list[CreateSubmission]:
    return [e for e in d.effects if isinstance(e, CreateSubmission)]


# --------------------------------------------------------------------------- firm requirements


def test_confirm_after_an_answer_makes_a_firm_rule_fail_is_refused_with_the_rule_and_its_clause(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.press("Change an answer")
    d.press("Civil servant: No")
    d.press("Yes")
    assert "It cannot be sent" in d.screen  # the review says so before confirm is pressed
    screen = d.press("Confirm and submit")
    assert not created(d) and not d.submissions
    assert d.state.step == Step.SUBMIT_REFUSED
    assert "Not sent:" in screen and "the notice allows no exception" in screen
    assert "✗ Civil servants and staff managed under the Civil Servant Law may not apply" in screen
    assert "§四1]" in screen
    assert "No other track fits all your answers so far" in screen  # every aid track excludes civil servants
    assert {"Which program fits me?", "Contacts", "Change an answer"} <= set(d.labels())


def test_a_refusal_names_the_tracks_the_answers_do_fit(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Small aid teams", TEAM_LEADER_FACTS)
    d.press("Change an answer")
    d.press("Team size: 6 people")
    d.text("12")  # the notice caps a small team at 8, without "generally"
    screen = d.press("Confirm and submit")
    assert not created(d)
    assert "Your answers so far fit:" in screen
    assert "- 2023 aid-talent plan (batch 2) — Flexible aid experts" in screen
    assert "Small aid teams" not in screen.split("Your answers so far fit:")[1]


def test_changing_the_answer_from_the_refusal_returns_to_the_review_and_then_sends(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.state.facts["civil_servant"] = True
    d.press("Confirm and submit")
    d.press("Change an answer")
    d.press("Civil servant: Yes")
    d.press("No")
    assert d.state.step == Step.REVIEW
    d.press("Confirm and submit")
    assert len(created(d)) == 1 and d.state.step == Step.DONE


def test_a_firm_rule_left_unknown_behind_a_softened_failure_is_asked_before_applying(content):
    d = driver(content, INSIDE_AID_WINDOW)
    d.state.facts = {k: v for k, v in EXPERT_FACTS.items() if k != "agreement_signed"} | {"months_in_xj_per_year": 1}
    d.press("Apply")
    d.press(AID)
    d.press("Flexible aid experts")
    assert d.state.step == Step.QUESTION and d.state.question == "agreement_signed"
    d.press("No")
    assert d.state.step == Step.INELIGIBLE


# --------------------------------------------------------------------------- softened requirements


def test_a_softened_failure_is_shown_before_confirm_and_flagged_to_staff(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", {**EXPERT_FACTS, "months_in_xj_per_year": 1})
    review = d.screen
    assert "Warning: you do not meet a requirement the notice softens. You may still submit" in review
    assert (
        '⚠ Not met: Works in Xinjiang, in principle, at least 2 months in total within a year — the notice says "in principle"'
        in review
    )
    assert "Eligibility: a requirement the notice softens is not met; exceptions are possible" in review
    assert review.count("To ask about an exception:") == 1 and "0991-2398076" in review
    assert review.index("Warning:") < review.index("Documents:")

    d.press("Confirm and submit")
    [submission] = created(d)
    [notice] = [e for e in d.effects if isinstance(e, NotifyStaff)]
    assert notice.payload["softened"] == ["expert-months"]

    tr = translator("zh")
    args = {
        "kind": "new_submission",
        "reference": submission.reference,
        "program": submission.program,
        "track": submission.track,
        "contact": submission.applicant,
        "facts": submission.facts,
        "verdict": submission.verdict,
        "created_at": INSIDE_AID_WINDOW,
        "documents": {},
    }
    staff = render_composed("@staff_submission", args, content, INSIDE_AID_WINDOW, tr).splitlines()
    assert staff[1].startswith("提示：申请人不符合通知中带弹性表述（可放宽）的条件")
    assert staff[2].startswith("⚠ 未满足：") and "“原则上”" in staff[2] and "§二(二)2]" in staff[2]


def test_an_applicant_who_fails_no_softened_rule_sees_no_warning_and_staff_no_flag(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    assert "Warning:" not in d.screen and "Eligibility: eligible" in d.screen
    d.press("Confirm and submit")
    [notice] = [e for e in d.effects if isinstance(e, NotifyStaff)]
    assert "softened" not in notice.payload


# --------------------------------------------------------------------------- the applicant's own documents


def test_confirm_is_refused_while_an_item_of_the_applicants_own_has_no_file(content):
    d = driver(content, INSIDE_MINORITY_WINDOW)
    minority_review(d)
    d.press("Replace: Scans of supporting documents")
    d.press("Back")  # back on the review with that item emptied
    assert "Still without a file (yours to provide): Scans of supporting documents" in d.screen
    screen = d.press("Confirm and submit")
    assert not created(d)
    assert "Not sent yet: this document of yours has no file: Scans of supporting documents." in screen
    assert d.state.step == Step.DOCUMENTS and "Scans of supporting documents" in screen
    d.upload("scan.pdf", PDF + b"scan")
    d.press("Done with this document")
    assert d.state.step == Step.REVIEW  # the detour returns to the review
    d.press("Confirm and submit")
    assert len(created(d)) == 1


# --------------------------------------------------------------------------- one submission per track


def test_applying_again_to_the_same_track_points_to_the_first_submission(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.press("Confirm and submit")
    [first] = created(d)
    d.press("Main menu")
    d.press("Apply")
    d.press(AID)
    screen = d.press("Flexible aid experts")
    assert d.state.step == Step.ALREADY_SUBMITTED
    assert f"You already applied to {AID} — Flexible aid experts: submission {first.reference}" in screen
    assert "submitted: sent to the office, not yet reviewed" in screen
    assert "Send documents" not in d.labels()  # nothing to add while staff have not asked
    d.decisions[first.reference] = ("more_requested", "请补充意向书")
    d.press("Back")
    screen = d.press("Flexible aid experts")
    assert "more requested: staff ask for a document" in screen
    d.press("Send documents")
    assert d.state.step == Step.AMEND and d.state.draft is not None and d.state.draft.amends == first.reference
    assert len(created(d)) == 1


def test_a_submission_made_meanwhile_from_another_device_stops_a_second_at_confirm(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    other = CreateSubmission(
        key="other-device:1",
        reference="AD-7KQ4M-XP2ZT",
        program="xj-aid-talent-2023b2",
        track="flexible-expert",
        applicant={"name": "张三", "phone": "13912345678", "employer": "浙江大学"},
        facts=dict(EXPERT_FACTS),
        verdict="eligible",
        documents=(),
    )
    d.submissions[other.key] = other
    screen = d.press("Confirm and submit")
    assert not created(d) and list(d.submissions) == ["other-device:1"]
    assert "submission AD-7KQ4M-XP2ZT" in screen and d.state.step == Step.ALREADY_SUBMITTED


def test_another_track_of_the_same_program_may_still_be_applied_for(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.press("Confirm and submit")
    d.press("Main menu")
    d.command("cancel")
    aid_review(d, "Small aid teams", TEAM_LEADER_FACTS)
    d.press("Confirm and submit")
    assert [s.track for s in created(d)] == ["flexible-expert", "small-team"]


# --------------------------------------------------------------------------- the receipt


def test_the_receipt_says_not_yet_reviewed_gives_the_reference_and_what_the_notice_still_asks(content):
    d = driver(content, INSIDE_MINORITY_WINDOW)
    minority_review(d)
    receipt = d.press("Confirm and submit")
    [submission] = created(d)
    lines = receipt.splitlines()
    assert lines[0] == (
        "Sent to Professional and Technical Personnel Division, Xinjiang HR and Social Security Department; "
        "not yet reviewed."
    )
    assert lines[1] == f"Reference: {submission.reference} (keep it)."
    assert "received" not in receipt.lower() and "accepted" not in receipt.lower()
    ahead = receipt.split("What the notice still asks of you:")[1]
    assert "- In the online system: Log in to the Xinjiang professional title review website" in ahead
    assert "(http://www.xjzcsq.com)" in ahead
    assert "- On paper: After applying online, print the system-generated application form in 3 copies" in ahead
    assert "- Through your unit:" in ahead
    assert (
        "Application form for minority special-training trainees (annex 3) (3 copies): filled in online and printed form"
        in ahead
    )
    assert (
        "- Online application period: 15 February 2019 to 15 March 2019 (Beijing time) (open now, 14 days left)"
        in ahead
    )
    assert "- Deadline for mailing the paper materials: by 20 March 2019 (Beijing time)" in ahead


def test_the_receipt_is_in_the_applicants_language_and_never_says_accepted(content):
    d = Driver(content, INSIDE_MINORITY_WINDOW, state=State(lang="en"))
    d.command("start")
    minority_review(d)
    d.state.lang = "zh"
    receipt = d.press(CONFIRM["zh"])
    [submission] = created(d)
    assert receipt.startswith("已发送至自治区人力资源和社会保障厅专业技术人员管理处，尚未审核。")
    assert f"申报编号：{submission.reference}（请妥善保存）。" in receipt
    assert "受理" not in receipt
    assert "按通知要求，您还需要：" in receipt and "一式3份" in receipt
    assert "网上申报时间：2019年2月15日至2019年3月15日（北京时间）" in receipt
    assert "纸质材料寄出截止：截止于2019年3月20日（北京时间）" in receipt


def test_a_receipt_rendered_later_from_storage_names_the_same_office(content):
    """The Telegram receipt comes from the outbox, built from the stored submission (its sector included)."""
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    shown = d.press("Confirm and submit")
    [submission] = created(d)
    args = {
        "reference": submission.reference,
        "program": submission.program,
        "track": submission.track,
        "sector": submission.applicant.get("sector"),
        "draft": {"documents": {"small-team-expert-application-form": [{"original_name": "form.pdf"}]}},
    }
    later = render_composed("@receipt", args, content, INSIDE_AID_WINDOW, translator("en"))
    assert (
        later.splitlines()[0]
        == shown.splitlines()[0]
        == ("Sent to Aid-to-Xinjiang Office, Regional Health Commission; not yet reviewed.")
    )
    assert "- Application deadline: by 15 June 2023, 20:00 (Beijing time)" in later


# --------------------------------------------------------------------------- status words


def test_status_words_follow_the_review(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.press("Confirm and submit")
    [submission] = created(d)
    reference = submission.reference
    words = {
        "submitted": "submitted: sent to the office, not yet reviewed",
        "returned": "returned to you for changes",
        "more_requested": "more requested: staff ask for a document",
        "accepted": "accepted by the office after review",
    }
    for status, word in words.items():
        d.decisions[reference] = (status, None)
        screen = d.command("status")
        line = next(line for line in screen.splitlines() if reference in line)
        assert word in line, (status, line)
        for other in set(words.values()) - {word}:
            assert other not in line


def test_status_words_in_chinese_say_not_yet_reviewed_until_staff_accept(content):
    d = driver(content, INSIDE_AID_WINDOW)
    aid_review(d, "Flexible aid experts", EXPERT_FACTS)
    d.press("Confirm and submit")
    [submission] = created(d)
    d.state = dataclasses.replace(d.state, lang="zh")
    line = next(line for line in d.command("status").splitlines() if submission.reference in line)
    assert "已提交：已发送至经办部门，尚未审核" in line and "受理" not in line
    d.decisions[submission.reference] = ("accepted", None)
    line = next(line for line in d.command("status").splitlines() if submission.reference in line)
    assert "经审核已接受" in line
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", line)


def test_a_fitting_track_whose_window_is_not_open_is_named_with_its_state(content):
    d = driver(content, INSIDE_AID_WINDOW)
    trainee = {
        **MINORITY_FACTS,
        **{k: EXPERT_FACTS[k] for k in ("civil_servant", "in_key_program", "applying_elsewhere")},
    }
    aid_review(
        d,
        "Training of Xinjiang's backbone professionals",
        {**trainee, "agreement_signed": True, "unit_level": "prefecture"},
    )
    d.state.facts["civil_servant"] = True  # every aid track excludes civil servants; the 2019 training does not
    screen = d.press("Confirm and submit")
    assert not created(d)
    assert "- 2019 minority backbone training: closed" in screen


def test_applying_with_an_answer_a_firm_rule_refuses_names_the_tracks_that_fit(content):
    d = driver(content, INSIDE_AID_WINDOW)
    d.state.facts = {**TEAM_LEADER_FACTS, "team_size": 12}
    d.press("Apply")
    d.press(AID)
    screen = d.press("Small aid teams")
    assert d.state.step == Step.INELIGIBLE and not created(d)
    assert "You cannot apply for this track" in screen
    assert "Your answers so far fit:\n- 2023 aid-talent plan (batch 2) — Flexible aid experts" in screen
    assert "Which program fits me?" in d.labels()
