"""What anonymous traffic could poison, leak or exhaust (issue #32), replayed as it was found:
trending searches, forged events, co-purchases, blank text, times at the ends of the calendar,
unbounded rules, money without its currency, HEAD, CORS and cache validators."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from search_service.insights.ids import QueryIds
from search_service.merchandising.service import MIN_CO_BUYERS, refresh_recommendations
from search_service.settings import ServerSettings, Settings
from tests.support.apps import IN_PROCESS, in_process_app
from tests.support.catalogs import Catalog
from tests.support.pages import submit
from tests.support.shoppers import PASSWORD, admin, auth, changed, courses, enroll, student

Client = Any
SPAM = "python buy cheap pills at evil.example"


def _as_clients(app: Any) -> Any:
    """The app, each request from the address its ``x-test-client`` header names (what a
    trusted proxy's X-Forwarded-For does in production)."""

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            named = dict(scope["headers"]).get(b"x-test-client")
            if named:
                scope = {**scope, "client": (named.decode(), 0)}
        await app(scope, receive, send)

    return asgi


async def _searched(
    shop: Catalog,
    query: str,
    times: int,
    clients: int,
    address: str = "203.0.113.{}",
    headers: dict[str, str] | None = None,
    path: str = "/api/v1/search",
    settings: Settings = IN_PROCESS,
    method: str = "GET",
) -> None:
    """``query`` searched ``times`` times by ``clients`` different addresses (``address``
    with a number from 1), through HTTP (the API, or the search ``path`` given); the service
    then stops, which writes what it recorded."""
    app = in_process_app(shop.url, shop.index, settings)
    async with AsyncTestClient(app=_as_clients(app)) as client:
        for n in range(times):
            named = {"x-test-client": address.format(n % clients + 1)} | (headers or {})
            got = await client.request(method, path, params={"q": query}, headers=named)
            assert got.status_code == 200


async def _suggested(api: Client, typed: str) -> list[str]:
    api.app.state.popular.forget()  # as if the minute the list is kept had passed
    items = (await api.get("/api/v1/suggest", params={"q": typed})).json()["items"]
    return [i["label"] for i in items if i["type"] == "query"]


async def test_one_client_repeating_a_query_does_not_top_the_insights(
    api: Client, db: asyncpg.Connection, shop: Catalog
) -> None:
    # 150 scripted searches from one client topped the admins' report; three shoppers'
    # searches come first now, and the row says how many clients there were.
    forged, real = f"forged {uuid.uuid4().hex[:6]} python", f"kubernetes {uuid.uuid4().hex[:6]}"
    await _searched(shop, forged, 40, clients=1)
    await _searched(shop, real, 3, clients=3)
    boss = await admin(db)
    report = await api.get(
        "/api/v1/admin/search-insights", params={"limit": 500}, headers=auth(boss)
    )
    rows = {r["query"]: (n, r) for n, r in enumerate(report.json()["top_queries"])}
    assert rows[real][0] < rows[forged][0]
    assert (rows[forged][1]["searches"], rows[forged][1]["clients"]) == (40, 1)
    assert (rows[real][1]["searches"], rows[real][1]["clients"]) == (3, 3)
    # The same for the queries that found nothing.
    empty, found_nothing = f"zqx{uuid.uuid4().hex[:6]}vv", f"qqz{uuid.uuid4().hex[:6]}xx"
    await _searched(shop, empty, 30, clients=1)
    await _searched(shop, found_nothing, 2, clients=2)
    report = await api.get(
        "/api/v1/admin/search-insights", params={"limit": 500}, headers=auth(boss)
    )
    zero = [r["query"] for r in report.json()["zero_result_queries"]]
    assert zero.index(found_nothing) < zero.index(empty)


async def test_one_client_searching_47_times_makes_nothing_popular(
    api: Client, shop: Catalog
) -> None:
    await _searched(shop, SPAM, 47, clients=1)
    assert SPAM not in await _suggested(api, "pyth")
    assert "evil.example" not in (await api.get("/")).text


async def test_many_clients_make_a_search_popular_until_an_admin_hides_it(
    api: Client, browser: Client, shop: Catalog, db: asyncpg.Connection
) -> None:
    await _searched(shop, "docker", 6, clients=6)
    assert "docker" in await _suggested(api, "dock")
    assert 'href="/search?q=docker">docker</a>' in (await api.get("/")).text
    tag = (await api.get("/api/v1/suggest?q=dock")).headers["etag"]
    boss = await admin(db)
    signed_in = await submit(browser, "/login", "/login", email=boss["email"], password=PASSWORD)
    assert signed_in.status_code == 303
    hidden = await submit(
        browser,
        "/admin/search-insights",
        "/admin/search-insights/hide",
        query="docker",
        hidden="true",
    )
    assert hidden.status_code == 303, hidden.text
    assert "docker" not in await _suggested(api, "dock")
    assert 'href="/search?q=docker">docker</a>' not in (await api.get("/")).text
    # A cache revalidating the suggestions it kept gets them without the hidden search.
    revalidated = await api.get("/api/v1/suggest?q=dock", headers={"if-none-match": tag})
    assert revalidated.status_code == 200 and revalidated.headers["etag"] != tag


async def test_searches_a_page_loads_as_an_image_or_script_never_make_one_popular(
    api: Client, shop: Catalog
) -> None:
    """An <img src="…/search?q=…"> on any page made each visitor's browser a client of the
    popular count; what a page loads without being looked at (no-cors) counts for nothing."""
    no_cors = {
        "sec-fetch-mode": "no-cors",
        "sec-fetch-dest": "image",
        "sec-fetch-site": "cross-site",
    }
    await _searched(shop, "docker", 6, clients=6, headers=no_cors)
    assert "docker" not in await _suggested(api, "dock")
    # A link followed from another site is a shopper searching: it counts.
    followed = {
        "sec-fetch-mode": "navigate",
        "sec-fetch-dest": "document",
        "sec-fetch-site": "cross-site",
    }
    await _searched(shop, "docker", 6, clients=6, headers=followed)
    assert "docker" in await _suggested(api, "dock")


async def test_searches_another_site_sends_unseen_never_make_one_popular(
    api: Client, shop: Catalog
) -> None:
    """Another site's script could fetch our API from each of its visitors' browsers (the
    answer unreadable to it, but counted), or frame our search page (refused by
    frame-ancestors, but counted): either planted a popular search."""
    fetched = {"sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-fetch-site": "cross-site"}
    evil = fetched | {"origin": "https://evil.example"}
    await _searched(shop, "docker", 6, clients=6, headers=evil)
    framed = {
        "sec-fetch-mode": "navigate",
        "sec-fetch-dest": "iframe",
        "sec-fetch-site": "cross-site",
    }
    await _searched(shop, "docker", 6, clients=6, headers=framed, path="/search")
    assert "docker" not in await _suggested(api, "dock")
    # A frontend the operator allows (SKILLSPRING_CORS_ORIGINS) reads its answers: it counts.
    ours = msgspec.structs.replace(IN_PROCESS.server, cors_origins="https://shop.example")
    allowed = msgspec.structs.replace(IN_PROCESS, server=ours)
    front = fetched | {"origin": "https://shop.example"}
    await _searched(shop, "docker", 6, clients=6, headers=front, settings=allowed)
    assert "docker" in await _suggested(api, "dock")


async def test_head_requests_are_no_searches(
    api: Client, db: asyncpg.Connection, shop: Catalog
) -> None:
    """A monitor or link checker asking with HEAD reads no answer: its requests counted as
    searches (and towards popular ones) in the insights."""
    await _searched(shop, "docker", 6, clients=6, method="HEAD")
    await _searched(shop, "docker", 6, clients=6, method="HEAD", path="/search")
    assert await db.fetchval("SELECT count(*) FROM search_queries WHERE query = 'docker'") == 0
    assert "docker" not in await _suggested(api, "dock")
    await _searched(shop, "docker", 1, clients=1)
    assert await db.fetchval("SELECT count(*) FROM search_queries WHERE query = 'docker'") == 1


def test_one_address_is_one_client_for_a_month_not_a_day() -> None:
    """A client was the address per day, so one address searching on 5 days was 5 clients of
    the 30 days' popular count; any 30 days of one address are now at most 2 clients."""
    ids = QueryIds("secret", 90)
    day = 86_400.0
    start = 1_780_000_000.0
    for shift in range(0, 60, 7):
        month = {ids.client("198.51.100.7", at=start + (shift + d) * day) for d in range(30)}
        assert 1 <= len(month) <= 2, shift
    assert ids.client("198.51.100.7", at=start) != ids.client("198.51.100.8", at=start)


async def test_the_addresses_of_one_ipv6_network_are_one_client(api: Client, shop: Catalog) -> None:
    """A host is commonly given a whole /64: its addresses count as one client, while six
    networks' count as six."""
    await _searched(shop, "kubernetes", 12, clients=12, address="2001:db8:0:7::{}")
    assert "kubernetes" not in await _suggested(api, "kube")
    await _searched(shop, "terraform", 6, clients=6, address="2001:db8:0:{}::1")
    assert "terraform" in await _suggested(api, "terr")


@pytest.mark.parametrize(
    "query",
    ["javascript:alert(3)", '"><script>alert(1)</script> python', "python www.evil.example"],
)
async def test_link_and_markup_shaped_searches_are_never_popular(
    api: Client, shop: Catalog, query: str
) -> None:
    await _searched(shop, query, 8, clients=8)
    for typed in ("javascript", "python", "www"):
        shown = await _suggested(api, typed)
        assert all("evil" not in s and "<" not in s and ":" not in s for s in shown)


@pytest.mark.parametrize("query", ["machine.learning", "machine\u3002learning"])
async def test_an_address_of_any_ending_is_never_popular(
    api: Client, shop: Catalog, query: str
) -> None:
    # Words that match courses once split ("machine learning"), written as an address whose
    # ending no list of domains holds.
    await _searched(shop, query, 8, clients=8)
    shown = await _suggested(api, query[:4])
    assert query not in shown
    assert query not in (await api.get("/")).text


async def test_a_relaxed_remainder_does_not_count_towards_popular(
    api: Client, shop: Catalog
) -> None:
    """One real word finds courses once the rest is dropped: the full text did not match."""
    query = "python zqxwv plorbt"
    body = (await api.get("/api/v1/search", params={"q": query})).json()
    assert body["total"] > 0  # found through the one word
    await _searched(shop, query, 8, clients=8)
    assert query not in await _suggested(api, "python")


async def test_a_remainder_after_dropped_words_does_not_count_towards_popular(
    api: Client, shop: Catalog
) -> None:
    """A first word that matches nothing is dropped and the rest searched ("buy cheap pills"
    found "cheap"): every word of the remainder matched, not every word typed."""
    query = "zqxwv python"
    body = (await api.get("/api/v1/search", params={"q": query})).json()
    assert body["interpreted"]["dropped_words"] == ["zqxwv"] and body["total"] > 0
    await _searched(shop, query, 8, clients=8)
    assert query not in await _suggested(api, "zqx")


@pytest.mark.parametrize("query", ["python (.) data", "python \u2215\u2215 data", "data . python"])
async def test_an_address_spelled_out_is_never_popular(
    api: Client, shop: Catalog, query: str
) -> None:
    """Every word matches courses, but what stands between them is how an address is spelled
    past a list of patterns ("evil (.) com"): a popular search is made of words alone."""
    await _searched(shop, query, 8, clients=8)
    first = query.split()[0]
    assert query not in await _suggested(api, first)
    assert query not in (await api.get("/")).text


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("python 3.12", True),
        ("django 4.2.1", True),
        ("5.5.5.5", False),
        ("192.168.0.1 admin", False),
    ],
)
def test_an_address_in_numbers_is_no_version(query: str, shown: bool) -> None:
    """Versions are words of a search ("python 3.12"); four numbers with dots are an address
    ("5.5.5.5" was held by "Part 5" and suggested)."""
    from search_service.insights.service import suggestable

    assert suggestable(query) is shown


@pytest.mark.parametrize("query", ["binance", "pyth\u043en"])
async def test_a_search_matched_only_through_typos_is_never_popular(
    api: Client, shop: Catalog, query: str
) -> None:
    """Every word matched, with no respelling offered, but not as typed: by a typo ("binance"
    is "finance") or through a look-alike letter (a Cyrillic о)."""
    body = (await api.get("/api/v1/search", params={"q": query})).json()
    assert body["total"] > 0 and not body["interpreted"]["relaxed_words"]
    assert body["interpreted"]["spelling"] is None and not body["interpreted"]["by_meaning"]
    await _searched(shop, query, 8, clients=8)
    assert query not in await _suggested(api, query[:3])
    assert query not in (await api.get("/")).text


async def test_a_click_for_a_course_the_search_never_showed_is_refused(
    api: Client, db: asyncpg.Connection
) -> None:
    found = (await api.get("/api/v1/search", params={"q": "excel formulas"})).json()
    shown = {h["id"] for h in found["hits"]}
    other = await db.fetchval(
        "SELECT id::text FROM courses WHERE status = 'published' AND NOT (id::text = ANY($1)) "
        "LIMIT 1",
        list(shown),
    )
    forged = {"type": "click", "query_id": found["query_id"], "course_id": other, "position": 1000}
    assert (await api.post("/api/v1/events", json=forged)).status_code == 400
    wrong_place = {**forged, "course_id": found["hits"][0]["id"], "position": 7}
    assert (await api.post("/api/v1/events", json=wrong_place)).status_code == 400
    adds = {**forged, "type": "add_to_cart", "course_id": found["hits"][0]["id"], "position": 1}
    assert (await api.post("/api/v1/events", json=adds)).status_code == 400
    right = {**forged, "course_id": found["hits"][0]["id"], "position": 1}
    assert (await api.post("/api/v1/events", json=right)).status_code in (200, 201, 202, 204)


async def test_students_also_bought_does_not_depend_on_the_victim(
    api: Client, db: asyncpg.Connection
) -> None:
    """The attack: knowing a victim bought A, buy A and X and ask whether X is 'also bought'.
    With fewer than MIN_CO_BUYERS other buyers, the answer is the same with or without the
    victim's purchase of X."""
    a, x = await courses(db, 2, fresh=True)
    victim, attacker = await student(db), await student(db)
    for buyer in (victim, attacker):
        await enroll(db, buyer, a["id"])
    await enroll(db, attacker, x["id"])
    others = [await student(db) for _ in range(MIN_CO_BUYERS - 2)]
    for buyer in others:
        await enroll(db, buyer, a["id"])
        await enroll(db, buyer, x["id"])

    async def answer() -> list[str]:
        await refresh_recommendations(db)
        got = await api.get(f"/api/v1/courses/{a['slug']}/also-bought", headers=auth(attacker))
        return [c["slug"] for c in got.json()["courses"]]

    without = await answer()
    await enroll(db, victim, x["id"])
    assert await answer() == without
    assert x["slug"] not in without


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        ("questions", "question", {"question": " " * 12}),
        ("questions", "question", {"question": "\u200b" * 30}),
        ("questions", "question", {"question": "How do I \u202estart this course?"}),
        ("questions", "question", {"question": "\u202eHow do I start this course?"}),
        ("reviews", "body", {"rating": 4, "body": "A clear and useful course.\u202e"}),
        ("reviews", "body", {"rating": 4, "body": " " * 25}),
        ("reviews", "body", {"rating": 4, "body": "\u3000\u00a0\t" * 10}),
        ("reviews", "body", {"rating": 4, "body": "\u3164" * 30}),  # Hangul filler
        ("questions", "question", {"question": "\u2800" * 30}),  # blank Braille
        ("questions", "question", {"question": "\uffa0\u115f" * 15}),
    ],
)
async def test_blank_invisible_and_bidi_text_is_a_400_naming_the_field(
    api: Client, db: asyncpg.Connection, path: str, field: str, body: dict[str, Any]
) -> None:
    course = (await courses(db, 1, fresh=True))[0]
    buyer = await student(db)
    await enroll(db, buyer, course["id"])
    before = await db.fetchval("SELECT count(*) FROM course_reviews") + await db.fetchval(
        "SELECT count(*) FROM course_questions"
    )
    got = await api.post(f"/api/v1/courses/{course['slug']}/{path}", json=body, headers=auth(buyer))
    assert got.status_code == 400, got.text
    assert got.headers["content-type"].startswith("application/problem+json")
    assert field in got.text
    after = await db.fetchval("SELECT count(*) FROM course_reviews") + await db.fetchval(
        "SELECT count(*) FROM course_questions"
    )
    assert after == before


@pytest.mark.parametrize(
    ("field", "when"),
    [("starts_at", "0001-01-01T00:00:00+14:00"), ("ends_at", "9999-12-31T23:59:59-14:00")],
)
async def test_rule_times_at_the_ends_of_the_calendar_are_a_400(
    api: Client, db: asyncpg.Connection, field: str, when: str
) -> None:
    boss = await admin(db)
    rule = {"query": f"edge {uuid.uuid4().hex[:6]}", field: when}
    got = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
    assert got.status_code == 400, got.text
    assert field in got.text


async def test_rules_are_paged(api: Client, db: asyncpg.Connection) -> None:
    boss = await admin(db)
    word = uuid.uuid4().hex[:6]
    (course,) = await courses(db, 1)  # a rule pins or hides at least one course
    for n in range(3):
        rule = {"query": f"{word} {n}", "pin": [course["slug"]]}
        made = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
        assert made.status_code == 201, made.text
    first = (
        await api.get("/api/v1/admin/rules", params={"per_page": 2}, headers=auth(boss))
    ).json()
    assert len(first["rules"]) == 2 and first["total"] >= 3
    second = await api.get(
        "/api/v1/admin/rules", params={"per_page": 2, "page": 2}, headers=auth(boss)
    )
    assert {r["id"] for r in second.json()["rules"]}.isdisjoint({r["id"] for r in first["rules"]})
    for rule in first["rules"] + second.json()["rules"]:
        await api.delete(f"/api/v1/admin/rules/{rule['id']}", headers=auth(boss))


async def test_checkout_compares_currency_not_only_cents(
    api: Client, db: asyncpg.Connection
) -> None:
    course = (await courses(db, 1, fresh=True))[0]
    buyer = await student(db)
    added = await api.post(
        "/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(buyer)
    )
    assert added.status_code in (200, 201), added.text
    cart = added.json()
    async with changed(db, course["id"], currency="GBP"):
        got = await api.post(
            "/api/v1/cart/checkout",
            json={"expected_total_cents": cart["total_cents"], "expected_currency": "USD"},
            headers=auth(buyer),
        )
        assert got.status_code == 409, got.text
        owned = await db.fetchval(
            "SELECT count(*) FROM enrollments WHERE student_id = $1", uuid.UUID(buyer["id"])
        )
        assert owned == 0


@pytest.mark.parametrize("path", ["/", "/health", "/search?q=python", "/api/v1/search?q=python"])
async def test_head_is_answered_wherever_get_is(api: Client, path: str) -> None:
    got, head = await api.get(path), await api.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


async def test_head_of_database_pages_leaves_no_connection_in_a_transaction(
    api: Client, db: asyncpg.Connection
) -> None:
    # Each HEAD of a course used to keep its session open, its pooled connection idle in a
    # transaction: after the pool's 20 the site's database pages waited and failed.
    slug = (await courses(db, 1))[0]["slug"]
    for path in (f"/api/v1/courses/{slug}", f"/courses/{slug}", f"/api/v1/courses/{slug}/reviews"):
        for _ in range(25):
            assert (await api.head(path)).status_code == 200
    held = await db.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state = 'idle in transaction'"
    )
    assert held == 0
    assert (await api.get(f"/api/v1/courses/{slug}")).status_code == 200


async def test_the_api_answers_cors_preflights_from_configured_origins_only(
    shop: Catalog,
) -> None:
    settings = Settings(
        limits=IN_PROCESS.limits, server=ServerSettings(cors_origins="https://shop.example")
    )
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index, settings)) as client:
        asked = {"origin": "https://shop.example", "access-control-request-method": "GET"}
        pre = await client.options("/api/v1/search", headers=asked)
        assert pre.status_code in (200, 204)
        assert pre.headers["access-control-allow-origin"] == "https://shop.example"
        assert "access-control-max-age" in pre.headers
        other = await client.options(
            "/api/v1/search", headers={**asked, "origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
        # Refused as every request is: a problem document, and varying with the origin.
        assert other.status_code == 400
        assert other.headers["content-type"] == "application/problem+json"
        assert other.json()["status"] == 400 and "origin" in other.json()["detail"]
        assert "Origin" in ", ".join(other.headers.get_list("vary"))
        assert pre.headers.get_list("vary") == ["Origin"]
        page = await client.get("/", headers={"origin": "https://shop.example"})
        assert "access-control-allow-origin" not in page.headers  # the API router only
        # Wishlists are renamed with PATCH: the preflight allows every method the API uses.
        patch = await client.options(
            f"/api/v1/wishlists/{uuid.uuid4()}",
            headers={**asked, "access-control-request-method": "PATCH"},
        )
        assert "PATCH" in patch.headers["access-control-allow-methods"]
        # Every API answer varies with the origin, so no shared cache hands the storefront
        # the copy made for a request without it (same ETag, no allow-origin header).
        for origin in ({}, {"origin": "https://evil.example"}, {"origin": "https://shop.example"}):
            answer = await client.get("/api/v1/search?q=python", headers=origin)
            assert "Origin" in ", ".join(answer.headers.get_list("vary")), origin
        # Only the API's own paths: /api/v10 is not under /api/v1.
        beside = await client.get("/api/v10/x", headers={"origin": "https://shop.example"})
        assert "access-control-allow-origin" not in beside.headers


async def test_anonymous_answers_carry_an_etag_and_a_match_is_a_304(api: Client) -> None:
    for path in ("/api/v1/search?q=python", "/api/v1/suggest?q=pyt", "/api/v1/categories"):
        first = await api.get(path)
        assert first.status_code == 200
        assert "max-age" in first.headers["cache-control"]
        tag = first.headers["etag"]
        varies = [v.strip().lower() for h in first.headers.get_list("vary") for v in h.split(",")]
        assert "authorization" in varies and len(varies) == len(set(varies)), varies
        again = await api.get(path, headers={"if-none-match": tag})
        assert again.status_code == 304 and again.content == b""
        other = await api.get(path, headers={"if-none-match": '"something-else"'})
        assert other.status_code == 200
        # Weak: gzip and identity answers carry one tag (RFC 9110 8.8.1), and If-None-Match
        # compares weakly, a W/ prefix or none.
        assert tag.startswith('W/"'), tag
        strong = tag.removeprefix("W/")
        for asked in (strong, f'"x", {tag}'):
            assert (await api.get(path, headers={"if-none-match": asked})).status_code == 304


async def test_a_renamed_category_changes_the_tag(api: Client, db: asyncpg.Connection) -> None:
    """The tag was of the index and the request alone, while answers showed category names
    kept for a minute: after a rename, an answer with the new name came under the tag of
    one with the old, and a cache holding the old one was told it still held."""
    paths = ("/api/v1/search?q=python", "/api/v1/suggest?q=progr", "/api/v1/categories")
    before = {path: (await api.get(path)) for path in paths}
    slug = "programming-languages"
    assert "Programming Languages" in before["/api/v1/categories"].text
    await db.execute("UPDATE categories SET name = 'Coding Languages' WHERE slug = $1", slug)
    api.app.state.directory.forget()  # as if the seconds the tree is kept had passed
    for path, old in before.items():
        again = await api.get(path, headers={"if-none-match": old.headers["etag"]})
        assert again.status_code == 200, path
        assert again.headers["etag"] != old.headers["etag"], path
    assert "Coding Languages" in (await api.get("/api/v1/categories")).text


async def test_archived_courses_refuse_every_write_alike(
    api: Client, db: asyncpg.Connection
) -> None:
    course = (await courses(db, 1, fresh=True))[0]
    buyer = await student(db)
    await enroll(db, buyer, course["id"])
    wrote = await api.post(
        f"/api/v1/courses/{course['slug']}/reviews",
        json={"rating": 5, "body": "Clear and practical, with good projects throughout."},
        headers=auth(buyer),
    )
    assert wrote.status_code == 201, wrote.text
    review = wrote.json()["id"]
    archived = dt.datetime.now(dt.UTC)
    async with changed(db, course["id"], status="archived", deleted_at=archived):
        slug = course["slug"]
        attempts = [
            ("post", f"/api/v1/courses/{slug}/questions", {"question": "Is there a certificate?"}),
            ("put", f"/api/v1/reviews/{review}", {"rating": 2, "body": "Changed my mind, sadly."}),
            (
                "post",
                f"/api/v1/courses/{slug}/reviews",
                {"rating": 3, "body": "Another one with enough words."},
            ),
        ]
        for method, path, body in attempts:
            got = await getattr(api, method)(path, json=body, headers=auth(buyer))
            assert got.status_code == 404, (path, got.status_code, got.text)


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/suggest", "/search"])
async def test_a_nul_in_a_search_is_read_as_a_space(
    api: Client, shop: Catalog, db: asyncpg.Connection, path: str
) -> None:
    got = await api.get(path, params={"q": "kubernetes\x00 \x1bdocker"})
    assert got.status_code == 200, got.text
    if path == "/api/v1/search":
        assert got.json()["query"] == "kubernetes docker"
    # and the search log writes it (a NUL in a row used to stop every later write)
    word = uuid.uuid4().hex[:8]
    await _searched(shop, f"{word}\x00kubernetes", 1, clients=1)
    logged = await db.fetchval("SELECT query FROM search_queries WHERE query LIKE $1", f"{word}%")
    assert logged == f"{word} kubernetes"


async def test_a_nul_in_an_admins_query_is_a_400(api: Client, db: asyncpg.Connection) -> None:
    boss = await admin(db)
    rule = {"query": "nul\x00x", "pin": [(await courses(db, 1))[0]["slug"]]}
    got = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
    assert got.status_code == 400 and "query" in got.text
    assert (
        await db.fetchval("SELECT count(*) FROM merchandising_rules WHERE query LIKE 'nul%'") == 0
    )


async def test_rows_postgresql_refuses_do_not_hold_back_the_search_log(
    shop: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    # Defence in depth: a row that slipped past validation is dropped, once and said, and
    # the rows after it are written (it used to be retried for ever, blocking every flush).
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from search_service.db.connection import make_engine
    from search_service.insights.recorder import InsightsRecorder

    engine = make_engine(shop.url)
    recorder = InsightsRecorder(async_sessionmaker(engine), enabled=True)

    def row(query: str) -> tuple[object, ...]:
        return (uuid.uuid4(), dt.datetime.now(dt.UTC), query, 3, 1, False, b"", False, [], 1)

    try:
        recorder.searches.append(row("bad\x00row"))
        assert await recorder.flush() == 0
        assert "PostgreSQL refused" in caplog.text
        recorder.searches.append(row("good row"))
        assert await recorder.flush() == 1
    finally:
        await engine.dispose()


@pytest.mark.parametrize("name", ["   ", "\u3000\u00a0", "\u200b\u200b", "\u3164\u3164"])
async def test_a_blank_first_name_is_a_400_and_nothing_is_stored(
    api: Client, db: asyncpg.Connection, name: str
) -> None:
    email = f"blank-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": name}
    got = await api.post("/api/v1/auth/register", json=body)
    assert got.status_code == 400 and "first_name" in got.text, got.text
    assert await db.fetchval("SELECT count(*) FROM users WHERE email = $1", email) == 0


async def test_the_sign_up_page_says_a_blank_name_is_empty_in_words(
    browser: Client, db: asyncpg.Connection
) -> None:
    email = f"blank-{uuid.uuid4().hex[:8]}@example.com"
    fields = {"email": email, "password": PASSWORD, "first_name": "\u3164"}
    got = await submit(browser, "/register", "/register", **fields)
    assert got.status_code == 400
    assert "This is empty: it has no visible characters." in got.text
    assert "first_name is empty" not in got.text and f'value="{email}"' in got.text
    assert await db.fetchval("SELECT count(*) FROM users WHERE email = $1", email) == 0


async def test_a_blank_last_name_is_not_stored_blank(api: Client, db: asyncpg.Connection) -> None:
    email = f"blank-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": "Ada", "last_name": "   "}
    assert (await api.post("/api/v1/auth/register", json=body)).status_code == 201
    assert await db.fetchval("SELECT last_name FROM users WHERE email = $1", email) is None


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e", "\ufeff", "\u3164", "\u00ad"])
async def test_a_wishlist_name_of_invisible_characters_is_a_400(
    api: Client, db: asyncpg.Connection, name: str
) -> None:
    who = await student(db)
    got = await api.post("/api/v1/wishlists", json={"name": name}, headers=auth(who))
    assert got.status_code == 400 and "name" in got.text, got.text
    stored = "SELECT count(*) FROM wishlists WHERE student_id = $1 AND name <> 'Favorites'"
    assert await db.fetchval(stored, uuid.UUID(who["id"])) == 0


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("2001:db8:0:7::1", "2001:db8:0:7::/64"),
        ("2001:db8:0:7:ffff:ffff:ffff:ffff", "2001:db8:0:7::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("203.0.113.9", "203.0.113.9"),
        ("testclient", "testclient"),
    ],
)
def test_per_client_counts_count_an_ipv6_network_as_one_client(address: str, counted: str) -> None:
    from search_service.lib.web import network_of

    assert network_of(address) == counted
