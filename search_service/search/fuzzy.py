"""Small string-distance helpers for suggestions (not on the search path)."""

from __future__ import annotations


def distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance with transpositions counted as one, capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


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
