"""Query text: folding, typo budget and word distance, and synonym groups shared by both
engines."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

import msgspec
from rapidfuzz.distance import OSA

MAX_QUERY_WORDS = 10  # Meilisearch reads only the first 10 words; so do we, on both engines.
MAX_SYNONYM_WORDS = 4


# Chinese, Japanese and Korean characters: written without spaces between words. Hiragana and
# katakana, CJK extension A, unified and compatibility ideographs, hangul syllables, katakana
# extensions.
_CJK = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u31f0-\u31ff]"
)
# Combining marks of Latin, Greek and Cyrillic letters (what folding strips).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


# Control characters (a NUL, an escape, a bell): nothing a shopper means, and a NUL cannot
# be stored (the search log would refuse its row).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def typed(text: str) -> str:
    """What a shopper typed, as it is searched, shown and logged: control characters read as
    spaces, runs of spaces as one, none at the ends."""
    return " ".join(_CONTROL.sub(" ", text).split())


def is_cjk(ch: str) -> bool:
    """A Chinese, Japanese or Korean character."""
    return _CJK.match(ch) is not None


def has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK.search(text) is not None


def fold(text: str) -> str:
    """Lower-case and strip accents (``Déjà`` → ``deja``); CJK text is only normalised
    (``ガ`` keeps its mark, half-width katakana become full-width)."""
    if text.isascii():
        return text.lower()
    if not has_cjk(text):
        return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    normal = unicodedata.normalize("NFKC", text.casefold())
    out = []
    for ch in normal:
        if is_cjk(ch):
            out.append(ch)
        else:
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(out)


# Names written with symbols that splitting on letters and digits would lose ("c++", "c#" and
# "c" are all "c"): spelled as words in documents and queries alike (``segment``), and kept
# as one term by Meilisearch (its ``dictionary`` and synonyms: meilisearch/protocol.py).
SPELLED = {"c++": "cpp", "c#": "csharp", "f#": "fsharp", ".net": "dotnet"}
# Not inside a Latin word or a longer run of symbols; digits (C++17) and CJK (C++入門,
# Japanese writes no space there) may follow, and a full stop ends a sentence (".NET.").
# ".NET" may end a word too (VB.NET); ASP.NET is .NET, one word ("asp" alone is no course's).
_LATIN_AFTER = r"(?![A-Za-z\u00c0-\u024f_]|\.\w)"
_SYMBOLIC = re.compile(
    rf"(?<![^\W_])(c\+\+|c#|f#)(?![A-Za-z\u00c0-\u024f]|[+#])|(?:\basp)?(\.net){_LATIN_AFTER}",
    re.IGNORECASE,
)
_SPELLED_WORD = re.compile(r"\b(" + "|".join(SPELLED.values()) + r")\b")
_SYMBOL_OF = {word: symbol for symbol, word in SPELLED.items()}


def spell_symbols(text: str) -> str:
    """``text`` with ``C++``, ``C#``, ``F#`` and ``.NET`` as the words ``cpp``, ``csharp``,
    ``fsharp``, ``dotnet`` (``C++17`` and ``ASP.NET`` too; not inside a word or a longer run
    of symbols)."""
    if "+" not in text and "#" not in text and "." not in text:
        return text
    return _SYMBOLIC.sub(lambda m: f" {SPELLED[(m.group(1) or m.group(2)).lower()]} ", text)


def unspell_symbols(text: str) -> str:
    """The spelled words back as shoppers write them (``cpp`` → ``c++``): for text shown,
    such as a respelling ("Showing results for c++ tutorial")."""
    return _SPELLED_WORD.sub(lambda m: _SYMBOL_OF[m.group(1)], text)


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def segment(text: str) -> str:
    """CJK runs as overlapping bigrams between spaces, as Lucene's CJK analyzer indexes them
    (``Python入門講座`` → ``Python 入門 門講 講座``); other text is unchanged. Documents are
    indexed through it and query words split the same way, so a word typed without spaces
    finds the courses whose text holds it. Symbol names are spelled first (``spell_symbols``)."""
    text = spell_symbols(text)
    if not has_cjk(text):
        return text
    out: list[str] = []
    run: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if is_cjk(ch):
            run.append(ch)
            continue
        if run:
            out.append(" " + " ".join(_bigrams("".join(run))) + " ")
            run = []
        out.append(ch)
    if run:
        out.append(" " + " ".join(_bigrams("".join(run))))
    return "".join(out)


WORD = re.compile(r"[^\W_]+")  # a run of letters and digits


def words(text: str) -> list[str]:
    """Folded words of a query, split on anything that is not a letter or digit, CJK runs
    as bigrams (``segment``)."""
    return WORD.findall(fold(segment(text)))[:MAX_QUERY_WORDS]


def typo_budget(word: str) -> int:
    """Edits allowed for a word: Meilisearch's defaults, and none on numbers or on a spelled
    symbol name (``fsharp`` is one edit from ``csharp``)."""
    if any(ch.isdigit() for ch in word) or word in _SYMBOL_OF:
        return 0
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


@functools.cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Synonym groups from ``data/synonyms.json``, every member folded."""
    raw = resources.files("search_service.search").joinpath("data/synonyms.json").read_text()
    groups = json.loads(raw)["groups"]
    return tuple(tuple(" ".join(words(member)) or member for member in g) for g in groups)


def is_abbreviation(member: str) -> bool:
    """A group's short form ("js", "k8s"): as a synonym of its full name it scores lower, for
    it also stands inside other names ("Node.js")."""
    return " " not in member and (len(member) <= 3 or any(ch.isdigit() for ch in member))


@functools.cache
def synonym_map() -> dict[str, tuple[str, ...]]:
    """Each member phrase → the other members of its group (both ways)."""
    mapping: dict[str, list[str]] = {}
    for group in synonym_groups():
        for member in group:
            mapping.setdefault(member, []).extend(m for m in group if m != member)
    return {k: tuple(dict.fromkeys(v)) for k, v in mapping.items()}


class WordGroup(msgspec.Struct, frozen=True):
    """Words of the query that must match together, with their synonyms as alternatives."""

    words: tuple[str, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    last: bool = False  # holds the query's last word: matched as a prefix (as-you-type)
    typos: bool = True  # its own words match with typos too


def plan(query: str, allow_prefix: bool = True, literal: bool = False) -> list[WordGroup]:
    """Split a query into word groups, longest synonym phrase first; ``literal``: no typos,
    no prefix (exactly the words typed, and their synonyms)."""
    allow_prefix = allow_prefix and not literal
    tokens = words(query)
    mapping = synonym_map()
    groups: list[WordGroup] = []
    index = 0
    while index < len(tokens):
        for size in range(min(MAX_SYNONYM_WORDS, len(tokens) - index), 0, -1):
            phrase = " ".join(tokens[index : index + size])
            if phrase in mapping or size == 1:
                alternatives = tuple(tuple(alt.split()) for alt in mapping.get(phrase, ()))
                is_last = allow_prefix and index + size == len(tokens)
                own = tuple(tokens[index : index + size])
                groups.append(WordGroup(own, alternatives, is_last, typos=not literal))
                index += size
                break
    return groups


# Word distance, for typo-tolerant suggestions and respelling (rapidfuzz's C++ does it).
def distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance with transpositions counted as one (optimal string alignment),
    capped at ``limit + 1``."""
    return int(OSA.distance(a, b, score_cutoff=limit))


def matches_word(query_word: str, word: str, budget: int) -> bool:
    """``word`` starts with ``query_word`` (as-you-type) or is within ``budget`` edits of it."""
    if word.startswith(query_word):
        return True
    if budget == 0 or not word or not query_word:
        return False
    # Typos rarely hit the first letter (a swap of the first two letters still counts), and
    # checking it first skips most distance computations.
    if word[0] != query_word[0] and word[:2] != query_word[:2][::-1]:
        return False
    return distance(query_word, word[: len(query_word) + budget], budget) <= budget
