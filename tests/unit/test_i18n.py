from app.core.i18n import gettext, negotiate_locale, ngettext, set_locale, set_office_locale


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
    assert gettext("%(label)s is required.", label="电话") == "电话 为必填项。"
    set_locale("en")
    assert gettext("%(label)s is required.", label="Phone") == "Phone is required."


def test_it_chooses_the_plural_form_for_the_count():
    set_locale("en")
    assert ngettext("%(num)s photo", "%(num)s photos", 1) == "1 photo"
    assert ngettext("%(num)s photo", "%(num)s photos", 7) == "7 photos"
    set_locale("zh_Hans")
    assert ngettext("%(num)s photo", "%(num)s photos", 7) == "7 张照片"
    set_locale("en")


def test_it_falls_back_to_the_offices_language_when_nobody_says():
    set_office_locale("zh_Hans")
    try:
        assert negotiate_locale(None) == "zh_Hans" and negotiate_locale("fr") == "zh_Hans"
        assert negotiate_locale("en-US") == "en"
    finally:
        set_office_locale("en")
