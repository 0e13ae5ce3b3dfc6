"""``onsite backup`` / ``onsite restore`` and ``onsite media migrate``, run as an operator runs them."""

import os
import subprocess
import sys
import tarfile
import uuid
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import anyio
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.core.database import make_engine
from app.media.store import LocalPhotoStore, photo_store, sha256_of
from app.operations.backup import backup, restore
from app.operations.dumps import BackupError
from app.operations.media_copy import copy_photos
from tests.helpers.pgadmin import _admin
from tests.helpers.visits import job_on_the_way, jpeg, photo

ONSITE = Path(sys.executable).parent / "onsite"


@pytest.fixture(params=["local", "s3"])
def media_backend(request) -> str:
    return request.param


def onsite(settings, *args: str) -> subprocess.CompletedProcess:
    """The ``onsite`` command with the environment that names ``settings``' database and photo store."""
    env = {
        **os.environ,
        "ONSITE_DATABASE_URL": settings.database_url,
        "ONSITE_VAR_DIR": str(settings.var_dir),
        "ONSITE_MEDIA_DIR": str(settings.media_dir),
        "ONSITE_MEDIA_BACKEND": settings.media_backend,
        "ONSITE_S3_ENDPOINT": settings.s3.endpoint,
        "ONSITE_S3_BUCKET": settings.s3.bucket,
        "ONSITE_S3_ACCESS_KEY": settings.s3.access_key,
        "ONSITE_S3_SECRET_KEY": settings.s3.secret_key,
    }
    return subprocess.run([str(ONSITE), *args], env=env, capture_output=True, text=True, timeout=120)


@asynccontextmanager
async def empty_database(database_url: str, folder: Path):
    """A new database with no tables at all, on the same kind of server."""
    if database_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{folder / 'restored.db'}"
        return
    name = f"onsite_restore_{uuid.uuid4().hex[:8]}"
    await _admin(database_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def row_counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            tables = SQLModel.metadata.sorted_tables
            return {
                table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
                for table in tables
            }
    finally:
        await engine.dispose()


def photo_hashes(settings) -> dict[str, str]:
    store = photo_store(settings)
    return {key: sha256_of(store.open(key).chunks) for key in store.list_keys()}


async def a_job_with_photos(client, db, make_user) -> None:
    job, _ = await job_on_the_way(client, db, make_user)
    for color in ((200, 30, 30), (30, 200, 30)):
        assert (await photo(client, job, "warranty", jpeg(color=color))).status_code == 201


async def test_it_restores_a_backup_into_an_empty_database_with_the_same_rows_and_photos(
    client, db, make_user, settings, tmp_path, s3_server, clock
):
    await a_job_with_photos(client, db, make_user)

    archive = await anyio.to_thread.run_sync(backup, settings, tmp_path / "backups", clock())
    assert archive.name == "onsite-backup-20261123T090000Z.tar"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "MANIFEST.sha256" and sum(name.startswith("photos/") for name in names) == 4

    async with empty_database(settings.database_url, tmp_path) as url:
        media = {"media_dir": tmp_path / "restored-media"}
        if settings.media_backend == "s3":
            media = {"s3": s3_server.new_bucket()}
        target = replace(settings, database_url=url, **media)
        restored = await anyio.to_thread.run_sync(restore, target, archive, lambda line: None)
        assert restored.photos == 4

        assert await row_counts(url) == await row_counts(settings.database_url)
        assert photo_hashes(target) == photo_hashes(settings) and len(photo_hashes(target)) == 4


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("media_backend", ["local"])
async def test_the_commands_back_up_and_restore_from_the_command_line(client, db, make_user, settings, tmp_path):
    await a_job_with_photos(client, db, make_user)

    made = onsite(settings, "backup", "--to", str(tmp_path / "backups"))
    archive = next((tmp_path / "backups").glob("onsite-backup-*.tar"))
    target = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", media_dir=tmp_path / "new")
    restored = onsite(target, "restore", str(archive))

    assert made.returncode == 0 and f"Backup written to {archive}" in made.stdout
    assert restored.returncode == 0, restored.stderr
    assert "Restored database.sqlite and 4 photo files." in restored.stdout
    assert photo_hashes(target) == photo_hashes(settings)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("media_backend", ["local"])
async def test_it_refuses_a_damaged_archive_and_restores_nothing(client, db, make_user, settings, tmp_path, clock):
    await a_job_with_photos(client, db, make_user)
    archive = await anyio.to_thread.run_sync(backup, settings, tmp_path, clock())
    data = bytearray(archive.read_bytes())
    data[5000] ^= 0xFF  # one flipped byte inside the database copy
    archive.write_bytes(bytes(data))

    target = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'new.db'}", media_dir=tmp_path / "new")
    with pytest.raises(BackupError, match="missing or damaged"):
        await anyio.to_thread.run_sync(restore, target, archive, lambda line: None)

    assert not (tmp_path / "new.db").exists() and not (tmp_path / "new").exists()


@pytest.mark.parametrize("media_backend", ["local"])
async def test_it_restores_only_into_an_empty_database(client, db, make_user, settings, tmp_path, clock):
    await a_job_with_photos(client, db, make_user)
    archive = await anyio.to_thread.run_sync(backup, settings, tmp_path, clock())

    with pytest.raises(BackupError, match="not empty"):
        await anyio.to_thread.run_sync(restore, settings, archive, lambda line: None)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("media_backend", ["local"])
async def test_media_migrate_copies_every_photo_into_the_bucket_and_checks_its_hash(
    client, db, make_user, settings, s3_server
):
    await a_job_with_photos(client, db, make_user)
    bucket = replace(settings, media_backend="s3", s3=s3_server.new_bucket())

    first = onsite(bucket, "media", "migrate")
    again = await anyio.to_thread.run_sync(copy_photos, LocalPhotoStore(settings.media_dir), photo_store(bucket))

    assert first.returncode == 0, first.stderr
    assert f"4 files copied to {bucket.s3.bucket} and checked." in first.stdout
    assert again.copied == 4 and again.mismatched == []  # a second run writes nothing and checks again
    assert photo_hashes(bucket) == photo_hashes(settings) and len(photo_hashes(bucket)) == 4


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("media_backend", ["local"])
async def test_media_migrate_reports_a_copy_that_differs(client, db, make_user, settings, s3_server):
    await a_job_with_photos(client, db, make_user)
    bucket = replace(settings, media_backend="s3", s3=s3_server.new_bucket())
    key = next(LocalPhotoStore(settings.media_dir).list_keys())
    store = photo_store(bucket)
    store.client.put_object(Bucket=bucket.s3.bucket, Key=key, Body=b"not the photo")  # a copy gone wrong earlier

    lines = []
    report = await anyio.to_thread.run_sync(copy_photos, LocalPhotoStore(settings.media_dir), store, lines.append)

    assert report.mismatched == [key] and lines == [f"MISMATCH {key}"] and report.copied == 3
