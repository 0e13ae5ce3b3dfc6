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
