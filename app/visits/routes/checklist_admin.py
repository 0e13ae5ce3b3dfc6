"""The branch manager's pages for checklist templates and the price list (edited as JSON data)."""

import json

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core.acts import act
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.visits import editing
from app.visits.checklists import BUILT_IN_CHECKLISTS
from app.visits.quotes import current_price_list
from app.visits.service import current_checklist

DB = NamedDependency[AsyncSession]
MANAGER = [roles_allowed(Role.MANAGER)]


async def _page(request: Request, db: AsyncSession, key: str, *, error=None, body: str | None = None) -> Template:
    office_id = request.user.office_id
    if key == "prices":
        version, lines = await current_price_list(db, office_id)
        current, versions = {"version": version}, []
        text = body or json.dumps(lines, ensure_ascii=False, indent=2)
    else:
        current = await current_checklist(db, office_id, key)
        versions = await editing.checklist_versions(db, office_id, key)
        text = body or json.dumps(current, ensure_ascii=False, indent=2)
    context = {
        "key": key,
        "keys": list(BUILT_IN_CHECKLISTS),
        "current": current,
        "versions": versions,
        "body": text,
        **error_context(error),
    }
    return Template("visits/edit_template.html", context=context, status_code=422 if error else 200)


@get("/checklists/{key:str}", guards=MANAGER)
async def edit_page(request: Request, db_session: DB, key: FromPath[str]) -> Template:
    if key not in BUILT_IN_CHECKLISTS and key != "prices":
        key = "repair"
    return await _page(request, db_session, key)


@post("/checklists/{key:str}", guards=MANAGER)
async def save(request: Request, db_session: DB, ctx: Ctx, key: FromPath[str], data: Form) -> Response:
    body = str(single_values(data).get("body", ""))
    saving = (
        editing.save_price_list(db_session, body, ctx)
        if key == "prices"
        else editing.save_checklist(db_session, key, body, ctx)
    )
    return await act(
        saving,
        done=lambda version: redirect(
            f"/checklists/{key}",
            _("Version %(v)s saved. Visits already started keep their own copy.", v=version),
            request=request,
        ),
        refused=lambda error: _page(request, db_session, key, error=error, body=body),
    )


ROUTES = [edit_page, save]
