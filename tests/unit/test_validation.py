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
