"""Sign in and out, and the manager's user administration."""

import uuid
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts import service
from app.accounts.auth import LANGUAGE_COOKIE, SESSION_COOKIE, roles_allowed, signed_in
from app.accounts.models import Role, User
from app.accounts.navigation import ROLE_LABELS, home_url
from app.accounts.request_checks import new_bound_token, token_hash
from app.accounts.throttle import SignInLimits
from app.core.acts import act
from app.core.errors import DomainError
from app.core.i18n import LANGUAGES, _, get_locale, set_locale
from app.core.validation import choice, error_context
from app.core.web import redirect

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
DB = NamedDependency[AsyncSession]


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: ``next`` must never send a user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _session_cookie(request: Request, token: str, max_age: int | None) -> Cookie:
    settings = request.app.state.settings
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        path="/",
        max_age=max_age,
        secure=settings.secure_cookies or request.url.scheme == "https",
    )


class AuthController(Controller):
    @get("/", sync_to_thread=False)
    def index(self, request: Request) -> Redirect:
        return Redirect(home_url(request.user) if request.user else "/login", status_code=303)

    @get("/login", sync_to_thread=False)
    def login_page(
        self,
        request: Request,
        next_url: Annotated[str | None, QueryParameter(name="next")] = None,
        lang: Annotated[str | None, QueryParameter(name="lang")] = None,
    ) -> Template:
        """``?lang=`` is the page's language switch: one tap, remembered in a cookie until the user chooses one."""
        context = {"next": _safe_next(next_url) or "", "error": None}
        if lang not in LANGUAGES:
            return Template("accounts/login.html", context=context)
        set_locale(lang)
        cookie = Cookie(key=LANGUAGE_COOKIE, value=lang, max_age=365 * 86400, path="/", samesite="lax", httponly=True)
        return Template("accounts/login.html", context=context, cookies=[cookie])

    @post("/login")
    async def login(self, request: Request, db_session: DB, data: Form) -> Template | Redirect:
        settings = request.app.state.settings
        csrf_token, csrf_cookie = new_bound_token(settings.secret_key)  # a new token, bound to the new session
        try:
            result = await service.sign_in(
                db_session,
                str(data.get("username", "")),
                str(data.get("password", ""))[:200],
                ip=request.client.host if request.client else "",
                now=request.app.state.clock(),
                limits=SignInLimits.from_settings(settings),
                session_days=settings.session_days,
                user_agent=request.headers.get("user-agent", ""),
                csrf_hash=token_hash(csrf_token),
                interface_locale=get_locale(),
            )
        except DomainError as error:
            context = {
                "next": _safe_next(data.get("next")) or "",
                "error": error.message,
                "username": str(data.get("username", ""))[:40],
            }
            headers = {"Retry-After": str(error.retry_after)} if isinstance(error, service.TooManyAttempts) else {}
            return Template("accounts/login.html", context=context, status_code=error.status_code, headers=headers)
        response = Redirect(_safe_next(data.get("next")) or home_url(result.user), status_code=303)
        response.cookies.append(_session_cookie(request, result.token, settings.session_days * 86400))
        response.cookies.append(csrf_cookie)
        return response

    @post("/logout")
    async def logout(self, request: Request, db_session: DB) -> Redirect:
        await service.sign_out(db_session, request.cookies.get(SESSION_COOKIE))
        response = Redirect("/login", status_code=303)
        response.cookies.append(_session_cookie(request, "", 0))
        return response

    @post("/account/language", guards=[signed_in])
    async def set_language(self, request: Request, db_session: DB, data: Form) -> Redirect:
        locale = choice(data, "locale", ["", *LANGUAGES])
        await service.set_language(db_session, request.user.id, locale)
        return redirect(_safe_next(data.get("next")) or home_url(request.user))


class UsersController(Controller):
    path = "/users"
    guards = [roles_allowed(Role.REGIONAL)]  # the manager, or the regional user in the office they look at

    @get("/")
    async def list_users(self, request: Request, db_session: DB) -> Template:
        users = await service.list_users(db_session, request.user)
        return Template("accounts/users.html", context={"users": users})

    @get("/new", sync_to_thread=False)
    def new_user(self, request: Request) -> Template:
        return _user_form(request, None, {"role": Role.ENGINEER.value, "is_active": "on"})

    @post("/")
    async def create_user(self, request: Request, db_session: DB, data: Form) -> Response:
        async def create() -> User:
            form = service.parse_user_form(data, creating=True, roles=service.assignable_roles(request.user))
            now, office_id = request.app.state.clock(), request.user.office_id
            return await service.create_user(db_session, form, office_id=office_id, now=now, acting_user=request.user)

        return await act(
            create(),
            done=lambda user: redirect("/users", _("User %(name)s created.", name=user.display_name), request=request),
            refused=lambda error: _user_form(request, None, data, error),
        )

    @get("/{user_id:uuid}")
    async def edit_user(self, request: Request, db_session: DB, user_id: FromPath[uuid.UUID]) -> Template:
        user = await service.get_user(db_session, user_id, acting_user=request.user)
        values = {
            **user.model_dump(mode="json"),
            "is_active": "on" if user.is_active else "",
            "certified": "on" if user.certified else "",
        }
        return _user_form(request, user, values)

    @post("/{user_id:uuid}")
    async def update_user(self, request: Request, db_session: DB, user_id: FromPath[uuid.UUID], data: Form) -> Response:
        await service.get_user(db_session, user_id, acting_user=request.user)  # 404 before any form check

        async def update() -> User:
            form = service.parse_user_form(data, creating=False, roles=service.assignable_roles(request.user))
            version = int(data.get("version", "0") or 0) if str(data.get("version", "")).isdigit() else -1
            now = request.app.state.clock()
            return await service.update_user(
                db_session, user_id, form, version=version, acting_user=request.user, now=now
            )

        async def redraw(error: DomainError) -> Template:
            # the failed transaction expired the loaded row: read it again for the form
            user = await service.get_user(db_session, user_id, acting_user=request.user)
            return _user_form(request, user, data, error)

        return await act(
            update(),
            done=lambda user: redirect("/users", _("User %(name)s saved.", name=user.display_name), request=request),
            refused=redraw,
        )


def _user_form(request: Request, user, values: dict, error: DomainError | None = None) -> Template:
    context = {
        "user": user,
        "values": values,
        "roles": {role.value: ROLE_LABELS[role] for role in service.assignable_roles(request.user)},
        "languages": LANGUAGES,
        **error_context(error),
    }
    return Template("accounts/user_form.html", context=context, status_code=422 if error else 200)
