"""A submission's life: its statuses, the moves between them, and what a replayed action does.

These are rules of the desk, not of a table: the applicant engine asks whether a
submission waits for its applicant, the review engine whether a decision may be
taken, and storage refuses a move these functions do not allow (its UPDATE only
matches the status it checked, so two decisions at once still make one). Pure:
no database, no clock.

A withdrawn submission is not a status: the applicant deleting their data deletes
the submission, and staff are told (see ``NotifyStaff("withdrawn")``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping


class Status(enum.StrEnum):
    """Where a submission stands. The values are what the ``submissions.status`` column holds."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    MORE_REQUESTED = "more_requested"


#: Allowed moves. ``accepted`` is final; ``returned`` and ``more_requested`` wait for the applicant,
#: whose new upload puts the submission back to ``submitted``.
TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.RETURNED, Status.MORE_REQUESTED}),
    Status.MORE_REQUESTED: frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.RETURNED}),
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    Status.ACCEPTED: frozenset(),
}
#: Statuses nothing moves out of.
FINAL_STATUSES = frozenset(status for status, moves in TRANSITIONS.items() if not moves)
#: Statuses in which the submission waits for documents from its applicant (after a return or a request).
AWAITING_APPLICANT = frozenset({Status.RETURNED, Status.MORE_REQUESTED})
#: What staff can decide; each decision is a status the submission moves to.
DECISIONS = (Status.ACCEPTED, Status.RETURNED, Status.MORE_REQUESTED)
#: Decisions staff explain in words before they are taken (the applicant reads the comment).
NEEDS_COMMENT = frozenset({Status.RETURNED, Status.MORE_REQUESTED})


#: A submission's reference as made now (``AD-7KQ4M-XP2ZT``: ten random characters, about 49 bits, so
#: that nobody can guess another person's; drawn by :func:`storage.models.new_reference`), and the shapes
#: older submissions may still carry (``AD-725MGLQB``, ``XJ-2026-000123``).
SUBMISSION_REFERENCE = re.compile(r"AD-[2-9A-Z]{5}-[2-9A-Z]{5}|AD-[A-Z2-7]{8}|[A-Z0-9]{1,4}-\d{4}-\d{6}")


def is_submission_reference(text: str) -> bool:
    """Whether ``text`` has the shape of a submission reference (button data is checked with it)."""
    return len(text) <= 40 and SUBMISSION_REFERENCE.fullmatch(text) is not None


def status_of(value: str) -> Status | None:
    """The status a stored or transmitted string names, or None for anything else."""
    try:
        return Status(value)
    except ValueError:
        return None


def can_move(current: str, to: str) -> bool:
    """Whether a submission in ``current`` may move to ``to``."""
    here, there = status_of(current), status_of(to)
    return here is not None and there is not None and there in TRANSITIONS[here]


def is_final(status: str) -> bool:
    return status_of(status) in FINAL_STATUSES


def awaits_applicant(status: str) -> bool:
    """Whether the applicant may send documents again (the submission then goes back to review)."""
    return status_of(status) in AWAITING_APPLICANT


# --------------------------------------------------------------------------- replays


class Replay(enum.Enum):
    """What a repeated action does, decided from what is stored when it arrives."""

    #: The action takes effect (first time, or a new move).
    APPLY = "apply"
    #: The same action was already taken: nothing changes, nobody is told twice; the actor hears so.
    ALREADY_DONE = "already_done"
    #: Something else happened meanwhile: nothing changes; the actor hears what it is now.
    OVERTAKEN = "overtaken"


def replay_of_decision(current: str, decision: str, seen: str | None = None) -> Replay:
    """A staff decision arriving when the submission is ``current``.

    ``seen`` is the status staff saw when they started (a button pressed before a comment was
    written): the decision applies only from it, so a comment written while a colleague decided
    does not overrule them. A decision equal to the current status (a double press, two reviewers
    pressing the same button) is ``ALREADY_DONE``: the applicant is told once.
    """
    if seen is not None and seen != current:
        return Replay.ALREADY_DONE if current == decision else Replay.OVERTAKEN
    if current == decision:
        return Replay.ALREADY_DONE
    if status_of(decision) in NEEDS_COMMENT and awaits_applicant(current):
        return Replay.OVERTAKEN  # already waiting for the applicant: a second request waits for their answer
    return Replay.APPLY if can_move(current, decision) else Replay.OVERTAKEN


def replay_of_confirm(created: bool) -> Replay:
    """A confirm replayed (a double tap, or the event re-run after a crash) finds the submission its
    idempotency key made: it is one submission, with one staff notice and one receipt."""
    return Replay.APPLY if created else Replay.ALREADY_DONE


def replay_of_amend(current: str, owned: bool) -> Replay:
    """Documents sent again after staff returned a submission or asked for more: they apply while it
    waits for its applicant; otherwise staff moved it meanwhile (or it was already resubmitted) and the
    applicant's event is decided again from what is stored now."""
    return Replay.APPLY if owned and awaits_applicant(current) else Replay.OVERTAKEN
