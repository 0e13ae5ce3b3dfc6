from app.core.i18n import gettext, negotiate_locale, set_locale


def test_it_prefers_the_users_own_setting():
    assert negotiate_locale("en-US,en;q=0.9", preferred="zh_Hans") == "zh_Hans"


def test_it_picks_the_best_supported_browser_language():
    assert negotiate_locale("fr-FR,zh-CN;q=0.8,en;q=0.5") == "zh_Hans"
    assert negotiate_locale("de,en-GB;q=0.9,zh;q=0.1") == "en"
    assert negotiate_locale("zh-Hans-CN") == "zh_Hans"


def test_it_falls_back_to_english_for_unknown_or_broken_headers():
    assert negotiate_locale(None) == "en"
    assert negotiate_locale("fr;q=abc,,;;") == "en"


def test_it_translates_and_interpolates_per_locale():
    set_locale("zh_Hans")
    assert gettext("Wrong username or password.") == "用户名或密码错误。"
    assert gettext("The password needs at least %(n)s characters.", n=8) == "密码至少需要 8 个字符。"
    set_locale("en")
    assert gettext("The password needs at least %(n)s characters.", n=8) == "The password needs at least 8 characters."
