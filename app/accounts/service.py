"""Signing in and out, and managing user accounts. The only place that writes accounts."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from litestar.exceptions import NotFoundException
from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import LoginAttempt, Office, Role, User, UserSession
from app.accounts.offices import share_offices
from app.accounts.throttle import SignInLimits, seconds_to_wait
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, TooManyRequests
from app.core.i18n import LANGUAGES, _, ngettext
from app.core.security import hash_password, new_session_token, token_digest, verify_password

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 8


class TooManyAttempts(TooManyRequests):
    code = "too_many_sign_in_attempts"


@dataclass(frozen=True)
class SignIn:
    user: User
    token: str


async def sign_in(
    db: AsyncSession,
    username: str,
    password: str,
    *,
    ip: str,
    now: datetime,
    limits: SignInLimits,
    session_days: int,
    user_agent: str = "",
    csrf_hash: str = "",
    interface_locale: str = "",
) -> SignIn:
    """Checks the password, unless this username and address (or this address) must still wait after
    earlier failures; the refusal says how long. ``interface_locale``, the language the browser asked for, is
    kept: messages sent outside the app (SMS) speak it to a user who chose none."""
    username, ip = username.strip().lower()[:40], ip[:45]
    if wait := await seconds_to_wait(db, username, ip, now, limits):
        raise TooManyAttempts(_wait_message(wait), retry_after=wait)
    user = (await db.exec(select(User).where(User.username == username))).first()
    if not verify_password(user.password_hash if user else None, password) or not user.is_active:
        async with transaction(db):
            db.add(LoginAttempt(username=username, ip=ip, at=now))
        raise DomainError(_("Wrong username or password."))
    token = new_session_token()
    async with transaction(db):
        db.add(
            UserSession(
                token_hash=token_digest(token),
                user_id=user.id,
                created_at=now,
                expires_at=now + timedelta(days=session_days),
                user_agent=user_agent[:200],
                csrf_hash=csrf_hash,
            )
        )
        await db.exec(delete(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.ip == ip))
        if interface_locale in LANGUAGES and user.interface_locale != interface_locale:
            user.interface_locale = interface_locale
            db.add(user)
    return SignIn(user=user, token=token)


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Too many failed sign-ins. Wait %(num)s second and try again.",
            "Too many failed sign-ins. Wait %(num)s seconds and try again.",
            seconds,
        )
    return ngettext(
        "Too many failed sign-ins. Wait %(num)s minute and try again.",
        "Too many failed sign-ins. Wait %(num)s minutes and try again.",
        -(-seconds // 60),
    )


async def sign_out(db: AsyncSession, token: str | None) -> None:
    if token:
        async with transaction(db):
            await db.exec(delete(UserSession).where(UserSession.token_hash == token_digest(token)))


@dataclass
class UserForm:
    username: str
    display_name: str
    phone: str
    role: str
    locale: str
    certified: bool
    is_active: bool
    password: str


def assignable_roles(acting_user: User) -> list[Role]:
    """The roles ``acting_user`` may give: only a regional user makes another (a manager has one office)."""
    return [role for role in Role if role != Role.REGIONAL or acting_user.role == Role.REGIONAL]


def parse_user_form(data: dict, *, creating: bool, roles: list[Role] | None = None) -> UserForm:
    """Validates a user form (``roles``: those the author may give; all for the command line and the demo);
    raises ``FormErrors`` naming every bad field."""
    check = v.Collector()
    username = (check(v.text, data, "username", max_length=40, label=_("Username")) or "").lower()
    if username and not _USERNAME.match(username):
        check.add("username", _("Use 3 to 40 lowercase letters, digits, dots, dashes or underscores."))
    display_name = check(v.text, data, "display_name", max_length=120, label=_("Name"))
    phone = check(v.phone, data, "phone", required=False, label=_("Phone"))
    role = check(v.choice, data, "role", [r.value for r in roles or Role], label=_("role"))
    locale = check(v.choice, data, "locale", ["", *LANGUAGES], label=_("language"))
    password = str(data.get("password", "") or "")
    if (creating or password) and len(password) < MIN_PASSWORD:
        check.add(
            "password",
            ngettext(
                "The password needs at least %(num)s character.",
                "The password needs at least %(num)s characters.",
                MIN_PASSWORD,
            ),
        )
    if len(password) > 200:
        check.add("password", _("The password is too long."))
    check.done()
    return UserForm(
        username=username,
        display_name=display_name,
        phone=phone,
        role=role,
        locale=locale,
        certified=v.checkbox(data, "certified"),
        is_active=creating or v.checkbox(data, "is_active"),
        password=password,
    )


async def create_user(
    db: AsyncSession, form: UserForm, *, office_id: uuid.UUID, now: datetime, acting_user: User | None = None
) -> User:
    """A new user of ``office_id``; a regional user made by another oversees the same offices."""
    async with transaction(db):
        if (await db.exec(select(User.id).where(User.username == form.username))).first():
            raise DomainError(_("The username %(name)s is already taken.", name=form.username), field="username")
        user = User(
            office_id=office_id,
            username=form.username,
            display_name=form.display_name,
            phone=form.phone,
            role=form.role,
            locale=form.locale,
            certified=form.certified,
            is_active=True,
            password_hash=hash_password(form.password),
            created_at=now,
            updated_at=now,
        )
        db.add(user)
        if form.role == Role.REGIONAL and acting_user is not None:
            await db.flush()
            await share_offices(db, acting_user, user)
    return user


async def update_user(
    db: AsyncSession, user_id: uuid.UUID, form: UserForm, *, version: int, acting_user: User, now: datetime
) -> User:
    """Saves an edit made against ``version``; a stale form is refused rather than overwriting."""
    async with transaction(db):
        user = await get_user(db, user_id, acting_user=acting_user)
        if user.version != version:
            raise DomainError(
                _("Someone else changed this user while you were editing. Reload the page to see their changes.")
            )
        if user.id == acting_user.id and (not form.is_active or form.role != user.role):
            raise DomainError(_("You cannot deactivate yourself or change your own role."))
        taken = await db.exec(select(User.id).where(User.username == form.username, User.id != user.id))
        if taken.first():
            raise DomainError(_("The username %(name)s is already taken.", name=form.username), field="username")
        user.username, user.display_name, user.phone = form.username, form.display_name, form.phone
        user.role, user.locale, user.certified = form.role, form.locale, form.certified
        user.is_active = form.is_active
        if form.password:
            user.password_hash = hash_password(form.password)
        user.version += 1
        user.updated_at = now
        db.add(user)
        if not user.is_active or form.password:
            # A deactivated user or a new password ends every open session at once.
            await db.exec(delete(UserSession).where(UserSession.user_id == user.id))
    return user


async def get_user(db: AsyncSession, user_id: uuid.UUID, *, acting_user: User) -> User:
    """A user of the office ``acting_user`` looks at; a regional user only for another regional user (a
    manager who could reset their password would reach every office they oversee)."""
    user = await db.get(User, user_id)
    if user is None or user.office_id != acting_user.office_id or Role(user.role) not in assignable_roles(acting_user):
        raise NotFoundException()
    return user


async def list_users(db: AsyncSession, acting_user: User) -> list[User]:
    roles = [str(role) for role in assignable_roles(acting_user)]
    rows = await db.exec(
        select(User)
        .where(User.office_id == acting_user.office_id, User.role.in_(roles))
        .order_by(User.role, User.display_name)
    )
    return list(rows.all())


async def default_office(db: AsyncSession) -> Office:
    """The first office, made on demand: a fresh install serves one branch office until more are added."""
    office = (await db.exec(select(Office).order_by(Office.code))).first()
    if office is None:
        async with transaction(db):
            office = Office(code="MAIN", name="Main branch office")
            db.add(office)
    return office


async def set_language(db: AsyncSession, user_id: uuid.UUID, locale: str) -> None:
    async with transaction(db):
        user = await db.get(User, user_id)
        user.locale = locale
        db.add(user)
