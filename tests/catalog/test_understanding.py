"""Query understanding and the ranking examples of the issue, end to end: typed filters as
undoable chips, stop words and filler, Japanese typed without spaces, sentences, trust-weighted
ratings, near-duplicate editions, respelling and highlights of what matched."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

import msgspec
import pytest

from indexer.documents import build_document
from search_service.catalog.schemas import SearchResponse
from search_service.catalog.search.query_string import parse_search
from search_service.catalog.search.service import CatalogSearch
from search_service.catalog.search.understanding import only_filler, understand
from search_service.relevance.scratch import scratch_catalog
from search_service.search.request import SearchRequest
from search_service.search.vocabulary import weighted_rating
from tests.support.documents import row

Client = Any
DOC = build_document(row(title="Curso", subtitle=""))


def typed(q: str, **params: Any) -> tuple[SearchRequest, SearchRequest]:
    understood = understand(SearchRequest(q=q, **params))
    return understood.explicit, understood.searched


# --- the words, before any engine ------------------------------------------------------------


def test_filters_typed_into_the_box_become_filters() -> None:
    explicit, searched = typed("python courses under $20")
    assert explicit.price_max == 2000 and explicit.q == "python courses"
    assert searched.q == "python"  # "courses" is filler
    explicit, _ = typed("free photoshop")
    assert explicit.price == "free" and explicit.q == "photoshop"
    explicit, _ = typed("javascript in spanish")
    assert explicit.language == ["es"] and explicit.q == "javascript"
    explicit, _ = typed("python for beginners")
    assert explicit.level == ["beginner", "all"] and explicit.q == "python"
    explicit, _ = typed("excel less than 15 dollars")
    assert explicit.price_max == 1500
    # A number alone is not a price; a filter already chosen is not overridden, nor
    # contradicted (a typed maximum below the minimum chosen stays words).
    assert typed("python under 20")[0].price_max is None
    assert typed("python for beginners", level=["advanced"])[0].level == ["advanced"]
    clash = typed("python under $20", price_min=3000)[0]
    assert (clash.price_min, clash.price_max, clash.q) == (3000, None, "python under $20")
    free = typed("free python", price_min=3000)[0]
    assert (free.price, free.q) == (None, "free python")


def test_stop_words_and_filler_are_not_searched_for() -> None:
    assert typed("i want to learn how to cook")[1].q == "cook"
    assert typed("help me get a job as a web developer")[1].q == "web developer"
    assert typed("what is the best course for machine learning")[1].q == "machine learning"
    # Subjects that look like filler stay: "no-code", "IT", "C".
    assert typed("no-code apps")[1].q == "no-code apps"
    assert typed("it support")[1].q == "it support"
    # Nothing but function words: searched as typed.
    assert typed("the who")[1].q == "the who"


def test_the_language_of_function_words_is_a_filter() -> None:
    assert typed("python für einsteiger")[0].language == ["de"]
    assert typed("excel para iniciantes")[0].language == ["es", "pt"]
    assert typed("curso de python")[0].language == []  # "de" could be four languages
    assert typed("python for data")[0].language == []  # English


def test_a_respelling_into_stop_words_says_nothing() -> None:
    assert only_filler("from") and only_filler("how to the")
    assert not only_filler("from python")


def test_literal_changes_nothing() -> None:
    explicit, searched = typed("free python for beginners", literal=True)
    assert explicit == searched == SearchRequest(q="free python for beginners", literal=True)


def test_weighted_rating_trusts_many_reviews() -> None:
    assert weighted_rating(5.0, 1) < weighted_rating(4.8, 2000) < 4.8
    assert weighted_rating(5.0, 1) == pytest.approx(4.05, abs=0.01)
    assert weighted_rating(0.0, 0) == 0.0


# --- the examples on the judged catalog -----------------------------------------------


@pytest.fixture(scope="module")
async def judged(database: str) -> Any:
    async with scratch_catalog(database) as catalog:
        yield catalog


async def find(catalog: CatalogSearch, query: str) -> SearchResponse:
    return await catalog.search(parse_search(parse_qs(query, keep_blank_values=True)))


def slugs(response: SearchResponse) -> list[str]:
    return [hit.slug for hit in response.hits]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("q=Python入門", "python-nyumon"),
        ("q=Docker入門", "docker-nyumon"),
        ("q=Arduino入門", "arduino-nyumon"),
        ("q=機械学習", "kikai-gakushu-nyumon"),  # a Japanese word inside a longer title
        ("q=i want to learn how to cook", "cooking-basics"),
        ("q=help me get a job as a web developer", "web-developer-bootcamp"),
        ("q=i need to pass the aws certification exam", "aws-solutions-architect"),
    ],
)
async def test_the_right_course_comes_first(judged: CatalogSearch, query: str, slug: str) -> None:
    assert slugs(await find(judged, query))[0] == slug


async def test_japanese_highlights_land_on_the_characters(judged: CatalogSearch) -> None:
    hit = (await find(judged, "q=Docker入門")).hits[0]
    assert hit.highlights.title == "<mark>Docker入門</mark>"
    hit = (await find(judged, "q=機械学習")).hits[0]
    assert hit.highlights.title == "Pythonで学ぶ<mark>機械学習</mark>入門"


async def test_a_need_with_no_exact_match_recovers(judged: CatalogSearch) -> None:
    response = await find(judged, "q=how do i start investing my money")
    assert response.total and response.interpreted.query == "investing money"
    assert slugs(response)[0] == "stock-market-investing"
    dropped = await find(judged, "q=zzqqxx sourdough")
    assert slugs(dropped)[0] == "sourdough-bread"
    assert dropped.interpreted.dropped_words == ["zzqqxx"]
    # A word the catalog has, ruled out only by the filters, is not "matched by no course":
    # the way out is to remove the filter (counted for it), not the word.
    filtered = await find(judged, "q=sourdough python&language=ja")
    assert filtered.interpreted.dropped_words == [], filtered.interpreted
    assert "python-nyumon" not in slugs(filtered)
    assert filtered.total == 0, slugs(filtered)
    assert filtered.suggestions[0].kind == "remove_filter", filtered.suggestions


@pytest.mark.parametrize("q", ["zzqqxx:sourdough", "zzqqxx/sourdough", "(zzqqxx)sourdough"])
async def test_words_joined_by_punctuation_recover_too(judged: CatalogSearch, q: str) -> None:
    # "title:python" found 20 courses by meaning and none of the 62 with "python": recovery
    # split the text on spaces only, and the engines search the words on each side.
    response = await find(judged, f"q={quote(q)}")
    assert response.interpreted.dropped_words == ["zzqqxx"], response.interpreted
    assert slugs(response)[0] == "sourdough-bread"
    assert not response.interpreted.by_meaning


async def test_highest_rated_trusts_reviews(judged: CatalogSearch) -> None:
    top = (await find(judged, "sort=highest_rated&per_page=10")).hits
    assert all(hit.review_count >= 100 for hit in top), [(h.slug, h.review_count) for h in top]
    assert all(hit.rating_lower_bound <= hit.rating for hit in top)
    photoshop = slugs(await find(judged, "q=photoshop&sort=highest_rated"))
    assert photoshop.index("photoshop-masterclass") < photoshop.index("photoshop-quick-wins")


async def test_editions_collapse_and_stay_reachable(judged: CatalogSearch) -> None:
    editions = {
        "learn-photoshop-scratch",
        "learn-photoshop-scratch-2025",
        "learn-photoshop-scratch-2026",
    }
    found = (await find(judged, "q=learn photoshop&per_page=50")).hits
    everything = [hit.slug for hit in found]
    assert editions <= set(everything)  # still there, each once
    assert len(everything) == len(set(everything))
    # Any page size: the same order, nothing lost or repeated.
    pages = [
        slugs(await find(judged, f"q=learn photoshop&per_page=3&page={p}")) for p in (1, 2, 3, 4)
    ]
    assert [s for page in pages for s in page] == everything[:12]


@pytest.mark.parametrize(
    ("q", "languages"),
    [
        ("aprender python", ["es", "pt"]),
        ("quiero aprender python", ["es"]),
        ("apprendre python", ["fr"]),
    ],
)
async def test_wanting_to_learn_in_another_language_is_no_subject(
    judged: CatalogSearch, q: str, languages: list[str]
) -> None:
    """ "learn python" searched "python"; "aprender python" searched "aprender" too (and
    ranked "Aprenda Django do zero" first): the verb says the language, not the subject."""
    response = await find(judged, f"q={quote(q)}")
    assert response.interpreted.query == "python", response.interpreted
    assert response.applied.language == languages
    assert "python" in slugs(response)[0], slugs(response)


async def test_a_respelling_shown_is_the_respelling_searched(judged: CatalogSearch) -> None:
    """Typo tolerance found some of the respelling's courses ("gitar": 6 of the 16 with
    "guitar"), under "6 results for guitar" and "Showing results for guitar"."""
    typo = await find(judged, "q=javscript&per_page=50")
    right = await find(judged, "q=javascript&per_page=50")
    assert typo.interpreted.spelling == "javascript"
    assert typo.total == right.total
    assert slugs(typo) == slugs(right)


async def test_respelling_is_said_and_matches_are_marked(judged: CatalogSearch) -> None:
    typo = await find(judged, "q=pyhton")
    assert typo.interpreted.spelling == "python"
    assert typo.interpreted.literal_url == "/search?q=pyhton&literal=true"
    assert "<mark>Python</mark>" in (typo.hits[0].highlights.title or "")
    prefix = await find(judged, "q=kube")
    assert "<mark>Kubernetes</mark>" in (prefix.hits[0].highlights.title or "")
    synonym = await find(judged, "q=k8s")
    assert "<mark>Kubernetes</mark>" in (synonym.hits[0].highlights.title or "")
    # Words are marked whole, as their course's language stems them.
    learning = await find(judged, "q=learning python")
    titles = [h.highlights.title or "" for h in learning.hits]
    assert any("<mark>Learning</mark>" in t and "<mark>Python</mark>" in t for t in titles)
    spanish = await find(judged, "q=diseñar experiencias de usuario")
    assert slugs(spanish)[0] == "ux-design-curso"
    assert "<mark>Diseño</mark>" in (spanish.hits[0].highlights.title or "")


# --- the API and the page ----------------------------------------------------------------------


async def test_the_api_says_what_it_understood(api: Client) -> None:
    response = await api.get("/api/v1/search", params={"q": "kubernetes under $50"})
    assert response.status_code == 200, response.text
    body = response.json()
    understood = body["interpreted"]
    assert understood["query"] == "kubernetes"
    assert [c["param"] for c in understood["auto_filters"]] == ["price_max"]
    chip = understood["auto_filters"][0]
    assert chip in body["applied"]["chips"]
    assert parse_qsl(urlsplit(chip["remove_url"]).query) == [("q", "kubernetes")]
    assert body["applied"]["price_max"] == 5000
    assert all(h["price"]["effective_cents"] <= 5000 for h in body["hits"])
    literal = parse_qsl(urlsplit(understood["literal_url"]).query)
    assert literal == [("q", "kubernetes under $50"), ("literal", "true")]
    exact = (await api.get(understood["literal_url"].replace("/search", "/api/v1/search"))).json()
    assert exact["interpreted"]["auto_filters"] == [] and exact["applied"]["price_max"] is None


async def test_the_page_shows_what_it_understood(api: Client) -> None:
    html = (await api.get("/search", params={"q": "pyhton"})).text
    assert "Showing results for <strong>python</strong>" in html
    # The count is of what was searched: the respelling, not the typo.
    assert "results for “python”</span></h1>" in html and "for “pyhton”</span>" not in html
    assert 'href="/search?q=pyhton&amp;literal=true"' in html
    typed_filter = (await api.get("/search", params={"q": "free kubernetes"})).text
    assert "filtered by Free from your words" in typed_filter
    assert 'aria-label="Remove filter Free"' in typed_filter


def test_a_snippet_of_a_long_non_english_description_says_where_it_was_cut() -> None:
    from search_service.search.tantivy.execute import Marker

    words_before = "Aprende paso a paso con ejercicios prácticos. " * 8
    text = words_before + "Diseño de experiencias de usuario. " + "Proyectos reales y más. " * 8
    marker = Marker(frozenset({"disen"}))
    document = msgspec.structs.replace(DOC, language_code="es", description=text)
    snippet = marker.highlights(document).description or ""
    assert "<mark>Diseño</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet.count("…") == 2
    short = msgspec.structs.replace(DOC, language_code="es", description="Diseño UX")
    assert marker.highlights(short).description == "<mark>Diseño</mark> UX"
