from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.core import formats
from app.core.i18n import set_locale

LATE_EVENING_UTC = datetime(2026, 11, 29, 22, 37, tzinfo=UTC)  # 06:37 the next morning in Shanghai


def test_it_writes_times_in_the_offices_zone_and_the_readers_language():
    formats.set_office_time_zone(ZoneInfo("Asia/Shanghai"))
    set_locale("zh_Hans")
    assert formats.when(LATE_EVENING_UTC) == "2026/11/30 06:37"
    assert formats.clock(LATE_EVENING_UTC) == "06:37"
    assert formats.day(LATE_EVENING_UTC) == "2026年11月30日"
    set_locale("en")
    assert formats.when(LATE_EVENING_UTC) == "30/11/2026, 06:37"
    assert formats.day(date(2026, 11, 30)) == "30 Nov 2026"


def test_it_writes_money_numbers_and_percentages_for_the_reader():
    set_locale("zh_Hans")
    assert formats.money("1250.5") == "¥1,250.50"
    assert formats.money(1250, cents=True) == "¥12.50"
    assert formats.percent(0.667) == "66.7%"
    assert formats.number(12345.678, 1) == "12,345.7"
    set_locale("en")
    assert formats.money("570") == "CN¥570.00"
    assert formats.percent(None) == "—"
