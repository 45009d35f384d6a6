"""A searcher on one index generation, with what searches on it remember."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import tantivy

from search_service.lib.lru import LRU
from search_service.search.document import CourseDocument
from search_service.search.tantivy.variants import Variants
from search_service.search.tantivy.vectors import VectorIndex

Known = Callable[[str, str], bool]
KNOWN_KEPT = 100_000  # (field, word) answers a reader keeps at most


@dataclass(frozen=True, slots=True)
class Reader:
    """A searcher on one generation, the file stamp it was opened at, its vectors, and what
    was already looked up on it (it holds until the next commit or switch makes a new one)."""

    name: str
    index: tantivy.Index
    searcher: tantivy.Searcher
    stamp: tuple[int, ...]
    variants: Variants | None = None  # typo variants and completions, in its dictionaries
    vectors: VectorIndex | None = None
    # Decoded stored documents by address: popular courses come back in search after search.
    documents: LRU[tuple[int, int], CourseDocument] = dataclasses.field(
        default_factory=lambda: LRU(0)
    )
    made_with: str | None = None  # the embedding model its vectors were made with
    _known: dict[tuple[str, str], bool] = dataclasses.field(default_factory=dict)

    def known(self, field: str, term: str) -> bool:
        """Whether the generation holds ``term`` in ``field`` (asked once per reader: the same
        words come back search after search)."""
        key = (field, term)
        answer = self._known.get(key)
        if answer is None:
            if len(self._known) >= KNOWN_KEPT:
                self._known.clear()
            answer = self._known[key] = bool(self.searcher.doc_freq(field, term))
        return answer


def unknown(field: str, term: str) -> bool:
    """A ``Known`` that knows nothing (every word is then read as possibly a typo)."""
    return False
