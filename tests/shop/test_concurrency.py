"""Writes under real concurrency: many simultaneous requests against ``skillspring serve``
(two workers) and real PostgreSQL. Counters stay exact, a cart is bought once, nothing is
stranded, and a flood of page views from one client is one view."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support.catalogs import Catalog
from tests.support.servers import Served, serve
from tests.support.shoppers import auth, courses, enroll, student

BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0"}


@pytest.fixture
def server(shop: Catalog, tmp_path: Path) -> Iterator[Served]:
    with serve(shop, tmp_path) as served:
        yield served


async def _review(client: httpx.AsyncClient, db: asyncpg.Connection) -> tuple[str, asyncpg.Record]:
    author = await student(db)
    (course,) = await courses(db, 1)
    await enroll(db, author, course["id"])
    created = await client.post(
        f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 4}, headers=auth(author)
    )
    assert created.status_code == 201, created.text
    return created.json()["id"], course


async def _buyers(db: asyncpg.Connection, course_id: uuid.UUID, count: int) -> list[dict[str, str]]:
    buyers = [await student(db) for _ in range(count)]
    for who in buyers:
        await enroll(db, who, course_id)
    return buyers


@pytest.mark.system
async def test_simultaneous_votes_and_reports_are_all_counted(
    server: Served, db: asyncpg.Connection
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        review_id, course = await _review(client, db)
        voters = await _buyers(db, course["id"], 21)
        votes = await asyncio.gather(
            *(
                client.put(
                    f"/api/v1/reviews/{review_id}/vote", json={"vote": "helpful"}, headers=auth(v)
                )
                for v in voters
            )
        )
        reports = await asyncio.gather(
            *(
                client.post(f"/api/v1/reviews/{review_id}/report", headers=auth(v))
                for v in voters[:20]
            )
        )
    assert [r.status_code for r in votes] == [200] * 21
    assert [r.status_code for r in reports] == [200] * 20
    row = await db.fetchrow(
        "SELECT helpful_count, reported_count FROM course_reviews WHERE id = $1",
        uuid.UUID(review_id),
    )
    assert (row["helpful_count"], row["reported_count"]) == (21, 20)


@pytest.mark.system
async def test_mentor_totals_stay_exact_under_simultaneous_reviews(
    server: Served, db: asyncpg.Connection
) -> None:
    mentor = await db.fetchval(
        "SELECT mentor_id FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "GROUP BY mentor_id HAVING count(*) >= 6 ORDER BY count(*) DESC LIMIT 1"
    )
    mentor_courses = await db.fetch(
        "SELECT id, slug FROM courses WHERE mentor_id = $1 AND status = 'published' "
        "AND deleted_at IS NULL ORDER BY id LIMIT 6",
        mentor,
    )
    authors = [await student(db) for _ in mentor_courses]
    for who, course in zip(authors, mentor_courses, strict=True):
        await enroll(db, who, course["id"])
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        created = await asyncio.gather(
            *(
                client.post(
                    f"/api/v1/courses/{course['slug']}/reviews",
                    json={"rating": 1 + i % 5},
                    headers=auth(who),
                )
                for i, (who, course) in enumerate(zip(authors, mentor_courses, strict=True))
            )
        )
    assert [r.status_code for r in created] == [201] * len(authors)
    totals = await db.fetchrow(
        "SELECT m.total_reviews, m.average_rating, "
        "(SELECT count(*) FROM course_reviews r JOIN courses c ON c.id = r.course_id "
        " WHERE c.mentor_id = m.user_id) AS reviews, "
        "(SELECT round(avg(r.rating), 2) FROM course_reviews r JOIN courses c "
        " ON c.id = r.course_id WHERE c.mentor_id = m.user_id) AS average "
        "FROM mentors m WHERE m.user_id = $1",
        mentor,
    )
    assert totals["total_reviews"] == totals["reviews"]
    assert totals["average_rating"] == totals["average"]


@pytest.mark.system
async def test_a_cart_is_bought_once_however_many_checkouts_race(
    server: Served, db: asyncpg.Connection
) -> None:
    who = await student(db)
    items = await courses(db, 2)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        for course in items:
            added = await client.post(
                "/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(who)
            )
            assert added.status_code == 200
        results = await asyncio.gather(
            *(client.post("/api/v1/cart/checkout", headers=auth(who)) for _ in range(10))
        )
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [409] * 9, [r.text for r in results if r.status_code != 200]
    assert all(
        r.headers["content-type"].startswith("application/problem+json")
        for r in results
        if r.status_code == 409
    )
    enrolled = await db.fetchval(
        "SELECT count(*) FROM enrollments WHERE student_id = $1", uuid.UUID(who["id"])
    )
    assert enrolled == len(items)


@pytest.mark.system
async def test_an_add_racing_a_checkout_is_bought_or_refused_never_stranded(
    server: Served, db: asyncpg.Connection
) -> None:
    who = await student(db)
    pool = await courses(db, 12)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        for first, second in zip(pool[::2], pool[1::2], strict=True):
            added = await client.post(
                "/api/v1/cart/items", json={"course_id": str(first["id"])}, headers=auth(who)
            )
            assert added.status_code == 200, added.text
            bought, racing = await asyncio.gather(
                client.post("/api/v1/cart/checkout", headers=auth(who)),
                client.post(
                    "/api/v1/cart/items", json={"course_id": str(second["id"])}, headers=auth(who)
                ),
            )
            assert bought.status_code == 200, bought.text
            assert racing.status_code in (200, 409), racing.text
            # Whatever won, start the next round from an empty cart.
            await client.delete(f"/api/v1/cart/items/{second['id']}", headers=auth(who))
    stranded = await db.fetchval(
        "SELECT count(*) FROM carts c JOIN cart_items i ON i.cart_id = c.id "
        "WHERE c.student_id = $1 AND c.status = 'converted' AND NOT EXISTS ("
        " SELECT 1 FROM enrollments e WHERE e.student_id = c.student_id "
        " AND e.course_id = i.course_id)",
        uuid.UUID(who["id"]),
    )
    assert stranded == 0


@pytest.mark.system
async def test_a_flood_of_views_from_one_client_is_one_view(
    shop: Catalog, tmp_path: Path, db: asyncpg.Connection
) -> None:
    (course,) = await courses(db, 1)
    query = (
        "SELECT coalesce(sum(views), 0) FROM course_metrics "
        "WHERE course_id = $1 AND date = (now() AT TIME ZONE 'utc')::date"
    )
    before = await db.fetchval(query, course["id"])
    with serve(shop, tmp_path) as served:
        async with httpx.AsyncClient(base_url=served.url, timeout=60, headers=BROWSER) as client:
            pages = await asyncio.gather(
                *(client.get(f"/courses/{course['slug']}") for _ in range(300))
            )
        assert {p.status_code for p in pages} == {200}
        assert served.stop() == 0  # the workers write what they counted as they stop
    assert await db.fetchval(query, course["id"]) == before + 1


@pytest.mark.system
async def test_simultaneous_deletes_of_one_thing_delete_it_once(
    server: Served, db: asyncpg.Connection
) -> None:
    """Two deletes that both passed the ownership check both answered 204 (the second
    deleted nothing); one is 204 now, the others 404, for a wishlist and for a review."""
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        shopper = await student(db)
        for n in range(4):
            made = await client.post(
                "/api/v1/wishlists", json={"name": f"Later {n}"}, headers=auth(shopper)
            )
            assert made.status_code == 201, made.text
            path = f"/api/v1/wishlists/{made.json()['id']}"
            answers = await asyncio.gather(
                *(client.delete(path, headers=auth(shopper)) for _ in range(12))
            )
            codes = sorted(a.status_code for a in answers)
            assert codes == [204] + [404] * 11, codes
        for course in await courses(db, 2):
            await enroll(db, shopper, course["id"])
            created = await client.post(
                f"/api/v1/courses/{course['slug']}/reviews",
                json={"rating": 4},
                headers=auth(shopper),
            )
            assert created.status_code == 201, created.text
            path = f"/api/v1/reviews/{created.json()['id']}"
            answers = await asyncio.gather(
                *(client.delete(path, headers=auth(shopper)) for _ in range(12))
            )
            codes = sorted(a.status_code for a in answers)
            assert codes == [204] + [404] * 11, codes
