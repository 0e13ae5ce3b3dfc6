"""The report's rendering helpers: what a customer reads for values stored as codes."""

from datetime import UTC, datetime

from app.visits.report_view import moment, warranty


def _content(status: str, values: dict) -> dict:
    steps = [{"key": "warranty", "status": "done", "values": values}]
    return {"device": {"warranty_status": status, "warranty_basis": "none"}, "steps": steps}


def test_it_says_what_was_checked_on_site_instead_of_unknown():
    assert warranty(_content("unknown", {"card_checked": True})) == "Checked on site: warranty card and packing list"
    looked_up = warranty(_content("unknown", {"lookup_result": "out_of_warranty", "lookup_reason": "Card lost"}))
    assert looked_up == "Checked on site: serial looked up, Out of warranty (Card lost)"
    signed_earlier = warranty(_content("unknown", {"lookup_reason": "Card lost"}))  # before the result was recorded
    assert signed_earlier == "Checked on site: serial looked up (Card lost)"


def test_it_keeps_the_intake_warranty_when_it_was_known():
    assert warranty(_content("out_of_warranty", {"card_checked": True})) == "Out of warranty"


def test_it_reads_stored_utc_times_back_as_aware_moments():
    assert moment("2026-11-29T17:30:00Z") == datetime(2026, 11, 29, 17, 30, tzinfo=UTC)
    assert moment("") is None and moment("not a time") is None
