"""Passwords, session tokens, signed values and the security headers every response carries."""

import base64
import hashlib
import hmac
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar.datastructures import MutableScopeHeaders

# Full Argon2 by default. ``ONSITE_FAST_PASSWORD_HASHING=1`` (set by the test suite only) uses the
# cheapest parameters, so hundreds of test users do not each cost a full Argon2 run.
_FAST = os.environ.get("ONSITE_FAST_PASSWORD_HASHING") == "1"
_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if _FAST else PasswordHasher()
# Verifying against this keeps the timing of "unknown user" close to "wrong password".
_DUMMY_HASH = _hasher.hash("not-a-real-password")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)


CONTENT_SECURITY_POLICY_WASM = CONTENT_SECURITY_POLICY + "; script-src 'self' 'wasm-unsafe-eval'"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(value: str, secret: str) -> str:
    """``value`` made tamper-evident with an HMAC, safe to keep in a cookie."""
    payload = base64.urlsafe_b64encode(value.encode()).decode()
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{payload}.{mac}"


def unsign(signed: str, secret: str) -> str | None:
    payload, _, mac = signed.rpartition(".")
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]
    if not payload or not hmac.compare_digest(mac, expected):
        return None
    try:
        return base64.urlsafe_b64decode(payload.encode()).decode()
    except ValueError:
        return None


async def add_security_headers(message, scope) -> None:
    """A ``before_send`` hook, so that error responses from any layer get the headers too."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    handler = scope.get("route_handler")
    # Scanner pages compile a WebAssembly barcode decoder: they alone may (`opt={"wasm": True}`).
    wasm = handler is not None and handler.opt.get("wasm")
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY_WASM if wasm else CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
    if scope["path"].startswith("/static/"):
        # Versioned URLs (?v=<hash>) never change; plain ones (ES module imports) revalidate.
        versioned = b"v=" in scope.get("query_string", b"")
        headers["Cache-Control"] = "public, max-age=31536000, immutable" if versioned else "no-cache"


CSRF_COOKIE_MAX_AGE = 30 * 24 * 3600


async def persist_csrf_cookie(message, scope) -> None:
    """``before_send``: the CSRF cookie outlives a browser restart, so work queued offline on a phone that
    was switched off still carries a valid token when it is finally sent."""
    if message["type"] != "http.response.start":
        return
    message["headers"] = [
        (name, value + f"; Max-Age={CSRF_COOKIE_MAX_AGE}".encode())
        if name.lower() == b"set-cookie" and value.startswith(b"csrftoken=") and b"max-age" not in value.lower()
        else (name, value)
        for name, value in message.get("headers", [])
    ]


async def secure_cookies_over_https(message, scope) -> None:
    """``before_send``: over HTTPS (directly, or as a trusted proxy reports it) or with
    ``ONSITE_SECURE_COOKIES=1``, every cookie is ``Secure`` — the CSRF and flash cookies included."""
    if message["type"] != "http.response.start":
        return
    settings = scope["litestar_app"].state.settings
    if scope.get("scheme") != "https" and not settings.secure_cookies:
        return
    message["headers"] = [
        (name, value + b"; Secure")
        if name.lower() == b"set-cookie" and b"secure" not in {part.strip() for part in value.lower().split(b";")[1:]}
        else (name, value)
        for name, value in message.get("headers", [])
    ]
