"""Parts kept by everything they show (app/core/kept_parts.py): drawn once per key, language and time zone."""

import uuid

from app.core.formats import in_time_zone
from app.core.i18n import DEFAULT_LOCALE, set_locale
from app.core.kept_parts import KeptParts, drawn_from
from app.jobs.models import Job


def counting(text: str, draws: list):
    def render() -> str:
        draws.append(text)
        return text

    return render


def test_a_part_is_drawn_once_per_key_and_again_for_a_new_key():
    parts, draws = KeptParts(), []
    assert parts.draw(("row", 1), counting("<li>1</li>", draws)) == "<li>1</li>"
    assert parts.draw(("row", 1), counting("<li>other</li>", draws)) == "<li>1</li>"
    assert parts.draw(("row", 2), counting("<li>2</li>", draws)) == "<li>2</li>"
    assert draws == ["<li>1</li>", "<li>2</li>"]


def test_a_part_is_kept_per_language_and_time_zone():
    parts, draws = KeptParts(), []
    set_locale(DEFAULT_LOCALE)
    parts.draw("row", counting("english", draws))
    set_locale("zh_Hans")
    assert parts.draw("row", counting("chinese", draws)) == "chinese"
    with in_time_zone("Europe/Berlin"):
        assert parts.draw("row", counting("berlin", draws)) == "berlin"
    set_locale(DEFAULT_LOCALE)  # as the other tests expect it
    assert parts.draw("row", counting("again", draws)) == "english"
    assert draws == ["english", "chinese", "berlin"]


def test_the_least_recently_used_part_is_dropped_first():
    parts, draws = KeptParts(size=2), []
    parts.draw("a", counting("a", draws))
    parts.draw("b", counting("b", draws))
    parts.draw("a", counting("a", draws))  # used again: "b" is now the oldest
    parts.draw("c", counting("c", draws))
    parts.draw("a", counting("a", draws))
    parts.draw("b", counting("b", draws))
    assert draws == ["a", "b", "c", "b"]


def test_any_change_to_a_row_changes_what_it_is_drawn_from():
    job = Job(id=uuid.uuid4(), number="J-1", office_id=uuid.uuid4(), customer_id=uuid.uuid4(), device_id=uuid.uuid4())
    before = drawn_from(job)
    assert drawn_from(job) == before
    job.contact_phone = "13900000000"  # a field with no version of its own
    assert drawn_from(job) != before
