"""After confirming: the reviewing office, staff decisions reaching the applicant, albums, big files, deleting one's data."""

from __future__ import annotations

from dialogs.events import AmendSubmission, FileEvent, FilesEvent, ForgetApplicant, NotifyStaff, StoreFile
from dialogs.routing import needs_sector, reviewing_office
from tests.engine_driver import Driver
from tests.test_engine_journeys import INSIDE_AID_WINDOW, OTHER_PDF, PDF, PNG, apply_as_expert, driver

BIG = 20 * 1024 * 1024 + 1


def submitted(content) -> tuple[Driver, str]:
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    d.press("Confirm and submit")
    [reference] = [s.reference for s in d.submissions.values()]
    return d, reference


def test_the_office_of_the_applicants_sector_is_named_in_the_staff_notification(content):
    d, reference = submitted(content)
    [notice] = [e for e in d.effects if isinstance(e, NotifyStaff)]
    assert notice.kind == "new_submission" and notice.reference == reference
    assert notice.payload["office"] == "health-aid-office"  # the applicant chose the health sector
    [submission] = d.submissions.values()
    assert submission.applicant["sector"] == "health"


def test_offices_follow_the_notices_duties():
    from dialogs.loader import load_content

    content = load_content()
    aid = content.program("xj-aid-talent-2023b2")
    assert not needs_sector(aid, "medical-team")
    assert reviewing_office(aid, "medical-team").id == "health-aid-office"
    assert needs_sector(aid, "flexible-expert")
    assert reviewing_office(aid, "flexible-expert", "industry").id == "industry-personnel-division"
    shanxi = content.program("sx-state-allowance-2023")
    assert reviewing_office(shanxi, "skilled").id == "yq-skilled"


def test_a_returned_submission_takes_new_documents_and_goes_back_to_staff(content):
    d, reference = submitted(content)
    d.decisions[reference] = ("returned", "盖章不清晰，请重新扫描")
    d.send_choice(f"x:amend:{reference}")
    assert "盖章不清晰，请重新扫描" in d.screen
    assert "Send to staff" not in d.labels()  # nothing to send yet
    d.press("Other document")
    d.upload("stamped-again.pdf", OTHER_PDF)
    assert "Received stamped-again.pdf." in d.screen
    d.press("Done with this document")
    assert "stamped-again.pdf" in d.screen
    d.press("Send to staff")
    amend = [e for e in d.effects if isinstance(e, AmendSubmission)]
    assert len(amend) == 1 and amend[0].reference == reference
    assert [doc.original_name for doc in amend[0].documents] == ["stamped-again.pdf"]
    assert [e for e in d.effects if isinstance(e, NotifyStaff)][-1].kind == "resubmitted"
    assert f"Submission {reference} is back with staff" in d.screen


def test_a_notification_button_for_a_submission_not_waiting_is_explained(content):
    d, reference = submitted(content)
    d.send_choice(f"x:amend:{reference}")  # still "submitted": nothing was asked of the applicant
    assert f"Submission {reference} is not waiting for documents from you." in d.screen
    d.send_choice("x:amend:AD-NOTMINE")
    assert "is not waiting for documents from you" in d.screen


def test_an_album_is_one_answer_with_several_files(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    album = FilesEvent(
        (
            FileEvent("p1.pdf", len(PDF), PDF),
            FileEvent("p2.png", len(PNG), PNG),
            FileEvent("p3.pdf", len(OTHER_PDF), OTHER_PDF),
        )
    )
    screen = d.send(album)
    assert "Received 3 files: p1.pdf, p2.png and p3.pdf." in screen
    assert "3 files received for this document." in screen
    assert len([e for e in d.effects if isinstance(e, StoreFile)]) == 3


def test_an_album_with_a_bad_page_keeps_the_good_ones_and_names_the_bad_one(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    screen = d.send(FilesEvent((FileEvent("ok.pdf", len(PDF), PDF), FileEvent("notes.txt", 5, b"hello"))))
    assert "notes.txt:" in screen and "Received ok.pdf." in screen
    assert "1 file received for this document." in screen


def test_a_file_announced_over_20_mb_is_refused_without_its_bytes(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    screen = d.send(FileEvent("scan.pdf", BIG, b""))
    assert "The file is 20.1 MB; the limit is 20 MB." in screen
    assert not [e for e in d.effects if isinstance(e, StoreFile)]


def test_deleting_ones_data_asks_first_then_withdraws_every_submission(content):
    d, reference = submitted(content)
    d.command("delete_my_data")
    assert "This cannot be undone" in d.screen
    d.press("No, keep it")
    assert not [e for e in d.effects if isinstance(e, ForgetApplicant)]
    d.command("delete_my_data")
    d.press("Yes, delete my data")
    assert [e for e in d.effects if isinstance(e, ForgetApplicant)]
    withdrawn = [e for e in d.effects if isinstance(e, NotifyStaff) and e.kind == "withdrawn"]
    assert [w.reference for w in withdrawn] == [reference]
    assert "Your data has been deleted." in d.screen
    assert d.state.facts == {} and d.state.draft is None and d.state.lang == "en"
