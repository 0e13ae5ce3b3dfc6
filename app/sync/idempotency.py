"""``Idempotency-Key`` on every mutating request (architecture.md "Offline-first, lossless").

1. ``check_idempotency_key`` (before_request): a known key replays its stored response (same request) or is
   refused (422, different request) or asked to wait (409, the first delivery is still being answered).
2. ``transaction()`` inserts the key in the same transaction as the change (``IdempotencyKeys``); a concurrent
   delivery of the same key then fails on the primary key and changes nothing (409 + ``Retry-After``), and one
   refused by a rule because the other delivery's change is already there is answered the same way.
3. ``store_idempotent_response`` (before_send) keeps the response of a committed change for later replays.
"""

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from litestar import Request, Response
from litestar.datastructures import UploadFile
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import faults
from app.core.database import TransactionHook
from app.core.errors import DeliveryInFlight
from app.core.i18n import _
from app.core.metrics import OUTBOX_REPLAYS
from app.core.web import error_page
from app.sync.models import IdempotencyRecord

KEY_HEADER = "idempotency-key"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
_VALID_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")
REPLAYED_HEADERS = ("content-type", "content-encoding", "location", "hx-redirect", "vary")
MAX_STORED_BODY = 256_000
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
IGNORED_FIELDS = {"_csrf_token"}  # a reloaded page carries a new token; the change is the same
CLAIM = "idempotency"  # the request's claim, kept on its database session
CLOCK = "clock"
# A key committed but never answered (the process died after the commit): the change happened, say so.
ANSWER_LOST_AFTER = timedelta(seconds=30)


def different_content() -> str:
    """The one answer to a key (or a row id the client chose) sent again with another meaning."""
    return _("This change was already sent with different content. It was not applied again.")


@dataclass
class Claim:
    user_id: uuid.UUID
    key: str
    fingerprint: str
    inserted: bool = False
    committed: bool = False
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)


def fingerprint(method: str, path: str, content: object) -> str:
    """What a request means: method, path and query, and its content as canonical JSON."""
    meaning = json.dumps([method, path, content], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(meaning.encode()).hexdigest()


async def _file_meaning(name: str, upload: UploadFile) -> list:
    digest = hashlib.sha256()
    while chunk := await upload.read(1 << 20):
        digest.update(chunk)
    await upload.seek(0)  # the handler reads it again
    return ["file", name, upload.filename, upload.content_type, digest.hexdigest()]


async def request_meaning(request: Request) -> object:
    """Form posts (URL-encoded or multipart) by their sorted fields and each file's name, type and SHA-256,
    never by their bytes: a resend builds a new multipart boundary. The form is parsed once, here, and kept
    for the handler: reading the raw body after the form has consumed the stream would wait forever."""
    content_type = request.content_type[0]
    if content_type in FORM_TYPES:
        form = await request.form()
        parts = [
            await _file_meaning(name, value) if isinstance(value, UploadFile) else ["field", name, str(value)]
            for name, value in form.multi_items()
            if name not in IGNORED_FIELDS
        ]
        return sorted(parts)
    body = await request.body()
    if content_type == "application/json":
        try:
            return ["json", json.loads(body)]
        except ValueError:
            pass
    return [content_type, hashlib.sha256(body).hexdigest()]


async def check_idempotency_key(request: Request) -> Response | None:
    key = request.headers.get(KEY_HEADER)
    if request.method not in MUTATING or not key or request.scope.get("user") is None:
        return None
    if not _VALID_KEY.match(key):
        return error_page(request, 400, _("The request's Idempotency-Key is not valid."))
    path = request.scope["raw_path"].decode() + "?" + request.scope.get("query_string", b"").decode()
    claim = Claim(request.user.id, key, fingerprint(request.method, path, await request_meaning(request)))
    async with request.app.state.sessionmaker() as db:
        record = await db.get(IdempotencyRecord, (claim.user_id, key))
    if record is None:
        request.scope["state"]["idempotency"] = claim
        return None
    if record.fingerprint != claim.fingerprint:
        return error_page(request, 422, different_content())
    if record.status_code is None:
        if not _answer_lost(request, record):
            response = error_page(request, 409, _("This change is still being saved. Try again in a moment."))
            response.headers["Retry-After"] = "1"
            return response
        OUTBOX_REPLAYS.inc()
        return Response({"status": "applied"}, status_code=200, headers={"Idempotent-Replayed": "true"})
    OUTBOX_REPLAYS.inc()
    headers = {**record.headers, "Idempotent-Replayed": "true"}
    return Response(
        content=record.body,
        status_code=record.status_code,
        headers=headers,
        media_type=record.headers.get("content-type"),
    )


def _answer_lost(request: Request, record: IdempotencyRecord) -> bool:
    """Committed and never answered: the process that committed it died before answering (it did so before
    this one started, with one worker), or it has not answered for ``ANSWER_LOST_AFTER``."""
    state = request.app.state
    if state.settings.workers == 1 and record.created_at < state.started_at:
        return True
    return state.clock() - record.created_at >= ANSWER_LOST_AFTER


def refuse_concurrent_delivery() -> DeliveryInFlight:
    return DeliveryInFlight(_("This change is already being saved from another attempt. Try again in a moment."))


class IdempotencyKeys(TransactionHook):
    """The request's key rides in the same transaction as its change."""

    def session_opened(self, db: AsyncSession, request: Request) -> None:
        if claim := request.scope["state"].get("idempotency"):
            db.info[CLAIM] = claim
            db.info[CLOCK] = request.app.state.clock

    def before_flush(self, db: AsyncSession) -> None:
        claim: Claim | None = db.info.get(CLAIM)
        if claim is not None and not claim.inserted:
            db.add(
                IdempotencyRecord(
                    user_id=claim.user_id, key=claim.key, fingerprint=claim.fingerprint, created_at=db.info[CLOCK]()
                )
            )
            claim.inserted = True

    async def before_commit(self, db: AsyncSession) -> None:
        if (claim := db.info.get(CLAIM)) is not None:
            faults.reached("before_commit", claim.key)

    def committed(self, db: AsyncSession) -> None:
        if (claim := db.info.get(CLAIM)) is not None:
            claim.committed = True

    async def refusal(self, db: AsyncSession, error: Exception) -> Exception | None:
        """The same key committed meanwhile: nothing is applied twice. A refused request whose key another
        delivery committed meanwhile was refused because of that delivery (the step is already done, the part
        already lent): it is a duplicate in flight, not a refusal."""
        claim: Claim | None = db.info.get(CLAIM)
        if claim is None:
            return None
        if isinstance(error, IntegrityError):
            return refuse_concurrent_delivery()
        if getattr(error, "status_code", None) == 422 and await _delivered(db, claim):
            return refuse_concurrent_delivery()
        return None


async def _delivered(db: AsyncSession, claim: Claim) -> bool:
    return await db.get(IdempotencyRecord, (claim.user_id, claim.key), populate_existing=True) is not None


async def store_idempotent_response(message, scope) -> None:
    """``before_send``: remembers the answer to a committed change, before its last byte leaves."""
    claim: Claim | None = scope.get("state", {}).get("idempotency")
    if claim is None or not claim.committed:
        return
    if message["type"] == "http.response.start":
        faults.reached("after_commit", claim.key)
        claim.status = message["status"]
        headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        claim.headers = {name: headers[name] for name in REPLAYED_HEADERS if name in headers}
    elif message["type"] == "http.response.body":
        if len(claim.body) < MAX_STORED_BODY:
            claim.body.extend(message.get("body", b""))
        if not message.get("more_body", False):
            async with scope["litestar_app"].state.sessionmaker() as db:
                await db.exec(
                    update(IdempotencyRecord)
                    .where(IdempotencyRecord.user_id == claim.user_id, IdempotencyRecord.key == claim.key)
                    .values(status_code=claim.status, headers=claim.headers, body=bytes(claim.body))
                )
                await db.commit()
