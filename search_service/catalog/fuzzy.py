"""String distance for typo-tolerant suggestions and respelling (rapidfuzz's C++ does it)."""

from __future__ import annotations

from rapidfuzz.distance import OSA


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
