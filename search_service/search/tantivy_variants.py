"""A word's typo variants in the index's own term dictionary, found once per reader.

tantivy's fuzzy term query builds its Levenshtein automaton and walks the term dictionary every
time it runs, and one search runs its match several times (ranking, counts, each facet pass):
for a word of five letters or more that was most of the query's cost. Here the terms within a
word's edit distance (a transposition counting one, as in tantivy's fuzzy query) are found once
per reader, by one scan of the field's dictionary, and queries use them as plain terms scored
as tantivy's fuzzy query scores (a constant). A dictionary too large to scan, or a word with
very many variants, keeps the fuzzy query.
"""

from __future__ import annotations

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_service.search.lru import LRU

SCAN_LIMIT = 50_000  # terms in the field: a larger dictionary keeps tantivy's fuzzy queries
MAX_VARIANTS = 64  # more than this many variants of one word: the fuzzy query
WORDS = 4096  # (word, distance) pairs remembered per reader


class Variants:
    """The variants of words in one field, on one searcher (the reader's lifetime)."""

    def __init__(self, searcher: tantivy.Searcher, field: str) -> None:
        self.searcher = searcher
        self.field = field
        self._dictionary: list[str] | None = None
        self._too_large = False
        # (variants,) — a 1-tuple, as a remembered None (too many variants) is an answer too.
        self._found: LRU[tuple[str, int], tuple[tuple[str, ...] | None]] = LRU(WORDS)

    def _terms(self) -> list[str] | None:
        if self._dictionary is None and not self._too_large:
            terms = self.searcher.terms_with_prefix(self.field, "", limit=SCAN_LIMIT + 1)
            if len(terms) > SCAN_LIMIT:
                self._too_large = True
            else:
                self._dictionary = [term for term, _ in terms]
        return self._dictionary

    def __call__(self, term: str, distance: int) -> tuple[str, ...] | None:
        """The field's terms within ``distance`` edits of ``term`` (itself included when the
        field holds it), or None: use tantivy's fuzzy query."""
        key = (term, distance)
        remembered = self._found.get(key)
        if remembered is not None:
            return remembered[0]
        dictionary = self._terms()
        found = None
        if dictionary is not None:
            matches = process.extract(
                term, dictionary, scorer=OSA.distance, score_cutoff=distance, limit=None
            )
            if len(matches) <= MAX_VARIANTS:
                found = tuple(sorted(match for match, _, _ in matches))
        self._found.put(key, (found,))
        return found
