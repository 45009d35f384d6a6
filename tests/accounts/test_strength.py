"""Passwords too easy to guess are refused when chosen, with the reason."""

from __future__ import annotations

import pytest

from search_service.accounts.strength import check_password
from search_service.lib.errors import Invalid


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "repeats the same few characters"),
        ("abababababab", "repeats the same few characters"),
        ("1234567890", "row of the keyboard or the alphabet"),
        ("0987654321", "row of the keyboard or the alphabet"),
        ("QWERTYUIOP", "row of the keyboard or the alphabet"),
        ("abcdefghijk", "row of the keyboard or the alphabet"),
        ("Password123", "one of the most used passwords"),
        ("1q2w3e4r5t", "row of the keyboard or the alphabet"),
        ("sam.jones-2026!", "contains your email address"),
        # Found by a red-team walk: rows with their punctuation or a few digits more, other
        # layouts, look-alike and full-width letters, invisible text, the address itself.
        ("asdfghjkl;", "row of the keyboard or the alphabet"),
        ("qwertyuiop[]", "row of the keyboard or the alphabet"),
        ("qwertyuiop1", "row of the keyboard or the alphabet"),
        ("asdfghjkl123", "row of the keyboard or the alphabet"),
        ("!@#$%^&*()", "row of the keyboard or the alphabet"),
        ("qwertzuiop", "row of the keyboard or the alphabet"),
        ("azertyuiop", "row of the keyboard or the alphabet"),
        ("йцукенгшщз", "row of the keyboard or the alphabet"),
        ("mnbvcxzlkj", "row of the keyboard or the alphabet"),
        ("1q2w3e4r5t6y7u", "row of the keyboard or the alphabet"),
        ("12345678901", "row of the keyboard or the alphabet"),
        ("abcdabcdabcd", "repeats the same few characters"),
        ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10", "row of the keyboard"),
        ("\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11\uff12\uff13", "most used"),
        ("p\u0430ssword123", "one of the most used passwords"),
        ("\u202epassword123", "one of the most used passwords"),
        ("Welcome2026!", "one of the most used passwords"),
        ("\u200b\u200c\u200d\u2060\u200b\u200c\u200d\u2060\u200b\u200c", "can be seen"),
        ("sam.jones@example.com", "contains your email address"),
        ("pass\udcffphrase-of-words", "not valid text: type it as UTF-8"),
        # A second red-team walk: patterns a guesser tries early, which zxcvbn knows (a
        # season or a common word with a year, keyboard columns, words reversed or in leet).
        ("Summer2026!", "too easy to guess"),
        ("zaq12wsxcde", "too easy to guess"),
        ("qazwsxedcrfv", "too easy to guess"),
        ("1234qwer!@#$", "too easy to guess"),
        ("P4ssw0rd!!", "too easy to guess"),
        ("pa55w0rd2026", "too easy to guess"),
        ("drowssap1234", "too easy to guess"),
        ("pässwörd123", "too easy to guess"),
        ("trustno1234", "too easy to guess"),
        ("hunter22222", "too easy to guess"),
        ("mypassword1", "too easy to guess"),
        ("letmeinplease", "too easy to guess"),
    ],
)
def test_a_guessable_password_is_refused_with_its_reason(password: str, why: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_password(password, "Sam.Jones@example.com")
    assert refused.value.fields[0].name == "password" and why in refused.value.detail


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("correct horse battery staple", "sam@example.com"),
        ("Tr0ub4dor&3xyz", "sam@example.com"),
        ("learn-something-new", "sam@example.com"),
        # A review's findings: a name inside a longer phrase, words that only look like runs.
        ("dilemma of seven tired whales", "emma@example.com"),
        ("remarkable purple giraffes", "mark@example.com"),
        ("deer tree free", "sam@example.com"),
        ("a quiet harbour at dawn", "sam@example.com"),
        ("Kx9#mQ2$vL8p", "sam@example.com"),
        ("my dog eats 3 socks", "sam@example.com"),
    ],
)
def test_a_phrase_or_a_mixed_password_is_accepted(password: str, email: str) -> None:
    check_password(password, email)


def test_a_short_address_is_refused_as_the_password() -> None:
    with pytest.raises(Invalid):
        check_password("tim@example.com", "tim@example.com")
