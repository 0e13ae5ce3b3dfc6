"""The Jinja2 environment: gettext, versioned static URLs and the role-aware navigation."""

import hashlib
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.template import TemplateConfig

from app.core.i18n import LANGUAGES, N_, get_locale, gettext, ngettext
from app.core.navigation import navigation_for, role_label
from app.core.settings import ROOT
from app.core.template_names import checked_engine
from app.core.web import pop_flashes

TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


@cache
def static_url(path: str) -> str:
    """``/static/<path>?v=<content hash>``: safe to cache for a year, new URL when the file changes."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]
    return f"/static/{path}?v={digest}"


def html_lang() -> str:
    return "zh-Hans" if get_locale() == "zh_Hans" else "en"


def make_environment(tz, extra_globals: dict | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        languages=LANGUAGES,
        html_lang=html_lang,
        navigation_for=navigation_for,
        role_label=role_label,
        pop_flashes=pop_flashes,
        N_=N_,
        when=lambda moment, fmt="short": _format_moment(moment, fmt, tz),
        day=lambda moment, fmt="medium": format_date(
            moment.astimezone(tz) if hasattr(moment, "astimezone") else moment, fmt, locale=_babel_locale()
        ),
        **(extra_globals or {}),
    )
    return env


# Parsed once: Babel would otherwise parse the identifier again for every date it formats.
_BABEL_LOCALES = {"zh_Hans": Locale.parse("zh_Hans_CN"), "en": Locale.parse("en_GB")}


def _babel_locale() -> Locale:
    return _BABEL_LOCALES.get(get_locale(), _BABEL_LOCALES["en"])


def _format_moment(moment, fmt: str, tz) -> str:
    """A time in the office's time zone and the user's language."""
    if moment is None:
        return ""
    return format_datetime(moment, fmt, tzinfo=tz, locale=_babel_locale())


def make_template_config(tz, extra_globals: dict | None = None, *, strict: bool | None = None) -> TemplateConfig:
    """Pages get ``current_user`` (the signed-in user or None); see ``app.core.template_names``."""
    environment = make_environment(tz, extra_globals)
    engine = checked_engine(environment) if strict is None else checked_engine(environment, strict=strict)
    return TemplateConfig(engine=engine)
