"""Respelling: a query's unknown words replaced by the closest words the index holds."""

from __future__ import annotations

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_service.search.tantivy.plan import QueryBuilder
from search_service.search.tantivy.reader import Reader
from search_service.search.tantivy.schema import MATCH_PREFIX, MATCH_STEM
from search_service.search.text import unspell_symbols, words

RESPELL_CANDIDATES = 5000  # words per field and first letter a respelling is chosen from
TWO_EDITS_FROM = 8  # letters from which a word may be respelled two edits away (else one)
SHORTEST = 4  # shorter words are left as typed: mostly abbreviations ("asp" is no "as")


def edits_allowed(word: str) -> int:
    """One edit (a transposition counts as one) below ``TWO_EDITS_FROM`` letters, two from
    it: two edits turned six-letter words into other words ("cocina" → "colin", a mentor's
    name; "diseno" → "diego"). Letters typed out of order ("phyton") are ``_reordered``."""
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def _reordered(word: str, term: str) -> bool:
    """The same letters in another order: "phyton" for "python" (two edits, one slip)."""
    return sorted(word) == sorted(term)


def _closest(searcher: tantivy.Searcher, word: str) -> str | None:
    """The most frequent indexed word within ``edits_allowed`` of ``word``, or two edits
    away with the same letters (same first letter), among the most frequent
    ``RESPELL_CANDIDATES`` words of each field with that letter."""
    allowed = edits_allowed(word)
    best: tuple[int, int, str] | None = None
    for field in ("title_prefix", "meta_prefix"):
        terms = searcher.terms_with_prefix(field, word[:1], limit=RESPELL_CANDIDATES)
        near = process.extract(
            word, [term for term, _ in terms], scorer=OSA.distance, score_cutoff=2, limit=None
        )
        for term, edits, index in near:
            if edits <= allowed or _reordered(word, term):
                # Ordered by frequency: the most frequent of the nearest wins.
                candidate = (int(edits), -terms[index][1], term)
                best = candidate if best is None else min(best, candidate)
    return best[2] if best else None


def respell(reader: Reader, builder: QueryBuilder, query: str) -> str | None:
    """Replace each word the index does not know (in any searched field, stemmed or as
    typed; the last word also as the start of a word) by its closest known word."""
    searcher, holds = reader.searcher, reader.known
    tokens = words(query)
    out = []
    changed = False
    for index, word in enumerate(tokens):
        if len(word) < SHORTEST or not word.isascii() or any(ch.isdigit() for ch in word):
            out.append(word)
            continue
        folded = builder.folded(word)
        known = bool(
            any(holds(MATCH_STEM, stem) for stem in builder.stems(word))
            or (folded and holds(MATCH_PREFIX, folded))
            or (
                index == len(tokens) - 1
                and folded
                and searcher.terms_with_prefix(MATCH_PREFIX, folded, limit=1)
            )
        )
        replacement = None if known else _closest(searcher, word)
        changed |= replacement is not None and replacement != word
        out.append(replacement or word)
    # Symbol names as shoppers write them ("c++ tutorial", not "cpp tutorial").
    return unspell_symbols(" ".join(out)) if changed else None
