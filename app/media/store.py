"""Normalised photos on disk, named by the SHA-256 of their content."""

import os
import re
import tempfile
from pathlib import Path

from app.media.images import ProcessedPhoto

_SHA256 = re.compile(r"[0-9a-f]{64}")


class PhotoStore:
    """``root/ab/<sha256>.jpg`` and ``root/ab/<sha256>.thumb.jpg``, where ``ab`` starts the digest.

    Files are written whole or not at all, and never rewritten: the same content has the same name.
    They are readable by the server's own user only, as photos are confidential (domain.md §12.1).
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, photo: ProcessedPhoto) -> list[Path]:
        """Stores the photo and its thumbnail unless already there; returns the files this call wrote."""
        written = []
        # The thumbnail goes first, so that a photo that exists always has its thumbnail.
        for content, thumbnail in ((photo.thumbnail, True), (photo.image, False)):
            path = self.path(photo.sha256, thumbnail=thumbnail)
            if not path.exists():
                _write_atomically(path, content)
                written.append(path)
        return written

    @staticmethod
    def discard(written: list[Path]) -> None:
        """Removes files that ``save`` wrote for an upload that was then refused (never older files, which
        another photo with the same content may name)."""
        for path in written:
            path.unlink(missing_ok=True)

    def path(self, sha256: str, *, thumbnail: bool = False) -> Path:
        """Where the photo (or its thumbnail) named ``sha256`` lives; ValueError for any other name."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
        return self.root / sha256[:2] / f"{sha256}{'.thumb' if thumbnail else ''}.jpg"

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def _write_atomically(path: Path, content: bytes) -> None:
    """Writes a temporary file beside ``path`` and renames it, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
