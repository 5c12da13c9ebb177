"""One trip to aiosqlite's thread per SQLite statement, instead of four.

aiosqlite runs each call of the ``sqlite3`` connection in a thread of its own; SQLAlchemy's adapter
makes four calls per statement (cursor, execute, fetchall, close), each a queue put, a thread switch
and a wake-up of the event loop. In a profile of an ordinary event those hand-offs cost more than
SQLite's own work. :class:`OneTripCursor` makes the four in one trip; rows are buffered as the
adapter buffers them anyway, and description, row count and last row id are kept from the trip.

A transaction of one write can commit in the same trip (:func:`storage.hotpath.commit_in_trip`, around its last
statement): SQLAlchemy's COMMIT that follows finds no transaction open and is skipped
(:func:`storage.db.make_engine`), so an ordinary event's write is one trip, not two.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.util import EMPTY_DICT

from storage.hotpath import COMMIT_IN_TRIP


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A statement in one trip to the connection's thread: cursor, execute, fetch and close at once."""

    __slots__ = ("_description", "_rowcount", "_lastrowid")

    def __init__(self, adapt_connection: Any) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # the sqlite3 cursor lives only in the thread
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: Any = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        aio = self._connection
        commit = COMMIT_IN_TRIP.get()

        def trip() -> tuple[Any, int, Any, list[Any]]:
            cursor = aio._conn.cursor()  # noqa: SLF001 - in the connection's own thread, as aiosqlite does
            try:
                if many:
                    cursor.executemany(operation, parameters)
                else:
                    cursor.execute(operation, () if parameters is None else parameters)
                description = cursor.description
                rows = cursor.fetchall() if description else []
                if commit:
                    aio._conn.commit()  # noqa: SLF001
                return description, cursor.rowcount, cursor.lastrowid, rows
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            description, rowcount, lastrowid, rows = await aio._execute(trip)  # noqa: SLF001
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._run(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        await self._run(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with :class:`OneTripCursor` (server-side cursors unchanged)."""

    __slots__ = ()
    _cursor_cls = OneTripCursor


def one_trip(dbapi_connection: Any) -> None:
    """Give a new aiosqlite connection :class:`OneTripCursor` (same layout: only its class changes)."""
    if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection:
        dbapi_connection.__class__ = OneTripConnection
