"""Query text: folding, typo budget, and synonym groups shared by both engines."""

from __future__ import annotations

import functools
import json
import unicodedata
from importlib import resources

import msgspec

MAX_QUERY_WORDS = 10  # Meilisearch reads only the first 10 words; so do we, on both engines.
MAX_SYNONYM_WORDS = 4


def fold(text: str) -> str:
    """Lower-case and strip accents (``Déjà`` → ``deja``), keeping non-Latin scripts."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words of a query, split on anything that is not a letter or digit."""
    current: list[str] = []
    out: list[str] = []
    for ch in fold(text):
        if ch.isalnum():
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out[:MAX_QUERY_WORDS]


def typo_budget(word: str) -> int:
    """Edits allowed for a word: Meilisearch's defaults, and none on numbers."""
    if any(ch.isdigit() for ch in word):
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


def plan(query: str, allow_prefix: bool = True) -> list[WordGroup]:
    """Split a query into word groups, longest synonym phrase first."""
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
                groups.append(WordGroup(tuple(tokens[index : index + size]), alternatives, is_last))
                index += size
                break
    return groups
