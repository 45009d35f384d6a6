"""GET /api/v1/search, /suggest and /categories over a real index and database."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import asyncpg
import pytest

from search_service.catalog.suggest import completions

Client = Any


async def search(api: Client, query: str = "") -> dict[str, Any]:
    response = await api.get(f"/api/v1/search?{query}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_response_shape(api: Client) -> None:
    body = await search(api, "q=kubernetes&per_page=5")
    assert body["query"] == "kubernetes"
    assert body["total"] >= 1 and body["page"] == 1 and body["per_page"] == 5
    assert body["total_pages"] == -(-body["total"] // 5)
    assert body["took_ms"] >= 0
    hit = body["hits"][0]
    assert hit["url"] == f"/courses/{hit['slug']}"
    assert set(hit["price"]) == {
        "list_cents",
        "sale_cents",
        "effective_cents",
        "currency",
        "discount_percent",
        "is_free",
        "display",
        "list_display",
    }
    assert set(hit["mentor"]) == {"name", "headline", "url"}
    assert hit["mentor"]["url"].startswith("/instructors/")
    assert "<mark>" in hit["highlights"]["title"]
    assert set(body["facets"]) == {
        "level",
        "language",
        "category",
        "price",
        "rating",
        "duration",
        "features",
        "bestseller",
    }
    assert body["suggestions"] == []


async def test_facets_are_disjunctive_and_selected(api: Client) -> None:
    everything = await search(api)
    filtered = await search(api, "level=beginner")
    levels = {f["value"]: f for f in filtered["facets"]["level"]}
    assert levels["beginner"]["selected"] and not levels["advanced"]["selected"]
    # Counting the level group ignores the level selection.
    assert {v: f["count"] for v, f in levels.items()} == {
        f["value"]: f["count"] for f in everything["facets"]["level"]
    }
    assert filtered["total"] == levels["beginner"]["count"]


async def test_selected_value_without_matches_is_listed(api: Client) -> None:
    body = await search(api, "language=it")
    italian = [f for f in body["facets"]["language"] if f["value"] == "it"]
    assert italian == [
        {
            "value": "it",
            "label": "Italiano",
            "count": 0,
            "selected": True,
            "params": {"language": "it"},
            "children": [],
        }
    ]
    assert body["total"] == 0
    kinds = [s["kind"] for s in body["suggestions"]]
    assert kinds[0] == "remove_filter" and kinds[-1] == "browse"
    assert body["suggestions"][0]["total"] == (await search(api))["total"]


async def test_removing_a_price_range_that_leaves_nothing_says_which(api: Client) -> None:
    """A range from $50 to $50 that found nothing was offered as "Remove (27)": the range is
    one chip of both bounds, which the label did not find among the price group's."""
    body = await search(api, "q=python&price_min=5001&price_max=5001")
    assert body["total"] == 0
    first = body["suggestions"][0]
    assert first["kind"] == "remove_filter" and first["total"] > 0
    assert first["label"] == "Remove $50.01 – $50.01", first


async def test_filters_that_together_leave_nothing_offer_the_words_alone(
    api: Client, browser: Client
) -> None:
    """Many filters, none of which alone is the trouble: the way out is every filter
    removed, with its count, and the page blames the filters, not the spelling."""
    query = "q=python&language=it&price=free&bestseller=true&rating_min=4.5"
    body = await search(api, query)
    alone = (await search(api, "q=python"))["total"]
    assert body["total"] == 0 and alone > 0
    for one in ("language=it", "price=free", "bestseller=true", "rating_min=4.5"):
        rest = "&".join(p for p in query.split("&") if p != one)
        assert (await search(api, rest))["total"] == 0, f"without {one} alone, still nothing"
    first = body["suggestions"][0]
    assert (first["kind"], first["total"]) == ("remove_filter", alone)
    assert first["url"] == "/search?q=python" and first["label"] == "Remove all filters"
    page = (await browser.get(f"/search?{query}")).text
    assert "No course with these words passes your filters." in page
    assert "No results for “python” with these filters" in page
    assert "Check the spelling" not in page and "No course has these words" not in page


async def test_root_category_selects_its_subcategories(api: Client) -> None:
    body = await search(api, "category=development&per_page=1")
    development = next(f for f in body["facets"]["category"] if f["value"] == "development")
    assert development["selected"]
    assert body["total"] == development["count"] == sum(c["count"] for c in development["children"])


async def test_chips_remove_one_value(api: Client) -> None:
    body = await search(api, "q=kubernetes&level=beginner&level=advanced&price=paid")
    chips = {(c["param"], c["value"]): c for c in body["applied"]["chips"]}
    assert set(chips) == {("level", "beginner"), ("level", "advanced"), ("price", "paid")}
    remaining = parse_qsl(urlsplit(chips[("level", "advanced")]["remove_url"]).query)
    assert remaining == [("q", "kubernetes"), ("level", "beginner"), ("price", "paid")]
    assert body["applied"]["clear_url"] == "/search?q=kubernetes"
    assert body["applied"]["level"] == ["beginner", "advanced"]


async def test_a_respelling_is_searched_when_the_words_typed_find_nothing(api: Client) -> None:
    body = await search(api, "q=adbe+photoshop")
    assert body["total"] >= 1
    assert body["interpreted"]["spelling"] == "adobe photoshop"
    assert body["interpreted"]["query"] == "adobe photoshop"
    literal = parse_qsl(urlsplit(body["interpreted"]["literal_url"]).query)
    assert literal == [("q", "adbe photoshop"), ("literal", "true")]


async def test_zero_results_suggest_a_respelling(api: Client) -> None:
    body = await search(api, "q=adbe+photoshop&literal=true")
    assert body["total"] == 0
    spelling = [s for s in body["suggestions"] if s["kind"] == "spelling"]
    assert spelling and "adobe photoshop" in spelling[0]["label"]
    assert spelling[0]["total"] >= 1


async def test_zero_results_suggest_a_category(api: Client) -> None:
    body = await search(api, "q=developmnt+zzqqxx&level=beginner&literal=true")
    kinds = {s["kind"] for s in body["suggestions"]}
    assert "category" in kinds and "browse" in kinds


async def test_sort_and_deep_pages(api: Client) -> None:
    body = await search(api, "sort=price_asc&per_page=50&page=2")
    prices = [h["price"]["effective_cents"] for h in body["hits"]]
    assert prices == sorted(prices)
    beyond = await search(api, f"page={body['total_pages'] + 5}&per_page=50")
    assert beyond["hits"] == [] and beyond["total"] == body["total"]


async def test_suggest(api: Client) -> None:
    response = await api.get("/api/v1/suggest?q=kube")
    assert response.status_code == 200
    items = response.json()["items"]
    assert 1 <= len(items) <= 8
    assert any(i["type"] == "course" and "Kubernetes" in i["label"] for i in items)
    typo = (await api.get("/api/v1/suggest?q=kubernets")).json()["items"]
    assert any("Kubernetes" in i["label"] for i in typo)
    categories = (await api.get("/api/v1/suggest?q=web+develo")).json()["items"]
    assert {
        "type": "category",
        "label": "Web Development",
        "url": "/categories/development/web-development",
    } in categories
    assert (await api.get("/api/v1/suggest?q=")).json()["items"] == []


async def test_suggest_completes_the_query_from_the_catalog(api: Client) -> None:
    items = (await api.get("/api/v1/suggest?q=kube")).json()["items"]
    completions = [i for i in items if i["type"] in ("query", "completion")]
    assert completions and all(i["label"].startswith("kube") for i in completions)
    assert any(i["type"] == "completion" and i["label"] == "kubernetes" for i in items)
    first = next(i for i in items if i["label"] == "kubernetes")
    assert first["url"] == "/search?q=kubernetes"


def test_completions_finish_the_last_word_and_add_the_next() -> None:
    # Most frequent first, then shorter: "python" is in every title.
    titles = ["Python for Beginners", "Complete Python Bootcamp", "Python Django", "python"]
    assert completions("pyth", titles, 3) == ["python", "python django", "python bootcamp"]
    learn = completions("learn ph", ["Learn Photoshop Fast", "learn PHP"], 3)
    assert set(learn) == {"learn photoshop", "learn php", "learn photoshop fast"}
    assert completions("python", ["Python"], 3) == [], "nothing that only repeats the query"
    # Said as shoppers write them, not as the engines spell them ("csharp deep").
    symbols = completions("c#", ["C# Deep Dive", "C# Deep Dive", "C# and .NET"], 3)
    assert symbols == ["c# deep", "c# and .net"]


@pytest.mark.parametrize(
    ("typed", "words", "filters"),
    [("free pyth", "pyth", "price=free"), ("beginner jav", "jav", "level=beginner&level=all")],
)
async def test_suggestions_for_words_typed_after_a_filter(
    api: Client, typed: str, words: str, filters: str
) -> None:
    # "free py" suggested nothing: "free" was searched as a word. Now the filter applies,
    # the words are completed under it, and a completion keeps what was typed ahead.
    items = (await api.get("/api/v1/suggest", params={"q": typed})).json()["items"]
    completions = [i["label"] for i in items if i["type"] == "completion"]
    assert completions and all(c.startswith(f"{typed}") for c in completions), items
    under = await search(api, f"q={words}&{filters}&per_page=48")
    courses = [i["label"] for i in items if i["type"] == "course"]
    assert courses and set(courses) <= {h["title"] for h in under["hits"]}


async def test_suggest_mentors(api: Client) -> None:
    hit = (await search(api, "q=kubernetes"))["hits"][0]
    name = hit["mentor"]["name"]
    items = (await api.get("/api/v1/suggest", params={"q": name})).json()["items"]
    mentors = [i for i in items if i["type"] == "mentor"]
    assert mentors and mentors[0]["label"] == name
    assert mentors[0]["url"].startswith("/instructors/")
    # A name typed: the instructor comes before their courses, as on the results page.
    kinds = [i["type"] for i in items if i["type"] in ("mentor", "course")]
    assert kinds[0] == "mentor", kinds
    # Words that are not a name keep courses first, and so does the start of a name.
    topic = (await api.get("/api/v1/suggest", params={"q": "kubernetes"})).json()["items"]
    assert [i["type"] for i in topic if i["type"] in ("mentor", "course")][:1] == ["course"]
    start = (await api.get("/api/v1/suggest", params={"q": name[:3]})).json()["items"]
    assert [i["type"] for i in start if i["type"] in ("mentor", "course")][:1] == ["course"]


async def test_category_tree_counts(api: Client) -> None:
    body = (await api.get("/api/v1/categories")).json()
    assert len(body["categories"]) == 15
    for root in body["categories"]:
        assert root["count"] == sum(c["count"] for c in root["children"])
        assert root["url"] == f"/categories/{root['slug']}"
    assert sum(r["count"] for r in body["categories"]) == body["total"]


BAD_INPUT = [
    ("level=expert", "level"),
    ("sort=cheapest", "sort"),
    ("duration=2h", "duration"),
    ("page=0", "page"),
    ("per_page=1000", "per_page"),
    ("per_page=0", "per_page"),
    ("price_min=5000&price_max=100", "price_min"),
    ("price_min=-1", "price_min"),
    ("price_min=ten", "price_min"),
    ("rating_min=6", "rating_min"),
    ("rating_min=abc", "rating_min"),
    ("q=a&q=b", "q"),
    ("sort=newest&sort=popular", "sort"),
    ("page=1&page=2", "page"),
    ("q=" + "x" * 10_000, "q"),
    ("price=cheap", "price"),
    ("bestseller=maybe", "bestseller"),
    ("literal=maybe", "literal"),
    ("literal=true&literal=false", "literal"),
    ("features=certificates", "features"),
    ("category=Not%20A%20Slug", "category"),
    ("language=english!", "language"),
    ("page=10001", "page"),
    # Not whole numbers, though msgspec reads them as such.
    ("per_page=1e2", "per_page"),
    ("per_page=100.0", "per_page"),
    ("page=" + "9" * 5000, "page"),
    ("page=%D9%A3", "page"),  # an Arabic-Indic 3: no page number
]


@pytest.mark.parametrize("written", [".5", "0.5", "+0.5", "5e-1"])
async def test_a_number_is_read_as_written(api: Client, written: str) -> None:
    # ".5", "1." and "+0.5" were refused as "not a number from 0 to 1".
    response = await api.get("/api/v1/search", params={"q": "python", "semantic_ratio": written})
    assert response.status_code == 200, response.text
    assert response.json()["applied"]["semantic_ratio"] == 0.5


@pytest.mark.parametrize(
    ("query", "param"), BAD_INPUT, ids=[b[1] + ":" + b[0][:30] for b in BAD_INPUT]
)
async def test_bad_input_is_a_400_naming_the_parameter(api: Client, query: str, param: str) -> None:
    response = await api.get(f"/api/v1/search?{query}")
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Invalid request"
    names = [p["name"] for p in body["invalid_params"]]
    assert param in names
    assert any(p.get("allowed") for p in body["invalid_params"])


@pytest.mark.parametrize(
    "q",
    [
        '"quoted"',
        "back\\slash",
        "AND OR NOT TO",
        "price_min = 0 OR 1=1",
        "🚀✨ émoji",
        "ctrl\x01\x07\x1b",
        "<script>alert(1)</script>",
        "' OR '1'='1",
        "日本語 入門",
    ],
)
async def test_hostile_text_is_searched_as_text(api: Client, q: str) -> None:
    response = await api.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200
    body = response.json()
    # Control characters read as spaces (a NUL could not be logged); the rest as typed.
    assert body["query"] == " ".join("".join(" " if ord(c) < 32 else c for c in q).split())
    for hit in body["hits"]:
        assert "<script>" not in (hit["highlights"]["title"] or "")


async def test_a_query_is_measured_as_it_is_searched(api: Client) -> None:
    """Spaces around and between the words (a paste) do not count towards the 200
    characters; the words themselves do."""
    padded = await api.get("/api/v1/search", params={"q": " " * 300 + "python  basics" + " " * 300})
    assert padded.status_code == 200 and padded.json()["query"] == "python basics"
    long = await api.get("/api/v1/search", params={"q": "python " * 40})
    assert long.status_code == 400 and long.json()["invalid_params"][0]["name"] == "q"


async def test_unknown_route_is_a_problem(api: Client) -> None:
    response = await api.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_method_an_address_does_not_take_says_which_it_does(api: Client) -> None:
    """RFC 9110: a 405 carries ``Allow``, for the API and for pages."""
    for method, path, kind in (
        ("DELETE", "/api/v1/search", "application/problem+json"),
        ("POST", "/search", "text/html"),
    ):
        response = await api.request(method, path)
        assert response.status_code == 405 and response.headers["content-type"].startswith(kind)
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/courses/{slug}/reviews?rating=5&rating=1",
        "/api/v1/courses/{slug}/reviews?sort=recent&sort=helpful",
        "/api/v1/courses/{slug}/reviews?page=1&page=2",
    ],
)
async def test_every_api_refuses_a_repeated_single_valued_parameter(
    api: Client, db: asyncpg.Connection, path: str
) -> None:
    """Not only search: which of two values was meant is not guessed anywhere in the API."""
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL LIMIT 1"
    )
    response = await api.get(path.format(slug=slug))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    name = path.rsplit("&", 1)[1].split("=")[0]
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]
    once = await api.get(path.format(slug=slug).rsplit("&", 1)[0])
    assert once.status_code == 200


@pytest.mark.parametrize(
    ("query", "first", "not_this"),
    [("c++", "C++", "C#"), ("C++ programming", "C++", "C#"), ("c#", "Unity", "C++")],
)
async def test_names_written_with_symbols_are_searched_as_themselves(
    api: Client, query: str, first: str, not_this: str
) -> None:
    """The words "c++" and "c#" were both "c": a search for C++ listed C# courses first. The
    test catalog's C# courses are its Unity courses (tagged csharp)."""
    body = await search(api, f"q={quote(query)}&per_page=10")
    titles = [hit["title"] for hit in body["hits"]]
    assert titles and first in titles[0], titles
    assert not any(not_this in title for title in titles[:5]), titles


@pytest.mark.parametrize("q", ["😀", "!!!", "—"])
async def test_text_with_nothing_to_search_for_is_said_so(api: Client, q: str) -> None:
    """An emoji or punctuation alone searches nothing: the API says it ignored the text, and
    the page counts courses instead of claiming every one matched “😀”."""
    everything = (await search(api, "per_page=1"))["total"]
    body = await search(api, f"q={quote(q)}&per_page=1")
    assert body["total"] == everything
    assert body["interpreted"]["query"] == "" and body["interpreted"]["ignored_words"] == [q]
    page = (await api.get("/search", params={"q": q})).text
    assert f"results for “{q}”" not in page
    assert f"“{q}” has no letters or digits to search for" in page
    filtered = await search(api, f"q={quote(q)}&level=beginner&per_page=1")
    assert 0 < filtered["total"] < everything


async def test_a_query_read_wholly_as_filters_keeps_its_heading(api: Client) -> None:
    """ "free" is a filter, not text with nothing to search for."""
    page = (await api.get("/search", params={"q": "free"})).text
    assert "results for “free”" in page and "no letters or digits" not in page


async def test_a_respelling_shows_symbol_names_as_typed(api: Client) -> None:
    """The engines search "c#" as "csharp"; a respelling says it as the shopper wrote it."""
    body = await search(api, f"q={quote('c# unitty')}&per_page=1")
    assert body["interpreted"]["spelling"] == "c# unity"


async def test_a_smaller_page_never_shrinks_the_pages_after_it(api: Client) -> None:
    # Browse pages are cached whole per index generation; a request for fewer hits, or for a
    # page deep down, was cut from the cached answer in place, and every shopper after it saw
    # that cut page.
    browse = "category=development&sort=relevance"
    first = await search(api, browse)
    assert first["total"] > 20 and len(first["hits"]) == 20
    await search(api, f"{browse}&per_page=2")
    await search(api, f"{browse}&per_page=1&page=5")
    await search(api, f"{browse}&page=2")
    again = await search(api, browse)
    assert [h["id"] for h in again["hits"]] == [h["id"] for h in first["hits"]]
    words = "q=python&per_page=3"
    assert len((await search(api, words))["hits"]) == 3
    assert len((await search(api, "q=python"))["hits"]) == 20


@pytest.mark.parametrize(
    "query",
    [
        "q=javascript&price_min=1000&price_max=5000",
        "price_min=0&price_max=999",
        "q=python&price_min=1&price=paid",
        "category=development&price_max=0&level=beginner",
        "q=javascript&price=free&price_min=1000&price_max=5000",
    ],
)
async def test_free_and_paid_counts_are_what_clicking_them_finds(api: Client, query: str) -> None:
    """With a price range chosen, "Free (8)" and "Paid (77)" were counted without the range:
    clicking them found 0 and 45. Each count is now what its link finds, range and all."""
    shown = await search(api, query)
    counts = {f["value"]: f["count"] for f in shown["facets"]["price"]}
    kept = [(k, v) for k, v in parse_qsl(query) if k != "price"]
    for value in ("free", "paid"):
        clicked = await search(api, urlencode([*kept, ("price", value)]))
        assert counts[value] == clicked["total"], (value, counts)


@pytest.mark.parametrize(
    "query",
    [
        "q=python&price=free",
        "q=javascript&price=paid",
        "q=python",
        "q=python&price=free&price_min=100&price_max=900",
        "q=python&price_max=3000",
    ],
)
async def test_price_band_counts_are_what_clicking_them_finds(api: Client, query: str) -> None:
    """With Free chosen, "$1–$19.99 (15)" was counted without it, and its link (Free kept,
    the band's range added) found 0."""
    shown = await search(api, query)
    bands = [f for f in shown["facets"]["price"] if f["value"] not in ("free", "paid")]
    assert bands
    for band in bands:
        # The band's parameters replace a range chosen before (an open bound is blank).
        clicked = await search(api, urlencode({**dict(parse_qsl(query)), **band["params"]}))
        assert band["count"] == clicked["total"], (band["value"], band["count"])


async def test_suggest_measures_the_text_as_search_does(api: Client) -> None:
    """60 words joined by two spaces (238 characters, 179 once runs count as one) were a
    search but a 400 for the suggestions of the same box."""
    text = "  ".join(["go"] * 60)
    assert (await api.get("/api/v1/search", params={"q": text})).status_code == 200
    assert (await api.get("/api/v1/suggest", params={"q": text})).status_code == 200
    too_long = "x" * 201
    for path in ("/api/v1/search", "/api/v1/suggest"):
        assert (await api.get(path, params={"q": too_long})).status_code == 400, path
