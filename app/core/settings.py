"""Typed settings, read once from ``ONSITE_*`` environment variables."""

import os
import secrets
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    return os.environ.get(f"ONSITE_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(var_dir: Path, name: str = "SECRET_KEY") -> str:
    """A secret: from the environment, else one generated once and kept under ``var/``."""
    if value := os.environ.get(f"ONSITE_{name}"):
        return value
    path = var_dir / name.lower()
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class S3Settings:
    """An S3-compatible bucket for photos (AWS, MinIO, Ceph RGW...); an empty endpoint means AWS itself."""

    endpoint: str = ""
    bucket: str = ""
    access_key: str = ""
    secret_key: str = ""
    region: str = "us-east-1"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    secure_cookies: bool = False
    default_locale: str = "en"
    var_dir: Path = ROOT / "var"
    login_free_failures: int = 3
    login_address_free_failures: int = 20
    login_first_delay_seconds: int = 2
    login_max_delay_seconds: int = 900
    login_window_minutes: int = 60
    max_form_bytes: int = 1_000_000
    session_days: int = 30
    log_requests: bool = True
    photo_max_bytes: int = 15_000_000
    photo_max_pixels: int = 50_000_000
    photo_max_decoded_bytes: int = 80_000_000
    photo_decodes: int = 1
    report_seal_key: str = ""  # HMAC key sealing signed reports; empty: derived from secret_key
    report_seal_old_keys: tuple[str, ...] = ()  # earlier seal keys, kept to verify what they sealed
    media_dir: Path | None = None  # None: ``var_dir / "media"``
    media_backend: str = "local"  # "local" (media_dir) or "s3" (the bucket in ``s3``)
    s3: S3Settings = field(default_factory=S3Settings)
    metrics_token: str = ""  # a bearer token that may read /metrics from anywhere; empty: loopback only
    languages: tuple[str, ...] = field(default=("en", "zh_Hans"))
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    work_start: time = time(8, 30)
    work_end: time = time(17, 30)
    channels_backend: str = "memory"
    workers: int = 1
    redis_url: str = "redis://127.0.0.1:6379/0"
    board_keepalive_seconds: float = 15.0
    board_events_keep_hours: float = 24.0
    public_url: str = ""  # e.g. https://onsite.example.com; labels use the request's host when empty
    parts_overdue_days: int = 3
    customer_link_days: int = 30
    keep_idempotency_days: int = 30
    keep_expired_sessions_days: int = 7
    keep_sign_in_attempts_days: int = 7
    prune_every_minutes: float = 60
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-* headers are believed
    smtp_host: str = ""  # empty: e-mails are only logged
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "onsite@localhost"
    smtp_starttls: bool = False
    sms_url: str = ""  # the SMS provider's HTTP endpoint; empty: text messages are only logged
    sms_key: str = ""
    notify_max_attempts: int = 5
    notify_first_retry_seconds: float = 30
    # The server runs the scheduler unless ONSITE_SCHEDULER_IN_SERVER=0 (``from_env``); settings built in code (tests
    # that move a clock by hand) have none running behind their back unless they ask for it.
    scheduler_in_server: bool = False
    scheduler_seconds: float = 15
    overdue_escalate_minutes: float = 240  # an overdue clock this much past due is also told to the manager

    def __post_init__(self) -> None:
        if self.media_dir is None:  # photos follow var_dir unless placed elsewhere on purpose
            object.__setattr__(self, "media_dir", self.var_dir / "media")
        if self.media_backend not in {"local", "s3"}:
            raise ValueError(f"ONSITE_MEDIA_BACKEND must be local or s3, not {self.media_backend!r}")
        if self.media_backend == "s3" and not self.s3.bucket:
            raise ValueError("ONSITE_MEDIA_BACKEND=s3 needs ONSITE_S3_BUCKET")

    @classmethod
    def from_env(cls) -> "Settings":
        var_dir = Path(_env("VAR_DIR", str(ROOT / "var")))
        return cls(
            database_url=_env("DATABASE_URL", f"sqlite+aiosqlite:///{var_dir / 'onsite.db'}"),
            secret_key=_secret_key(var_dir),
            host=_env("HOST", "127.0.0.1"),
            port=int(_env("PORT", "8000")),
            debug=_env_bool("DEBUG", False),
            secure_cookies=_env_bool("SECURE_COOKIES", False),
            default_locale=_env("DEFAULT_LOCALE", "en"),
            var_dir=var_dir,
            login_free_failures=int(_env("LOGIN_FREE_FAILURES", "3")),
            login_address_free_failures=int(_env("LOGIN_ADDRESS_FREE_FAILURES", "20")),
            login_first_delay_seconds=int(_env("LOGIN_FIRST_DELAY_SECONDS", "2")),
            login_max_delay_seconds=int(_env("LOGIN_MAX_DELAY_SECONDS", "900")),
            login_window_minutes=int(_env("LOGIN_WINDOW_MINUTES", "60")),
            max_form_bytes=int(_env("MAX_FORM_BYTES", "1000000")),
            session_days=int(_env("SESSION_DAYS", "30")),
            log_requests=_env_bool("LOG_REQUESTS", True),
            timezone=ZoneInfo(_env("TIMEZONE", "Asia/Shanghai")),
            work_start=time.fromisoformat(_env("WORK_START", "08:30")),
            work_end=time.fromisoformat(_env("WORK_END", "17:30")),
            channels_backend=_env("CHANNELS_BACKEND", "memory"),
            workers=int(_env("WORKERS", "1")),
            redis_url=_env("REDIS_URL", "redis://127.0.0.1:6379/0"),
            board_keepalive_seconds=float(_env("BOARD_KEEPALIVE_SECONDS", "15")),
            board_events_keep_hours=float(_env("BOARD_EVENTS_KEEP_HOURS", "24")),
            photo_max_bytes=int(_env("PHOTO_MAX_BYTES", "15000000")),
            photo_max_pixels=int(_env("PHOTO_MAX_PIXELS", "50000000")),
            photo_max_decoded_bytes=int(_env("PHOTO_MAX_DECODED_BYTES", "80000000")),
            photo_decodes=int(_env("PHOTO_DECODES", "1")),
            report_seal_key=_secret_key(var_dir, "REPORT_SEAL_KEY"),
            report_seal_old_keys=tuple(key for key in _env("REPORT_SEAL_OLD_KEYS", "").split(",") if key.strip()),
            media_dir=Path(_env("MEDIA_DIR", str(var_dir / "media"))),
            media_backend=_env("MEDIA_BACKEND", "local"),
            s3=S3Settings(
                endpoint=_env("S3_ENDPOINT", "").rstrip("/"),
                bucket=_env("S3_BUCKET", ""),
                access_key=_env("S3_ACCESS_KEY", ""),
                secret_key=_env("S3_SECRET_KEY", ""),
                region=_env("S3_REGION", "us-east-1"),
            ),
            metrics_token=_env("METRICS_TOKEN", ""),
            public_url=_env("PUBLIC_URL", "").rstrip("/"),
            parts_overdue_days=int(_env("PARTS_OVERDUE_DAYS", "3")),
            customer_link_days=int(_env("CUSTOMER_LINK_DAYS", "30")),
            keep_idempotency_days=int(_env("KEEP_IDEMPOTENCY_DAYS", "30")),
            keep_expired_sessions_days=int(_env("KEEP_EXPIRED_SESSIONS_DAYS", "7")),
            keep_sign_in_attempts_days=int(_env("KEEP_SIGN_IN_ATTEMPTS_DAYS", "7")),
            prune_every_minutes=float(_env("PRUNE_EVERY_MINUTES", "60")),
            trusted_proxies=tuple(p.strip() for p in _env("TRUSTED_PROXIES", "").split(",") if p.strip()),
            smtp_host=_env("SMTP_HOST", ""),
            smtp_port=int(_env("SMTP_PORT", "25")),
            smtp_user=_env("SMTP_USER", ""),
            smtp_password=_env("SMTP_PASSWORD", ""),
            smtp_from=_env("SMTP_FROM", "onsite@localhost"),
            smtp_starttls=_env_bool("SMTP_STARTTLS", False),
            sms_url=_env("SMS_URL", ""),
            sms_key=_env("SMS_KEY", ""),
            notify_max_attempts=int(_env("NOTIFY_MAX_ATTEMPTS", "5")),
            notify_first_retry_seconds=float(_env("NOTIFY_FIRST_RETRY_SECONDS", "30")),
            scheduler_in_server=_env_bool("SCHEDULER_IN_SERVER", True),
            scheduler_seconds=float(_env("SCHEDULER_SECONDS", "15")),
            overdue_escalate_minutes=float(_env("OVERDUE_ESCALATE_MINUTES", "240")),
        )
