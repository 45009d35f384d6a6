"""Constraints every input shares, as reusable annotations (msgspec ``Meta``)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

# No control characters but tab and line breaks: no NUL (PostgreSQL text cannot hold it), no
# escape sequences, no bell.
TEXT_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# A line of text: no control characters at all, no invisible format characters (zero-width
# spaces, bidi overrides that reorder what others read), no angle brackets.
LINE_CHARACTERS = (
    r"^[^\x00-\x1f\x7f-\x9f<>\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*$"
)
# The HTML living standard's e-mail address, ASCII only (no look-alike letters from other
# scripts).
EMAIL = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


Email = Annotated[
    str,
    Meta(
        min_length=3,
        max_length=255,
        pattern=EMAIL,
        description="an email address (ASCII letters, digits and punctuation)",
    ),
]
PersonName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=80,
        pattern=LINE_CHARACTERS,
        description="a name of 1 to 80 characters, without control or invisible characters",
    ),
]
# 10+ characters, 8+ of them not spaces: a run of spaces is not a password.
NewPassword = Annotated[
    str,
    Meta(
        min_length=10,
        max_length=128,
        pattern=r"^(?=(?:\s*\S){8})",
        description="10 to 128 characters, at least 8 of them not spaces",
    ),
]
