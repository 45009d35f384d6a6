"""A fixed, realistic mix of catalog requests: text, typos, prefixes, filters, sorts, pages."""

from __future__ import annotations

import random
from urllib.parse import urlencode

from search_service.search.vocabulary import LEVELS, SORT_KEYS
from search_service.seed.vocab_categories import CATEGORY_TREE

SORTS = SORT_KEYS
LANGUAGES = ("en", "es", "de", "fr", "pt", "ja")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def search_mix(size: int = 400, seed: int = 7) -> list[str]:
    """Paths for GET /api/v1/search, in a fixed order."""
    rng = random.Random(seed)
    topics = [t[0] for subs in CATEGORY_TREE.values() for ts in subs.values() for t in ts]
    roots = list(CATEGORY_TREE)
    subs = [s for r in CATEGORY_TREE.values() for s in r]
    from search_service.seed.courses import slugify

    paths = []
    for index in range(size):
        topic = rng.choice(topics)
        kind = index % 8
        params: list[tuple[str, str]] = []
        if kind == 0:  # text only
            params = [("q", topic)]
        elif kind == 1:  # typo
            params = [("q", _typo(topic.split()[0], rng))]
        elif kind == 2:  # as-you-type prefix
            params = [("q", topic[: max(3, len(topic) // 2)])]
        elif kind == 3:  # text with filters
            params = [
                ("q", topic.split()[0]),
                ("level", rng.choice(LEVELS)),
                ("price", "paid"),
                ("rating_min", "4.0"),
            ]
        elif kind == 4:  # browse a category with filters
            params = [
                ("category", slugify(rng.choice(subs))),
                ("language", rng.choice(LANGUAGES)),
                ("duration", "1-3h"),
                ("duration", "3-6h"),
            ]
        elif kind == 5:  # browse a root, sorted
            params = [("category", slugify(rng.choice(roots))), ("sort", rng.choice(SORTS))]
        elif kind == 6:  # every sort on text
            params = [("q", topic.split()[0]), ("sort", SORTS[index % len(SORTS)])]
        else:  # deep pages
            params = [("q", topic.split()[0]), ("page", str(rng.randint(2, 40)))]
        paths.append("/api/v1/search?" + urlencode(params))
    return paths


def suggest_mix(size: int = 200, seed: int = 11) -> list[str]:
    """Paths for GET /api/v1/suggest: prefixes of topics, some with a typo."""
    rng = random.Random(seed)
    topics = [t[0] for subs in CATEGORY_TREE.values() for ts in subs.values() for t in ts]
    out = []
    for index in range(size):
        word = rng.choice(topics).lower()
        prefix = word[: rng.randint(2, max(2, len(word)))]
        if index % 4 == 0:
            prefix = _typo(prefix, rng)
        out.append("/api/v1/suggest?" + urlencode([("q", prefix)]))
    return out
