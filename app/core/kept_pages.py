"""Whole pages around a kept part, kept with their compressed bytes: a repeated view costs no rendering and no
compressing.

A page is the part (``app.core.page_cache``, kept while it shows its office's data as it is) in its frame, which
shows the signed-in user, the CSRF token and the path: it is kept per part, view of the office (``Seen``), user,
token and path, so it is only ever served again to the same session for the same data. When the office changes
but the part drawn again is the same as the newest kept for that frame (a write to another engineer's job, a job on
another page of the board), the page is that same page: it is kept under the new view without being framed and
compressed again. A page carrying a one-time message (a flash cookie) is drawn for its request alone. The routes
that serve kept pages say so (``KEPT_PAGE``): the compression middleware leaves their bytes alone.
"""

import gzip
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

import brotli
from litestar import Request, Response
from litestar.response import Template
from litestar.utils.scope.state import ScopeState
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.formats import office_time_zone
from app.core.kept_parts import drawn_from
from app.core.page_cache import Seen, Shows
from app.core.web import FLASH_COOKIE

COMPRESSED_BY_HANDLER = "compressed_by_handler"  # the compression middleware's exclude_opt_key
KEPT_PAGE = {COMPRESSED_BY_HANDLER: True}  # the ``opt`` of a route that serves kept pages
MAX_PAGES = 128
BROTLI_QUALITY = 4  # made once per page: on the 79 KB board, 4 costs a fifth of 5 for as small a body


class KeptPages:
    """One process's pages, the oldest dropped first once ``MAX_PAGES`` are kept."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple, dict[str, bytes]] = OrderedDict()  # (frame, seen) -> the page
        self._newest: OrderedDict[tuple, tuple[str, dict[str, bytes]]] = OrderedDict()  # frame -> (part, page)

    def get(self, frame: tuple, seen: Seen) -> dict[str, bytes] | None:
        return self._pages.get((frame, seen))

    def keep(self, frame: tuple, seen: Seen, part: str, draw: Callable[[], str]) -> dict[str, bytes]:
        """The page of ``part`` in ``frame`` as of ``seen``: the newest page of the frame if it shows the same
        part, else drawn by ``draw``."""
        newest = self._newest.get(frame)
        if newest is not None and newest[0] == part:
            page = newest[1]
        else:
            page = {"identity": draw().encode()}
            self._newest[frame] = (part, page)
            self._newest.move_to_end(frame)
            _trim(self._newest)
        self._pages[(frame, seen)] = page
        _trim(self._pages)
        return page


def _trim(pages: OrderedDict) -> None:
    while len(pages) > MAX_PAGES:
        pages.popitem(last=False)


def _encoded(page: dict[str, bytes], accept_encoding: str) -> tuple[str, bytes]:
    """The body in the best encoding the client takes (as the compression middleware picks), made once."""
    encoding = "br" if "br" in accept_encoding else "gzip" if "gzip" in accept_encoding else "identity"
    if encoding not in page:
        html = page["identity"]
        page[encoding] = brotli.compress(html, quality=BROTLI_QUALITY) if encoding == "br" else gzip.compress(html)
    return encoding, page[encoding]


async def kept_page(
    request: Request,
    template: str,
    name: str,
    part_key: Hashable,
    render_part: Callable[[AsyncSession], Awaitable[tuple[str, Shows]]],
    notes: Callable[[AsyncSession, uuid.UUID, int, int], Awaitable[list | None]],
) -> Response:
    """``template`` with the part for ``part_key`` as ``name``; ``render_part`` draws it, when not kept, with a
    database session opened for it (a hit needs none), and says what it shows of the office's detail changes;
    ``notes`` reads those changes from the office's log."""
    state = request.app.state
    seen: Seen = request.scope["state"]["office_seen"]

    async def render() -> tuple[str, Shows]:
        async with state.sessionmaker() as db:
            return await render_part(db)

    async def notes_between(after: int, upto: int) -> list | None:
        async with state.sessionmaker() as db:
            return await notes(db, request.user.office_id, after, upto)

    async def fetch():
        return await state.page_cache.fetch(part_key, seen, render, notes_between)

    if FLASH_COOKIE in request.cookies:
        part = await fetch()
        return Template(template, context={name: part})
    csrf_token = ScopeState.from_scope(request.scope).csrf_token
    # Everything the frame shows: the user (name, role, language), the time zone, the token and the path.
    frame = (template, part_key, drawn_from(request.user), str(office_time_zone()), csrf_token, request.url.path)
    page = state.kept_pages.get(frame, seen)
    if page is None:
        part = await fetch()

        def draw() -> str:
            context = Template(template, context={name: part}).create_template_context(request)
            return request.app.template_engine.get_template(template).render(**context)

        page = state.kept_pages.keep(frame, seen, part, draw)
    encoding, body = _encoded(page, request.headers.get("accept-encoding", ""))
    headers = {"Vary": "Accept-Encoding"} | ({"Content-Encoding": encoding} if encoding != "identity" else {})
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)
