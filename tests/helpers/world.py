"""A row-level test world: the rows the product writes for set-up that a test is not about, in one transaction.

``World.visit`` writes what walking the repair visit through the pages writes (step results, photos, the
customer's signature, the signed and sealed service report, the job's states and events) by calling the
product's own row writers (``store_result``, ``after_step``, ``after_signature``); it skips only what costs
time and is not state: HTTP, decoding the same photo again, re-encoding the same signature. The engine's gates
still run, so the world cannot hold a visit the product would refuse. ``tests/integration/test_world.py`` walks
one job through the pages and one through the world and compares every row, so the two cannot drift apart.
"""

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, load_calendar
from app.accounts.models import User
from app.core.database import transaction
from app.core.settings import Settings
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.media.images import normalise_upload
from app.media.signature import normalise_signature
from app.media.store import photo_store
from app.parts import flows, returns
from app.parts.idempotency import MovementKey
from app.parts.queries import job_units
from app.visits import engine, photos, seal
from app.visits.models import CustomerSignature
from app.visits.parts_check import fit_part
from app.visits.report import canonical_json, sha256_of
from app.visits.service import VisitState, after_step, open_for_engineer, startable_step, store_result
from app.visits.signing import after_signature
from tests.helpers.jobs import reload
from tests.helpers.visits import IMAGE, PLAN, SIGNER, STROKES, jpeg

REMOVED_SERIAL = next(values["removed_serial"] for key, values, _photos in PLAN if key == "repair")

KEYS = [key for key, _fields, _photos in PLAN]


@cache
def _signature_image() -> str:
    return normalise_signature(IMAGE)


@dataclass
class World:
    db: AsyncSession
    settings: Settings
    clock: Callable[[], datetime]
    make_user: Callable[..., Awaitable[Any]]

    async def acting(self, actor) -> Context:
        """Who acts now, as a page's handler sees it."""
        calendar = await load_calendar(self.db, actor.office_id, self.settings)
        return Context(actor=actor, now=self.clock(), calendar=calendar)

    async def visit(self, job: Job, last: str, first: str = "arrive") -> Job:
        """The repair visit's in-warranty, reproduced path from ``first`` to ``last`` (both included), as
        ``walk_to`` posts it for the job's engineer: its photos, its steps, and the signature step's hand-over
        and signature."""
        ctx = await self.acting(await self.db.get(User, job.engineer_id))
        seal.use_keys(self.settings)  # as the app factory does: the report is sealed with the settings' keys
        photo = normalise_upload(self.settings, jpeg())
        async with transaction(self.db):
            for key, fields, shots in PLAN[KEYS.index(first) : KEYS.index(last) + 1]:
                for _ in range(shots):
                    await photos._add_photo(self.db, job.id, key, uuid.uuid4(), photo, ctx)
                state = await open_for_engineer(self.db, job.id, ctx)
                if key == "signature":
                    await self._customer_signs(state, key, ctx)
                else:
                    await self._step(state, key, fields, ctx)
        if any(shots for _key, _fields, shots in PLAN[KEYS.index(first) : KEYS.index(last) + 1]):
            photo_store(self.settings).save(photo)
        return await reload(self.db, job.id)

    async def _step(self, state: VisitState, key: str, fields: dict, ctx: Context) -> None:
        step = startable_step(state, key)
        values = engine.clean_values(state.visit, step, fields)
        payload_hash = sha256_of(canonical_json({"step": key, "values": values}))
        engine.check_evidence(state.visit, step, values)
        result = uuid.uuid4()
        if values.get("fitted_serial"):  # by the unit's label: a test's earlier jobs may have had the same serial
            values["fitted_serial"] = await fit_part(
                self.db,
                state.job,
                ctx,
                await self._lent(state),
                removed_serial=str(values.get("removed_serial", "")),
                movement_id=result,
            )
        store_result(self.db, state, key, "done", values, ctx, result, payload_hash)
        await after_step(self.db, state, key, ctx)

    async def _lent(self, state: VisitState) -> str:
        """The label of the unit the engineer holds for the job."""
        units = [
            unit for unit, _part in await job_units(self.db, state.job.id) if unit.holder_id == state.job.engineer_id
        ]
        assert units, "the repair step fits a part: lend one for the job first"
        return units[0].code

    async def _customer_signs(self, state: VisitState, key: str, ctx: Context) -> None:
        """Handed over and signed at once: the hand-over leaves only its event behind once the customer signs."""
        step = startable_step(state, key)
        record(self.db, state.job, ctx, "handed_to_customer", details={"step": key})
        signature = CustomerSignature(
            job_id=state.job.id,
            office_id=state.job.office_id,
            step_key=key,
            purpose=step.get("purpose", ""),
            signer_name=SIGNER,
            strokes=json.loads(STROKES),
            image=_signature_image(),
            handover_at=ctx.now,
            signed_at=ctx.now,
            collected_by_id=ctx.actor.id,
        )
        self.db.add(signature)
        values = {"signer_name": SIGNER, "decision": "", "signature_id": str(signature.id)}
        store_result(self.db, state, key, "done", values, ctx, uuid.uuid4(), sha256_of(canonical_json(values)))
        await after_signature(self.db, state, step, signature, ctx)

    async def parts_back(self, job: Job, clerk) -> Job:
        """The counter takes back every unit lent for ``job`` as the faulty part it replaced, with its fault tag,
        and confirms the job's returns (T17): the product's own ledger calls, each its own transaction."""
        ctx = await self.acting(clerk)
        for unit, _part in await job_units(self.db, job.id):
            await returns.return_unit(
                self.db,
                ctx,
                MovementKey(uuid.uuid4(), "return", {}),
                code=unit.code,
                job_id=str(job.id),
                outcome="faulty",
                sealed=False,
                fault="No output on the 12 V rail",
                device_serial=job.device_serial,
                removed_serial=REMOVED_SERIAL,
            )
        await flows.confirm_returns(self.db, ctx, MovementKey(uuid.uuid4(), "confirm", {}), job.id)
        return await reload(self.db, job.id)
