"""Telling people: the notification outbox, its channels (e-mail, SMS, in-app), the triggers that fill it and the
scheduler that sends it and moves clocks."""
