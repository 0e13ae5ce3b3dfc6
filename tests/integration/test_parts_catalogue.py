"""Unit pages from QR labels, scanned-code lookup, label sheets and the CSV import (F27)."""

from sqlalchemy import func
from sqlmodel import select

from app.parts.models import Part, PartMovement, PartUnit
from tests.helpers.clients import csrf, sign_in
from tests.helpers.parts import add_units

CSV_HEADER = "part_number,name,compatible_models,unit_price,serial,condition,location\r\n"


async def test_it_opens_a_unit_from_its_label_address_in_any_case(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=1)
    code = units[0].code
    signed_out = await client.get(f"/U/{code}", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == f"/login?next=/U/{code}"
    await sign_in(client, await make_user("engineer"))
    for path in [f"/U/{code}", f"/u/{code}", f"/u/{code.lower()}"]:
        page = await client.get(path)
        assert page.status_code == 200 and code in page.text and units[0].serial in page.text
    assert (await client.get("/u/ZZZZZZZZ")).status_code == 404


async def test_it_resolves_scanned_codes_and_explains_bad_ones(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=1)
    code, serial = units[0].code, units[0].serial
    await sign_in(client, await make_user("clerk"))
    part = await db.get(Part, units[0].part_id)
    for scanned, target in [
        (f"HTTPS://ONSITE.EXAMPLE.COM/U/{code}", f"/u/{code}"),
        (code.lower(), f"/u/{code}"),
        (serial, f"/u/{code}"),
        (part.number, f"/u/{part.code}"),
    ]:
        response = await client.get("/parts/lookup", params={"code": scanned}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == target, scanned
    for scanned, message in [
        ("HTTPS://OTHER.EXAMPLE/ITEM/42", "not an Onsite label"),
        ("NOSUCH42", "No unit or part has the code NOSUCH42"),
        ("\x01\x02", "cannot be read"),
        ("\x00\x01", "not allowed (NUL)"),  # refused for every route before the handler runs
        ("", "Type or scan a code"),
    ]:
        response = await client.get("/parts/lookup", params={"code": scanned})
        assert response.status_code in {404, 422} and message in response.text, scanned


async def test_it_prints_a_label_sheet_and_its_pdf(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=2)
    await sign_in(client, await make_user("clerk"))
    sheet = await client.get("/parts/labels", params={"part": str(units[0].part_id), "bulk": "true"})
    assert sheet.status_code == 200
    assert sheet.text.count('class="qr"') == 3 and units[0].code in sheet.text
    assert 'aria-label="HTTPS://TESTSERVER.LOCAL/U/' in sheet.text
    css = await client.get("/parts/labels/sheet.css", params={"stock": "a4-4x10"})
    assert "width: 48.5mm" in css.text and ".label:nth-child(4n)" in css.text
    pdf = await client.get("/parts/labels.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    await sign_in(client, await make_user("engineer"))
    assert (await client.get("/parts/labels")).status_code == 403


async def test_it_adds_parts_and_units_by_hand(client, db, make_user):
    await sign_in(client, await make_user("clerk"))
    created = await client.post(
        "/parts/catalogue",
        data={"number": "FAN-80", "name": "Fan", "unit_price": "45.5"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert created.status_code == 303
    part = (await db.exec(select(Part))).one()
    assert part.unit_price_cents == 4550
    again = await client.post("/parts/catalogue", data={"number": "FAN-80", "name": "Fan"}, headers=csrf(client))
    assert again.status_code == 422 and "already in the catalogue" in again.text
    unit = await client.post(
        f"/parts/{part.id}/units",
        data={"serial": "F-1", "condition": "new", "location": "S1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert unit.status_code == 303
    catalogue = await client.get("/parts/catalogue")
    assert "S1: 1" in catalogue.text
    assert (await db.exec(select(PartMovement.kind))).all() == ["STOCK_IN"]


async def _import(client, content: bytes):
    return await client.post(
        "/parts/import",
        files={"file": ("parts.csv", content, "text/csv")},
        headers=csrf(client),
        follow_redirects=False,
    )


async def _count(db, model) -> int:
    return await db.scalar(select(func.count()).select_from(model))


async def test_it_imports_a_csv_in_utf8_with_or_without_bom_and_in_gbk(client, db, make_user):
    await sign_in(client, await make_user("clerk"))
    rows = (
        CSV_HEADER
        + "PSU-450,电源 450 W,XR-200,380.00,PSU-1,new,一号站\r\n"
        + "PSU-450,电源 450 W,XR-200,380.00,PSU-2,,一号站\r\n"
    )
    assert (await _import(client, rows.encode("utf-8"))).status_code == 303
    assert (await _import(client, rows.replace("PSU-", "MB-").encode("utf-8-sig"))).status_code == 303
    gbk = rows.replace("PSU-", "FAN-").encode("gbk")
    assert (await _import(client, gbk)).status_code == 303
    names = set((await db.exec(select(Part.name))).all())
    assert names == {"电源 450 W"}
    assert await _count(db, PartUnit) == 6 and await _count(db, PartMovement) == 6
    assert "一号站: 2" in (await client.get("/parts/catalogue")).text


async def test_it_imports_nothing_and_lists_every_bad_row(client, db, make_user):
    await sign_in(client, await make_user("clerk"))
    rows = (
        CSV_HEADER
        + "PSU-450,Power supply,,380,PSU-1,new,S1\r\n"
        + ",No number,,1,X-1,new,S1\r\n"
        + "FAN-80,Fan,,abc,F-1,new,S1\r\n"
        + "FAN-80,Fan,,1,F-2,broken,S1\r\n"
        + "FAN-80,Fan,,1,PSU-1,new,S1\r\n"
    )
    response = await _import(client, rows.encode())
    assert response.status_code == 422
    assert "Nothing was imported" in response.text
    for line, text in [
        (3, "part number and name are required"),
        (4, "the unit price is not a number"),
        (5, "condition must be new, good or faulty"),
        (6, "serial PSU-1 is already in stock"),
    ]:
        assert f"Line {line}: {text}" in response.text
    assert await _count(db, Part) == 0 and await _count(db, PartUnit) == 0
    for content, message in [
        (b"\xff\xfe\x00\x00garbage\x81", "neither UTF-8 nor GBK"),
        (b"number;name\r\nA;B\r\n", "must name the columns"),
        (CSV_HEADER.encode(), "no rows"),
    ]:
        bad = await _import(client, content)
        assert bad.status_code == 422 and message in bad.text, message
    assert await _count(db, Part) == 0


async def test_it_serves_a_units_qr_code_as_svg(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=1)
    await sign_in(client, await make_user("engineer"))
    svg = await client.get(f"/U/{units[0].code}/qr.svg", params={"size": "30"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'width="30.0mm"' in svg.text and f"HTTPS://TESTSERVER.LOCAL/U/{units[0].code}" in svg.text
    assert (await client.get("/u/ZZZZZZZZ/qr.svg")).status_code == 404
