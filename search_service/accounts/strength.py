"""Passwords too easy to guess, refused when one is chosen (sign-up, ``users create-admin``).

Length alone let ``aaaaaaaaaa``, ``1234567890`` and ``password123`` through. As NIST SP 800-63B
asks, a new password is also checked against the commonest passwords of the allowed length,
and against the patterns they are made of: one character repeated, a run of the keyboard or
the alphabet, the account's own email address. Nothing else is required of it (no classes of
characters): a long phrase is a good password.
"""

from __future__ import annotations

from search_service.lib.errors import Invalid

# The commonest passwords of 10 characters or more in public breach lists (those shorter are
# refused by length), folded.
_COMMON = frozenset(
    [
        "password12",
        "password123",
        "password1234",
        "password12345",
        "passw0rd123",
        "p@ssw0rd123",
        "p@ssword123",
        "password!!",
        "passwordpassword",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme123",
        "iloveyou12",
        "iloveyou123",
        "admin12345",
        "admin123456",
        "administrator",
        "football123",
        "baseball123",
        "monkey1234",
        "sunshine123",
        "princess123",
        "dragon1234",
        "superman123",
        "trustno1234",
        "starwars123",
        "whatever123",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "qwertyuiop123",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "zaq12wsxcde3",
        "qazwsxedc123",
        "abc1234567",
        "abcd123456",
        "abcde12345",
        "a123456789",
        "123456789a",
        "1234567890a",
        "1234567890q",
        "123qweasdzxc",
        "skillspring",
        "skillspring1",
        "skillspring123",
    ]
)
# Rows a finger runs along, either way round.
_RUNS = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb",
    "qazwsxedcrfvtgb",
)
MIN_DISTINCT = 4  # "ababababab" and "aaaaaaaaaa" are one or two characters typed again


def check_password(password: str, email: str) -> None:
    """Refuse a new ``password`` that is easy to guess.

    Raises:
        Invalid: naming ``password``, saying why.
    """
    folded = password.casefold().strip()
    compact = "".join(folded.split())
    local = email.casefold().split("@", 1)[0]
    if len(set(compact)) < MIN_DISTINCT:
        why = "it repeats too few characters"
    elif any(compact in run or compact in run[::-1] for run in _RUNS):
        why = "it is a row of the keyboard or the alphabet"
    elif compact in _COMMON:
        why = "it is one of the most used passwords"
    elif len(local) >= 4 and local in compact:
        why = "it contains your email address"
    else:
        return
    raise Invalid(
        "password",
        f"This password is too easy to guess: {why}. Choose another (a phrase of a few "
        "words is good).",
    )
