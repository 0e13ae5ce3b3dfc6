"""The one hierarchy of refusals a user can meet.

Every refusal is a ``DomainError`` with a stable ``code`` (for logs, tests and the JSON answer) and a sentence
already translated for the user. Its HTTP status comes from its kind, set here and nowhere else; the one error
handler (``app/core/web.py``) draws it as a page, a fragment or JSON. Features subclass a kind and give their
refusal its own code.
"""


class DomainError(Exception):
    """A rule of the trade refused the action; ``message`` is already translated for the user."""

    status_code = 422
    code = "refused"
    beside_the_form = True  # shown next to the form that asked; False: the error page (403, 404)

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class Forbidden(DomainError):
    """The user's role or relation to the record does not allow it (a rule about the record, not a guard)."""

    status_code = 403
    code = "forbidden"
    beside_the_form = False


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    beside_the_form = False


class Conflict(DomainError):
    """The record changed meanwhile, or the request clashes with what is already stored."""

    status_code = 409
    code = "conflict"


class Gone(DomainError):
    """It existed but can no longer be used (an expired or revoked link)."""

    status_code = 410
    code = "gone"


class TooManyRequests(DomainError):
    """Wait ``retry_after`` seconds before trying again."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DeliveryInFlight(Exception):  # noqa: N818 - named for what the client is told
    """Another delivery of the same ``Idempotency-Key`` is being answered (or was, meanwhile): not a rule's
    refusal, so no handler turns it into a page; always 409 with ``Retry-After``, and the outbox retries."""

    status_code = 409
    code = "delivery_in_flight"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
