"""The statements every ordinary event runs, in SQLAlchemy Core: read the applicant with their conversation,
write the conversation back if nobody saved it meanwhile.

An ordinary event (a menu, an answer, a page of information) has no effect beyond its new state, so it
needs neither the ORM session nor the identity map: on a plain connection the same two statements ran
roughly 1.6-1.8x as many events a second on SQLite (a micro-benchmark on a shared, noisy machine). The
repositories build their statements from here too (:class:`storage.repositories.ConversationRepository`), so the two paths cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Delete, Select, Table, Update, bindparam, delete, exists, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.errors import ConcurrentUpdate, StorageError
from storage.models import Applicant, Conversation, HandledUpdate
from storage.views import Opened

APPLICANTS: Table = Applicant.__table__  # type: ignore[assignment]
CONVERSATIONS: Table = Conversation.__table__  # type: ignore[assignment]
HANDLED: Table = HandledUpdate.__table__  # type: ignore[assignment]

#: Set around a transaction's last statement: commit in the statement's own trip.
COMMIT_IN_TRIP: ContextVar[bool] = ContextVar("commit_in_trip", default=False)


@contextmanager
def commit_in_trip() -> Iterator[None]:
    """The statements run inside commit their transaction in their own trip to SQLite's thread
    (:mod:`storage.sqlite_trips`; elsewhere the transaction commits as usual when it ends). Only around
    a transaction's last statement."""
    token = COMMIT_IN_TRIP.set(True)
    try:
        yield
    finally:
        COMMIT_IN_TRIP.reset(token)


def open_query(channel: str, external_id: str) -> Select[Any]:
    """The applicant of this channel user with their conversation on it (none yet: NULLs)."""
    applicants, conversations = APPLICANTS.c, CONVERSATIONS.c
    joined = APPLICANTS.outerjoin(
        CONVERSATIONS, (conversations.applicant_id == applicants.id) & (conversations.channel == applicants.channel)
    )
    return (
        select(applicants.id, applicants.language, conversations.state, conversations.version)
        .select_from(joined)
        .where(applicants.channel == channel, applicants.external_id == external_id)
    )


def _seen(bot_id: Any, update_id: Any) -> Any:
    handled = HANDLED.c
    return exists().where(handled.bot_id == bot_id, handled.update_id == update_id).label("seen")


def _seen_and_open(bot_id: Any, update_id: Any, channel: Any, external_id: Any) -> Select[Any]:
    applicants, conversations = APPLICANTS.c, CONVERSATIONS.c
    one = select(literal(1).label("one")).subquery("one")
    joined = one.outerjoin(
        APPLICANTS, (applicants.channel == channel) & (applicants.external_id == external_id)
    ).outerjoin(
        CONVERSATIONS, (conversations.applicant_id == applicants.id) & (conversations.channel == applicants.channel)
    )
    return select(
        _seen(bot_id, update_id), applicants.id, applicants.language, conversations.state, conversations.version
    ).select_from(joined)


# The hot statements are built once, with parameters: building one (and its cache key) per event cost
# about as much CPU as running it.
_SEEN = select(_seen(bindparam("h_bot"), bindparam("h_update")))
_SEEN_AND_OPEN = _seen_and_open(
    bindparam("h_bot"), bindparam("h_update"), bindparam("o_channel"), bindparam("o_external")
)


def seen_query(bot_id: int, update_id: int) -> tuple[Select[Any], dict[str, Any]]:
    """Whether this Telegram update was handled to the end (one row, one boolean ``seen``)."""
    return _SEEN, {"h_bot": bot_id, "h_update": update_id}


def seen_and_open_query(
    bot_id: int, update_id: int, channel: str, external_id: str
) -> tuple[Select[Any], dict[str, Any]]:
    """:func:`seen_query` and :func:`open_query` in one statement: always one row, its applicant columns
    NULL when the person is new (a one-row constant outer-joined to the applicant and their conversation)."""
    return _SEEN_AND_OPEN, {"h_bot": bot_id, "h_update": update_id, "o_channel": channel, "o_external": external_id}


def _record(insert: Any) -> Any:
    values: dict[str, Any] = {"bot_id": bindparam("r_bot"), "update_id": bindparam("r_update")}
    values["handled_at"] = bindparam("r_at", type_=HANDLED.c.handled_at.type)
    return insert.values(values).on_conflict_do_nothing(index_elements=["bot_id", "update_id"])


_RECORD = {"sqlite": _record(sqlite.insert(HANDLED)), "postgresql": _record(postgresql.insert(HANDLED))}


def record_statement(dialect: str, bot_id: int, update_id: int, now: datetime) -> tuple[Any, dict[str, Any]]:
    """The INSERT that records a handled update (again: nothing happens)."""
    if dialect not in _RECORD:
        raise StorageError(f"unsupported database backend {dialect!r}")
    return _RECORD[dialect], {"r_bot": bot_id, "r_update": update_id, "r_at": now}


def prune_statement(before: datetime) -> Delete:
    return delete(HANDLED).where(HANDLED.c.handled_at < before)


def opened(row: Any) -> Opened | None:
    return None if row is None else Opened(row.id, row.language, row.state, row.version)


def save_statement(
    applicant_id: int, channel: str, state: Mapping[str, Any], *, expected_version: int, now: datetime, schema: int = 1
) -> Update:
    """The UPDATE that stores ``state`` only over ``expected_version`` (its row count says whether it did)."""
    columns = CONVERSATIONS.c
    return (
        update(CONVERSATIONS)
        .where(
            columns.applicant_id == applicant_id,
            columns.channel == channel,
            columns.version == expected_version,
        )
        .values(state=dict(state), schema=schema, version=expected_version + 1, updated_at=now)
    )


def stale(applicant_id: int, channel: str, expected_version: int) -> ConcurrentUpdate:
    return ConcurrentUpdate(
        f"conversation of applicant {applicant_id} on {channel} is no longer at version {expected_version}"
    )


_OPEN = open_query(bindparam("o_channel"), bindparam("o_external"))  # type: ignore[arg-type]
_SAVE = (
    update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.applicant_id == bindparam("s_applicant"),
        CONVERSATIONS.c.channel == bindparam("s_channel"),
        CONVERSATIONS.c.version == bindparam("s_expected"),
    )
    .values(
        {
            "state": bindparam("s_state", type_=CONVERSATIONS.c.state.type),
            "schema": bindparam("s_schema"),
            "version": bindparam("s_version"),
            "updated_at": bindparam("s_now", type_=CONVERSATIONS.c.updated_at.type),
        }
    )
)


def saving() -> Update:
    """The conversation's UPDATE with parameters (:func:`save_parameters`), for one event or a batch."""
    return _SAVE


def save_parameters(
    applicant_id: int, channel: str, state: Mapping[str, Any], *, expected_version: int, now: datetime
) -> dict[str, Any]:
    return {
        "s_applicant": applicant_id,
        "s_channel": channel,
        "s_expected": expected_version,
        "s_state": state,
        "s_schema": 1,
        "s_version": expected_version + 1,
        "s_now": now,
    }


async def open_conversation(engine: AsyncEngine, channel: str, external_id: str) -> Opened | None:
    """:func:`open_query` on a connection of its own (no transaction kept open after it)."""
    async with engine.connect() as connection:
        return opened((await connection.execute(_OPEN, {"o_channel": channel, "o_external": external_id})).first())


async def save_conversation(
    connection: AsyncConnection,
    applicant_id: int,
    channel: str,
    state: Mapping[str, Any],
    *,
    expected_version: int,
    now: datetime,
) -> None:
    """Store the state in the caller's transaction, or raise :class:`ConcurrentUpdate` if it moved on."""
    await save_prepared(
        connection, save_parameters(applicant_id, channel, state, expected_version=expected_version, now=now)
    )


async def save_prepared(connection: AsyncConnection, parameters: dict[str, Any]) -> None:
    """:func:`save_conversation` with its :func:`save_parameters` made already."""
    result = await connection.execute(_SAVE, parameters)
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        raise stale(parameters["s_applicant"], parameters["s_channel"], parameters["s_expected"])
