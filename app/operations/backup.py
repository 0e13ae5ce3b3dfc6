"""``onsite backup`` / ``onsite restore``: the database and every photo in one dated archive, checked on restore.

The archive is a plain tar (its contents are compressed already): ``database.sqlite`` or ``database.pgdump``,
``photos/<key>`` for each photo and thumbnail of the configured store, and last ``MANIFEST.sha256`` with the
SHA-256 of every other member (``sha256sum -c`` reads it after extraction). Members are streamed: no photo is
held whole in memory. A restore checks the whole manifest before it writes anything.
"""

import hashlib
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from app.core.settings import Settings
from app.media.store import CHUNK, photo_store
from app.operations.dumps import BackupError, dump_database, dump_name, restore_database

MANIFEST = "MANIFEST.sha256"
PHOTOS = "photos/"


@dataclass
class Restored:
    database: str
    photos: int


def backup(settings: Settings, folder: Path, now: datetime) -> Path:
    """Writes ``onsite-backup-<UTC time>.tar`` into ``folder`` and returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"onsite-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar"
    partial = archive.with_suffix(".tar.partial")
    sums: list[tuple[str, str]] = []
    with tarfile.open(partial, "w") as tar, tempfile.TemporaryDirectory(dir=folder) as scratch:
        dump = Path(scratch) / dump_name(settings.database_url)
        dump_database(settings.database_url, dump)
        with dump.open("rb") as file:
            sums.append((_add(tar, dump.name, dump.stat().st_size, file), dump.name))
        store = photo_store(settings)
        for key in store.list_keys():
            stored = store.open(key)
            if stored is not None:  # removed since it was listed: nothing refers to it any more
                sums.append((_add(tar, PHOTOS + key, stored.size, _ChunkReader(stored.chunks)), PHOTOS + key))
        manifest = "".join(f"{digest}  {name}\n" for digest, name in sums).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(manifest), 0o600
        tar.addfile(info, _ChunkReader(iter([manifest])))
    partial.chmod(0o600)  # customers' data
    partial.rename(archive)  # a half-written archive never looks like a backup
    return archive


def restore(settings: Settings, archive: Path, progress: Callable[[str], None] = print) -> Restored:
    """Checks every member against the manifest, then loads the database into the (empty) configured database
    and puts the photos into the configured store."""
    expected = _verified_manifest(archive)
    store = photo_store(settings)
    database, photos = "", 0
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory() as scratch:
        for member in tar:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(f"{member.name} is not in the manifest")
            source = tar.extractfile(member)
            if member.name.startswith(PHOTOS):
                store.put(member.name.removeprefix(PHOTOS), source)
                photos += 1
            else:
                dump = Path(scratch) / Path(member.name).name
                with dump.open("wb") as file:
                    while chunk := source.read(CHUNK):
                        file.write(chunk)
                restore_database(settings.database_url, dump)
                database = member.name
                progress(f"database restored from {member.name}")
    return Restored(database, photos)


def _verified_manifest(archive: Path) -> set[str]:
    """The member names, once every member is found to hash as the manifest says (BackupError otherwise)."""
    found: dict[str, str] = {}
    listed: dict[str, str] = {}
    with tarfile.open(archive, "r") as tar:
        for member in tar:
            source = tar.extractfile(member)
            if source is None:
                raise BackupError(f"{member.name} is not a file")
            if member.name == MANIFEST:
                for line in source.read().decode().splitlines():
                    digest, name = line.split("  ", 1)
                    listed[name] = digest
                continue
            digest = hashlib.sha256()
            while chunk := source.read(CHUNK):
                digest.update(chunk)
            found[member.name] = digest.hexdigest()
    if not listed:
        raise BackupError(f"{archive.name} has no {MANIFEST}: not an Onsite backup, or cut short.")
    wrong = sorted(name for name in listed.keys() | found.keys() if listed.get(name) != found.get(name))
    if wrong:
        raise BackupError(f"{len(wrong)} member(s) missing or damaged, e.g. {wrong[0]}; nothing was restored.")
    return set(listed)


def _add(tar: tarfile.TarFile, name: str, size: int, source: BinaryIO) -> str:
    """Streams ``size`` bytes of ``source`` into the archive as ``name``; returns their SHA-256."""
    hashing = _HashingReader(source)
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    tar.addfile(info, hashing)
    return hashing.digest.hexdigest()


class _HashingReader:
    def __init__(self, source: BinaryIO) -> None:
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


class _ChunkReader:
    """A file-like ``read`` over an iterator of chunks (a photo streamed from the store)."""

    def __init__(self, chunks) -> None:
        self.chunks, self.buffer = chunks, b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        if size < 0:
            size = len(self.buffer)
        taken, self.buffer = self.buffer[:size], self.buffer[size:]
        return taken
