"""A word's typo variants and completions in the index's own term dictionaries, found once
per reader.

tantivy's fuzzy term query builds its Levenshtein automaton and walks the term dictionary every
time it runs, and one search runs its match several times (ranking, counts, each facet pass):
for a word of five letters or more, or an unfinished last word, that was most of the query's
cost. Here the terms a fuzzy query would match (within the word's edit distance, a
transposition counting one; as a prefix, terms starting within that distance of it) are found
once per reader by a scan of the field's dictionary, and queries use them as plain terms,
scored as tantivy's fuzzy query scores (a constant). A dictionary too large to scan, or a word
with very many variants, keeps the fuzzy query.
"""

from __future__ import annotations

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_service.lib.lru import LRU

SCAN_LIMIT = 20_000  # terms in a field: a larger dictionary keeps tantivy's fuzzy queries
MAX_VARIANTS = 64  # more than this many variants of one word: the fuzzy query
WORDS = 4096  # words remembered per field and reader

Found = tuple[str, ...] | None


class Dictionary:
    """One field's terms on one searcher, and the variants of words looked up in them.

    ``too_large`` names the fields found too large on earlier readers of the same index
    generation (shared between them): a dictionary only grows until the next reindex, so they
    are not scanned again after every commit."""

    def __init__(self, searcher: tantivy.Searcher, field: str, too_large: set[str]) -> None:
        self.searcher = searcher
        self.field = field
        self._terms: list[str] | None = None
        self._too_large = too_large
        self._cut: dict[int, list[str]] = {}  # length -> every term cut to that length
        # (found,): a 1-tuple, as a remembered None (use the fuzzy query) is an answer too.
        self._found: LRU[tuple[str, int, bool], tuple[Found]] = LRU(WORDS)

    def terms(self) -> list[str] | None:
        """Every term of the field, or None when there are more than ``SCAN_LIMIT``."""
        if self._terms is None and self.field not in self._too_large:
            found = self.searcher.terms_with_prefix(self.field, "", limit=SCAN_LIMIT + 1)
            if len(found) > SCAN_LIMIT:
                self._too_large.add(self.field)
            else:
                self._terms = [term for term, _ in found]
        return self._terms

    def _cut_to(self, length: int) -> list[str]:
        cut = self._cut.get(length)
        if cut is None:
            cut = self._cut[length] = [term[:length] for term in self._terms or ()]
        return cut

    def _scan(self, word: str, distance: int, prefix: bool) -> Found:
        if prefix and distance == 0:  # the completions: a range of the dictionary itself
            completions = self.searcher.terms_with_prefix(self.field, word, limit=MAX_VARIANTS + 1)
            if len(completions) > MAX_VARIANTS:
                return None
            return tuple(sorted(term for term, _ in completions))
        terms = self.terms()
        if terms is None:
            return None
        if not prefix:
            hits = process.extract(
                word, terms, scorer=OSA.distance, score_cutoff=distance, limit=None
            )
            indices = {index for _, _, index in hits}
        else:
            # A term some prefix of which is within ``distance`` edits of the word: that
            # prefix is the word's length give or take ``distance``.
            indices = set()
            for length in range(max(1, len(word) - distance), len(word) + distance + 1):
                cut = self._cut_to(length)
                hits = process.extract(
                    word, cut, scorer=OSA.distance, score_cutoff=distance, limit=None
                )
                indices.update(index for _, _, index in hits)
        if len(indices) > MAX_VARIANTS:
            return None
        return tuple(sorted(terms[index] for index in indices))

    def variants(self, word: str, distance: int, prefix: bool = False) -> Found:
        """The field's terms within ``distance`` edits of ``word`` (as a ``prefix``: terms
        that start within that distance of it), or None: use tantivy's fuzzy query."""
        key = (word, distance, prefix)
        remembered = self._found.get(key)
        if remembered is not None:
            return remembered[0]
        found = self._scan(word, distance, prefix)
        self._found.put(key, (found,))
        return found


class Variants:
    """The reader's dictionaries: stems (typos) and folded words (completions)."""

    def __init__(
        self, searcher: tantivy.Searcher, stems: str, words: str, too_large: set[str]
    ) -> None:
        self.stems = Dictionary(searcher, stems, too_large)
        self.words = Dictionary(searcher, words, too_large)
