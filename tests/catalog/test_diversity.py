"""The diversity re-rank of a ranking's top (``catalog/search/diversity.py``)."""

from __future__ import annotations

import uuid

from search_service.catalog.search.diversity import DEPTH, diversify
from search_service.search.results import EngineHit
from tests.support.documents import titled


def _hit(n: int, title: str, score: float) -> EngineHit:
    # A mentor each: only the editions are at stake here.
    return EngineHit(document=titled(n, title, mentor_id=uuid.UUID(int=1000 + n)), score=score)


def test_an_edition_of_the_title_searched_stays_above_courses_sharing_one_word() -> None:
    """The title searched, "Running Masterclass: Expert Techniques", put its second edition 11th,
    below "Advanced Photography Masterclass" (5th) and others sharing one word with it."""
    query = "Running Masterclass: Expert Techniques"
    first = _hit(0, query, 10.0)
    others = [_hit(n, f"Photography Masterclass {n}", 8.0 - n * 0.1) for n in range(1, 12)]
    edition = _hit(99, "Running Masterclass: Expert Techniques (2026 edition)", 7.0)
    ranked = diversify([first, *others[:4], edition, *others[4:]], query)
    assert [h.document.slug for h in ranked[:2]] == ["course-0", "course-99"]


def test_an_edition_still_moves_below_courses_matching_as_well() -> None:
    query = "photography masterclass"
    hits = [_hit(n, f"Photography Masterclass Part {n}", 10.0 - n * 0.1) for n in range(2)]
    topics = ["lighting", "portraits", "travel", "studio", "editing", "drones", "food"]
    topics += ["weddings", "street", "wildlife", "night", "macro"]
    hits += [
        _hit(n, f"Photography Masterclass: {topic}", 9.0 - n * 0.1)
        for n, topic in enumerate(topics, start=2)
    ]
    ranked = diversify(hits, query)  # the second "Photography Masterclass Part" repeats the first
    assert ranked[DEPTH].document.slug == "course-1"


def test_an_edition_never_goes_above_the_course_it_repeats() -> None:
    # From a review: the title rule looked from the top, so "Trail Running Masterclass (2024
    # Edition)" came first, above the top hit and the course it repeats.
    query = "running masterclass"
    hits = [
        _hit(0, "Marathon Training: Running for Everyone", 10.0),
        _hit(1, "Trail Running Masterclass", 9.9),
        _hit(2, "Trail Running Masterclass (2024 Edition)", 9.8),
    ]
    ranked = [h.document.slug for h in diversify(hits, query)]
    assert ranked == ["course-0", "course-1", "course-2"]
