"""Platform pieces of the foundation: languages, PWA files, security headers, health, static caching."""

from tests.helpers.clients import csrf, sign_in


async def test_it_shows_the_login_page_in_simplified_chinese_to_a_chinese_browser(client):
    response = await client.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-Hans">' in response.text
    assert "登录 Onsite" in response.text and "用户名" in response.text


async def test_it_uses_the_users_own_language_setting_over_the_browsers(client, make_user):
    user = await make_user("engineer", locale="zh_Hans")
    await sign_in(client, user)
    page = await client.get("/jobs/mine", headers={"accept-language": "en"})
    assert "我的工单" in page.text and "退出登录" in page.text
    await client.post("/account/language", data={"locale": "en"}, headers=csrf(client))
    page = await client.get("/jobs/mine", headers={"accept-language": "zh-CN"})
    assert "My jobs" in page.text


async def test_it_translates_error_pages(client, make_user):
    response = await client.get("/nowhere", headers={"accept-language": "zh-CN", "accept": "text/html"})
    assert response.status_code == 404
    assert "页面不存在" in response.text
    await sign_in(client, await make_user("engineer"))
    response = await client.get("/users", headers={"accept-language": "zh-CN", "accept": "text/html"})
    assert response.status_code == 403
    assert "您的角色无权打开此页面" in response.text


async def test_it_sends_strict_security_headers_on_every_response(client):
    for path in ["/login", "/nowhere", "/healthz"]:
        headers = (await client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


async def test_it_serves_an_installable_web_app_manifest(client):
    manifest = (await client.get("/manifest.webmanifest")).json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] and manifest["name"] == "Onsite field service"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = await client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"


async def test_it_serves_the_service_worker_from_the_root_uncached(client):
    response = await client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "__VERSION__" not in response.text and '"/offline"' in response.text
    offline = await client.get("/offline")
    assert offline.status_code == 200 and "You are offline" in offline.text


async def test_it_caches_versioned_static_files_for_a_year_and_compresses_them(client):
    page = await client.get("/login")
    css_url = page.text.split('rel="stylesheet" href="')[1].split('"')[0]
    assert "?v=" in css_url
    response = await client.get(css_url, headers={"accept-encoding": "br, gzip"})
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] in {"br", "gzip"}
    plain = await client.get("/static/js/csrf.js")
    assert plain.headers["cache-control"] == "no-cache"


async def test_it_shows_no_stack_trace_for_a_malformed_form(client, make_user):
    await sign_in(client, await make_user("manager"))
    response = await client.post(
        "/users",
        content=b"\xff\xfe%%%=&&==",
        headers={**csrf(client), "content-type": "application/x-www-form-urlencoded", "accept": "text/html"},
    )
    assert response.status_code in {400, 422}
    assert "Traceback" not in response.text and 'File "' not in response.text
