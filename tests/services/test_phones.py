"""One phone number, one form."""

from __future__ import annotations

import pytest

from contest.services.people.phones import normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "+84912345678",
        "84912345678",
        "+84 912 345 678",
        "(+84) 912.345.678",
        "0084912345678",
        " 0912-345-678 ",
    ],
)
def test_the_same_number_written_many_ways(raw: str) -> None:
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize(
    "raw", ["", "12345", "091234567", "09123456789", "0112345678", "abc0912345678", "+1 202 555 0100"]
)
def test_not_a_vietnamese_number(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_landline_numbers_are_accepted() -> None:
    assert normalise_phone("024 3943 1234") == "02439431234"
    assert normalise_phone("+84 24 3943 1234") == "02439431234"
