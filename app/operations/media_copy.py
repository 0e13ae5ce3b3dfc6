"""``onsite media migrate``: copies the photos on disk into the configured bucket, checking every copy."""

from collections.abc import Callable
from dataclasses import dataclass, field

from app.media.store import LocalPhotoStore, PhotoStore, named_digest, sha256_of


@dataclass
class CopyReport:
    copied: int = 0
    mismatched: list[str] = field(default_factory=list)  # keys whose copy does not hash like the original


def copy_photos(source: LocalPhotoStore, target: PhotoStore, progress: Callable[[str], None] = print) -> CopyReport:
    """Puts every photo and thumbnail of ``source`` into ``target`` (streamed from the file; a key already there is
    not written again), then reads each copy back and compares its SHA-256 with the original's, and a photo's
    with the digest its name carries. Safe to run again: it only fills in and re-checks."""
    report = CopyReport()
    for key in source.list_keys():
        with source.path(key).open("rb") as file:
            target.put(key, file)
        original = source.open(key)
        copy = target.open(key)
        expected = sha256_of(original.chunks)
        found = sha256_of(copy.chunks) if copy is not None else None
        if found != expected or named_digest(key) not in {None, expected}:
            report.mismatched.append(key)
            progress(f"MISMATCH {key}")
            continue
        report.copied += 1
    return report
