"""Where normalised photos are kept, named by the SHA-256 of their content: one interface, two backends.

``LocalPhotoStore`` (the default) keeps files under ``ONSITE_MEDIA_DIR``; ``S3PhotoStore`` (``app/media/s3.py``,
``ONSITE_MEDIA_BACKEND=s3``) keeps objects in an S3-compatible bucket, so several app machines share the photos.
Both use the same keys, ``ab/<sha256>.jpg`` and ``ab/<sha256>.thumb.jpg`` (``ab`` starts the digest), so a
folder copied into a bucket (``onsite media migrate``) is found under the same names. Reads are streamed in
chunks, never a whole photo in memory.
"""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol

from app.core.settings import Settings
from app.media.images import ProcessedPhoto

_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY = re.compile(r"[0-9a-f]{2}/([0-9a-f]{64})(\.thumb)?\.jpg")
CHUNK = 64 * 1024


def photo_key(sha256: str, *, thumbnail: bool = False) -> str:
    """The key of the photo (or its thumbnail) named ``sha256``; ValueError for any other name, so no key
    leaves the store's folder or prefix."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
    return f"{sha256[:2]}/{sha256}{'.thumb' if thumbnail else ''}.jpg"


def is_photo_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None


def named_digest(key: str) -> str | None:
    """The SHA-256 a full-size photo's key names (its content must hash to it); None for a thumbnail."""
    match = _KEY.fullmatch(key)
    return match.group(1) if match and not match.group(2) else None


@dataclass
class StoredFile:
    """An open stored file: its size and its content in chunks (the source is closed once they are read)."""

    size: int
    chunks: Iterator[bytes]


class PhotoStore(Protocol):
    backend: str

    def save(self, photo: ProcessedPhoto) -> list[str]:
        """Stores the photo and its thumbnail unless already there (thumbnail first, so a photo that exists
        always has its thumbnail); returns the keys this call wrote."""

    def discard(self, written: list[str]) -> None:
        """Removes what ``save`` wrote for an upload that was then refused (never older files, which another
        photo with the same content may name)."""

    def open(self, key: str) -> StoredFile | None:
        """The stored file, or None when it is missing."""

    def put(self, key: str, source: BinaryIO) -> None:
        """Stores ``source`` (read in chunks) under ``key``, replacing nothing that exists."""

    def list_keys(self) -> Iterator[str]:
        """Every photo and thumbnail key held."""

    def check(self) -> None:
        """Raises when the store cannot be used (the health check)."""


def photo_store(settings: Settings) -> PhotoStore:
    """The store the settings name (one per process and settings: an S3 client is costly to make)."""
    return _store(settings.media_backend, settings.media_dir, settings.s3)


@lru_cache(maxsize=16)
def _store(backend: str, media_dir: Path, s3) -> PhotoStore:
    if backend == "s3":
        from app.media.s3 import S3PhotoStore

        return S3PhotoStore(s3)
    return LocalPhotoStore(Path(media_dir))


def read_all(store: PhotoStore, key: str) -> bytes | None:
    """A small stored file (a thumbnail) whole, e.g. to embed in a PDF; None when missing."""
    opened = store.open(key)
    return None if opened is None else b"".join(opened.chunks)


def sha256_of(chunks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


class LocalPhotoStore:
    """Files under ``root``, written whole or not at all, never rewritten: the same content has the same name.
    They are readable by the server's own user only, as photos are confidential (domain.md §12.1)."""

    backend = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, photo: ProcessedPhoto) -> list[str]:
        written = []
        for content, thumbnail in ((photo.thumbnail, True), (photo.image, False)):
            key = photo_key(photo.sha256, thumbnail=thumbnail)
            path = self.path(key)
            if not path.exists():
                _write_atomically(path, iter([content]))
                written.append(key)
        return written

    def discard(self, written: list[str]) -> None:
        for key in written:
            self.path(key).unlink(missing_ok=True)

    def open(self, key: str) -> StoredFile | None:
        path = self.path(key)
        try:
            file = path.open("rb")
        except FileNotFoundError:
            return None
        return StoredFile(os.fstat(file.fileno()).st_size, _chunks_of(file))

    def put(self, key: str, source: BinaryIO) -> None:
        path = self.path(key)
        if not path.exists():
            _write_atomically(path, iter(lambda: source.read(CHUNK), b""))

    def list_keys(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/*.jpg")):
            key = path.relative_to(self.root).as_posix()
            if is_photo_key(key):
                yield key

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise PermissionError(f"{self.root} is not writable")

    def path(self, key: str) -> Path:
        if not is_photo_key(key):
            raise ValueError(f"not a photo key: {key[:80]!r}")
        return self.root / key


def _chunks_of(file: BinaryIO) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK):
            yield chunk


def _write_atomically(path: Path, chunks: Iterator[bytes]) -> None:
    """Writes a temporary file beside ``path`` and renames it, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
