"""The database part of a backup: SQLite's online backup API, or ``pg_dump``/``pg_restore`` in custom format."""

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.database import create_private_sqlite_file, make_engine


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def dump_name(database_url: str) -> str:
    return "database.sqlite" if _is_sqlite(database_url) else "database.pgdump"


def dump_database(database_url: str, target: Path) -> None:
    """Writes a consistent copy of the live database to ``target`` while the app keeps running."""
    if _is_sqlite(database_url):
        with sqlite3.connect(_sqlite_path(database_url)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)  # page by page, consistent even while the app writes
        return
    _check_pg_client(database_url, "pg_dump")
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], database_url)


def restore_database(database_url: str, dump: Path) -> None:
    """Loads ``dump`` into the empty database ``database_url`` names (refused when it has tables)."""
    if tables_in(database_url):
        raise BackupError("The target database is not empty; restore into a new, empty database.")
    if _is_sqlite(database_url):
        create_private_sqlite_file(database_url)
        with sqlite3.connect(dump) as source, sqlite3.connect(_sqlite_path(database_url)) as target:
            source.backup(target)
        return
    _check_pg_client(database_url, "pg_restore")
    _run(
        [
            "pg_restore",
            f"--dbname={make_url(database_url).database}",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(dump),
        ],
        database_url,
    )


def tables_in(database_url: str) -> list[str]:
    """The application's tables in the database (none in a fresh one)."""

    async def read() -> list[str]:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as conn:
                if _is_sqlite(database_url):
                    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                else:
                    query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                return sorted(row[0] for row in await conn.execute(text(query)))
        finally:
            await engine.dispose()

    if _is_sqlite(database_url) and not Path(_sqlite_path(database_url)).exists():
        return []
    return asyncio.run(read())


def _is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


def _sqlite_path(database_url: str) -> str:
    return make_url(database_url).database


def _pg_env(database_url: str) -> dict[str, str]:
    """libpq's variables for the database (the password never on a command line other users can read)."""
    url = make_url(database_url)
    values = {
        "PGHOST": url.host,
        "PGPORT": url.port,
        "PGUSER": url.username,
        "PGDATABASE": url.database,
        "PGPASSWORD": url.password,
    }
    return {**os.environ, **{name: str(value) for name, value in values.items() if value is not None}}


def _run(command: list[str], database_url: str) -> None:
    result = subprocess.run(command, env=_pg_env(database_url), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _check_pg_client(database_url: str, tool: str) -> None:
    """pg_dump and pg_restore must be at least the server's major version (an older one cannot read it)."""
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed: run 'sudo apt-get install postgresql-client' (make system-deps).")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    client = int(re.search(r"(\d+)(?:\.\d+)?", version).group(1))

    async def server_major() -> int:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as conn:
                return int((await conn.execute(text("SHOW server_version_num"))).scalar_one()) // 10000
        finally:
            await engine.dispose()

    server = asyncio.run(server_major())
    if client < server:
        raise BackupError(
            f"{tool} {client} cannot handle a PostgreSQL {server} server: install postgresql-client-{server}."
        )
