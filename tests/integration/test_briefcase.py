"""The briefcase manifest: what an engineer's phone keeps for offline use, with versions."""

from tests.helpers.clients import browser_of, sign_in
from tests.helpers.jobs import post, reload, take_request


async def test_it_lists_each_assigned_jobs_page_and_checklist_and_drops_a_job_reassigned_away(
    client, make_user, db, settings, clock
):
    engineer, other = await make_user("engineer"), await make_user("engineer")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id))
    async with browser_of(engineer, settings, clock) as phone:
        first = (await phone.get("/sync/briefcase")).json()
        version = str((await reload(db, job.id)).version)
        entries = {entry["url"]: entry["version"] for entry in first["entries"]}
        assert entries[f"/jobs/{job.id}"] == entries[f"/visits/{job.id}"] == version
        assert {"/jobs/mine", "/parts/mine"} <= entries.keys()

        await post(client, f"/jobs/{job.id}/details", contact_name="Dr. Lin", base_contact_name=job.contact_name)
        changed = {e["url"]: e["version"] for e in (await phone.get("/sync/briefcase")).json()["entries"]}
        assert changed[f"/visits/{job.id}"] != version  # the phone fetches this job's pages again
        assert changed["/jobs/mine"] != entries["/jobs/mine"]

        await post(client, f"/jobs/{job.id}/assign", engineer_id=str(other.id), reason="Li is ill")
        gone = (await phone.get("/sync/briefcase")).json()
        assert gone["jobs"] == [] and f"/visits/{job.id}" not in {e["url"] for e in gone["entries"]}


async def test_only_engineers_have_a_briefcase(client, make_user):
    await sign_in(client, await make_user("coordinator"))
    assert (await client.get("/sync/briefcase")).status_code == 403
