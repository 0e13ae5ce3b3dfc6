"""Pages ask the domain what a job offers (``may``) and which flags it shows (``job_flags``): no template
compares a job's state with a literal state name."""

from pathlib import Path

from jinja2 import Environment, nodes
from jinja2.ext import i18n

from app.jobs.states import JobState

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATE_NAMES = {state.value for state in JobState}


def _state_names_in(node: nodes.Node) -> set[str]:
    return {const.value for const in node.find_all(nodes.Const) if const.value in STATE_NAMES} | (
        {node.value} if isinstance(node, nodes.Const) and node.value in STATE_NAMES else set()
    )


def literal_state_names(source: str) -> set[str]:
    """State names a template compares against, tests membership of, or keys a mapping by."""
    tree = Environment(extensions=[i18n]).parse(source)
    found = set()
    for compare in tree.find_all(nodes.Compare):
        found |= _state_names_in(compare)
    for pair in tree.find_all(nodes.Pair):
        found |= _state_names_in(pair.key)
    return found


def test_no_template_compares_a_literal_job_state():
    offenders = {
        str(path.relative_to(TEMPLATES)): names
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (names := literal_state_names(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_catches_comparisons_membership_and_mappings_but_not_words_shown():
    assert literal_state_names('{% if job.state == "RECEIVED" %}x{% endif %}') == {"RECEIVED"}
    assert literal_state_names("{% if job.state in ['COMPLETED', 'DEPARTED'] %}x{% endif %}") == {
        "COMPLETED",
        "DEPARTED",
    }
    assert literal_state_names('{% set steps = {"IN_STORE": 1} %}') == {"IN_STORE"}
    assert literal_state_names('{{ _("COLLECTED") }}{% if may(job, "store", user) %}x{% endif %}') == set()
