"""The service report frozen as canonical JSON and hashed with SHA-256 (F60, INV-7)."""

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def canonical_json(content: dict[str, Any]) -> str:
    """One spelling for one content: sorted keys, no spaces, UTF-8, UTC ISO times, decimals as strings."""
    return json.dumps(_plain(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(content: str, report_sha256: str, signature_sha256: str) -> bool:
    """True when the stored content still hashes to what the customer signed."""
    try:
        recanonical = canonical_json(json.loads(content))
    except ValueError:
        return False
    actual = sha256_of(content)
    return actual == report_sha256 == signature_sha256 and sha256_of(recanonical) == actual
