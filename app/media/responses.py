"""A stored photo as an HTTP response, streamed in chunks from whichever store holds it."""

from litestar.response import Stream

from app.core.metrics import PHOTO_BYTES
from app.media.store import StoredFile


def photo_response(stored: StoredFile, cache_control: str) -> Stream:
    PHOTO_BYTES.labels("read").inc(stored.size)
    return Stream(
        stored.chunks,
        media_type="image/jpeg",
        headers={
            "Content-Length": str(stored.size),
            "Content-Disposition": "inline",
            "Cache-Control": cache_control,
        },
    )
