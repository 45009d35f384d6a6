"""Merchandising rules (pin, hide, windows, category pages) and students-also-bought."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from search_service.merchandising.service import refresh_recommendations
from tests.support.catalogs import Catalog
from tests.support.shoppers import admin, auth, changed, co_buyers, student

Client = Any
QUERY = "python"


@pytest.fixture
async def boss(db: asyncpg.Connection, api: Client) -> AsyncIterator[dict[str, str]]:
    """An admin; every rule is deleted afterwards, so other tests see plain ranking."""
    who = await admin(db)
    yield who
    listed = (await api.get("/api/v1/admin/rules", headers=auth(who))).json()["rules"]
    for rule in listed:
        await api.delete(f"/api/v1/admin/rules/{rule['id']}", headers=auth(who))


async def search(api: Client, **params: Any) -> dict[str, Any]:
    response = await api.get("/api/v1/search", params={"per_page": 10, **params})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def slugs(body: dict[str, Any]) -> list[str]:
    return [h["slug"] for h in body["hits"]]


def level_counts(body: dict[str, Any]) -> dict[str, int]:
    return {v["value"]: v["count"] for v in body["facets"]["level"]}


async def test_pins_first_hides_and_counts(api: Client, db: asyncpg.Connection, boss: Any) -> None:
    before = await search(api, q=QUERY)
    elsewhere = await search(api, q="javascript")
    ranked = slugs(await search(api, q=QUERY, per_page=30))
    hidden, first, second = ranked[0], ranked[7], ranked[4]
    rule = {"query": f"  {QUERY.upper()} ", "pin": [first, second], "hide": [hidden]}
    made = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
    assert made.status_code == 201, made.text
    assert uuid.UUID(made.json()["id"])
    after = await search(api, q=QUERY)
    assert slugs(after)[:2] == [first, second]
    assert after["total"] == before["total"] - 1
    everything = slugs(await search(api, q=QUERY, per_page=100))
    assert hidden not in everything and len(everything) == len(set(everything))
    # The engine's own fields are no parameters: ?ids= (a search by ids meets no rule)
    # showed the hidden course, and ?with_hits=false emptied a page.
    hidden_id = next(h["id"] for h in before["hits"] if h["slug"] == hidden)
    for internal in ({"ids": hidden_id}, {"exclude_ids": first}, {"with_hits": "false"}):
        same = await search(api, q=QUERY, per_page=100, **internal)
        assert slugs(same) == everything, internal
    assert everything.count(first) == 1
    level = next(h["level"] for h in before["hits"] if h["slug"] == hidden)
    assert level_counts(after)[level] == level_counts(before).get(level, 0) - 1
    # Page 2 continues where page 1 stopped: no course twice, none lost.
    pages = slugs(await search(api, q=QUERY, page=1)) + slugs(await search(api, q=QUERY, page=2))
    assert pages == everything[:20]
    # An explicit sort is exact: the pins are ordinary results there (a $9.99 pin came
    # before the free courses under "Price: low to high"); the hidden course stays hidden.
    for order in ("newest", "price_asc"):
        plain = await search(api, q=QUERY, sort=order, per_page=100)
        assert [h["slug"] for h in plain["hits"]][:2] != [first, second], order
        assert hidden not in slugs(plain) and plain["total"] == after["total"], order
    cheapest = (await search(api, q=QUERY, sort="price_asc", per_page=100))["hits"]
    cents = [h["price"]["effective_cents"] for h in cheapest]
    assert cents == sorted(cents)
    # Other queries are left alone.
    again = await search(api, q="javascript")
    assert slugs(again) == slugs(elsewhere) and again["total"] == elsewhere["total"]
    # Deleting it restores the ranking.
    rule_id = made.json()["id"]
    gone = await api.delete(f"/api/v1/admin/rules/{rule_id}", headers=auth(boss))
    assert gone.status_code == 204
    assert slugs(await search(api, q=QUERY)) == slugs(before)
    assert (await search(api, q=QUERY))["total"] == before["total"]


async def test_a_rule_change_changes_the_answers_cache_validator(api: Client, boss: Any) -> None:
    """An anonymous answer's ETag covers the rules in force: a cache revalidating a search
    after a rule pinned or hid a course gets the new answer, not a 304 for the old one."""
    path = f"/api/v1/search?q={QUERY}"
    before = await api.get(path)
    tag = before.headers["etag"]
    shown = [h["slug"] for h in before.json()["hits"]]
    rule = {"query": QUERY, "hide": [shown[0]]}
    made = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
    assert made.status_code == 201, made.text
    revalidated = await api.get(path, headers={"if-none-match": tag})
    assert revalidated.status_code == 200 and revalidated.headers["etag"] != tag
    assert shown[0] not in [h["slug"] for h in revalidated.json()["hits"]]
    again = await api.get(path, headers={"if-none-match": revalidated.headers["etag"]})
    assert again.status_code == 304  # unchanged since: still a match
    gone = await api.delete(f"/api/v1/admin/rules/{made.json()['id']}", headers=auth(boss))
    assert gone.status_code == 204
    assert (await api.get(path, headers={"if-none-match": tag})).status_code == 304


async def test_a_pin_keeps_the_respelling_of_its_query(api: Client, boss: Any) -> None:
    """A rule on "python" answered the respelling's check without saying how many courses
    had the words: "phyton" then found nothing and "pyhton" lost "Showing results for"."""
    typo, misspelt = "phyton", "pyhton"
    before = {q: await search(api, q=q) for q in (typo, misspelt)}
    assert before[typo]["interpreted"]["spelling"] == QUERY, before[typo]["interpreted"]
    pin = slugs(await search(api, q=QUERY, per_page=20))[9]
    made = await api.post(
        "/api/v1/admin/rules", json={"query": QUERY, "pin": [pin]}, headers=auth(boss)
    )
    assert made.status_code == 201, made.text
    for q in (typo, misspelt):
        after = await search(api, q=q)
        assert after["interpreted"]["spelling"] == before[q]["interpreted"]["spelling"], q
        assert after["total"] >= before[q]["total"] > 0, q
    pinned = await search(api, q=QUERY)
    assert slugs(pinned)[0] == pin
    assert pinned["interpreted"]["relaxed_words"] == [] and not pinned["interpreted"]["by_meaning"]


async def test_a_rule_on_a_misspelling_leaves_its_respelling_searched(
    api: Client, boss: Any
) -> None:
    """A rule pinning a course for "phyton" answered the pin alone ("1 result"), under
    "Showing results for python"; the respelling, which found 63, was not searched."""
    before = await search(api, q="phyton")
    assert before["interpreted"]["spelling"] == QUERY and before["total"] > 1
    pin = slugs(await search(api, q=QUERY, per_page=20))[5]
    made = await api.post(
        "/api/v1/admin/rules", json={"query": "phyton", "pin": [pin]}, headers=auth(boss)
    )
    assert made.status_code == 201, made.text
    after = await search(api, q="phyton")
    assert after["interpreted"]["spelling"] == QUERY
    assert after["total"] == before["total"], (after["total"], before["total"])


async def test_pins_alone_are_not_said_to_be_found_by_meaning(api: Client, boss: Any) -> None:
    """With ``semantic_ratio=0``, a rule's pins for words no course has were introduced as
    "the courses closest to what it means"."""
    pins = slugs(await search(api, q=QUERY, per_page=2))
    made = await api.post(
        "/api/v1/admin/rules", json={"query": "website", "pin": pins}, headers=auth(boss)
    )
    assert made.status_code == 201, made.text
    lexical = await search(api, q="make a website", semantic_ratio=0)
    assert slugs(lexical) == pins and lexical["total"] == 2
    assert not lexical["interpreted"]["by_meaning"]
    hybrid = await search(api, q="make a website")
    assert hybrid["total"] > 2 and hybrid["interpreted"]["by_meaning"]


@pytest.mark.parametrize(
    ("query", "searched"),
    [("python in spanish", "python"), ("learn python", "python"), ("free", "no words")],
)
async def test_a_rule_on_words_never_searched_is_refused(
    api: Client, boss: Any, query: str, searched: str
) -> None:
    """A rule on "python in spanish" was saved and listed, and never applied: searches match
    rules with the words they search for ("python", in Spanish)."""
    pin = slugs(await search(api, q=QUERY))[0]
    rule = {"query": query, "pin": [pin]}
    made = await api.post("/api/v1/admin/rules", json=rule, headers=auth(boss))
    assert made.status_code == 400, made.text
    error = made.json()["invalid_params"][0]
    assert error["name"] == "query" and f"searched as “{searched}”" in error["reason"], error
    listed = (await api.get("/api/v1/admin/rules", headers=auth(boss))).json()["rules"]
    assert listed == []


async def test_pins_obey_the_shoppers_filters(api: Client, boss: Any) -> None:
    ranked = (await search(api, q=QUERY, per_page=40))["hits"]
    free = next((h for h in ranked if h["price"]["is_free"]), None)
    paid = next(h for h in ranked if not h["price"]["is_free"])
    pins = [paid["slug"]] + ([free["slug"]] if free else [])
    made = await api.post(
        "/api/v1/admin/rules", json={"query": QUERY, "pin": pins}, headers=auth(boss)
    )
    assert made.status_code == 201
    only_paid = await search(api, q=QUERY, price="paid")
    assert slugs(only_paid)[0] == paid["slug"]
    if free:
        assert free["slug"] not in slugs(await search(api, q=QUERY, price="paid", per_page=100))


async def test_windows_and_category_rules(api: Client, db: asyncpg.Connection, boss: Any) -> None:
    now = dt.datetime.now(dt.UTC)
    before = await search(api, q=QUERY)
    ranked = slugs(await search(api, q=QUERY, per_page=20))
    expired = {
        "query": QUERY,
        "pin": [ranked[9]],
        "starts_at": (now - dt.timedelta(days=3)).isoformat(),
        "ends_at": (now - dt.timedelta(days=1)).isoformat(),
    }
    assert (
        await api.post("/api/v1/admin/rules", json=expired, headers=auth(boss))
    ).status_code == 201
    assert slugs(await search(api, q=QUERY)) == slugs(before)
    future = {**expired, "starts_at": (now + dt.timedelta(days=1)).isoformat(), "ends_at": None}
    assert (
        await api.post("/api/v1/admin/rules", json=future, headers=auth(boss))
    ).status_code == 201
    assert slugs(await search(api, q=QUERY)) == slugs(before)
    overlapping = {**future, "starts_at": (now + dt.timedelta(days=2)).isoformat()}
    clash = await api.post("/api/v1/admin/rules", json=overlapping, headers=auth(boss))
    assert clash.status_code == 409
    category = await db.fetchval(
        "SELECT c.slug FROM categories c WHERE c.parent_id IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM course_categories cc JOIN courses k ON k.id = cc.course_id "
        "WHERE cc.category_id = c.id AND k.status = 'published') ORDER BY c.slug LIMIT 1"
    )
    browse = await search(api, category=category)
    last = slugs(await search(api, category=category, per_page=100))[-1]
    pinned = await api.post(
        "/api/v1/admin/rules", json={"category": category, "pin": [last]}, headers=auth(boss)
    )
    assert pinned.status_code == 201
    assert slugs(await search(api, category=category))[0] == last
    assert (await search(api, category=category))["total"] == browse["total"]


async def test_bad_rules_are_refused(api: Client, db: asyncpg.Connection, boss: Any) -> None:
    ranked = slugs(await search(api, q=QUERY))
    cases = [
        ({"pin": [ranked[0]]}, 400),
        ({"query": QUERY}, 400),  # pins and hides nothing: it would only hold the query
        ({"query": QUERY, "pin": [], "hide": []}, 400),
        ({"query": QUERY, "category": "web-development", "pin": [ranked[0]]}, 400),
        ({"query": QUERY, "pin": ["no-such-course-anywhere"]}, 400),
        ({"query": QUERY, "pin": [ranked[0]], "hide": [ranked[0]]}, 400),
        ({"query": QUERY, "pin": [ranked[0], ranked[0]]}, 400),
        ({"category": "no-such-category", "pin": [ranked[0]]}, 400),
        ({"query": QUERY, "pin": [ranked[0]], "extra": 1}, 400),
        ({"query": QUERY, "pin": [ranked[0]], "starts_at": "2026-12-24T00:00:00"}, 400),
        (
            {
                "query": QUERY,
                "pin": [ranked[0]],
                "starts_at": "2026-12-24T00:00:00Z",
                "ends_at": "2026-12-23T00:00:00Z",
            },
            400,
        ),
    ]
    count = await db.fetchval("SELECT count(*) FROM merchandising_rules")
    for body, status in cases:
        response = await api.post("/api/v1/admin/rules", json=body, headers=auth(boss))
        assert response.status_code == status, (body, response.text)
    assert await db.fetchval("SELECT count(*) FROM merchandising_rules") == count
    # A time out of range says which times are taken, beside the other mistakes.
    body = {"query": QUERY, "pin": ["no-such-course-anywhere"], "starts_at": "1900-01-01T00:00:00Z"}
    refused = await api.post("/api/v1/admin/rules", json=body, headers=auth(boss))
    wrong = {p["name"]: p for p in refused.json()["invalid_params"]}
    assert set(wrong) == {"starts_at", "pin"}, wrong
    assert wrong["starts_at"]["allowed"].startswith("a time in the years")
    shopper = await student(db)
    body = {"query": QUERY, "pin": [ranked[0]]}
    assert (
        await api.post("/api/v1/admin/rules", json=body, headers=auth(shopper))
    ).status_code == 403
    assert (await api.post("/api/v1/admin/rules", json=body)).status_code == 401
    assert (await api.get("/api/v1/admin/rules", headers=auth(shopper))).status_code == 403
    assert (
        await api.delete(f"/api/v1/admin/rules/{uuid.uuid4()}", headers=auth(boss))
    ).status_code == 404


async def test_also_bought_ranks_the_strongest_co_purchase(
    api: Client, db: asyncpg.Connection
) -> None:
    # Three of the least bought courses: the strength of a pair is its buyers over the
    # courses' own (cosine), so a seeded bestseller among them would rank by its popularity
    # rather than by the purchases made here (the seeded ids, and so any fixed pick, change
    # from one run to the next).
    rows = await db.fetch(
        "SELECT id, slug FROM courses c WHERE status = 'published' AND deleted_at IS NULL "
        "ORDER BY (SELECT count(*) FROM enrollments e WHERE e.course_id = c.id), "
        "md5(id::text || 'also') LIMIT 3"
    )
    a, b, c = rows[0], rows[1], rows[2]
    await co_buyers(db, [a["id"], b["id"]], 30)
    await co_buyers(db, [a["id"], c["id"]], 10)
    await refresh_recommendations(db)
    response = await api.get(f"/api/v1/courses/{a['slug']}/also-bought", params={"limit": 8})
    assert response.status_code == 200, response.text
    listed = [card["slug"] for card in response.json()["courses"]]
    assert listed.index(b["slug"]) < listed.index(c["slug"])
    assert a["slug"] not in listed
    # Not one the signed-in student owns.
    owner = await student(db)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        b["id"],
        uuid.UUID(owner["id"]),
    )
    mine = await api.get(f"/api/v1/courses/{a['slug']}/also-bought", headers=auth(owner))
    assert b["slug"] not in [card["slug"] for card in mine.json()["courses"]]
    # Only published courses.
    async with changed(db, c["id"], status="draft"):
        hidden = await api.get(f"/api/v1/courses/{a['slug']}/also-bought")
        assert c["slug"] not in [card["slug"] for card in hidden.json()["courses"]]
    assert (await api.get("/api/v1/courses/no-such-course/also-bought")).status_code == 404
    assert (
        await api.get(f"/api/v1/courses/{a['slug']}/also-bought", params={"limit": 0})
    ).status_code == 400
    page = await api.get(f"/courses/{a['slug']}")
    assert "Students also bought" in page.text


async def test_free_enrollments_never_make_students_also_bought(
    api: Client, db: asyncpg.Connection
) -> None:
    # Accounts that cost nothing, taking a student's free course and a free candidate, learned
    # whether the student had the candidate too: only purchases count.
    a, b = await db.fetch(
        "SELECT id, slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "ORDER BY md5(id::text || 'free') LIMIT 2"
    )
    await co_buyers(db, [a["id"], b["id"]], 40, price_cents=0)
    await refresh_recommendations(db)
    free = await api.get(f"/api/v1/courses/{a['slug']}/also-bought")
    assert b["slug"] not in [card["slug"] for card in free.json()["courses"]]
    await co_buyers(db, [a["id"], b["id"]], 5)
    await refresh_recommendations(db)
    paid = await api.get(f"/api/v1/courses/{a['slug']}/also-bought")
    assert b["slug"] in [card["slug"] for card in paid.json()["courses"]]


async def test_owned_courses_are_marked_and_moved_down_for_their_owner_only(
    api: Client, db: asyncpg.Connection
) -> None:
    anonymous = await search(api, q="python", per_page=8)
    top = anonymous["hits"][0]
    owner = await student(db)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        uuid.UUID(top["id"]),
        uuid.UUID(owner["id"]),
    )
    response = await api.get(
        "/api/v1/search", params={"q": "python", "per_page": 8}, headers=auth(owner)
    )
    mine = response.json()
    assert [h["slug"] for h in mine["hits"]][-1] == top["slug"]
    assert mine["hits"][-1]["owned"] is True
    assert not any(h["owned"] for h in mine["hits"][:-1])
    assert sorted(slugs(mine)) == sorted(slugs(anonymous)) and mine["total"] == anonymous["total"]
    assert slugs(await search(api, q="python", per_page=8)) == slugs(anonymous)
    other = await student(db)
    theirs = await api.get(
        "/api/v1/search", params={"q": "python", "per_page": 8}, headers=auth(other)
    )
    assert slugs(theirs.json()) == slugs(anonymous)
    assert not any(h["owned"] for h in theirs.json()["hits"])
    # Searching its title is going back to it: the course stays where the search put it.
    named = await api.get(
        "/api/v1/search", params={"q": top["title"].lower(), "per_page": 8}, headers=auth(owner)
    )
    by_title = await search(api, q=top["title"].lower(), per_page=8)
    assert by_title["hits"][0]["slug"] == top["slug"]
    assert named.json()["hits"][0]["slug"] == top["slug"] and named.json()["hits"][0]["owned"]


def test_the_lift_is_bounded_and_can_be_turned_off() -> None:
    from search_service.merchandising.personal import Personaliser, Profile

    ids = [f"c{i}" for i in range(8)]
    liked = Profile(owned=frozenset({"c0"}), liked=frozenset({"c6"}))
    on = Personaliser(None, enabled=True)  # type: ignore[arg-type]  # no database needed
    order = [ids[i] for i in on.order(ids, liked, fixed=0, lift=True)]
    assert order == ["c1", "c2", "c3", "c6", "c4", "c5", "c7", "c0"]  # two places, owned last
    assert [ids[i] for i in on.order(ids, liked, fixed=2, lift=True)][:2] == ["c0", "c1"]
    assert [ids[i] for i in on.order(ids, liked, fixed=0, lift=False)].index("c6") == 5
    off = Personaliser(None, enabled=False)  # type: ignore[arg-type]
    assert off.order(ids, liked, fixed=0, lift=True) == list(range(8))


async def test_home_shows_because_you_bought(db: asyncpg.Connection, shop: Catalog) -> None:
    from litestar.testing import AsyncTestClient

    from tests.support.apps import in_process_app
    from tests.support.pages import sign_up

    rows = await db.fetch(
        "SELECT id, slug, title FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "ORDER BY md5(id::text || 'home') LIMIT 2"
    )
    a, b = rows
    await co_buyers(db, [a["id"], b["id"]], 40)  # stronger than what the demo's buyers did
    await refresh_recommendations(db)
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        email = await sign_up(client)
        user_id = await db.fetchval("SELECT id FROM users WHERE email = $1", email)
        await db.execute(
            "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)", a["id"], user_id
        )
        home = (await client.get("/")).text
        assert "Because you bought" in home and f'href="/courses/{b["slug"]}"' in home


async def test_rules_page_for_admins(db: asyncpg.Connection, shop: Catalog) -> None:
    from litestar.testing import AsyncTestClient

    from search_service.accounts.admins import create_admin
    from tests.support.apps import in_process_app
    from tests.support.pages import submit
    from tests.support.shoppers import PASSWORD

    email = f"rules-{uuid.uuid4().hex[:8]}@example.com"
    await create_admin(db, email, PASSWORD)
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' ORDER BY slug LIMIT 1"
    )
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        assert (await client.get("/admin/rules")).status_code == 303  # log in first
        await submit(client, "/login", "/login", email=email, password=PASSWORD)
        assert (await client.get("/admin/rules")).status_code == 200
        word = uuid.uuid4().hex[:8]
        bad = await submit(
            client, "/admin/rules", "/admin/rules", query=word, pin="no-such-slug-here"
        )
        assert bad.status_code == 400
        assert 'id="pin-error"' in bad.text and 'value="no-such-slug-here"' in bad.text
        good = await submit(client, "/admin/rules", "/admin/rules", query=word, pin=slug)
        assert good.status_code == 303
        page = (await client.get("/admin/rules")).text
        assert f"query “{word}”" in page
        rule_id = await db.fetchval("SELECT id FROM merchandising_rules WHERE query = $1", word)
        editing = (await client.get("/admin/rules", params={"edit": str(rule_id)})).text
        assert f'name="rule_id" value="{rule_id}"' in editing and f'value="{slug}"' in editing
        renamed = await submit(
            client,
            "/admin/rules",
            "/admin/rules",
            rule_id=str(rule_id),
            query=word + " again",
            pin=slug,
        )
        assert renamed.status_code == 303
        assert (
            await db.fetchval("SELECT query FROM merchandising_rules WHERE id = $1", rule_id)
            == f"{word} again"
        )
        gone = await submit(client, "/admin/rules", "/admin/rules/delete", rule_id=str(rule_id))
        assert gone.status_code == 303
        assert (
            await db.fetchval("SELECT count(*) FROM merchandising_rules WHERE query = $1", word)
            == 0
        )


async def test_a_rule_can_be_edited(api: Client, boss: Any) -> None:
    ranked = slugs(await search(api, q=QUERY, per_page=12))
    made = await api.post(
        "/api/v1/admin/rules", json={"query": QUERY, "pin": [ranked[9]]}, headers=auth(boss)
    )
    rule_id = made.json()["id"]
    assert slugs(await search(api, q=QUERY))[0] == ranked[9]
    body = {"query": QUERY, "pin": [ranked[11]], "hide": [ranked[0]]}
    edited = await api.put(f"/api/v1/admin/rules/{rule_id}", json=body, headers=auth(boss))
    assert edited.status_code == 200, edited.text
    assert edited.json()["pin"] == [ranked[11]] and edited.json()["active"] is True
    after = slugs(await search(api, q=QUERY, per_page=20))
    assert after[0] == ranked[11] and ranked[0] not in after
    missing = await api.put(f"/api/v1/admin/rules/{uuid.uuid4()}", json=body, headers=auth(boss))
    assert missing.status_code == 404
    bad = await api.put(
        f"/api/v1/admin/rules/{rule_id}",
        json={**body, "pin": [ranked[0]], "hide": [ranked[0]]},
        headers=auth(boss),
    )
    assert bad.status_code == 400
    assert slugs(await search(api, q=QUERY, per_page=20)) == after  # unchanged


async def test_a_rule_beginning_or_ending_changes_the_cache_validator(
    shop: Catalog, db: asyncpg.Connection
) -> None:
    """A rule scheduled ahead changes what a search answers when it begins and again when it
    ends: the rules' part of the ETag changes at those moments, not only when a rule is
    written (the clock is the book's own, set here)."""
    from search_service.db.connection import make_engine
    from search_service.merchandising.rules import RuleBook
    from search_service.search.request import SearchRequest

    now = dt.datetime.now(dt.UTC)
    starts, ends = now + dt.timedelta(hours=1), now + dt.timedelta(hours=2)
    slug = await db.fetchval("SELECT slug FROM courses WHERE status = 'published' LIMIT 1")
    await db.execute(
        "INSERT INTO merchandising_rules (query, hide, starts_at, ends_at) "
        "VALUES ('watercolor', ARRAY[$1], $2, $3)",
        slug,
        starts,
        ends,
    )
    engine = make_engine(shop.url, pool_size=1)
    clock = [now]
    book = RuleBook(async_sessionmaker(engine), clock=lambda: clock[0])
    try:
        await book.reload()
        before = book.digest
        assert book.match(SearchRequest(q="watercolor")) is None
        clock[0] = starts + dt.timedelta(seconds=1)
        begun = book.digest
        assert begun != before and book.match(SearchRequest(q="watercolor")) is not None
        clock[0] = ends
        assert book.digest == before and book.match(SearchRequest(q="watercolor")) is None
    finally:
        await engine.dispose()


async def test_pins_reach_no_deeper_than_the_pages_do(tmp_path: Path) -> None:
    """With a course pinned, the 1,000 hits pages reach became 1,001: page 143 of 7 had 7
    hits (6 without a rule) and page 1,001 of 1 had one."""
    from search_service.merchandising.rules import ActiveRule, MerchandisedEngine, RuleBook
    from search_service.search.request import MAX_HITS, SearchRequest
    from search_service.search.tantivy.engine import TantivyEngine
    from tests.support.documents import titled

    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    courses = [titled(n, f"Guitar lesson {n}") for n in range(MAX_HITS + 10)]
    await engine.upsert(courses)
    book = RuleBook(cast("async_sessionmaker[Any]", None))  # rules given, none read
    book.use([ActiveRule("guitar", None, None, None, (courses[500].id,), ())])
    ruled = MerchandisedEngine(engine, book)
    try:
        first = await ruled.search(SearchRequest(q="guitar", per_page=7))
        assert first.hits[0].document.id == courses[500].id and first.total == MAX_HITS + 10
        last = await ruled.search(SearchRequest(q="guitar", per_page=7, page=143))
        assert len(last.hits) == MAX_HITS - 142 * 7
        beyond = await ruled.search(SearchRequest(q="guitar", per_page=1, page=MAX_HITS + 1))
        assert beyond.hits == [] and beyond.total == MAX_HITS + 10
    finally:
        await ruled.close()
