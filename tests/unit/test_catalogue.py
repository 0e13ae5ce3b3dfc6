"""The Chinese catalogue stays complete: every message translated, none fuzzy, placeholders intact."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app.core.settings import ROOT

CATALOGUE = ROOT / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
# %(name)s for Python and Jinja, {name} for the strings the service worker and app.js fill in.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def _messages():
    return [message for message in _catalogue() if message.id]


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _label(message) -> str:
    return _forms(message.id)[0]


def test_it_has_a_chinese_translation_for_every_message():
    untranslated = [_label(m) for m in _messages() if not all(_forms(m.string))]
    assert untranslated == [], f"{len(untranslated)} messages have no Chinese translation"


def test_it_has_no_fuzzy_translations():
    fuzzy = [_label(m) for m in _messages() if m.fuzzy]
    assert fuzzy == []


def test_it_keeps_every_placeholder_of_the_english_message():
    wrong = []
    for message in _messages():
        english = _forms(message.id)[-1]
        wanted = sorted(PLACEHOLDER.findall(english))
        for text in _forms(message.string):
            # Jinja formats every message with %, so a stray percent sign would break the page.
            stray = PLACEHOLDER.sub("", text).replace("%%", "").count("%")
            if sorted(PLACEHOLDER.findall(text)) != wanted or stray:
                wrong.append((english, text))
    assert wrong == []


def test_it_has_every_message_that_the_code_and_templates_use(tmp_path):
    """What `make extract-messages` would find is all in the catalogue (`make update-messages` fixes it)."""
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_", "-k", "N_", "-k", "gettext"]
        + ["-k", "ngettext:1,2", "--no-location", "-o", str(template), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        extracted = read_po(handle)
    known = {_label(m) for m in _messages()}
    missing = sorted(_label(m) for m in extracted if m.id and _label(m) not in known)
    assert missing == [], "run `make update-messages` and translate the new messages"
