"""Work that features attach to every transaction at start-up: ``transaction()`` runs each hook just before it
flushes and commits, inside the transaction, so what a hook writes commits or rolls back with the change."""

from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

Hook = Callable[[AsyncSession], Awaitable[None]]
BEFORE_COMMIT: list[Hook] = []


def before_commit(hook: Hook) -> None:
    """Registers ``hook`` once (creating several apps in one process registers nothing twice)."""
    if hook not in BEFORE_COMMIT:
        BEFORE_COMMIT.append(hook)


async def run_before_commit(db: AsyncSession) -> None:
    for hook in BEFORE_COMMIT:
        await hook(db)
