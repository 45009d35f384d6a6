"""Passwords too easy to guess, refused when one is chosen (sign-up, ``users create-admin``).

Length alone let ``aaaaaaaaaa``, ``1234567890`` and ``password123`` through. As NIST SP 800-63B
asks, a new password is also checked against the commonest passwords and the patterns they are
made of: characters repeated, runs along a keyboard's rows (QWERTY, QWERTZ, AZERTY, Cyrillic) or
the alphabet, a common word with digits or symbols around it, the account's own email address.
It is read as a person sees it first: full-width letters as letters, look-alike Cyrillic and
Greek letters as Latin ones, invisible characters as nothing. Nothing else is required of it
(no classes of characters): a long phrase is a good password. Last, zxcvbn's estimate of the
guesses it takes must reach its score 3 (the patterns it knows that these rules do not).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from zxcvbn import zxcvbn

from search_service.lib.errors import Invalid
from search_service.search.text import fold

# zxcvbn's score, 0-4: 3 is "safely unguessable: moderate protection from offline attacks"
# (10^8 guesses or more). It reads the first 72 characters (a longer password is a phrase).
MIN_SCORE = 3
ZXCVBN_LENGTH = 72
GUESSED_EARLY = "it follows a pattern guessers try early"

# Words that, with digits or symbols before or after them, make the commonest passwords.
_COMMON_WORDS = frozenset(
    [
        "password",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "qwerty",
        "letmein",
        "welcome",
        "iloveyou",
        "admin",
        "administrator",
        "monkey",
        "dragon",
        "football",
        "baseball",
        "sunshine",
        "princess",
        "superman",
        "trustno1",
        "starwars",
        "whatever",
        "changeme",
        "secret",
        "master",
        "skillspring",
        "qweasdzxc",
        "qazwsxedc",
        "zaq12wsxcde3",
    ]
)
# Rows a finger runs along (either way round); two characters next to each other in one of them
# are one step of a run.
_ROWS = (
    "1234567890-=",
    "!@#$%^&*()_+",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertzuiopü",
    "asdfghjklöä",
    "yxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
)
# Each step along a row, with the rows and directions it goes in.
_STEPS: dict[tuple[str, str], frozenset[tuple[int, int]]] = {}
for _row, _keys in enumerate(_ROWS):
    for _a, _b in itertools.pairwise(_keys):
        for _pair, _way in (((_a, _b), (_row, 1)), ((_b, _a), (_row, -1))):
            _STEPS[_pair] = _STEPS.get(_pair, frozenset()) | {_way}
# Cyrillic and Greek letters drawn as Latin ones.
_LOOK_ALIKES = str.maketrans(
    "аеорсухікјѕԁԛԝαεορτυνχκιοςβ",
    "aeopcyxikjsdqwaeoptuvxkiocb",
)
MIN_DISTINCT = 4  # "ababababab" is two characters typed again
MAX_RUNS = 2  # "qwertyuiop1", "asdfghjkl123": a row and a little more
MIN_VISIBLE = 8


def _typed(password: str) -> str:
    """The keys pressed: full-width and styled forms folded (NFKC), case folded, spaces and
    invisible characters left out."""
    text = unicodedata.normalize("NFKC", password).casefold()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _as_seen(typed: str) -> str:
    """What a person reads: look-alike Cyrillic and Greek letters as Latin ones."""
    return typed.translate(_LOOK_ALIKES)


def _runs(text: str) -> int:
    """How many runs the text is made of: a run goes on while each character repeats the one
    before it or is the next along the same keyboard row or alphabet, the same way round
    ("deer tree free" is many runs, not one)."""
    runs, ways = 1, None  # the rows and directions the run can still be going along
    for a, b in itertools.pairwise(text):
        if a == b:
            continue
        step = _STEPS.get((a, b), frozenset())
        ways = step if ways is None else ways & step
        if not ways:
            runs, ways = runs + 1, None
    return runs


def check_password(password: str, email: str) -> None:
    """Refuse a new ``password`` that is easy to guess.

    Raises:
        Invalid: naming ``password``, saying why.
    """
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in password):  # bytes read as text, not text
        raise Invalid("password", "This password is not valid text: type it as UTF-8.")
    typed = _typed(password)
    seen = _as_seen(typed)
    address = _as_seen(_typed(email))
    local = address.split("@", 1)[0]
    bare = seen.strip("0123456789!@#$%^&*()_+-=.,;:?~ ")
    if len(typed) < MIN_VISIBLE:
        _refuse(f"fewer than {MIN_VISIBLE} of its characters can be seen")
    if len(set(typed)) < MIN_DISTINCT or re.fullmatch(r"(.+?)\1+", typed):
        _refuse("it repeats the same few characters")
    if _runs(typed) <= MAX_RUNS:
        _refuse("it is a row of the keyboard or the alphabet")
    if bare in _COMMON_WORDS or seen in _COMMON_WORDS:
        _refuse("it is one of the most used passwords")
    # The address, or its name with little else ("sam.jones-2026!"); a name inside a longer
    # phrase is a word of it ("emma" in "dilemma of seven tired whales").
    if address in seen or (local and local in seen and len(seen) - len(local) < MIN_VISIBLE):
        _refuse("it contains your email address")
    # Last, the patterns a guesser tries early, as zxcvbn (Dropbox's estimator) models them:
    # a season or a word with a year, keyboard columns, words reversed or in leet, as typed
    # and as seen without its accents ("pässwörd123").
    forms = {password, fold(seen)}
    weakest = min((zxcvbn(f[:ZXCVBN_LENGTH], user_inputs=[local]) for f in forms), key=_score)
    if _score(weakest) < MIN_SCORE:
        # zxcvbn's own words when it has them ("This is similar to a commonly used password.")
        warning = str(weakest["feedback"]["warning"]).strip().rstrip(".")
        _refuse(warning[:1].lower() + warning[1:] if warning else GUESSED_EARLY)


def _score(estimate: dict[str, Any]) -> int:
    return int(estimate["score"])


def _refuse(why: str) -> None:
    raise Invalid(
        "password",
        f"This password is too easy to guess: {why}. Choose another (a phrase of a few "
        "words is good).",
    )
