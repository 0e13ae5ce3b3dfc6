"""Local receivers for the notification tests: a real SMTP server (aiosmtpd) and an HTTP endpoint standing in for
an SMS provider, each on a free port of this machine, keeping what they received."""

import json
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.helpers.servers import free_port


class Mailbox:
    """An aiosmtpd handler keeping each received message (parsed) in ``messages``."""

    def __init__(self) -> None:
        self.messages = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]


@contextmanager
def smtp_server():
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


class SmsReceiver:
    """What an SMS provider was asked to send: each request's JSON and its Authorization header. ``failing`` makes
    it answer 503."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.failing = False
        self.url = ""

    def texts_to(self, phone: str) -> list[str]:
        return [item["text"] for item in self.received if item["to"] == phone]


@contextmanager
def sms_receiver():
    receiver = SmsReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if receiver.failing:
                self.send_response(503)
                self.end_headers()
                return
            receiver.received.append({**body, "authorization": self.headers.get("Authorization")})
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
