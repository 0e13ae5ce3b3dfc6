"""Working in Simplified Chinese: the PWA's own files, PDFs and the customer's language."""

import csv
import io
import re
import zlib
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.accounts.models import User
from app.demo.load import load_demo_data
from app.jobs.models import Customer, Device
from app.parts.models import Part
from app.visits.models import ServiceReport
from app.visits.queries import signed_report
from app.visits.quotes import current_price_list
from tests.helpers.after import completed_job
from tests.helpers.clients import csrf, sign_in
from tests.helpers.parts import add_units
from tests.helpers.visits import job_on_the_way

CHINESE = {"accept-language": "zh-CN,zh;q=0.9"}


def pdf_fonts_and_text(pdf: bytes) -> tuple[set[str], bytes]:
    """The embedded fonts' names and every (inflated) stream: WeasyPrint packs its objects in compressed streams."""
    blobs = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            blobs.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    text = b"\n".join(blobs)
    return {name.decode() for name in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", text)}, text


def maps_to(text: bytes, character: str) -> bool:
    """A font's ToUnicode map knows the character: it was drawn with a real glyph, not a box."""
    return f"<{ord(character):04x}>".encode() in text.lower()


async def test_it_names_the_installed_app_in_the_readers_language(client):
    manifest = (await client.get("/manifest.webmanifest", headers=CHINESE)).json()
    assert manifest["name"] == "Onsite 上门服务" and manifest["lang"] == "zh-Hans"
    assert (await client.get("/manifest.webmanifest", headers={"accept-language": "en"})).json()["name"] == (
        "Onsite field service"
    )


async def test_it_keeps_the_offline_page_in_both_languages_the_readers_first(client):
    chinese = (await client.get("/offline", headers=CHINESE)).text
    assert chinese.index("您已离线") < chinese.index("You are offline")
    english = (await client.get("/offline", headers={"accept-language": "en"})).text
    assert english.index("You are offline") < english.index("您已离线")
    assert 'lang="zh-Hans"' in english


async def test_it_exports_a_csv_that_a_chinese_excel_reads(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, world, coordinator, device_serial="CSV-ZH")
    manager = await make_user("manager", locale="zh_Hans")
    await sign_in(client, manager)
    response = await client.get("/reports/export.csv", params={"period": "2026"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert next(csv.reader([lines[-1]]))[0].startswith("机密。由 ")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[:-1]))))
    assert rows[0]["工单号"] == job.number and rows[0]["状态"] == "已完成" and rows[0]["工单类型"] == "上门维修"
    local = job.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert rows[0]["创建时间 (Asia/Shanghai)"] == local and rows[0]["返修"] == "否"


async def test_it_prints_the_service_report_pdf_in_chinese_with_an_embedded_cjk_font(client, db, make_user, world):
    job, _engineer = await job_on_the_way(client, db, make_user, customer_locale="zh_Hans")
    await world.visit(job, "signature")
    response = await client.get(f"/visits/{job.id}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    fonts, text = pdf_fonts_and_text(response.content)
    assert "Noto-Sans-CJK-SC" in fonts
    assert all(maps_to(text, character) for character in "服务报告")
    page = (await client.get(f"/visits/{job.id}/report", headers=CHINESE)).text
    assert "✓ 已出示胸牌并递上名片" in page and "结果: 已重现" in page and "badge shown" not in page


async def test_it_prints_chinese_part_names_on_the_label_sheet_pdf(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=1)
    part = await db.get(Part, units[0].part_id)
    part.name = "电源模块"
    db.add(part)
    await db.commit()
    await sign_in(client, await make_user("clerk"))
    sheet = await client.get("/parts/labels", params={"part": str(part.id)}, headers=CHINESE)
    assert "电源模块" in sheet.text
    pdf = await client.get("/parts/labels.pdf", headers=CHINESE)
    fonts, text = pdf_fonts_and_text(pdf.content)
    assert "Noto-Sans-CJK-SC" in fonts and all(maps_to(text, character) for character in "电源模块")


async def test_the_demo_of_a_chinese_office_is_in_chinese(db, clock, monkeypatch, tmp_path):
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ONSITE_DEFAULT_LOCALE", "zh_Hans")
    assert await load_demo_data(db, clock())
    customers = {c.name: c for c in (await db.exec(select(Customer))).all()}
    assert customers["北京协和医院"].address == "北京市东城区帅府园1号"
    models = {d.model for d in (await db.exec(select(Device))).all()}
    assert "超声诊断仪 XR-200" in models
    assert "电源模块 450 W" in {p.name for p in (await db.exec(select(Part))).all()}
    assert "李伟" in {u.display_name for u in (await db.exec(select(User))).all()}
    report = (await db.exec(select(ServiceReport))).one()
    assert (await signed_report(db, report.job_id))["valid"]
    assert [line["label"] for line in (await current_price_list(db, customers["北京协和医院"].office_id))[1]][0] == (
        "故障检测（人工）"
    )
    assert not any(ch.isascii() and ch.isalpha() for c in customers.values() for ch in c.name)


async def test_the_signing_panel_and_the_report_speak_the_customers_language(client, db, make_user, world):
    job, _engineer = await job_on_the_way(client, db, make_user, customer_locale="zh_Hans")
    await world.visit(job, "signature")
    page = (await client.get(f"/visits/{job.id}", headers={"accept-language": "en"})).text
    panel = page.split("data-customer-panel", 1)[1].split("</section>", 1)[0]
    assert 'lang="zh-Hans"' in panel and "您签署的内容" in panel and "请在框内签名" in panel
    assert "Hand the phone to the customer" in page and "What you are signing" not in page
    pdf = await client.get(f"/visits/{job.id}/report.pdf", headers={"accept-language": "en"})
    _fonts, text = pdf_fonts_and_text(pdf.content)
    assert all(maps_to(text, character) for character in "服务报告")  # the customer's document, in Chinese


async def test_a_customer_without_a_language_gets_the_offices(client, db, make_user, world):
    job, _engineer = await job_on_the_way(client, db, make_user)
    await world.visit(job, "signature")
    page = (await client.get(f"/visits/{job.id}", headers=CHINESE)).text
    panel = page.split("data-customer-panel", 1)[1].split("</section>", 1)[0]
    assert 'lang="en"' in panel and "What you are signing" in panel and "把手机交给客户" in page


async def test_the_sign_in_page_switches_language_in_one_tap_and_remembers_it(client):
    english = (await client.get("/login", headers={"accept-language": "en"})).text
    assert 'href="/login?lang=zh_Hans"' in english
    chinese = await client.get("/login", params={"lang": "zh_Hans"}, headers={"accept-language": "en"})
    assert "登录 Onsite" in chinese.text and chinese.cookies.get("onsite_lang") == "zh_Hans"
    again = await client.get("/login", headers={"accept-language": "en"})
    assert "登录 Onsite" in again.text


async def test_the_account_menu_switches_language_with_one_button(client, make_user):
    user = await make_user("engineer")
    await sign_in(client, user)
    menu = (await client.get("/jobs/mine", headers={"accept-language": "en"})).text
    assert 'name="locale" value="zh_Hans"' in menu
    await client.post("/account/language", data={"locale": "zh_Hans", "next": "/jobs/mine"}, headers=csrf(client))
    assert "我的工单" in (await client.get("/jobs/mine", headers={"accept-language": "en"})).text
