"""One way to carry out a change a person asked for with a form.

A handler parses the form, then ``act``: the change runs; on success the person is sent on with an
announcement; when a rule refuses it, the same page is drawn again with the reason beside the form and what was
typed kept. A refusal about the record itself (no such job for this user, not theirs to change) is not a form
error: it goes on to the one error handler, which draws the 403 or 404 page.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

from litestar.response import Response

from app.core.errors import DomainError

T = TypeVar("T")
Answer = Response | Awaitable[Response]


async def act(
    change: Awaitable[T], *, done: Response | Callable[[T], Answer], refused: Callable[[DomainError], Answer]
) -> Response:
    """Awaits ``change``; answers ``done`` (or ``done(result)``), or ``refused(error)`` for a form's refusal."""
    try:
        result = await change
    except DomainError as error:
        if not error.beside_the_form:
            raise
        return await _ready(refused(error))
    return await _ready(done(result) if callable(done) else done)


async def _ready(answer: Answer) -> Response:
    return await answer if inspect.isawaitable(answer) else answer
