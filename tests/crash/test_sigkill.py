"""The SIGKILL crash test, short form: a few applicants confirm while ``python -m bot`` is killed twice.

The full form, with the counts printed: ``python -m tests.crash.sigkill`` (see :mod:`tests.crash.sigkill`).
"""

from __future__ import annotations

import pytest

from tests.crash.sigkill import run


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_applicants_confirming_while_the_bot_is_killed_lose_nothing_and_get_one_of_everything(
    runtime: str,
) -> None:
    report = await run(runtime, applicants=6, kills=2, seed=13)
    summary = "\n".join(report.lines())
    assert report.kills == 2, summary
    assert report.confirmed == report.submissions == 6, summary
    assert report.lost_submissions == report.duplicated_submissions == 0, summary
    assert report.documents == 6 and report.hash_mismatches == 0, summary
    assert report.lost_notices == report.lost_notice_documents == report.lost_receipts == report.stuck == 0, summary
    # a duplicate notice or receipt is only ever a part the worker knows it may have sent twice
    duplicates = report.duplicate_notices + report.duplicate_notice_documents + report.duplicate_receipts
    assert duplicates <= report.resent, summary
    assert report.ok, summary
