"""Working in Simplified Chinese: the PWA's own files, PDFs and the customer's language."""

import csv
import io
from zoneinfo import ZoneInfo

from tests.conftest import sign_in
from tests.integration.after_helpers import completed_job

CHINESE = {"accept-language": "zh-CN,zh;q=0.9"}


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


async def test_it_exports_a_csv_that_a_chinese_excel_reads(client, db, make_user):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, db, coordinator, device_serial="CSV-ZH")
    manager = await make_user("manager", locale="zh_Hans")
    await sign_in(client, manager)
    response = await client.get("/reports/export.csv", params={"period": "2026"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("# 机密。由 ")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert rows[0]["工单号"] == job.number and rows[0]["状态"] == "已完成" and rows[0]["工单类型"] == "上门维修"
    local = job.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert rows[0]["创建时间"] == local and rows[0]["返修"] == "否"
