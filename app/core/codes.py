"""Short codes that people read, scan and type: part label IDs and pickup voucher codes."""

import secrets

# Uppercase letters and digits without 0/O and 1/I/L, so a code reads back and is typed by hand unambiguously,
# and all of it fits a QR code's alphanumeric mode.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def short_code(length: int) -> str:
    """A random code of ``length`` characters from ``ALPHABET``."""
    return "".join(secrets.choice(ALPHABET) for _i in range(length))
