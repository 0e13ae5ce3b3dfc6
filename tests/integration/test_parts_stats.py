"""Hit rates per engineer, part and month; units out and overdue (F34)."""

from datetime import timedelta

from tests.helpers.clients import csrf, sign_in
from tests.helpers.parts import add_units, assigned_job, movements


async def test_it_reports_usage_and_stock_hit_rates_and_flags_overdue_units(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=2, number="FAN-80")
    await sign_in(client, await make_user("clerk"))
    device_time = (clock() - timedelta(minutes=3)).isoformat()
    response = await client.post(
        "/parts/check-out",
        data={
            "engineer_id": str(engineer.id),
            "job_id": str(job.id),
            "codes": f"{units[0].code} {units[1].code}",
            "sealed": "on",
        },
        headers={**csrf(client), "X-Device-Time": device_time},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert all(m.device_at is not None and m.at == clock() for m in await movements(db))
    await sign_in(client, engineer)
    fitted = await client.post(
        "/parts/fit",
        data={"code": units[0].code, "job_id": str(job.id), "removed_serial": "OLD-9"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert fitted.status_code == 303
    clock.advance(days=4)
    await sign_in(client, await make_user("clerk"))
    page = (await client.get("/parts/stats")).text
    # 2 borrowed, 1 used: 50 % usage; no borrow failure: 100 % stock hit rate.
    assert "<td>2</td><td>1</td><td>50%</td><td>0</td><td>100%</td>" in page
    assert "FAN-80 Power supply" in page and "2026-11" in page
    assert "overdue" in page and "4 days" in page
