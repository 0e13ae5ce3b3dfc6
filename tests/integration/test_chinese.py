"""Working in Simplified Chinese: the PWA's own files, PDFs and the customer's language."""

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
