"""Persistence: SQLAlchemy 2 async models, repositories, a unit of work, migrations, the file store.

Only this package imports SQLAlchemy. Importing ``storage`` itself stays light
(errors and the file store); the database parts live in their modules so the
command line never loads them by accident::

    from storage.db import open_database

    db = await open_database(url)            # migrates, then opens (or: await migrate(url))
    async with db.uow() as uow:              # one unit of work per event
        loaded = await uow.conversations.load(applicant.id, channel)
        ...                                  # run the engine
        await uow.conversations.save(applicant.id, channel, state, expected_version=..., now=now)
        await apply_effects(uow, effects, applicant_id=applicant.id, now=now)   # storage.effects
        await uow.commit()                   # state and effects together, or nothing
"""

from storage.errors import (
    ConcurrentUpdate,
    DuplicateReference,
    MissingFile,
    NotFound,
    StatusConflict,
    StorageError,
    UnsafeName,
)

__all__ = [
    "ConcurrentUpdate",
    "DuplicateReference",
    "MissingFile",
    "NotFound",
    "StatusConflict",
    "StorageError",
    "UnsafeName",
]
