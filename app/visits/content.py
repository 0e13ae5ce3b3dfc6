"""What a service report says (domain.md §13): built from the job and its checklist, for signing and showing."""

from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, User
from app.jobs.milestones import witnessed
from app.jobs.models import Customer, Device, JobType
from app.parts.models import Part, PartUnit
from app.visits import engine, pricing
from app.visits.models import CustomerSignature, VisitPhoto
from app.visits.report import canonical_json, sha256_of

REPORT_FORMAT = 2  # 2: the sign-off names the signature image's and strokes' SHA-256


def signature_hashes(signature: CustomerSignature) -> dict[str, str]:
    """The SHA-256 of the stored signature image (its data URL) and of its strokes (canonical JSON)."""
    return {
        "image_sha256": sha256_of(signature.image or ""),
        "strokes_sha256": sha256_of(canonical_json({"strokes": signature.strokes or []})),
    }


async def live_photos(db: AsyncSession, job_id) -> list[VisitPhoto]:
    rows = await db.exec(
        select(VisitPhoto)
        .where(VisitPhoto.job_id == job_id, VisitPhoto.deleted.is_(False))
        .order_by(VisitPhoto.at, VisitPhoto.id)
    )
    return list(rows.all())


async def report_content(db: AsyncSession, state, signature: CustomerSignature | None) -> dict[str, Any]:
    """Every repair-order field the visit knows, its steps, photos by hash, parts, charges and times."""
    job, checklist = state.job, state.checklist
    customer = await db.get(Customer, job.customer_id)
    device = await db.get(Device, job.device_id)
    engineer = await db.get(User, job.engineer_id) if job.engineer_id else None
    office = await db.get(Office, job.office_id)
    steps = []
    for step in engine.applicable_steps(state.visit):
        result = state.results.get(step["key"])
        if result is None:
            continue
        steps.append(
            {
                "key": step["key"],
                "title": step["title"],
                "phase": step["phase"],
                "status": result.status,
                "values": result.values,
                "not_applicable_reason": result.na_reason,
                "at": result.at,
                "device_at": result.device_at,
            }
        )
    photos = [{"step": p.step_key, "sha256": p.sha256, "at": p.at} for p in await live_photos(db, job.id)]
    names = await _part_names(db, job)
    parts = [
        {
            "fitted_serial": r.values.get("fitted_serial", ""),
            "name": names.get(str(r.values.get("fitted_serial", "")).upper(), ""),
            "removed_serial": r.values.get("removed_serial", ""),
        }
        for r in state.results.values()
        if r.values.get("fitted_serial") or r.values.get("removed_serial")
    ]
    arrive = state.results.get("arrive")
    content = {
        "format": REPORT_FORMAT,
        "control": {
            "job_number": job.number,
            "job_type": job.job_type,
            "office": office.code if office else "",
            "channel": job.channel,
            "requested_at": job.requested_at,
            "paid": job.paid,
            "template": {"key": checklist.template["key"], "version": checklist.template["version"]},
        },
        "customer": {
            "name": customer.name,
            "organisation": customer.organisation,
            "phone": customer.phone,
            "site_address": job.site_address,
            "contact_name": job.contact_name,
            "contact_phone": job.contact_phone,
        },
        "device": {
            "model": device.model,
            "serial": job.device_serial,
            "warranty_status": job.warranty_status,
            "warranty_basis": job.warranty_basis,
        },
        "request": {
            "fault_description": job.fault_description,
            "fault_judgement": job.fault_judgement,
            "fault_level": job.fault_level,
        },
        "engineer": engineer.display_name if engineer else "",
        "outcome": checklist.outcome,
        "steps": steps,
        "photos": photos,
        "parts": parts,
        "charges": _charges(checklist.quote),
        "times": {"arrival": arrive.device_at or arrive.at if arrive else None, "visit_started": checklist.created_at},
    }
    if job.job_type == JobType.INSTALL:  # each milestone as the customer's witness confirmed it (F56)
        content["milestones"] = [
            {
                "step": f"milestone_{m.position}",
                "name": m.name,
                "witness": m.witness_name,
                "day": m.day.isoformat(),
                "signature_sha256": sha256_of(m.signature),
            }
            for _position, m in sorted((await witnessed(db, job)).items())
        ]
    if signature is not None:
        content["sign_off"] = {
            "signer_name": signature.signer_name,
            "signed_at": signature.signed_at,
            "method": "stamp" if signature.decision == "stamp" else "signature",
            "device_at": signature.device_at,
            "handed_over_at": signature.handover_at,
            "signature_id": signature.id,
            **signature_hashes(signature),
        }
    return content


async def _part_names(db: AsyncSession, job) -> dict[str, str]:
    """Serial (upper case) -> part name, for the units lent for ``job`` (what the customer saw when signing)."""
    rows = await db.exec(
        select(PartUnit.serial, Part.name).join(Part, Part.id == PartUnit.part_id).where(PartUnit.job_id == job.id)
    )
    return {serial.upper(): name for serial, name in rows.all()}


def _charges(quotes: dict) -> dict[str, Any]:
    """Only accepted quotes are charged: the accepted totals are the ceiling (INV-5)."""
    signed = [
        {
            "step": key,
            "lines": q["lines"],
            "total": q["total"],
            "price_list_version": q["price_list_version"],
            "decision": q.get("decision", ""),
        }
        for key, q in sorted(quotes.items())
        if q.get("decision")
    ]
    total = sum(pricing.cents_of(q["total"]) for q in signed if q["decision"] == "accepted")
    return {"quotes": signed, "total": pricing.format_cents(total)}
