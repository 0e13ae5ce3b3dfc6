"""The signed service report as a customer document: letterhead, local times, labels, two A4 pages."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.accounts.models import Office
from app.demo.load import DEMO_PASSWORD, load_demo_data
from app.visits.models import ServiceReport
from tests.helpers.clients import csrf

SHOTS = Path("/tmp/ux-report")


async def _demo_report(client, db, clock, monkeypatch, tmp_path, username="manager"):
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    clock.now = clock.now.replace(day=29, hour=17, minute=30)  # 30 Nov, 01:30 in Beijing
    assert await load_demo_data(db, clock())
    response = await client.post(
        "/login", data={"username": username, "password": DEMO_PASSWORD}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    return (await db.exec(select(ServiceReport))).one()


def _png(color="navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 120), color).save(buffer, "PNG")
    return buffer.getvalue()


async def test_it_shows_the_report_in_the_office_time_zone_with_human_labels(client, db, clock, monkeypatch, tmp_path):
    report = await _demo_report(client, db, clock, monkeypatch, tmp_path)
    page = (await client.get(f"/visits/{report.job_id}/report")).text
    assert "30 November 2026" in page and "29 Nov" not in page and "T17:30" not in page
    assert "Onsite Service, Beijing branch" in page and "18 Jianguo Road" in page
    assert "✓ Starts and runs; casing wiped" in page and "starts runs" not in page
    assert "May data be at risk?: No" in page and "at risk:" not in page
    assert "Onsite repair visit, version 1" in page and "repair v1" not in page
    assert "In warranty · Warranty card" in page
    assert "Signed by Dr. Sun Li on 30/11/2026, 01:30" in page
    assert page.count(report.sha256) == 1  # once, in the footer; no hash under the photos


async def test_the_customer_copy_shows_the_photos_without_signing_in(client, db, clock, monkeypatch, tmp_path):
    report = await _demo_report(client, db, clock, monkeypatch, tmp_path)
    page = (await client.get(f"/visits/{report.job_id}/report")).text
    link = page.split('data-testid="customer-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    await client.post("/logout", headers=csrf(client))
    copy = (await client.get(link)).text
    assert copy.count('src="data:image/jpeg;base64,') == 4 and "Verify with the customer" in copy
    pdf = await client.get(f"{link}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await client.get("/r/forged.token/pdf")).status_code == 404


async def test_a_manager_sets_the_letterhead_and_logo(client, db, clock, monkeypatch, tmp_path):
    report = await _demo_report(client, db, clock, monkeypatch, tmp_path)
    data = {"name": "Shanghai branch", "address": "1 Nanjing Road", "phone": "+86 21 5555 0000"}
    files = {"logo": ("logo.png", _png(), "image/png")}
    response = await client.post("/office", data=data, files=files, headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    office = (
        await db.exec(select(Office).where(Office.code == "MAIN").execution_options(populate_existing=True))
    ).one()
    assert office.logo.startswith("data:image/jpeg;base64,") and office.name == "Shanghai branch"
    page = (await client.get(f"/visits/{report.job_id}/report")).text
    assert "Shanghai branch" in page and "1 Nanjing Road" in page and 'class="letterhead-logo"' in page


async def test_it_refuses_a_logo_that_is_not_a_photo(client, db, clock, monkeypatch, tmp_path):
    await _demo_report(client, db, clock, monkeypatch, tmp_path)
    files = {"logo": ("logo.png", b"<svg onload=alert(1)>", "image/png")}
    response = await client.post("/office", data={"name": "X office"}, files=files, headers=csrf(client))
    assert response.status_code == 422 and 'id="logo-error"' in response.text
    office = (
        await db.exec(select(Office).where(Office.code == "MAIN").execution_options(populate_existing=True))
    ).one()
    assert office.logo == "" and office.name != "X office"


async def test_only_managers_open_the_office_settings(client, db, clock, monkeypatch, tmp_path):
    await _demo_report(client, db, clock, monkeypatch, tmp_path, username="coordinator")
    assert (await client.get("/office")).status_code == 403


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
async def test_a_typical_repair_report_fits_on_two_a4_pages(client, db, clock, monkeypatch, tmp_path, language):
    report = await _demo_report(client, db, clock, monkeypatch, tmp_path)
    files = {"logo": ("logo.png", _png(), "image/png")}
    data = {"name": "Onsite Service, Beijing branch", "address": "18 Jianguo Road", "phone": "+86 10 6552 8800"}
    await client.post("/office", data=data, files=files, headers=csrf(client))
    accept = {"en": "en", "zh_Hans": "zh-CN,zh;q=0.9"}[language]
    response = await client.get(f"/visits/{report.job_id}/report.pdf", headers={"accept-language": accept})
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: make system-deps installs poppler-utils")
    SHOTS.mkdir(exist_ok=True)
    prefix = SHOTS / f"report-{language}"
    for old in SHOTS.glob(f"report-{language}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    pages = sorted(SHOTS.glob(f"report-{language}-*.png"))
    assert len(pages) == 2, f"{len(pages)} pages"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"1\s*/\s*2", text) and re.search(r"2\s*/\s*2", text)
    signed_on = next(n for n, page in enumerate(text.split("\f"), 1) if "Dr. Sun Li" in page)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    sizes = {(int(row.split()[0]), row.split()[3], row.split()[4]) for row in images.splitlines()[2:]}
    assert (signed_on, "340", "180") in sizes  # the signature image on the page that names the signer
    assert text.count(report.sha256[:32]) == 2  # in the footer of each page, nowhere else
