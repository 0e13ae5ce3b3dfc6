"""Translations: every user-facing string goes through ``_``. The locale is per request."""

from contextvars import ContextVar
from functools import cache

from babel.support import NullTranslations, Translations

from app.core.settings import ROOT

TRANSLATIONS_DIR = ROOT / "translations"
LANGUAGES = {"en": "English", "zh_Hans": "简体中文"}
DEFAULT_LOCALE = "en"

_current_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)
_office_locale = [DEFAULT_LOCALE]


def set_office_locale(locale: str) -> None:
    """The office's language (ONSITE_DEFAULT_LOCALE): used when neither the user nor the browser says."""
    _office_locale[0] = locale if locale in LANGUAGES else DEFAULT_LOCALE


def office_locale() -> str:
    return _office_locale[0]


@cache
def _translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain="messages")


def set_locale(locale: str) -> None:
    _current_locale.set(locale if locale in LANGUAGES else DEFAULT_LOCALE)


def get_locale() -> str:
    return _current_locale.get()


def gettext(message: str, **variables) -> str:
    text = _translations(get_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = _translations(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_outer_locales: ContextVar[tuple[str, ...]] = ContextVar("outer_locales", default=())


def customer_language(customer) -> str:
    """The customer's own language, else the office's: what the signing panel and the report speak."""
    locale = getattr(customer, "locale", "") or ""
    return locale if locale in LANGUAGES else office_locale()


def begin_language(locale: str) -> str:
    """Templates: the text from here to ``end_language()`` in ``locale`` (the customer's panel on the engineer's
    phone). Returns "" so that ``{{ begin_language(...) }}`` prints nothing."""
    _outer_locales.set((*_outer_locales.get(), get_locale()))
    set_locale(locale)
    return ""


def end_language() -> str:
    outer = _outer_locales.get()
    if outer:
        _outer_locales.set(outer[:-1])
        set_locale(outer[-1])
    return ""


def gettext_in(locale: str, message: str) -> str:
    """``message`` in a given language, whatever the request's: for pages that show several languages at once."""
    return _translations(locale if locale in LANGUAGES else DEFAULT_LOCALE).gettext(message)


def plural_form(singular: str, plural: str, n: int) -> str:
    """The form for ``n``, unformatted: Jinja fills in ``num`` and the other variables itself."""
    return _translations(get_locale()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the usual gettext marker name
    """Marks a string for extraction; it is translated later, where it is shown."""
    return message


def negotiate_locale(accept_language: str | None, preferred: str = "") -> str:
    """The user's own setting, else the best match in Accept-Language, else the office's language."""
    if preferred in LANGUAGES:
        return preferred
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((quality, tag.strip().lower()))
    for _quality, tag in sorted(ranked, key=lambda item: -item[0]):
        primary = tag.split("-")[0]
        if primary == "zh":  # Simplified Chinese is the only Chinese we ship
            return "zh_Hans"
        if primary == "en":
            return "en"
    return office_locale()
