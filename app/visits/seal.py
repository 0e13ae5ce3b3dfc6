"""The seal on a signed report: an HMAC-SHA256 of its exact content under a key that only the server holds.

The SHA-256 values stored with a report show an accidental change, but whoever can write to the
database can rewrite the content and every hash with it. The seal needs the key, which lives in the
server's settings (``ONSITE_REPORT_SEAL_KEY``, or ``var/report_seal_key``), never in the database. Each
seal records the id of its key (a fingerprint, not the key), so that keys can be rotated: the newest key
seals, and older keys listed in ``ONSITE_REPORT_SEAL_OLD_KEYS`` still verify what they sealed.

Schemes: ``hmac-sha256`` seals the content at signing; ``legacy`` marks reports signed before seals
existed, sealed by the upgrade (migration 0010) only if they still matched their hashes then.
"""

import hashlib
import hmac
from dataclasses import dataclass

SCHEME = "hmac-sha256"
LEGACY = "legacy"


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"onsite report seal key id\0" + key).hexdigest()[:16]


def _mac(key: bytes, scheme: str, content: str) -> str:
    return hmac.new(key, scheme.encode() + b"\0" + content.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    current: bytes
    old: tuple[bytes, ...] = ()

    def seal(self, content: str, scheme: str = SCHEME) -> tuple[str, str]:
        """(key id, seal) of ``content`` under the current key."""
        return key_id(self.current), _mac(self.current, scheme, content)

    def verify(self, content: str, scheme: str, sealed_with: str, seal: str) -> bool:
        """Whether ``seal`` is the seal of ``content`` under the key named ``sealed_with``."""
        for key in (self.current, *self.old):
            if key_id(key) == sealed_with:
                return bool(seal) and hmac.compare_digest(_mac(key, scheme, content), seal)
        return False


def keyring_for(settings) -> Keyring:
    """The settings' seal keys; without one (tests build settings by hand), a key derived from the secret."""
    current = (
        settings.report_seal_key
        or hmac.new(settings.secret_key.encode(), b"onsite report seal", hashlib.sha256).hexdigest()
    )
    return Keyring(current.encode(), tuple(key.strip().encode() for key in settings.report_seal_old_keys))


_keyring: Keyring | None = None


def use_keys(settings) -> None:
    """Called once by the app factory: the process seals and verifies with these keys."""
    global _keyring
    _keyring = keyring_for(settings)


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("report seal keys not configured: create the app first")
    return _keyring
