"""A stored photo as an HTTP response, streamed in chunks from whichever store holds it."""

from litestar.response import Stream

from app.media.store import StoredFile


def photo_response(stored: StoredFile, cache_control: str) -> Stream:
    return Stream(
        stored.chunks,
        media_type="image/jpeg",
        headers={
            "Content-Length": str(stored.size),
            "Content-Disposition": "inline",
            "Cache-Control": cache_control,
        },
    )
