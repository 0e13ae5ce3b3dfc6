"""One hierarchy of refusals: every kind of refusal has its own stable code, and its status comes from its kind."""

import app.main  # noqa: F401 - loads every feature, so that every refusal class exists
from app.core.errors import DomainError


def every_refusal() -> list[type[DomainError]]:
    found, todo = [], [DomainError]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.__subclasses__())
    return found


def test_every_refusal_has_its_own_code():
    codes = {}
    for kind in every_refusal():
        assert kind.code not in codes, f"{kind.__qualname__} reuses {codes.get(kind.code)}'s code {kind.code!r}"
        codes[kind.code] = kind.__qualname__
    assert {"refused", "forbidden", "not_found", "step_refused", "gates_open", "invalid_field"} <= set(codes)


def test_a_refusal_takes_its_status_from_its_kind_only():
    statuses = {kind.status_code for kind in every_refusal()}
    assert statuses == {403, 404, 409, 410, 422, 429}
    assert all("status_code" not in vars(kind) for kind in every_refusal() if kind.__module__ != "app.core.errors")
