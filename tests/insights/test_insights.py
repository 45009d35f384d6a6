"""Search insights: query ids, events, attribution through the cart, the admins' report and
page, popular searches, retention, judgments from clicks, and the admin command."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import async_sessionmaker

from search_service.accounts.admins import create_admin
from search_service.db import migrate
from search_service.db.connection import make_engine
from search_service.insights.ids import QueryIds
from search_service.insights.judgments import judgments_from_clicks
from search_service.insights.service import PopularSearches, forget_before, normalise_query
from search_service.lib.pricing import amount_display
from tests.support.apps import in_process_app
from tests.support.catalogs import Catalog
from tests.support.pages import submit
from tests.support.processes import skillspring
from tests.support.shoppers import PASSWORD, admin, auth, courses, student

Client = Any


async def insights(api: Client, who: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await api.get(
        "/api/v1/admin/search-insights", params={"limit": 500, **params}, headers=auth(who)
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def row(report: dict[str, Any], query: str) -> dict[str, Any] | None:
    return next((r for r in report["top_queries"] if r["query"] == query), None)


async def test_a_search_a_click_an_add_and_a_checkout_show_exactly(
    api: Client, db: asyncpg.Connection
) -> None:
    boss = await admin(db)
    before = await insights(api, boss)
    word = uuid.uuid4().hex[:8]
    typed = f"  Python   {word.upper()} "  # counted folded, spaces collapsed
    query = normalise_query(typed)
    assert query == f"python {word}"
    ids = []
    for page in (1, 1, 2):
        response = await api.get("/api/v1/search", params={"q": typed, "page": page})
        assert response.status_code == 200
        body = response.json()
        assert body["total"] > 0 and isinstance(body["query_id"], str)
        ids.append(body["query_id"])
        if page == 1:
            first = body
    assert len(set(ids)) == 3  # every search its own id
    nothing = f"zq{word}xv"
    empty = (await api.get("/api/v1/search", params={"q": nothing, "literal": "true"})).json()
    assert empty["total"] == 0
    hit = next(
        (
            h
            for h in first["hits"]
            if h["price"]["effective_cents"] > 0 and h["price"]["currency"] == "USD"
        ),
        None,
    )
    assert hit is not None
    position = first["hits"].index(hit) + 1
    click = {"type": "click", "query_id": ids[0], "course_id": hit["id"], "position": position}
    for _ in range(2):  # a link visit and its beacon: counted once
        response = await api.post("/api/v1/events", json=click)
        assert response.status_code == 202, response.text
    shopper = await student(db)
    added = await api.post(
        "/api/v1/cart/items",
        json={"course_id": hit["id"], "query_id": ids[0]},
        headers=auth(shopper),
    )
    assert added.status_code == 200, added.text
    bought = await api.post("/api/v1/cart/checkout", json={}, headers=auth(shopper))
    assert bought.status_code == 200, bought.text
    paid = bought.json()["total_cents"]
    assert paid > 0

    report = await insights(api, boss)
    assert report["searches"] - before["searches"] == 4
    assert row(report, query) == {
        "query": query,
        "searches": 3,
        "clients": 1,
        "clicks": 1,
        "ctr": round(1 / 3, 4),
        "add_to_carts": 1,
        "purchases": 1,
        "revenue_cents": paid,
        "revenue": [{"currency": "USD", "cents": paid, "display": amount_display(paid, "USD")}],
    }
    assert {"query": nothing, "searches": 1, "clients": 1} in report["zero_result_queries"]
    assert query not in [r["query"] for r in report["no_click_queries"]]
    assert any(p["position"] == position and p["clicks"] >= 1 for p in report["click_positions"])
    assert report["daily"][-1]["day"] == dt.datetime.now(dt.UTC).date().isoformat()
    assert 0 < report["zero_result_rate"] < 1 and 0 < report["click_through_rate"] < 1
    # Every day of the window, a day without searches at 0 (the chart of 30 days drew the
    # few that had some).
    days = [dt.date.fromisoformat(d["day"]) for d in report["daily"]]
    assert len(days) == report["days"] + 1 and days == sorted(days)
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))
    assert report["daily"][0]["searches"] == 0


async def test_bad_events_are_refused_and_nothing_is_stored(
    api: Client, db: asyncpg.Connection
) -> None:
    good = (await api.get("/api/v1/search", params={"q": "python"})).json()
    course = good["hits"][0]["id"]
    forged = ("A" * 35, good["query_id"][:-2] + ("AA" if good["query_id"][-2:] != "AA" else "BB"))
    cases = [
        ({"type": "click", "query_id": forged[0], "course_id": course}, 400),
        ({"type": "click", "query_id": forged[1], "course_id": course}, 400),
        ({"type": "purchase", "query_id": good["query_id"], "course_id": course}, 400),
        ({"type": "view", "query_id": good["query_id"], "course_id": course}, 400),
        ({"type": "click", "query_id": good["query_id"], "course_id": course, "position": 0}, 400),
        (
            {"type": "click", "query_id": good["query_id"], "course_id": course, "position": 1001},
            400,
        ),
        ({"type": "click", "query_id": good["query_id"], "course_id": "nope"}, 400),
        (
            {
                "type": "click",
                "query_id": good["query_id"],
                "course_id": str(uuid.uuid4()),
                "position": 1,
            },
            404,
        ),
        ({"type": "click", "query_id": good["query_id"]}, 400),
        # A click must name the course the search showed at that place; adds come from the
        # cart itself, never from an event.
        ({"type": "click", "query_id": good["query_id"], "course_id": course, "position": 2}, 400),
        ({"type": "add_to_cart", "query_id": good["query_id"], "course_id": course}, 400),
    ]
    stored = await db.fetchval("SELECT count(*) FROM search_events")
    for body, status in cases:
        response = await api.post("/api/v1/events", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    who = await student(db)
    response = await api.post(
        "/api/v1/cart/items",
        json={"course_id": course, "query_id": forged[1]},
        headers=auth(who),
    )
    assert (
        response.status_code == 400 and response.json()["invalid_params"][0]["name"] == "query_id"
    )
    await insights(api, await admin(db))  # flushes what this worker holds
    assert await db.fetchval("SELECT count(*) FROM search_events") == stored
    cart = (await api.get("/api/v1/cart", headers=auth(who))).json()
    assert cart["items"] == []


async def test_only_admins_read_insights(api: Client, db: asyncpg.Connection) -> None:
    assert (await api.get("/api/v1/admin/search-insights")).status_code == 401
    shopper = await student(db)
    response = await api.get("/api/v1/admin/search-insights", headers=auth(shopper))
    assert response.status_code == 403
    boss = await admin(db)
    for days in ("0", "3651", "x"):
        response = await api.get(
            "/api/v1/admin/search-insights", params={"days": days}, headers=auth(boss)
        )
        assert response.status_code == 400, days


async def test_query_ids_expire_and_cannot_be_forged() -> None:
    ids = QueryIds("secret", max_age_days=1)
    stored, token = ids.new()
    assert ids.check(token) == stored
    assert QueryIds("another secret", 1).check(token) is None
    assert ids.check(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert ids.check("") is None and ids.check("!" * 35) is None
    two_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).timestamp()
    _, aged = ids.new(at=two_days_ago)  # signed with the right secret, but too old
    assert ids.check(aged) is None


@pytest.fixture
async def sessions(shop: Catalog) -> AsyncIterator[async_sessionmaker[Any]]:
    engine = make_engine(shop.url, pool_size=2)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def _searches(
    db: asyncpg.Connection,
    query: str,
    count: int,
    total: int = 5,
    days_ago: float = 0,
    clients: int | None = None,
) -> list[uuid.UUID]:
    """``count`` searches of ``query`` by ``clients`` different clients (each its own by
    default), popular-shaped when they found something."""
    ids = [uuid.uuid4() for _ in range(count)]
    clients = count if clients is None else clients
    await db.executemany(
        "INSERT INTO search_queries (id, query, total, searched_at, client, popular) "
        "VALUES ($1, $2, $3, now() - make_interval(secs => $4), $5, $3 > 0)",
        [(i, query, total, days_ago * 86400, bytes([n % clients])) for n, i in enumerate(ids)],
    )
    return ids


async def test_retention_forgets_old_searches_and_events(
    db: asyncpg.Connection, sessions: async_sessionmaker[Any]
) -> None:
    word = uuid.uuid4().hex[:8]
    old = await _searches(db, f"old {word}", 2, days_ago=91)
    new = await _searches(db, f"new {word}", 2, days_ago=89)
    course = await db.fetchval("SELECT id FROM courses WHERE status = 'published' LIMIT 1")
    await db.execute(
        "INSERT INTO search_events (query_id, course_id, type, created_at) "
        "VALUES ($1, $2, 'click', now() - interval '91 days'), ($3, $2, 'click', now())",
        old[0],
        course,
        new[0],
    )
    await forget_before(sessions, 90)
    kept = await db.fetch("SELECT id FROM search_queries WHERE id = ANY($1)", old + new)
    assert {r["id"] for r in kept} == set(new)
    events = await db.fetch(
        "SELECT query_id FROM search_events WHERE query_id = ANY($1)", old + new
    )
    assert [r["query_id"] for r in events] == [new[0]]


async def test_popular_searches_need_enough_searches_that_found_something(
    db: asyncpg.Connection, sessions: async_sessionmaker[Any]
) -> None:
    word = uuid.uuid4().hex[:6]
    await _searches(db, f"{word} kubernetes", 5)
    await _searches(db, f"{word} planted", 4)
    await _searches(db, f"{word} nothing", 9, total=0)
    popular = PopularSearches(sessions)
    assert await popular.completing(word, 5) == [f"{word} kubernetes"]
    assert f"{word} kubernetes" in await popular.trending(500)
    assert await PopularSearches(sessions, enabled=False).completing(word, 5) == []


async def test_popular_searches_are_checked_a_few_at_a_read(
    db: asyncpg.Connection, sessions: async_sessionmaker[Any]
) -> None:
    """A read of the popular searches is part of a request: it checks at most
    CHECKS_PER_READ texts (the most asked first), remembers those held and, for a while,
    those not held (so they do not hold the others up), and asks again about the unchecked
    ones, and those search could not answer, at the next read."""
    from search_service.insights.service import CHECKS_PER_READ
    from search_service.lib.errors import SearchUnavailable

    word = uuid.uuid4().hex[:6]
    texts = [f"{word} topic {n:02d}" for n in range(CHECKS_PER_READ + 5)]
    for n, text in enumerate(texts):
        await _searches(db, text, 5 + n)  # more clients for later texts: asked first
    asked: list[str] = []
    down, refused = {texts[-1]}, {texts[-2]}

    async def held(text: str) -> bool:
        asked.append(text)
        if text in down:
            raise SearchUnavailable("the engine is restarting")
        return text not in refused

    popular = PopularSearches(sessions, held=held)
    first = [q for q, _ in await popular.top() if word in q]
    assert len(asked) == CHECKS_PER_READ and set(first) == set(asked) - down - refused
    assert texts[-3] in first  # the most asked were checked first
    popular.forget()
    down.clear()
    second = [q for q, _ in await popular.top() if word in q]
    # The 5 unchecked and the one search could not answer; not the one found not held.
    assert len(asked) == CHECKS_PER_READ + 6 and texts[-2] not in asked[CHECKS_PER_READ:]
    assert set(second) == set(texts) - refused


async def test_suggest_offers_popular_searches(api: Client, db: asyncpg.Connection) -> None:
    # The app's popular list is read at most once a minute; a first suggest loads it. Its
    # searches are of words courses hold (here a course's title).
    title = await db.fetchval(
        "SELECT lower(title) FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND title ~ '^[A-Za-z]+ [A-Za-z]+ [A-Za-z]+$' ORDER BY id LIMIT 1"
    )
    await _searches(db, title, 6)
    api.app.state.popular.forget()  # as if a minute had passed
    typed = title.split()[0]
    items = (await api.get("/api/v1/suggest", params={"q": typed})).json()["items"]
    url = "/search?q=" + title.replace(" ", "+")
    assert {"type": "query", "label": title, "url": url} in items
    assert f'<a href="{url}">{title}</a>' in (await api.get("/")).text
    # A filter typed in the words is a filter, not a word courses must hold ("free ...").
    free = await db.fetchval(
        "SELECT lower(title) FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND list_price_cents = 0 AND title ~ '^[A-Za-z]+ [A-Za-z]+$' ORDER BY id LIMIT 1"
    )
    await _searches(db, f"free {free}", 6)
    api.app.state.popular.forget()
    offered = (await api.get("/api/v1/suggest", params={"q": "free"})).json()["items"]
    assert f"free {free}" in [i["label"] for i in offered if i["type"] == "query"]
    # Words no course holds as typed are never suggested, however many searched them.
    word = uuid.uuid4().hex[:6]
    await _searches(db, f"{word} docker", 6)
    api.app.state.popular.forget()
    assert [i for i in (await api.get("/api/v1/suggest", params={"q": word})).json()["items"]] == []


@pytest.mark.system
async def test_judgments_from_clicks_correct_for_position(db: asyncpg.Connection) -> None:
    word = uuid.uuid4().hex[:6]
    query = f"{word} docker"
    ids = await _searches(db, query, 10)
    await _searches(db, f"{word} rare", 3)  # not a head query
    slugs = [
        r["slug"]
        for r in await db.fetch(
            "SELECT slug FROM courses WHERE status = 'published' ORDER BY slug LIMIT 4"
        )
    ]
    course = {
        r["slug"]: r["id"]
        for r in await db.fetch("SELECT slug, id FROM courses WHERE slug = ANY($1)", slugs)
    }
    rows = [(ids[i], course[slugs[0]], "click", 1) for i in range(4)]  # top place, often
    # Deep place, two clients: each counts 5^0.7 = 3.09.
    rows += [(ids[5], course[slugs[1]], "click", 5), (ids[9], course[slugs[1]], "click", 5)]
    # Top place, two clients, one of them after each of its six searches: it counts once.
    again = [uuid.uuid4() for _ in range(5)]
    await db.executemany(
        "INSERT INTO search_queries (id, query, total, client, popular) "
        "VALUES ($1, $2, 5, $3, true)",
        [(i, query, bytes([6])) for i in again],  # the client of ids[6]
    )
    rows += [(i, course[slugs[2]], "click", 1) for i in [ids[4], ids[6], *again]]
    rows += [(ids[7], course[slugs[3]], "purchase", None)]
    rows += [(ids[8], course[slugs[3]], "add_to_cart", None)]  # not shown by that search
    # The search of the purchase showed the course; the add's did not: only the first counts.
    await db.execute(
        "UPDATE search_queries SET shown = ARRAY[$2::uuid] WHERE id = $1", ids[7], course[slugs[3]]
    )
    await db.executemany(
        "INSERT INTO search_events (query_id, course_id, type, position) VALUES ($1, $2, $3, $4)",
        rows,
    )
    graded = {
        (q, slug): grade for q, slug, grade in await judgments_from_clicks(db, 30, 10) if word in q
    }
    assert graded == {
        (query, slugs[0]): 2,  # 4 / 15 searches = 0.27
        (query, slugs[1]): 3,  # 6.18 / 15 = 0.41: two clicks, where few look
        (query, slugs[2]): 2,  # 2 / 15 = 0.13 (with every click of the one client, 0.47: 3)
        # slugs[3]: one client's purchase grades nothing on its own
    }


def _cli(args: list[str], url: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return skillspring(*args, env={"SKILLSPRING_DATABASE_URL": url}, stdin=stdin)


@pytest.mark.system  # runs the CLI
async def test_create_admin_command_then_sign_in_like_everyone(
    api: Client, db: asyncpg.Connection, shop: Catalog, tmp_path: Path
) -> None:
    url = shop.url
    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    weak = _cli(["users", "create-admin", email], url, stdin="short\n")
    assert weak.returncode == 2 and "password" in weak.stderr
    row = _cli(["users", "create-admin", email], url, stdin="asdfghjkl;\n")
    assert row.returncode == 2 and "too easy to guess" in row.stderr
    not_text = subprocess.run(
        [sys.executable, "-m", "search_service.cli", "users", "create-admin", email],
        input=b"\xff\xfeStrongish-phrase-1\n",
        capture_output=True,
        env={**os.environ, "SKILLSPRING_DATABASE_URL": url},
        timeout=120,
        check=False,
    )
    said = not_text.stderr.decode()
    assert not_text.returncode == 2 and "not UTF-8" in said and "Traceback" not in said
    assert await db.fetchval("SELECT count(*) FROM users WHERE email = $1", email) == 0
    made = _cli(["users", "create-admin", email], url, stdin=PASSWORD + "\n")
    assert made.returncode == 0 and "created admin" in made.stdout, made.stderr
    assert PASSWORD not in made.stdout + made.stderr
    login = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    token = {"authorization": f"Bearer {login.json()['token']}"}
    assert (await api.get("/api/v1/admin/search-insights", headers=token)).status_code == 200
    # An existing student promoted: now an admin.
    again = _cli(["users", "create-admin", email.upper()], url, stdin=PASSWORD + "\n")
    assert again.returncode == 0 and "promoted admin" in again.stdout
    assert await db.fetchval("SELECT role::text FROM users WHERE email = $1", email) == "admin"
    # A deleted account was "promoted admin", and still could not sign in; a local part over
    # 64 characters (RFC 5321) was taken.
    gone = f"gone-{uuid.uuid4().hex[:8]}@example.com"
    await db.execute(
        "INSERT INTO users (email, role, status, deleted_at) "
        "VALUES ($1, 'student', 'active', now())",
        gone,
    )
    refused = _cli(["users", "create-admin", gone], url, stdin=PASSWORD + "\n")
    assert refused.returncode == 2 and "deleted account" in refused.stderr, refused.stdout
    assert await db.fetchval("SELECT role::text FROM users WHERE email = $1", gone) == "student"
    long_local = _cli(
        ["users", "create-admin", "a" * 65 + "@example.com"], url, stdin=PASSWORD + "\n"
    )
    assert long_local.returncode == 2 and "email" in long_local.stderr
    out = tmp_path / "clicks.csv"
    written = _cli(["relevance", "--judgments-from-clicks", str(out)], url)
    assert written.returncode == 0, written.stderr
    assert "judgments for" in written.stdout and str(out) in written.stdout
    assert out.read_text().splitlines()[0] == "query,docid,rating"


async def test_dashboard_page_for_admins_only(shop: Catalog, db: asyncpg.Connection) -> None:
    email = f"page-admin-{uuid.uuid4().hex[:8]}@example.com"
    await create_admin(db, email, PASSWORD)
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        anonymous = await client.get("/admin/search-insights")
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
        await client.get("/search", params={"q": "photoshop"})
        signed_in = await submit(client, "/login", "/login", email=email, password=PASSWORD)
        assert signed_in.status_code == 303
        page = await client.get("/admin/search-insights", params={"days": "7"})
        assert page.status_code == 200
        html = page.text
        assert "<svg" in html and 'id="top-queries"' in html and "photoshop" in html
        assert 'href="/search?q=photoshop"' in html
        bad = await client.get("/admin/search-insights", params={"days": "0"})
        assert bad.status_code == 400 and 'value="0"' in bad.text and "days-error" in bad.text
        by_clicks = await client.get("/admin/search-insights", params={"sort": "clicks"})
        assert 'aria-sort="descending"' in by_clicks.text
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        shopper = f"shopper-{uuid.uuid4().hex[:8]}@example.com"
        await db.execute(
            "INSERT INTO users (email, password_hash) VALUES ($1, $2)",
            shopper,
            await db.fetchval("SELECT password_hash FROM users WHERE email = $1", email),
        )
        await submit(client, "/login", "/login", email=shopper, password=PASSWORD)
        assert (await client.get("/admin/search-insights")).status_code == 403


async def test_an_add_of_a_course_the_search_never_showed_is_not_credited_to_it(
    api: Client, db: asyncpg.Connection
) -> None:
    # The add itself is a real one; only the credit is refused: the report counts adds and
    # purchases for a search whose page showed the course.
    boss = await admin(db)
    word = uuid.uuid4().hex[:8]
    typed = f"python {word}"
    found = (await api.get("/api/v1/search", params={"q": typed, "per_page": 3})).json()
    shown = [h["id"] for h in found["hits"]]
    other = await db.fetchval(
        "SELECT id::text FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND list_price_cents > 0 AND currency = 'USD' AND NOT (id::text = ANY($1)) LIMIT 1",
        shown,
    )
    shopper = await student(db)
    added = await api.post(
        "/api/v1/cart/items",
        json={"course_id": other, "query_id": found["query_id"]},
        headers=auth(shopper),
    )
    assert added.status_code == 200, added.text
    assert (
        await api.post("/api/v1/cart/checkout", json={}, headers=auth(shopper))
    ).status_code == 200
    counted = row(await insights(api, boss), typed)
    assert counted is not None and counted["searches"] == 1
    assert (counted["add_to_carts"], counted["purchases"], counted["revenue_cents"]) == (0, 0, 0)


async def test_revenue_adds_up_per_currency(
    shop: Catalog, api: Client, db: asyncpg.Connection
) -> None:
    # Two shoppers buy two courses one search showed, one priced in euros: the report gives
    # each currency its own sum, never cents of both added together.
    boss = await admin(db)
    typed = f"python {uuid.uuid4().hex[:8]}"
    found = (await api.get("/api/v1/search", params={"q": typed})).json()
    paid_hits = [h for h in found["hits"] if h["price"]["effective_cents"] > 0][:2]
    assert len(paid_hits) == 2
    await db.execute(
        "UPDATE courses SET currency = 'EUR' WHERE id = $1", uuid.UUID(paid_hits[1]["id"])
    )
    paid = []
    for hit in paid_hits:
        shopper = await student(db)
        added = await api.post(
            "/api/v1/cart/items",
            json={"course_id": hit["id"], "query_id": found["query_id"]},
            headers=auth(shopper),
        )
        assert added.status_code == 200, added.text
        bought = await api.post("/api/v1/cart/checkout", json={}, headers=auth(shopper))
        assert bought.status_code == 200, bought.text
        paid.append((bought.json()["currency"], bought.json()["total_cents"]))
    assert [c for c, _ in paid] == ["USD", "EUR"]
    counted = row(await insights(api, boss), normalise_query(typed))
    assert counted is not None and counted["purchases"] == 2
    assert counted["revenue_cents"] is None  # dollars and euros do not add up
    expected = sorted(
        ({"currency": c, "cents": n, "display": amount_display(n, c)} for c, n in paid),
        key=lambda r: (-r["cents"], r["currency"]),
    )
    assert counted["revenue"] == expected
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        await submit(client, "/login", "/login", email=boss["email"], password=PASSWORD)
        page = (await client.get("/admin/search-insights")).text
        cells = page[page.index(f">{normalise_query(typed)}<") :]
        cells = cells[: cells.index("</tr>")]
        assert all(r["display"] in cells for r in expected)  # "$84.99" and "€19.99", apart


async def test_purchases_recorded_before_currencies_take_their_course_s(
    shop: Catalog, db: asyncpg.Connection
) -> None:
    course = await db.fetchval(
        "SELECT id FROM courses WHERE status = 'published' AND deleted_at IS NULL LIMIT 1"
    )
    await db.execute("UPDATE courses SET currency = 'GBP' WHERE id = $1", course)
    await asyncio.to_thread(migrate.downgrade, shop.url, "0013_lecture_progress")
    await db.execute(
        "INSERT INTO search_events (query_id, course_id, type, revenue_cents) "
        "VALUES ($1, $2, 'purchase', 1999), ($1, $2, 'click', 0)",
        uuid.uuid4(),
        course,
    )
    await asyncio.to_thread(migrate.upgrade, shop.url)
    rows = await db.fetch("SELECT type, currency FROM search_events WHERE course_id = $1", course)
    assert sorted(map(tuple, rows)) == [("click", ""), ("purchase", "GBP")]
    # Named as the models name checks, so a later migration can drop it by that name.
    named = await db.fetchval(
        "SELECT count(*) FROM pg_constraint WHERE conname = $1",
        "ck_search_events_search_events_currency",
    )
    assert named == 1


async def test_a_click_reaching_another_worker_before_its_search_is_written_counts(
    shop: Catalog, db: asyncpg.Connection
) -> None:
    """Two workers: a search is held in one's memory for up to a second; a click on it that
    reaches the other one meanwhile was refused (400), so insights lost early clicks. It is
    taken and checked once the search is written; one the search did not show is dropped."""
    one = in_process_app(shop.url, shop.index)
    two = in_process_app(shop.url, shop.index)
    # In this loop (not a test client's thread), so the test can write each one's batch.
    async with (
        one.lifespan(),
        two.lifespan(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=one), base_url="http://a") as first,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=two), base_url="http://b") as second,
    ):
        found = (await first.get("/api/v1/search", params={"q": "python"})).json()
        query_id, hits = found["query_id"], found["hits"]
        click = {"type": "click", "query_id": query_id, "course_id": hits[0]["id"], "position": 1}
        wrong = {**click, "course_id": hits[1]["id"]}
        for body in (click, wrong):
            answer = await second.post("/api/v1/events", json=body)
            assert answer.status_code == 202, answer.text
        await two.state.recorder.flush()  # before the search is written: kept
        await one.state.recorder.flush()
        await two.state.recorder.flush()
        stored = await db.fetch(
            "SELECT course_id::text, position FROM search_events WHERE type = 'click' "
            "AND query_id = (SELECT id FROM search_queries ORDER BY searched_at DESC LIMIT 1)"
        )
        assert [(r["course_id"], r["position"]) for r in stored] == [(hits[0]["id"], 1)]


async def test_one_client_s_flood_of_searches_is_logged_only_so_far() -> None:
    """273 searches a second from one client grew the log by 30 GB a day: a client's searches
    are logged up to a number a minute (every one is answered, with its id); another
    client's still are, and the next minute's are again."""
    from search_service.insights.log import LOGGED_PER_CLIENT_MINUTE, SearchLog
    from search_service.insights.recorder import InsightsRecorder
    from search_service.search.request import SearchRequest

    recorder = InsightsRecorder(None, enabled=True)  # type: ignore[arg-type]  # not written
    now = [1_000.0]
    log = SearchLog(QueryIds("secret", 90), recorder, clock=lambda: now[0])
    asked = SearchRequest(q="python")
    for _ in range(LOGGED_PER_CLIENT_MINUTE + 15):
        assert await log.searched(asked, 5, client="198.51.100.1")
    assert len(recorder.searches) == LOGGED_PER_CLIENT_MINUTE
    await log.searched(asked, 5, client="198.51.100.2")
    assert len(recorder.searches) == LOGGED_PER_CLIENT_MINUTE + 1
    now[0] += 60
    await log.searched(asked, 5, client="198.51.100.1")
    assert len(recorder.searches) == LOGGED_PER_CLIENT_MINUTE + 2


def test_chart_labels_stay_inside_the_chart() -> None:
    """The rates chart's last day sits on its right edge: its label, centred there, was cut
    to "12-0"; a label at an edge is drawn inward."""
    import re as regex

    from search_service.insights.charts import WIDTH, bars, lines

    days = [f"2026-12-0{d}" for d in range(1, 8)]
    for svg in (lines("Rates", days, [("clicks", [0.1] * 7)]), bars("Searches", days, [3] * 7)):
        for x, anchor, text in regex.findall(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" font-size="11">(12-0\d)</text>', svg
        ):
            half = 16  # "12-07" at 11 px is about 32 px wide
            right = float(x) + {"middle": half, "end": 0, "start": 2 * half}[anchor]
            assert right <= WIDTH, (text, x, anchor)


async def test_queries_that_found_nothing_are_those_whose_words_found_nothing(
    api: Client, db: asyncpg.Connection
) -> None:
    """A search its filters left empty listed its words ("python") under "Queries that found
    nothing", though 60 courses have them: the list is of words nothing has."""
    boss = await admin(db)
    nothing = f"zq{uuid.uuid4().hex[:6]}xv"
    searched = [
        {"q": nothing, "literal": "true"},
        {"q": "python", "language": "it", "price": "free", "bestseller": "true", "rating_min": 4.5},
    ]
    for params in searched:
        assert (await api.get("/api/v1/search", params=params)).json()["total"] == 0
    listed = [r["query"] for r in (await insights(api, boss))["zero_result_queries"]]
    assert nothing in listed and "python" not in listed


async def test_the_insights_page_takes_days_typed_with_spaces(
    browser: Any, db: asyncpg.Connection
) -> None:
    """Days typed as " 30 " (a pasted number) were refused as not a whole number."""
    boss = await admin(db)
    browser.cookies.set("skillspring_session", boss["authorization"].removeprefix("Bearer "))
    page = await browser.get("/admin/search-insights", params={"days": " 30 "})
    assert page.status_code == 200 and "Days must be" not in page.text
    assert 'value="30"' in page.text
    wrong = await browser.get("/admin/search-insights", params={"days": "3 0"})
    assert wrong.status_code == 400 and "Days must be" in wrong.text


async def test_the_insights_page_sorts_every_query_not_the_first_hundred(
    browser: Any, db: asyncpg.Connection
) -> None:
    """Sorting the top queries by purchases re-sorted the 100 most searched: a query bought
    from but searched by fewer clients than 100 others was not in the table at all."""
    (course,) = await courses(db, 1)
    for n in range(105):
        for client in (b"a", b"b"):
            await db.execute(
                "INSERT INTO search_queries (id, query, total, client) VALUES ($1, $2, 3, $3)",
                uuid.uuid4(),
                f"common query {n}",
                client,
            )
    bought = uuid.uuid4()
    await db.execute(
        "INSERT INTO search_queries (id, query, total, client, shown) "
        "VALUES ($1, 'watercolor rarely', 3, 'c', ARRAY[$2::uuid])",
        bought,
        course["id"],
    )
    await db.execute(
        "INSERT INTO search_events (query_id, course_id, type, revenue_cents, currency) "
        "VALUES ($1, $2, 'purchase', 1099, 'USD')",
        bought,
        course["id"],
    )
    boss = await admin(db)
    browser.cookies.set("skillspring_session", boss["authorization"].removeprefix("Bearer "))
    by_clients = (await browser.get("/admin/search-insights")).text
    assert "watercolor rarely" not in by_clients  # the 100 most searched, as before
    for key in ("purchases", "revenue_cents"):
        page = await browser.get("/admin/search-insights", params={"sort": key, "order": "desc"})
        table = page.text.split('id="top-queries"', 1)[1]
        first_row = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
        assert "watercolor rarely" in first_row, key
