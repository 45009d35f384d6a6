"""Hybrid semantic search: the model that ships in its wheel, the words it knows, and what a
search by meaning answers through the API (issue #29)."""

from __future__ import annotations

import os
import socket
from typing import Any

import numpy as np
import pytest

from search_service.semantic.wordllama import DIMENSIONS, WordLlamaEmbedder

Client = Any


@pytest.fixture(scope="module")
def model() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()


def test_the_model_loads_and_embeds_with_the_network_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = WordLlamaEmbedder()
    vectors = fresh.embed(["learn to speak in public"])
    assert vectors.shape == (1, DIMENSIONS)


@pytest.mark.parametrize(("before", "after"), [(None, "false"), ("true", "true")])
def test_the_tokenizers_own_threads_are_off_unless_set(
    monkeypatch: pytest.MonkeyPatch, before: str | None, after: str
) -> None:
    # The indexer embeds on one thread per core already (docs/performance.md).
    if before is None:
        monkeypatch.delenv("TOKENIZERS_PARALLELISM", raising=False)
    else:
        monkeypatch.setenv("TOKENIZERS_PARALLELISM", before)
    WordLlamaEmbedder()
    assert os.environ["TOKENIZERS_PARALLELISM"] == after


def test_vectors_are_unit_length_and_the_same_each_time(model: WordLlamaEmbedder) -> None:
    texts = ["public speaking for beginners", "talk to an audience", "bake sourdough bread"]
    first, again = model.embed(texts), model.embed(texts)
    assert first.dtype == np.float32 and np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    similar, unrelated = float(first[0] @ first[1]), float(first[0] @ first[2])
    assert similar > unrelated
    assert model.embed([]).shape == (0, DIMENSIONS)


@pytest.mark.parametrize(
    "word", ["talk", "customers", "printable", "dívidas", "kubernetes", "photoshop", "Python"]
)
def test_words_of_a_language_are_known(model: WordLlamaEmbedder, word: str) -> None:
    assert model.knows(word)


@pytest.mark.parametrize("word", ["qwxzvbnmk", "asdfgh", "xkcd", "blorft", "zxcvb", "pyhton"])
def test_keyboard_mash_and_typos_are_not(model: WordLlamaEmbedder, word: str) -> None:
    assert not model.knows(word)


async def _search(api: Client, **params: Any) -> dict[str, Any]:
    got = await api.get("/api/v1/search", params=params)
    assert got.status_code == 200, got.text
    return got.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("talk to an audience", "Public Speaking"), ("take better pictures", "Photography")],
)
async def test_words_no_course_has_find_courses_by_meaning(
    api: Client, query: str, expected: str
) -> None:
    lexical = await _search(api, q=query, semantic_ratio=0)
    assert lexical["total"] == 0  # no course has these words
    found = await _search(api, q=query)
    assert found["total"] > 0 and found["interpreted"]["by_meaning"]
    assert any(expected in hit["title"] for hit in found["hits"][:3])
    # Every course counted is one the facets count: one level each.
    assert sum(v["count"] for v in found["facets"]["level"]) == found["total"]


async def test_facets_count_what_each_order_finds(api: Client) -> None:
    # A relevance order counts courses near in meaning beside the few with the words; an
    # explicit sort counts only those with the words. Asked one after the other (the second
    # would be answered from the first's facet counts if they were kept for both).
    query = "speaking skills"
    ranked = await _search(api, q=query)
    newest = await _search(api, q=query, sort="newest")
    again = await _search(api, q=query)
    assert newest["total"] < ranked["total"] == again["total"]
    for found in (ranked, newest, again):
        assert sum(v["count"] for v in found["facets"]["level"]) == found["total"]


@pytest.mark.parametrize("query", ["speaking", "speaking skills"])
async def test_facets_of_a_filtered_search_count_courses_found_by_meaning(
    api: Client, query: str
) -> None:
    # Few courses have the words (every word, or fewer once relaxed), so neighbours join
    # after the ranking: every group counts them, the selected level's value too.
    lexical = await _search(api, q=query, level="beginner", semantic_ratio=0)
    found = await _search(api, q=query, level="beginner")
    assert found["total"] > lexical["total"]
    assert sum(v["count"] for v in found["facets"]["language"]) == found["total"]
    levels = {v["value"]: v["count"] for v in found["facets"]["level"]}
    assert levels["beginner"] == found["total"]


async def test_a_filter_holds_for_courses_found_by_meaning(api: Client) -> None:
    found = await _search(api, q="talk to an audience", level="beginner", per_page=50)
    assert found["total"] > 0
    assert {hit["level"] for hit in found["hits"]} == {"beginner"}


async def test_a_price_range_holds_for_courses_found_by_meaning(api: Client) -> None:
    found = await _search(api, q="talk to an audience", price_min=1000, price_max=5000, per_page=50)
    everything = await _search(api, q="talk to an audience", per_page=50)
    inside = [1000 <= h["price"]["effective_cents"] <= 5000 for h in everything["hits"]]
    assert any(inside) and not all(inside)  # the range keeps some courses and not others
    assert found["total"] > 0
    assert all(1000 <= hit["price"]["effective_cents"] <= 5000 for hit in found["hits"])


async def test_pages_of_a_hybrid_search_lose_and_repeat_nothing(api: Client) -> None:
    whole = await _search(api, q="take better pictures", per_page=30)
    ids = [h["id"] for h in whole["hits"]]
    paged: list[str] = []
    for page in (1, 2, 3):
        paged += [
            h["id"]
            for h in (await _search(api, q="take better pictures", per_page=10, page=page))["hits"]
        ]
    assert paged == ids


async def test_keyboard_mash_finds_nothing_and_nothing_close(api: Client) -> None:
    found = await _search(api, q="qwxzvbnmk")
    assert found["total"] == 0 and found["closest"] == []
    assert not found["interpreted"]["by_meaning"]


@pytest.mark.parametrize("ratio", ["1.5", "-0.1", "abc", "nan", "inf"])
async def test_a_semantic_ratio_outside_0_to_1_is_a_400_naming_it(api: Client, ratio: str) -> None:
    got = await api.get("/api/v1/search", params={"q": "python", "semantic_ratio": ratio})
    assert got.status_code == 400
    assert got.headers["content-type"].startswith("application/problem+json")
    assert "semantic_ratio" in got.text


async def test_the_ratio_searched_with_is_reported(api: Client) -> None:
    assert (await _search(api, q="python"))["applied"]["semantic_ratio"] == pytest.approx(0.35)
    assert (await _search(api, q="python", semantic_ratio=0.8))["applied"]["semantic_ratio"] == 0.8


async def test_related_courses_are_the_nearest_in_meaning(api: Client) -> None:
    found = await _search(api, q="public speaking")
    slug = found["hits"][0]["slug"]
    related = await api.get(f"/api/v1/courses/{slug}/related")
    assert related.status_code == 200
    courses = related.json()
    assert courses and slug not in {c["slug"] for c in courses}


@pytest.mark.parametrize("group", ["duration", "language"])
async def test_a_filter_that_leaves_few_courses_with_the_words_is_not_padded_by_far_ones(
    api: Client, group: str
) -> None:
    # "python" with a filter that leaves one to three Python courses: courses far in meaning
    # from those (Dog Training beside a Python course) do not fill the page, and the facet
    # count a shopper clicked is what the filtered search finds.
    everything = await _search(api, q="python", semantic_ratio=0)
    few = [v for v in everything["facets"][group] if 1 <= v["count"] <= 3 and not v.get("selected")]
    assert few, everything["facets"][group]
    for value in few:
        lexical = await _search(api, q="python", semantic_ratio=0, **{group: value["value"]})
        hybrid = await _search(api, q="python", **{group: value["value"]})
        assert lexical["total"] == value["count"]
        assert hybrid["total"] == lexical["total"], [h["title"] for h in hybrid["hits"]]


@pytest.mark.parametrize("query", ["python", "javascript"])
async def test_the_count_a_facet_shows_is_what_clicking_it_finds(api: Client, query: str) -> None:
    """Many courses have the words, so meaning adds none; a filter narrows what the words
    find and adds none either ("photoshop" for beginners was its 7 courses padded to 20 with
    Lightroom, under a facet that said 7)."""
    found = await _search(api, q=query)
    assert found["interpreted"]["by_meaning"] is False
    for group in ("level", "language", "duration"):
        for value in found["facets"][group]:
            if value["count"] and not value.get("selected"):
                clicked = await _search(api, q=query, **{group: value["value"]})
                assert clicked["total"] == value["count"], (group, value)


async def test_words_no_course_under_the_filters_has_find_nothing_by_meaning(api: Client) -> None:
    # "python" in a category without a Python course was courses "by meaning" (Dog Training,
    # Baking Bread): the words have a meaning in this catalog, and nothing under the filters
    # comes close to it, so the page is the zero-result one, with its ways out.
    python = await _search(api, q="python", semantic_ratio=0)
    has_python = {
        v["value"] for root in python["facets"]["category"] for v in [root, *root["children"]]
    }
    everything = await _search(api)
    others = [
        v["value"]
        for root in everything["facets"]["category"]
        for v in [root, *root["children"]]
        if v["value"] not in has_python
    ]
    assert len(others) > 10
    for other in others:
        found = await _search(api, q="python", category=other)
        assert found["total"] == 0, (other, [h["title"] for h in found["hits"]])
        assert any(s["kind"] == "remove_filter" for s in found["suggestions"])
    # The page says the filters, not the words, are the trouble.
    page = (await api.get("/search", params={"q": "python", "category": others[0]})).text
    assert "passes your filters" in page
    assert "Check the spelling" not in page and "No course has these words" not in page


async def _walk(api: Client, per_page: int, **params: Any) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        found = await _search(api, per_page=per_page, page=page, **params)
        ids += [h["id"] for h in found["hits"]]
        if page >= found["total_pages"]:
            return ids
        page += 1


@pytest.mark.parametrize("ratio", ["0", "0.35"])
@pytest.mark.parametrize("query", ["go", "dat", "pro"])
async def test_an_unfinished_word_s_pages_lose_and_repeat_nothing(
    api: Client, query: str, ratio: str
) -> None:
    # Completions score alike: the order among equal scores must not depend on how many
    # hits a page asks for (it did: page 3 of 7 repeated page 2's last and lost others).
    whole = await _walk(api, 100, q=query, semantic_ratio=ratio)
    assert len(whole) == len(set(whole)) > 20
    assert await _walk(api, 7, q=query, semantic_ratio=ratio) == whole
    assert await _walk(api, 20, q=query, semantic_ratio=ratio) == whole


@pytest.mark.parametrize("typed", ["TAKE BETTER PICTURES", "Take Better Pictures"])
async def test_meaning_does_not_depend_on_case(api: Client, typed: str) -> None:
    # "COOKING BASICS" found sales and bread courses that "cooking basics" did not.
    lower = await _search(api, q="take better pictures", per_page=50)
    other = await _search(api, q=typed, per_page=50)
    assert other["total"] == lower["total"]
    assert [h["id"] for h in other["hits"]] == [h["id"] for h in lower["hits"]]


async def test_meaning_does_not_depend_on_how_an_accent_is_encoded(api: Client) -> None:
    composed = await _search(api, q="diseño de logotipos", per_page=50)
    decomposed = await _search(api, q="disen\u0303o de logotipos", per_page=50)
    assert [h["id"] for h in decomposed["hits"]] == [h["id"] for h in composed["hits"]]
