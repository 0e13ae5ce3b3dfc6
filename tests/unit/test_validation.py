import pytest

from app.core import validation as v


def test_it_trims_and_accepts_good_text():
    assert v.text({"name": "  Li Wei "}, "name", max_length=20) == "Li Wei"


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "is required"),
        ({"name": "x" * 21}, "too long"),
        ({"name": "bad\x00byte"}, "not allowed"),
    ],
)
def test_it_refuses_bad_text_with_a_message(data, message):
    with pytest.raises(v.FieldError, match=message):
        v.text(data, "name", max_length=20, label="Name")


@pytest.mark.parametrize("number", ["+86 10 6552 1234", "(010) 6552-1234", "13800138000"])
def test_it_accepts_real_phone_numbers(number):
    assert v.phone({"p": number}, "p") == number


@pytest.mark.parametrize("number", ["call me", "12", "+86 10 abc", "1" * 40])
def test_it_refuses_invalid_phone_numbers(number):
    with pytest.raises(v.FieldError):
        v.phone({"p": number}, "p")


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "Infinity", "-1"])
def test_it_refuses_a_unit_price_that_is_not_a_finite_positive_number(raw):
    from app.parts.catalogue import parse_price

    with pytest.raises(ValueError):
        parse_price(raw)


@pytest.mark.parametrize("raw", ["NaN", "sNaN", "Infinity", "1e999", "-2"])
def test_it_refuses_a_quote_quantity_that_is_not_a_sensible_number(raw):
    from app.visits.engine import ChecklistRefused
    from app.visits.pricing import build_quote

    lines = [{"code": "labour", "price": "10.00", "label": "Labour", "kind": "labour"}]
    with pytest.raises(ChecklistRefused):
        build_quote(1, lines, {"qty_labour": raw})
    assert build_quote(1, lines, {"qty_labour": "1.5"})["total"] == "15.00"


def test_it_refuses_a_whole_number_too_large_for_the_database():
    with pytest.raises(v.FieldError, match="too large"):
        v.integer({"score": "9" * 15}, "score")
    with pytest.raises(v.FieldError, match="whole number"):
        v.integer({"score": "9" * 5000}, "score")


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
def test_it_strips_each_bidi_control_from_single_line_text(control):
    assert v.text({"name": f" Li{control} Wei{control} "}, "name", max_length=20) == "Li Wei"


def test_it_keeps_the_words_of_a_bidi_override_attack_in_the_order_typed():
    assert v.text({"address": "Room 5\u202e ,daoR reviR 21"}, "address", max_length=80) == "Room 5 ,daoR reviR 21"
    assert v.single_line("\u2067\u0645\u0631\u062d\u0628\u0627\u2069 hello") == "\u0645\u0631\u062d\u0628\u0627 hello"


def test_it_counts_a_field_of_only_bidi_controls_as_empty():
    with pytest.raises(v.FieldError, match="is required"):
        v.text({"name": "\u202e\u202c"}, "name", max_length=20, label="Name")


def test_it_collects_every_wrong_field_in_form_order_and_keeps_the_good_values():
    check = v.Collector()
    data = {"name": "", "phone": "call me", "city": "Beijing"}
    assert check(v.text, data, "name", max_length=20, label="Name") is None
    assert check(v.phone, data, "phone", label="Phone") is None
    assert check(v.text, data, "city", max_length=20, label="City") == "Beijing"
    with pytest.raises(v.FieldError) as raised:
        check.done()
    assert isinstance(raised.value, v.FormErrors)
    assert raised.value.errors == {"name": "Name is required.", "phone": "Phone is not a valid phone number."}
    assert (raised.value.field, raised.value.message) == ("name", "Name is required.")
    context = v.error_context(raised.value)
    assert context["error_field"] == "name" and list(context["form_errors"]) == ["name", "phone"]


def test_it_gives_a_single_field_error_the_same_shape_as_several():
    assert v.error_context(v.FieldError("city", "City is required."))["form_errors"] == {"city": "City is required."}
    assert v.error_context(None) == {"error": None, "error_field": None, "form_errors": {}}
    v.Collector().done()  # nothing wrong: nothing raised


@pytest.mark.parametrize("address", ["wu@acme-hospital.test", "li.wei+service@example.com.cn", ""])
def test_it_accepts_real_email_addresses_or_none(address):
    assert v.email({"e": address}, "e") == address


@pytest.mark.parametrize("address", ["wu@", "@acme.test", "wu@acme", "wu at acme.test", "Wu <wu@acme.test>", "a@b..cn"])
def test_it_refuses_malformed_email_addresses(address):
    with pytest.raises(v.FieldError, match="not a valid e-mail address"):
        v.email({"e": address}, "e", label="E-mail")
