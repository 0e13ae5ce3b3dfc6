"""Guards the names a page is given: no template may hide a view's context name behind a ``{% set %}``.

A ``{% set user = … %}`` in ``base.html`` once made every page's ``user`` the signed-in manager, so the
user admin edited the wrong account. ``assigned_names`` reads every ``{% set %}`` of a template and of the
templates it extends or includes; the engine compares them with the names each render is given.
"""

import logging
import os

from jinja2 import Environment, nodes
from litestar.plugins.jinja import JinjaTemplateEngine

log = logging.getLogger("onsite")
# The tests (and debug mode) refuse such a page outright; in production it is logged and rendered.
STRICT = os.environ.get("ONSITE_STRICT_TEMPLATES") == "1"


class TemplateNameClash(RuntimeError):
    """A template assigns a name its view passed, so the page would show the wrong record."""


def _template_names(node: nodes.Node) -> list[str]:
    """The constant template names of an ``extends`` or ``include``."""
    target = node.template
    if isinstance(target, nodes.Const):
        return [target.value] if isinstance(target.value, str) else list(target.value)
    if isinstance(target, nodes.List | nodes.Tuple):
        return [item.value for item in target.items if isinstance(item, nodes.Const)]
    return []


def _targets(target: nodes.Node) -> set[str]:
    if isinstance(target, nodes.Name):
        return {target.name}
    if isinstance(target, nodes.Tuple):
        return {name for item in target.items for name in _targets(item)}
    return set()  # ``{% set ns.attr = … %}`` writes into a namespace, not a name


def assigned_names(env: Environment, template_name: str, _seen: frozenset[str] = frozenset()) -> set[str]:
    """Every name ``{% set %}`` assigns while ``template_name`` renders, including in the templates it extends
    or includes. Macro bodies are left out (their names are local); imports do not share the context."""
    if template_name in _seen:
        return set()
    source, _filename, _uptodate = env.loader.get_source(env, template_name)
    names: set[str] = set()
    pending: list[nodes.Node] = [env.parse(source)]
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            continue
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            names |= _targets(node.target)
        if isinstance(node, nodes.Extends | nodes.Include):
            for name in _template_names(node):
                names |= assigned_names(env, name, _seen | {template_name})
        pending.extend(node.iter_child_nodes())
    return names


class CheckedTemplate:
    """A Jinja template whose ``render`` adds ``current_user`` and refuses names hidden by ``{% set %}``."""

    def __init__(self, template, assigned: set[str], strict: bool) -> None:
        self.template, self.assigned, self.strict = template, assigned, strict

    def render(self, *args, **kwargs) -> str:
        context = dict(*args, **kwargs)
        if "current_user" in context:
            raise TemplateNameClash("current_user is given to every page; a view must not pass it")
        request = context.get("request")
        context["current_user"] = request.scope.get("user") if request is not None else None
        if clash := self.assigned & set(context):
            message = f"{self.template.name} assigns {sorted(clash)}, which its view passed"
            if self.strict:
                raise TemplateNameClash(message)
            log.error("template name clash", extra={"detail": message})
        return self.template.render(context)

    def __getattr__(self, name: str):
        return getattr(self.template, name)


class CheckedTemplateEngine(JinjaTemplateEngine):
    strict: bool = STRICT

    def get_template(self, template_name: str) -> CheckedTemplate:
        template = super().get_template(template_name)
        cache = self.__dict__.setdefault("_assigned", {})  # templates do not change while the server runs
        if template_name not in cache:
            cache[template_name] = assigned_names(self.engine, template_name)
        return CheckedTemplate(template, cache[template_name], self.strict)


def checked_engine(env: Environment, *, strict: bool = STRICT) -> CheckedTemplateEngine:
    engine = CheckedTemplateEngine.from_environment(env)
    engine.strict = strict
    return engine
