"""How a message leaves: e-mail over SMTP, SMS through a provider's HTTP API, or only a log line (the default when
no server or provider is configured, as for ``make run``). A send that fails raises; the sender retries later."""

import asyncio
import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Protocol

from app.core.settings import Settings
from app.notify.models import Notification
from app.notify.outbox import EMAIL, SMS

log = logging.getLogger("onsite")
TIMEOUT_SECONDS = 10


class Channel(Protocol):
    async def send(self, message: Notification) -> None: ...


class LogOnly:
    """Writes the message to the log instead of sending it."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, message: Notification) -> None:
        log.info(
            "notification (log only)",
            extra={"channel": self.channel, "to": message.address, "subject": message.subject},
        )


class SmtpEmail:
    """Standard-library SMTP in a worker thread (a blocking client, kept off the event loop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: Notification) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.settings.smtp_from, message.address, message.subject
        mail["Message-ID"] = f"<{message.id}@onsite>"
        mail.set_content(message.body)
        await asyncio.to_thread(self._deliver, mail)

    def _deliver(self, mail: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(mail)


class HttpSms:
    """A provider's HTTP API: ``POST`` JSON ``{"to", "text", "id"}`` with ``Authorization: Bearer <key>``; any 2xx
    answer is a delivery. ``id`` lets a provider drop a message it already has."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url, key

    async def send(self, message: Notification) -> None:
        payload = {"to": message.address, "text": f"{message.subject}\n{message.body}", "id": str(message.id)}
        await asyncio.to_thread(self._post, json.dumps(payload).encode())

    def _post(self, body: bytes) -> None:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"}
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - the configured URL
            if not 200 <= answer.status < 300:
                raise OSError(f"SMS provider answered {answer.status}")


def make_channels(settings: Settings) -> dict[str, Channel]:
    return {
        EMAIL: SmtpEmail(settings) if settings.smtp_host else LogOnly(EMAIL),
        SMS: HttpSms(settings.sms_url, settings.sms_key) if settings.sms_url else LogOnly(SMS),
    }
