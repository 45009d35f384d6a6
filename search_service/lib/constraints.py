"""Constraints every input shares, as reusable annotations (msgspec ``Meta``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from msgspec import Meta

from search_service.lib.errors import Invalid

# No control characters but tab and line breaks: no NUL (PostgreSQL text cannot hold it), no
# escape sequences (nor their 8-bit forms, U+0080 to U+009F: U+009B is ESC "["), no bell.
TEXT_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
# A line of text: no control characters at all, no invisible format characters (zero-width
# spaces, bidi overrides that reorder what others read), no angle brackets. ``$(?!\n)``: the
# very end (Python's ``$`` also matches before a last line break, which would let one in).
LINE_CHARACTERS = (
    r"^[^\x00-\x1f\x7f-\x9f<>\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*$(?!\n)"
)
# The HTML living standard's e-mail address, ASCII only (no look-alike letters from other
# scripts), its local part at most 64 characters (RFC 5321 4.5.3.1.1).
EMAIL = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$(?!\n)"
)


Email = Annotated[
    str,
    Meta(
        min_length=3,
        max_length=255,
        pattern=EMAIL,
        description="an email address (ASCII letters, digits and punctuation; at most 64 "
        "characters before the @)",
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
        # No control characters: none can be typed into a password field (a NUL, an
        # escape), so one there was sent by a script, not chosen by a person.
        pattern=r"^(?=(?:\s*\S){8})[^\x00-\x1f\x7f-\x9f]*$(?!\n)",
        description="10 to 128 characters, at least 8 of them not spaces, no control characters",
    ),
]


# Times anyone may type (rule windows): within these years, so every one of them is a time
# PostgreSQL stores and converts (year 1 at +14:00 is before year 1 in UTC).
FIRST_YEAR, LAST_YEAR = 2000, 2200
_FIRST = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
_LAST = dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC)


def bounded_time(field: str, value: dt.datetime | None) -> dt.datetime | None:
    """``value`` when it lies in the years ``FIRST_YEAR`` to ``LAST_YEAR`` (UTC).

    Raises:
        Invalid: naming ``field``, when it does not.
    """
    if value is not None and not _FIRST <= value < _LAST:
        raise Invalid(
            field,
            f"{field} must be a time in the years {FIRST_YEAR} to {LAST_YEAR}.",
            f"a time in the years {FIRST_YEAR} to {LAST_YEAR}",
        )
    return value


# Text others read (reviews, questions, answers and their titles, names, list names): one
# rule, applied after decoding and before storing.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Trimmed at the ends: spaces, controls, invisible formats. Marks are invisible too, but belong
# to the letter before them; only spaces take a place of their own in a length.
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_MARKS = frozenset({"Mn", "Me"})
_INVISIBLE_CATEGORIES = _BLANK_CATEGORIES | _MARKS
_NO_PLACE = _INVISIBLE_CATEGORIES - {"Zs", "Zl", "Zp"}
# Letters and symbols that are drawn as nothing: the Hangul fillers, the blank Braille
# pattern, the Mongolian vowel separator and the Khmer inherent vowels.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")


def _invisible(ch: str) -> bool:
    return ch in _BLANK_LOOKING or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


# More combining marks on one letter than any script stacks ("zalgo" text, drawn over the
# lines around it).
MOST_MARKS = 4


def _stacked(text: str) -> bool:
    """Whether a letter carries more than ``MOST_MARKS`` combining marks, of any script,
    counted decomposed (an "é" is a letter and a mark) and across zero-width joiners."""
    run = 0
    for ch in unicodedata.normalize("NFD", text):
        kind = unicodedata.category(ch)
        if kind in _MARKS:
            run += 1
            if run > MOST_MARKS:
                return True
        elif kind != "Cf":
            run = 0
    return False


def _length(text: str) -> int:
    """How many places ``text`` takes: its characters but those that take none."""
    return sum(
        1 for ch in text if ch not in _BLANK_LOOKING and unicodedata.category(ch) not in _NO_PLACE
    )


def _visible(text: str) -> int:
    """How many characters of ``text`` show: not spaces, controls, invisible formats or
    blank-looking letters."""
    return sum(1 for ch in text if not _invisible(ch))


def _blank(ch: str) -> bool:
    """A space, a control, an invisible format character or a blank-looking letter: not a
    combining mark, which belongs to the letter before it ("है" ends in one)."""
    return ch in _BLANK_LOOKING or unicodedata.category(ch) in _BLANK_CATEGORIES


def _trimmed(text: str) -> str:
    """Without the spaces and invisible characters (zero-width, byte-order marks) at its
    ends."""
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return text[start:end]


def public_text(field: str, value: str, least: int = 1, most: int | None = None) -> str:
    """``value`` normalised (NFC) and trimmed, once it is text others can read: at least
    ``least`` characters long after trimming, at most ``most`` once normalised (the column's
    size: NFC writes some letters longer, "क़" as two), something visible in it, and no bidi
    direction overrides (they reorder what readers see).

    Raises:
        Invalid: naming ``field``, saying what is wrong.
    """
    text = unicodedata.normalize("NFC", value)
    if _BIDI_CONTROLS.search(text):  # at the ends too: refused, never quietly dropped
        raise Invalid(field, f"{field} cannot hold text-direction override characters.")
    text = _trimmed(text)
    if "\ufffc" in text:  # the object replacement sign only stands for something missing
        raise Invalid(field, f"{field} cannot hold an object replacement sign (U+FFFC).")
    if _stacked(text):
        raise Invalid(field, f"{field} cannot stack more than {MOST_MARKS} accents on a letter.")
    if not _visible(text):
        raise Invalid(field, f"{field} is empty: it has no visible characters.")
    # Counted as shown: zero-width characters and marks on a letter take no place.
    if _length(text) < least:
        raise Invalid(field, f"{field} must be at least {least} characters long.")
    if most is not None and len(text) > most:
        raise Invalid(field, f"{field} must be at most {most:,} characters long, as stored.")
    return text


def optional_public_text(
    field: str, value: str | None, least: int = 1, most: int | None = None
) -> str | None:
    """``public_text`` of an optional field: blank (spaces alone) counts as not given."""
    if value is None or not value.strip():
        return None
    return public_text(field, value, least, most)
