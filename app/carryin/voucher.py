"""The pickup voucher: a short code and its QR code (domain.md §7.1 step 6, §7.3; F36, F39)."""

from app.core.codes import short_code

CODE_LENGTH = 10  # typed by hand at the counter when the QR code cannot be scanned


def new_code() -> str:
    return short_code(CODE_LENGTH)


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def voucher_path(code: str) -> str:
    """What the QR code opens: the pickup page of the job (reception must be signed in)."""
    return f"/carry-in/v/{code}"
