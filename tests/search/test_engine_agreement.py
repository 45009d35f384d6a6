"""One meaning on both engines: the same documents and requests give the same totals, the same
levels of matches and the same facets on tantivy and on the Meilisearch adapter (its server
stubbed at the HTTP boundary, matching words as the engine's ``all`` and ``last`` strategies
do), and every request the adapter sends is valid against the official OpenAPI spec. The stub
answers with the engine's recorded responses, so those tests need ``../shared`` (skipped, with
the reason, without it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from search_service.search import relaxation
from search_service.search.document import CourseDocument
from search_service.search.meilisearch.engine import MeilisearchEngine
from search_service.search.meilisearch.protocol import (
    index_settings,
    prefix_count_queries,
    query_locales,
    relaxed_queries,
)
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult
from search_service.search.tantivy.engine import TantivyEngine
from tests.meili.openapi import validate
from tests.meili.shared import requires_shared
from tests.meili.stub import MeiliStub
from tests.support.documents import titled

TITLES = [
    "Python Web Scraping",  # every word of "python web scraping"
    "Python Web Apps",  # the first two
    "Python Web APIs",
    "Python Web Testing",
    "Python Basics",  # the first only
    "Python Data",
    "Python Games",
    "Python Finance",
    "Python Automation",
    "Web Design",  # never: the words go from the end
    "Scraping Tools",
]


def documents() -> list[CourseDocument]:
    return [
        titled(
            i,
            title,
            categories=None,
            level=("beginner", "advanced")[i % 2],
            list_price_cents=1000 + 100 * i,
            sale_price_cents=None,
        )
        for i, title in enumerate(TITLES)
    ]


def ids(result: EngineResult) -> list[str]:
    return [hit.document.id for hit in result.hits]


def with_titles(*titles: str) -> set[str]:
    return {d.id for d in documents() if d.title in titles}


@pytest.fixture
def stub() -> Iterator[MeiliStub]:
    with MeiliStub(match_words=True) as server:
        yield server


@pytest.fixture
async def meili(stub: MeiliStub) -> AsyncIterator[MeilisearchEngine]:
    engine = MeilisearchEngine(stub.url, "test-master-key-0123456789", "courses")
    await engine.apply_settings()
    await engine.upsert(documents())
    yield engine
    await engine.close()


@pytest.fixture
async def tantivy(tmp_path: Path) -> TantivyEngine:
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    await engine.upsert(documents())
    return engine


def test_levels_drop_words_from_the_end_until_a_page_is_full() -> None:
    counts = {3: 1, 2: 4, 1: 9}
    assert relaxation.levels(counts.__getitem__, 3, strict=False) == [(3, 1), (2, 4), (1, 9)]
    assert relaxation.levels(counts.__getitem__, 3, strict=True) == [(3, 1)]
    assert relaxation.levels({2: 0, 1: 7}.__getitem__, 2, strict=True) == [(1, 7)]
    full = {2: relaxation.FILL, 1: 100}
    assert relaxation.levels(full.__getitem__, 2, strict=False) == [(2, relaxation.FILL)]
    # A word that brings nothing more is skipped over, not ranked.
    assert relaxation.levels({3: 0, 2: 0, 1: 5}.__getitem__, 3, strict=False) == [(3, 0), (1, 5)]


@requires_shared
async def test_a_relaxed_search_means_the_same_on_both_engines(
    meili: MeilisearchEngine, tantivy: TantivyEngine, stub: MeiliStub
) -> None:
    request = SearchRequest(q="python web scraping", per_page=50)
    ours, theirs = await tantivy.search(request), await meili.search(request)
    every, two = with_titles("Python Web Scraping"), with_titles(*TITLES[1:4])
    for result in (ours, theirs):
        assert result.total == 9
        found = ids(result)
        assert set(found[:1]) == every and set(found[1:4]) == two
        assert set(found) == with_titles(*TITLES[:9])
        assert sum(result.facets["level"].values()) == 9
    assert ours.facets == theirs.facets
    # The same total on every page and at every page size.
    for page, per_page in ((1, 2), (3, 2), (2, 5)):
        paged = SearchRequest(q="python web scraping", page=page, per_page=per_page)
        assert (await tantivy.search(paged)).total == (await meili.search(paged)).total == 9


@requires_shared
async def test_an_explicit_sort_is_strict_on_both_engines(
    meili: MeilisearchEngine, tantivy: TantivyEngine
) -> None:
    strict = SearchRequest(q="python web", sort="price_asc", per_page=50)
    for result in (await tantivy.search(strict), await meili.search(strict)):
        assert set(ids(result)) == with_titles(*TITLES[:4]) and result.total == 4
    # Only when nothing has every word do fewer words match.
    nothing = SearchRequest(q="python zzzz", sort="price_asc", per_page=50)
    for result in (await tantivy.search(nothing), await meili.search(nothing)):
        assert result.total == 9


@requires_shared
async def test_enough_matches_need_no_relaxing(
    meili: MeilisearchEngine, tantivy: TantivyEngine, stub: MeiliStub
) -> None:
    before = len(stub.requests("POST", "/multi-search"))
    request = SearchRequest(q="python")
    assert (await tantivy.search(request)).total == (await meili.search(request)).total == 9
    assert len(stub.requests("POST", "/multi-search")) == before + 1  # one round trip


@requires_shared
async def test_every_relaxing_request_is_valid(meili: MeilisearchEngine, stub: MeiliStub) -> None:
    await meili.search(SearchRequest(q="python web scraping", level=["beginner"]))
    await meili.search(SearchRequest(q="Python入門 講座"))
    await meili.search(SearchRequest(q="python zzzz", sort="price_asc"))
    for recorded in stub.requests():
        validate(recorded.method, recorded.path, recorded.query, recorded.headers, recorded.body)
    bodies = [q for r in stub.requests("POST", "/multi-search") for q in r.json()["queries"]]
    assert {"all", "last"} <= {q["matchingStrategy"] for q in bodies}
    assert any(q.get("locales") == ["jpn"] for q in bodies)


def test_japanese_queries_are_segmented_as_japanese() -> None:
    assert query_locales("Python入門") == ["jpn"]
    assert query_locales("python") is None
    rules = index_settings()["localizedAttributes"]
    assert rules == [{"attributePatterns": ["*"], "locales": list(rules[0]["locales"])}]
    assert "jpn" in rules[0]["locales"] and "zho" not in rules[0]["locales"]


def test_relaxing_queries_count_prefixes_and_rank_by_the_words_rule() -> None:
    request = SearchRequest(q="python web scraping", level=["beginner"])
    counts = prefix_count_queries("courses", request)
    assert [q["q"] for q in counts] == ["python", "python web"]
    assert all(q["hitsPerPage"] == 0 and q["matchingStrategy"] == "all" for q in counts)
    assert all(q["filter"] == ['level IN ["beginner"]'] for q in counts)
    ranked, counting, *groups = relaxed_queries("courses", request, 1)
    assert ranked["q"] == "python web scraping" and ranked["matchingStrategy"] == "last"
    assert "facets" not in ranked
    assert counting["q"] == "python" and counting["hitsPerPage"] == 0
    assert [g["facets"] for g in groups] == [["level"]]
