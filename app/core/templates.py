"""The Jinja2 environment: gettext and versioned static URLs; features add their own globals (the role-aware
navigation, labels) through ``extra_globals``."""

import hashlib
from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.template import TemplateConfig

from app.core import formats
from app.core.i18n import (
    LANGUAGES,
    N_,
    begin_language,
    customer_language,
    end_language,
    get_locale,
    gettext,
    plural_form,
)
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


def make_environment(tz, extra_globals: dict | None = None, *, reload: bool = False) -> Environment:
    """``reload``: look at each template file's time on every use, to pick up edits (``ONSITE_DEBUG``); a served
    app loads each template once (that look cost a few % of every page drawn)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        auto_reload=reload,
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    formats.set_office_time_zone(tz)
    env.install_gettext_callables(gettext, plural_form, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static_url=static_url,
        languages=LANGUAGES,
        html_lang=html_lang,
        pop_flashes=pop_flashes,
        N_=N_,
        begin_language=begin_language,
        end_language=end_language,
        customer_language=customer_language,
        office_time_zone=lambda: str(formats.office_time_zone()),
        **formats.TEMPLATE_GLOBALS,
        **(extra_globals or {}),
    )
    return env


def make_template_config(
    tz, extra_globals: dict | None = None, *, strict: bool | None = None, reload: bool = False
) -> TemplateConfig:
    """Pages get ``current_user`` (the signed-in user or None); see ``app.core.template_names``."""
    environment = make_environment(tz, extra_globals, reload=reload)
    engine = checked_engine(environment) if strict is None else checked_engine(environment, strict=strict)
    return TemplateConfig(engine=engine)
