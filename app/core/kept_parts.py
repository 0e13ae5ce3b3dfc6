"""Parts of a page kept by everything they show: the board's rows, My jobs' cards (issue #18, the board under writes).

A kept page (``app.core.kept_pages``) is drawn again after every change of its office. Drawn again, it is mostly
the same: a write changes one job, and the other rows have not changed. So a part is kept under a key made of what
it is drawn from (``drawn_from``: the row's column values, names, progress), the language, the time zone and the
minute the page is drawn for. A change to any of them is a new key: a kept part is never served after a change it
shows, and a part that shows the time (late flags, minutes left) is drawn again each minute, as the page is.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable

from markupsafe import Markup
from sqlmodel import SQLModel

from app.core.formats import office_time_zone
from app.core.i18n import get_locale

MAX_PARTS = 4096  # a board row is about 1.5 KB: a few MB at most


def drawn_from(*rows: SQLModel) -> str:
    """Every column of these rows, as a key: any change to a row changes it."""
    return repr([tuple(getattr(row, column.key) for column in row.__table__.columns) for row in rows])


class KeptParts:
    """One process's parts, the least recently used dropped first once ``MAX_PARTS`` are kept."""

    def __init__(self, size: int = MAX_PARTS) -> None:
        self._parts: OrderedDict[Hashable, Markup] = OrderedDict()
        self._size = size

    def draw(self, key: Hashable, render: Callable[[], str]) -> Markup:
        """The part drawn from ``key`` (in the request's language and time zone), rendered if not kept."""
        key = (key, get_locale(), str(office_time_zone()))
        part = self._parts.get(key)
        if part is not None:
            self._parts.move_to_end(key)
            return part
        part = self._parts[key] = Markup(render())
        while len(self._parts) > self._size:
            self._parts.popitem(last=False)
        return part
