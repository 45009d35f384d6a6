"""Diversity at the top of a ranking: near-duplicate editions and one mentor's many courses
do not crowd the first results. The same re-rank on both engines (it runs above the port).

The first ``PREFIX`` hits of a relevance ranking are re-ordered, none is removed: a course
that repeats an earlier one (the same title, give or take a year, an edition word or
punctuation) moves to just after the top ``DEPTH``, but never below a course matching clearly
less well (a lower score, or a title without the words searched: an exact edition title keeps
the other editions above unrelated courses); one that
would give a mentor more than ``MENTOR_CAP`` of the top ``WINDOW`` places moves down
``MENTOR_STEP`` places. Pages are cut
from the re-ordered ranking, so every course stays reachable, once, whatever the page size.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from search_service.catalog.search.understanding import STOP_WORDS
from search_service.search.results import EngineHit
from search_service.search.text import words

DEPTH = 10  # the top results kept free of repeats
PREFIX = 2 * DEPTH  # the hits re-ordered
WINDOW = 5
MENTOR_CAP = 3
MENTOR_STEP = 1  # places a mentor's course past the cap moves down
EDITION_WORDS = frozenset({"edition", "updated", "new", "version", "vol", "volume", "part"})
SIMILAR = 0.8  # word overlap (Jaccard) from which two titles are one course's editions
RELEVANT_SHARE = 0.5  # a repeat goes no lower than the hits scoring at least this share of it


@functools.lru_cache(maxsize=4096)
def title_key(title: str) -> frozenset[str]:
    """The words that make a title: no stop words, years, numbers or edition words."""
    return frozenset(
        w
        for w in words(title)
        if w not in STOP_WORDS and w not in EDITION_WORDS and not w.isdigit()
    )


def _similar(a: frozenset[str], b: frozenset[str], shared: int) -> bool:
    """Jaccard similarity of ``a`` and ``b`` (sharing ``shared`` > 0 words) at least
    ``SIMILAR``."""
    return shared >= SIMILAR * (len(a) + len(b) - shared)


class _Titles:
    """The keys of the titles placed so far, indexed by word: a new title is compared only
    with the ones it shares words with, and counted once per word."""

    def __init__(self) -> None:
        self.keys: list[frozenset[str]] = []
        self.by_word: dict[str, list[int]] = {}

    def add(self, key: frozenset[str]) -> None:
        for word in key:
            self.by_word.setdefault(word, []).append(len(self.keys))
        self.keys.append(key)

    def repeats(self, key: frozenset[str]) -> int | None:
        """The place of the first title placed that ``key`` repeats, if any."""
        shared: dict[int, int] = {}
        for word in key:
            for index in self.by_word.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        for index, n in sorted(shared.items()):
            # Similar titles share at least SIMILAR of the larger one's words.
            other = self.keys[index]
            if n >= SIMILAR * max(len(key), len(other)) and _similar(key, other, n):
                return index
        return None


def diversify(hits: Sequence[EngineHit], query: str = "", keep: int = 0) -> list[EngineHit]:
    """``hits`` with repeats moved after the top ``DEPTH`` and a mentor's courses past
    ``MENTOR_CAP`` in the top ``WINDOW`` moved down ``MENTOR_STEP`` places each; the first
    ``keep`` (placed by a merchandising rule) stay where they are. A mentor the query names
    is not capped: their courses were asked for."""
    asked = set(words(query))
    placed: list[EngineHit] = []
    waiting: list[tuple[int, EngineHit]] = []  # (places still to give up, hit)
    repeats: list[tuple[EngineHit, EngineHit]] = []  # (repeat, the placed hit it repeats)
    by_title: list[EngineHit] = []  # the placed hits in the order their titles were added
    titles = _Titles()
    mentors: dict[str, int] = {}

    def place(hit: EngineHit) -> None:
        placed.append(hit)
        titles.add(title_key(hit.document.title))
        by_title.append(hit)
        mentors[hit.document.mentor_id] = mentors.get(hit.document.mentor_id, 0) + 1

    for hit in hits[:keep]:
        place(hit)
    for hit in hits[keep:]:
        doc = hit.document
        key = title_key(doc.title)
        original = titles.repeats(key)
        if original is not None:
            repeats.append((hit, by_title[original]))
            continue
        crowded = (
            len(placed) < WINDOW
            and mentors.get(doc.mentor_id, 0) >= MENTOR_CAP
            and not asked & set(words(doc.mentor_name))
        )
        if crowded:
            waiting.append((MENTOR_STEP, hit))
            continue
        place(hit)
        waiting = [(left - 1, h) for left, h in waiting]
        while waiting and waiting[0][0] <= 0:
            place(waiting.pop(0)[1])
    for _, hit in waiting:
        place(hit)
    return _with_repeats(placed, repeats, keep, title_key(query))


def _with_repeats(
    placed: list[EngineHit],
    repeats: list[tuple[EngineHit, EngineHit]],
    keep: int,
    asked: frozenset[str],
) -> list[EngineHit]:
    """Each repeat just after the top ``DEPTH``, or sooner, but never before the course it
    repeats: before the first hit there (after the ``keep`` placed by a rule) that matches
    clearly less well than it does: a score below ``RELEVANT_SHARE`` of its own, or a title
    without every word of the query when the repeat's has them all (an edition of the title
    searched for stays above the courses that share one word with it), so a relevant edition
    never falls below unrelated courses."""
    out = list(placed)
    after = max(keep, min(DEPTH, len(out)))

    def titled(hit: EngineHit) -> bool:
        return bool(asked) and asked <= title_key(hit.document.title)

    for repeat, original in repeats:
        floor = RELEVANT_SHARE * repeat.score
        named = titled(repeat)
        first = max(keep, out.index(original) + 1)
        at = next(
            (
                i
                for i in range(first, after)
                if out[i].score < floor or (named and not titled(out[i]))
            ),
            max(after, first),
        )
        out.insert(at, repeat)
        after += 1
    return out
