"""Fixtures the integration tests share beyond the suite-wide ones in ``tests/conftest.py``."""

import pytest

from tests.helpers.notify_servers import sms_receiver, smtp_server


@pytest.fixture
def mail():
    with smtp_server() as mailbox:
        yield mailbox


@pytest.fixture
def sms():
    with sms_receiver() as receiver:
        yield receiver
