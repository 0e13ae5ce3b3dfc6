"""SQLite through aiosqlite in one trip per statement.

aiosqlite runs each SQLite call on the connection's own thread, and SQLAlchemy's adapter makes one call each to
open a cursor, execute, fetch the rows and close the cursor: three or four trips between the event loop and that
thread for every statement, each a thread wake-up and a GIL hand-over (on a busy machine, a wait for a core). The
cursor here does all of it in one trip, with the same results: SQLAlchemy reads every row of a plain (not
streamed) result at once anyway. Streamed results (``db.stream``) keep aiosqlite's own cursor. A commit or a
rollback with no transaction open makes no trip at all.
"""

import collections
import sqlite3
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_


def _execute(connection: sqlite3.Connection, operation: str, parameters, many: bool) -> tuple:
    """On the connection's thread: the statement run, its rows read and its cursor closed."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_rowcount", "_lastrowid")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # opened and closed within each trip
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description, self._rowcount, self._lastrowid = None, -1, None

    @property
    def description(self):
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self):
        return self._lastrowid

    def execute(self, operation: Any, parameters=None) -> None:
        try:
            await_(self._trip(operation, parameters, many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters) -> None:
        try:
            await_(self._trip(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _trip(self, operation: str, parameters, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            result = await connection._execute(_execute, connection._conn, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = result
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        """Nothing to close: the rows are already here."""

    def close(self) -> None:
        self._rows.clear()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """Its plain cursors are ``OneTripCursor``; a commit or rollback with no transaction open (a read, or a
    connection going back to the pool) makes no trip, as there is nothing to end."""

    __slots__ = ()
    _cursor_cls = OneTripCursor

    def _in_transaction(self) -> bool:
        connection = self._connection._connection
        return connection is not None and connection.in_transaction

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


def one_trip_per_statement(dbapi_connection) -> None:
    """Called as a new aiosqlite connection is made: its plain cursors become ``OneTripCursor``."""
    if type(dbapi_connection) is AsyncAdapt_aiosqlite_connection:
        dbapi_connection.__class__ = OneTripConnection
