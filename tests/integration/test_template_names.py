"""Pages show the records their view passed: no template hides a context name behind a ``{% set %}``."""

import re
from zoneinfo import ZoneInfo

import pytest
from jinja2 import DictLoader, Environment

from app.core.template_names import TemplateNameClash, assigned_names, checked_engine
from app.core.templates import TEMPLATES_DIR, make_environment
from app.main import TEMPLATE_GLOBALS
from tests.helpers.clients import sign_in
from tests.helpers.jobs import dispatched_job


def form_action(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" class="stack" novalidate>', html).group(1)


async def test_it_posts_the_new_user_form_to_create_not_to_the_managers_account(client, make_user):
    await sign_in(client, await make_user("manager"))
    page = await client.get("/users/new")
    assert page.status_code == 200
    assert form_action(page.text) == "/users"
    assert "<h1>New user</h1>" in page.text


async def test_it_edits_the_account_that_was_opened(client, make_user):
    manager = await make_user("manager")
    engineer = await make_user("engineer", username="engineer2")
    await sign_in(client, manager)
    page = await client.get(f"/users/{engineer.id}")
    assert form_action(page.text) == f"/users/{engineer.id}"
    assert 'value="engineer2"' in page.text


async def test_it_names_the_assigned_engineer_on_the_job_page(client, make_user, db):
    job, engineer = await dispatched_job(client, db, make_user)
    page = await client.get(f"/jobs/{job.id}")
    assert f"<dt>Engineer</dt><dd>{engineer.display_name}</dd>" in page.text


def test_it_finds_assignments_in_extended_included_and_block_code():
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "{% set user = 1 %}{% block content %}{% endblock %}",
                "page.html": "{% extends 'base.html' %}{% set engineer = 2 %}"
                "{% block content %}{% include '_part.html' %}"
                "{% for x in xs %}{% set row = x %}{% endfor %}{% endblock %}",
                "_part.html": "{% set held %}text{% endset %}{% macro m() %}{% set local = 1 %}{% endmacro %}",
            }
        )
    )
    assert assigned_names(env, "page.html") == {"user", "engineer", "row", "held"}


def test_it_refuses_to_render_a_page_whose_template_hides_a_name_the_view_passed():
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "{% set user = 'me' %}{% block content %}{{ user }}{% endblock %}",
                "form.html": "{% extends 'base.html' %}",
            }
        )
    )
    engine = checked_engine(env, strict=True)
    with pytest.raises(TemplateNameClash, match="user"):
        engine.get_template("form.html").render(user="engineer2")
    assert engine.get_template("form.html").render(other="x") == "me"


def test_it_gives_every_page_the_signed_in_user_as_current_user_and_nothing_else_assigns_it():
    env = make_environment(ZoneInfo("UTC"), TEMPLATE_GLOBALS)
    names = [p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html")]
    reserved = {"current_user", "request", "csrf_input", "csrf_token", *env.globals}
    clashes = {name: assigned_names(env, name) & reserved for name in names}
    assert {name: found for name, found in clashes.items() if found} == {}


def test_it_catches_the_old_bug_planted_into_the_real_base_template():
    """The real user form under a base.html that sets a page-wide ``user`` again: the app's engine refuses it."""
    from jinja2 import ChoiceLoader

    from app.core.templates import make_template_config

    engine = make_template_config(ZoneInfo("UTC"), TEMPLATE_GLOBALS, strict=True).engine_instance
    real = engine.engine.loader
    base = (TEMPLATES_DIR / "base.html").read_text()
    planted = base.replace("<body", "{% set user = request.scope.get('user') %}<body", 1)
    engine.engine.loader = ChoiceLoader([DictLoader({"base.html": planted}), real])
    with pytest.raises(TemplateNameClash, match=r"accounts/user_form.html assigns \['user'\]"):
        engine.get_template("accounts/user_form.html").render(user=None, values={}, roles=[], languages={})
