"""Counting the SQL statements a request sends, to show that a page's queries do not grow with its rows."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


class StatementCounter:
    """Counts every statement any engine sends to its database (the app's own engine included) while on."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.on = False

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        if self.on:
            self.statements.append(statement)

    async def count(self, request) -> tuple[int, object]:
        """The statements sent while awaiting ``request`` (a client call), and its response."""
        self.statements, self.on = [], True
        try:
            response = await request
        finally:
            self.on = False
        return len(self.statements), response

    def __enter__(self) -> "StatementCounter":
        event.listen(Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(Engine, "before_cursor_execute", self)
