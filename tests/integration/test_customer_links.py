"""Customer-copy links expire after ONSITE_CUSTOMER_LINK_DAYS and can be revoked from the job page."""

from app.core.security import sign
from tests.helpers.clients import csrf, sign_in
from tests.helpers.visits import job_on_the_way


async def signed_job_and_link(client, world):
    db, make_user = world.db, world.make_user
    job, engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "signature")
    page = await client.get(f"/jobs/{job.id}")
    link = page.text.split('data-testid="customer-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    return job, engineer, link


async def test_it_opens_the_customer_copy_until_the_link_expires(client, db, make_user, clock, settings, world):
    job, _engineer, link = await signed_job_and_link(client, world)
    await client.post("/logout", headers=csrf(client))
    assert (await client.get(link)).status_code == 200
    clock.advance(days=settings.customer_link_days, seconds=-1)
    assert "Mrs. Zhao Lan" in (await client.get(link)).text
    clock.advance(seconds=1)
    expired = await client.get(link, headers={"accept": "text/html"})
    assert expired.status_code == 410
    assert "This link to the service report has expired." in expired.text and "Mrs. Zhao Lan" not in expired.text


async def test_it_stops_every_link_given_so_far_when_revoked_and_gives_a_new_one(client, db, make_user, clock, world):
    job, engineer, link = await signed_job_and_link(client, world)
    revoke = await client.post(f"/visits/{job.id}/report/links/revoke", headers=csrf(client), follow_redirects=False)
    assert revoke.status_code == 303
    clock.advance(milliseconds=1)
    revoke = await client.get(revoke.headers["location"])
    assert "no longer open" in revoke.text and "Customer-copy links revoked" in revoke.text
    fresh = revoke.text.split('data-testid="customer-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert fresh != link
    await client.post("/logout", headers=csrf(client))
    withdrawn = await client.get(link, headers={"accept": "text/html"})
    assert withdrawn.status_code == 410 and "was withdrawn" in withdrawn.text
    assert "Mrs. Zhao Lan" not in withdrawn.text
    assert (await client.get(fresh)).status_code == 200


async def test_it_refuses_old_undated_and_forged_links(client, db, make_user, settings, world):
    job, _engineer, _link = await signed_job_and_link(client, world)
    undated = "/r/" + sign(f"report:{job.id}", settings.secret_key)
    assert (await client.get(undated)).status_code == 410
    assert (await client.get("/r/forged.token")).status_code == 404
    assert (await client.get("/r/" + sign("report:not-a-uuid:1", settings.secret_key))).status_code == 404


async def test_it_lets_only_people_who_may_see_the_job_revoke(client, db, make_user, world):
    job, _engineer, link = await signed_job_and_link(client, world)
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("engineer"))  # not on this job
    assert (await client.post(f"/visits/{job.id}/report/links/revoke", headers=csrf(client))).status_code == 404
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("clerk"))
    assert (await client.post(f"/visits/{job.id}/report/links/revoke", headers=csrf(client))).status_code == 403
    await client.post("/logout", headers=csrf(client))
    assert (await client.get(link)).status_code == 200
