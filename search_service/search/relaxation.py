"""Which words a search matches when not every word does: one rule, both engines.

Like Meilisearch's ``last`` matching strategy, words go from the end of the query (filler and
stop words are already out, see ``catalog/understanding.py``). A search uses *levels*: every
word first; then, while fewer than ``FILL`` courses match, the most leading words that match
more. Its hits are each level's matches in turn (every word first), its total and facets count
the last level's. ``FILL`` does not depend on the page size, so every page of a search, at any
size, reports the same total and pages through the same courses. An explicit sort is strict:
every word, or, only when nothing has them all, the most leading words that match anything.

``count(k)`` is how many courses match the first ``k`` words (with the search's filters).
"""

from __future__ import annotations

from collections.abc import Callable

FILL = 20  # a default page

Count = Callable[[int], int]


def largest_matching(count: Count, sizes: int, above: int) -> int:
    """The most leading words (at most ``sizes``) whose matches number more than ``above``,
    or 0. Fewer words match a superset, so a binary search over counts finds it."""
    if sizes <= 1:
        return sizes
    if count(1) <= above:
        return 0
    low, high = 1, sizes
    while low < high:
        middle = (low + high + 1) // 2
        if count(middle) > above:
            low = middle
        else:
            high = middle - 1
    return low


def levels(count: Count, words: int, strict: bool, fill: int = FILL) -> list[tuple[int, int]]:
    """The word counts a search uses, most words first, each with its total."""
    size = words
    total = count(words)
    found = [(size, total)]
    target = 1 if strict else fill
    while size > 1 and total < target:
        size = largest_matching(count, size - 1, total)
        if not size:
            break
        total = count(size)
        found = [(size, total)] if strict else [*found, (size, total)]
    return found


MEANT_WEIGHT = 1.0  # how much a word meant but not searched counts against the words kept


def meant(words: int, meant_words: int) -> float:
    """The words a hybrid search answers for: those searched, and a share of those only its
    meaning holds (``SearchRequest.meant_words``)."""
    return words + MEANT_WEIGHT * max(0, meant_words - words)


def effective_ratio(
    ratio: float, kept: int, words: int, matched: int, meant_words: int = 0
) -> float:
    """How much meaning counts in a hybrid search: the request's ``ratio`` when the lexical
    matches have every word meant; more as relaxation keeps fewer of the ``words``
    (``kept``) or the words searched leave out words the meaning holds; all of it when no
    course matches any of them (``matched`` is 0)."""
    if not matched or not words:
        return 1.0
    return ratio + (1.0 - ratio) * (1.0 - kept / meant(words, meant_words))
