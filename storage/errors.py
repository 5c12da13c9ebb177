"""Errors raised by storage — one base class so the edges can catch the package as a whole.

This module imports nothing from SQLAlchemy, so callers may catch these errors
without pulling the database layer in.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error raised on purpose by :mod:`storage`."""


class ConcurrentUpdate(StorageError):
    """The row changed since it was read (a stale version); reload and retry the event."""


class DuplicateSubmission(ConcurrentUpdate):
    """The applicant already has a submission to this track (made by another event meanwhile: a double tap
    on a new draft, a second device). Re-run the event: the engine, now seeing it, points to it instead."""


class StatusConflict(StorageError):
    """A status change was refused: the submission is already decided, or someone else decided first."""


class NotFound(StorageError):
    """No row with that key (a submission reference, an outbox id, …)."""


class DuplicateReference(StorageError):
    """A different submission (another idempotency key) already holds this reference."""


class UnsafeName(StorageError):
    """A stored file name that the file store did not generate (path separators, ``..``, …)."""


class MissingFile(StorageError):
    """A stored file named by a document is not in the file store (removed, or the folder lost)."""
