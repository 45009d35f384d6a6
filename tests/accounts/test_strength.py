"""Passwords too easy to guess are refused when chosen, with the reason."""

from __future__ import annotations

import pytest

from search_service.accounts.strength import check_password
from search_service.lib.errors import Invalid


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "repeats too few characters"),
        ("abababababab", "repeats too few characters"),
        ("1234567890", "row of the keyboard or the alphabet"),
        ("0987654321", "row of the keyboard or the alphabet"),
        ("QWERTYUIOP", "row of the keyboard or the alphabet"),
        ("abcdefghijk", "row of the keyboard or the alphabet"),
        ("Password123", "one of the most used passwords"),
        ("1q2w3e4r5t", "one of the most used passwords"),
        ("sam.jones-2026!", "contains your email address"),
    ],
)
def test_a_guessable_password_is_refused_with_its_reason(password: str, why: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_password(password, "Sam.Jones@example.com")
    assert refused.value.fields[0].name == "password" and why in refused.value.detail


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "Tr0ub4dor&3xyz", "learn-something-new"]
)
def test_a_phrase_or_a_mixed_password_is_accepted(password: str) -> None:
    check_password(password, "sam@example.com")
