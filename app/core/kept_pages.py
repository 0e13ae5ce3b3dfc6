"""Whole pages around a kept part, kept with their compressed bytes: a repeated view costs no rendering and no
compressing.

A page is the part (``app.core.page_cache``, keyed by the office's data version) in its frame, which shows the
signed-in user, the CSRF token and the path: it is kept per part, version, user, token and path, so it is only
ever served again to the same session for the same data. A page carrying a one-time message (a flash cookie) is
drawn for its request alone. The routes that serve kept pages say so (``KEPT_PAGE``): the compression middleware
leaves their bytes alone.
"""

import gzip
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

import brotli
from litestar import Request, Response
from litestar.response import Template
from litestar.utils.scope.state import ScopeState
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.web import FLASH_COOKIE

COMPRESSED_BY_HANDLER = "compressed_by_handler"  # the compression middleware's exclude_opt_key
KEPT_PAGE = {COMPRESSED_BY_HANDLER: True}  # the ``opt`` of a route that serves kept pages
MAX_PAGES = 128
BROTLI_QUALITY = 5  # made once per page and kept: a smaller body for the same cost as quality 3 each time


class KeptPages:
    """One process's pages, the oldest dropped first once ``MAX_PAGES`` are kept."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple, dict[str, bytes]] = OrderedDict()

    def get(self, key: tuple) -> dict[str, bytes] | None:
        return self._pages.get(key)

    def keep(self, key: tuple, html: str) -> dict[str, bytes]:
        page = self._pages[key] = {"identity": html.encode()}
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page


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
    render_part: Callable[[AsyncSession], Awaitable[str]],
) -> Response:
    """``template`` with the part for ``part_key`` as ``name``; ``render_part`` draws it, when not kept, with a
    database session opened for it (a hit needs none)."""
    state = request.app.state
    version = request.scope["state"]["office_version"]

    async def render() -> str:
        async with state.sessionmaker() as db:
            return await render_part(db)

    if FLASH_COOKIE in request.cookies:
        part = await state.page_cache.fetch(part_key, version, render)
        return Template(template, context={name: part})
    csrf_token = ScopeState.from_scope(request.scope).csrf_token
    key = (template, part_key, version, request.user.id, csrf_token, request.url.path)
    page = state.kept_pages.get(key)
    if page is None:
        part = await state.page_cache.fetch(part_key, version, render)
        context = Template(template, context={name: part}).create_template_context(request)
        page = state.kept_pages.keep(key, request.app.template_engine.get_template(template).render(**context))
    encoding, body = _encoded(page, request.headers.get("accept-encoding", ""))
    headers = {"Vary": "Accept-Encoding"} | ({"Content-Encoding": encoding} if encoding != "identity" else {})
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)
