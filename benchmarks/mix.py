"""Requests drawn from the catalog's own vocabulary: a distinct mix and a Zipf stream.

The vocabulary is read from PostgreSQL (titles, tags, mentors, categories, languages of
published courses, in a fixed pseudo-random order), so the mix fits whatever catalog was
seeded. ``distinct_mix`` returns thousands of *different* requests of every kind shoppers
send (text, typos, prefixes, mentors, filters, every sort, later pages, category browsing):
a cache of whole answers cannot serve a run over it. ``zipf_stream`` repeats them the way
real traffic does (a few very popular searches, a long tail), for the cached figures.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import asyncpg

from search_service.search.vocabulary import DURATIONS, FEATURES, LEVELS, SORT_KEYS

try:
    from search_service.search.request import MAX_HITS
except ImportError:  # a checkout from before pages were bounded (--project)
    MAX_HITS = 1000

WORD = re.compile(r"[A-Za-z][A-Za-z+#.]{2,}")
STOP = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "your",
        "into",
        "how",
        "what",
        "you",
        "are",
        "all",
        "its",
        "our",
    ]
)
SEARCH = "/api/v1/search?"


@dataclass(frozen=True)
class Vocabulary:
    """What the catalog is made of, as a shopper would type or click it."""

    titles: tuple[str, ...]
    mentors: tuple[str, ...]
    tags: tuple[str, ...]
    roots: tuple[str, ...]
    subcategories: tuple[str, ...]
    languages: tuple[str, ...]

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        seen = dict.fromkeys(
            w.lower() for t in self.titles for w in WORD.findall(t) if w.lower() not in STOP
        )
        return tuple(seen)


SAMPLE = """
SELECT c.title, u.first_name || ' ' || u.last_name AS mentor
FROM courses c JOIN users u ON u.id = c.mentor_id
WHERE c.status = 'published' AND c.deleted_at IS NULL
ORDER BY md5(c.id::text) LIMIT $1
"""


async def read_vocabulary(conn: asyncpg.Connection, sample: int = 5000) -> Vocabulary:
    rows = await conn.fetch(SAMPLE, sample)
    tags = await conn.fetch("SELECT name FROM course_tags ORDER BY md5(name)")
    cats = await conn.fetch("SELECT slug, level FROM categories ORDER BY slug")
    langs = await conn.fetch(
        "SELECT DISTINCT rtrim(language_code) AS code FROM courses "
        "WHERE status = 'published' AND deleted_at IS NULL ORDER BY 1"
    )
    return Vocabulary(
        titles=tuple(r["title"] for r in rows),
        mentors=tuple(dict.fromkeys(r["mentor"] for r in rows)),
        tags=tuple(r["name"] for r in tags),
        roots=tuple(r["slug"] for r in cats if r["level"] == 0),
        subcategories=tuple(r["slug"] for r in cats if r["level"] != 0),
        languages=tuple(r["code"] for r in langs),
    )


def typo(word: str, rng: random.Random) -> str:
    """One edit a hurried shopper makes: a letter dropped, doubled, swapped or replaced."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + rng.choice("aeiourstln") + word[i + 1 :]


def _title_words(title: str, rng: random.Random, most: int = 3) -> str:
    found = [w for w in WORD.findall(title) if w.lower() not in STOP] or [title.split()[0]]
    count = min(len(found), rng.randint(1, most))
    start = rng.randrange(0, len(found) - count + 1)
    return " ".join(found[start : start + count])


def _filters(vocab: Vocabulary, rng: random.Random) -> list[tuple[str, str]]:
    choices: list[list[tuple[str, str]]] = [
        [("level", rng.choice(LEVELS))],
        [("language", rng.choice(vocab.languages))],
        [("price", rng.choice(("free", "paid")))],
        [("rating_min", rng.choice(("3.0", "3.5", "4.0", "4.5")))],
        [("duration", d) for d in rng.sample(DURATIONS, rng.randint(1, 2))],
        [("features", rng.choice(FEATURES))],
        [("bestseller", "true")],
        [
            ("price_min", str(rng.choice((0, 1000, 2000)))),
            ("price_max", str(rng.choice((5000, 9999)))),
        ],
        [("category", rng.choice(vocab.subcategories))],
    ]
    picked = rng.sample(choices, rng.randint(1, 3))
    return [pair for group in picked for pair in group]


def _request(vocab: Vocabulary, rng: random.Random, kind: int) -> list[tuple[str, str]]:
    title = rng.choice(vocab.titles)
    if kind == 0:  # a few words of a title
        return [("q", _title_words(title, rng))]
    if kind == 1:  # a typo in one of them
        words = _title_words(title, rng, 2).split()
        j = rng.randrange(len(words))
        words[j] = typo(words[j], rng)
        return [("q", " ".join(words))]
    if kind == 2:  # as-you-type: the last word unfinished
        text = _title_words(title, rng, 2)
        return [("q", text[: max(3, len(text) - rng.randint(1, 4))])]
    if kind == 3:  # a mentor or a tag
        return [("q", rng.choice(vocab.mentors if rng.random() < 0.5 else vocab.tags))]
    if kind == 4:  # text with filters
        return [("q", _title_words(title, rng, 2)), *_filters(vocab, rng)]
    if kind == 5:  # every sort on text
        return [("q", _title_words(title, rng, 1)), ("sort", rng.choice(SORT_KEYS))]
    if kind == 6:  # later pages, as deep as pages go
        per_page = rng.choice((10, 20, 50))
        page = rng.randint(2, MAX_HITS // per_page)
        q = rng.choice(vocab.words)
        return [("q", q), ("page", str(page)), ("per_page", str(per_page))]
    if kind == 7:  # a category page: sorted, filtered, paged
        params = [("category", rng.choice(vocab.subcategories + vocab.roots))]
        if rng.random() < 0.5:
            params.append(("sort", rng.choice(SORT_KEYS)))
        if rng.random() < 0.5:
            params += _filters(vocab, rng)[:2]
        if rng.random() < 0.3:
            params.append(("page", str(rng.randint(2, 5))))
        return params
    # browsing everything with filters
    return [*_filters(vocab, rng), ("sort", rng.choice(SORT_KEYS))]


KINDS = ("text", "typo", "prefix", "mentor_or_tag", "filtered", "sorted", "paged", "category")
BROWSE_KINDS = ("category", "browse")


def distinct_mix(vocab: Vocabulary, size: int = 6000, seed: int = 7) -> list[tuple[str, str]]:
    """``size`` different (kind, path) pairs for GET /api/v1/search, in a fixed order."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    names = (*KINDS, "browse")
    attempts = 0
    while len(out) < size and attempts < size * 20:
        attempts += 1
        kind = attempts % len(names)
        params = _request(vocab, rng, kind)
        path = SEARCH + urlencode(params)
        if path not in seen:
            seen.add(path)
            out.append((names[kind], path))
    return out


def zipf_stream(paths: Sequence[str], length: int, s: float = 1.07, seed: int = 3) -> list[str]:
    """``length`` requests where the k-th most popular path is drawn ∝ 1/k^s."""
    rng = random.Random(seed)
    ranked = list(paths)
    rng.shuffle(ranked)
    weights = [1 / (k**s) for k in range(1, len(ranked) + 1)]
    return rng.choices(ranked, weights=weights, k=length)


def browse_paths(vocab: Vocabulary) -> list[str]:
    """First pages of every category and of the whole catalog: the same for every shopper."""
    return [SEARCH.rstrip("?")] + [
        SEARCH + urlencode([("category", slug)]) for slug in vocab.roots + vocab.subcategories
    ]


def suggest_mix(vocab: Vocabulary, size: int = 400, seed: int = 11) -> list[str]:
    """Paths for GET /api/v1/suggest: prefixes of title words, some with a typo."""
    rng = random.Random(seed)
    words = vocab.words
    out = []
    for index in range(size):
        word = rng.choice(words)
        prefix = word[: rng.randint(2, len(word))]
        if index % 4 == 0:
            prefix = typo(prefix, rng)
        out.append("/api/v1/suggest?" + urlencode([("q", prefix)]))
    return out


def worst_cases(vocab: Vocabulary) -> dict[str, str]:
    """The most expensive legal requests we know of, by what makes them expensive."""
    rng = random.Random(5)
    junk = " ".join(typo(w, rng) + "q" for w in rng.sample(vocab.words, 10))
    many = [("level", v) for v in LEVELS] * 12 + [("language", v) for v in vocab.languages] * 8
    return {
        "deepest page, one-letter prefix": SEARCH
        + urlencode([("q", "a"), ("page", str(MAX_HITS // 100)), ("per_page", "100")]),
        "beyond the deepest page": SEARCH
        + urlencode([("q", "a"), ("page", "10000"), ("per_page", "100")]),
        "respelling ten unknown words": SEARCH + urlencode([("q", junk[:200])]),
        "fifty repeated filter values": SEARCH + urlencode(many[:50]),
        "every filter at once": SEARCH
        + urlencode(
            [
                ("q", rng.choice(vocab.words)),
                ("category", vocab.roots[0]),
                ("level", "beginner"),
                ("language", vocab.languages[0]),
                ("price", "paid"),
                ("price_min", "100"),
                ("price_max", "20000"),
                ("rating_min", "3.5"),
                ("duration", "1-3h"),
                ("features", "quizzes"),
                ("bestseller", "false"),
                ("per_page", "100"),
            ]
        ),
    }


def typical(mix: Sequence[tuple[str, str]], count: int = 200) -> list[str]:
    """Text requests of the mix (first page, default size): what a typical search costs."""
    return [path for kind, path in mix if kind in ("text", "typo", "prefix")][:count]
