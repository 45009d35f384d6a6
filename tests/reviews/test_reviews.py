"""Review writes: enrolled students only, one each, votes, reports, ratings kept right."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from indexer.reindex import reindex
from indexer.sync import sync_once
from search_service.db.connection import asyncpg_dsn
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine
from tests.support.catalogs import Catalog
from tests.support.shoppers import auth, courses, student

Client = Any
BODY = "Clear explanations and useful projects throughout."


async def enrolled(db: asyncpg.Connection) -> tuple[dict[str, str], asyncpg.Record]:
    who = await student(db)
    (course,) = await courses(db, 1)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(who["id"]),
    )
    return who, course


async def test_review_lifecycle_keeps_mentor_totals(api: Client, db: asyncpg.Connection) -> None:
    who, course = await enrolled(db)
    url = f"/api/v1/courses/{course['slug']}/reviews"
    created = await api.post(
        url, json={"rating": 5, "title": "Great", "body": BODY}, headers=auth(who)
    )
    assert created.status_code == 201, created.text
    review = created.json()
    assert review["is_verified"] and review["rating"] == 5

    async def mentor_matches_rows() -> bool:
        row = await db.fetchrow(
            "SELECT m.total_reviews, m.average_rating, s.n, s.avg FROM mentors m, LATERAL ("
            "SELECT count(r.id) n, round(avg(r.rating), 1) avg FROM courses c LEFT JOIN "
            "course_reviews r ON r.course_id = c.id WHERE c.mentor_id = m.user_id) s "
            "WHERE m.user_id = $1",
            course["mentor_id"],
        )
        return bool(row["total_reviews"] == row["n"] and row["average_rating"] == row["avg"])

    assert await mentor_matches_rows()
    again = await api.post(url, json={"rating": 4}, headers=auth(who))
    assert again.status_code == 409
    edited = await api.put(
        f"/api/v1/reviews/{review['id']}", json={"rating": 2, "body": BODY}, headers=auth(who)
    )
    assert edited.status_code == 200 and edited.json()["rating"] == 2
    assert await mentor_matches_rows()
    other = await student(db)
    assert (
        await api.put(f"/api/v1/reviews/{review['id']}", json={"rating": 1}, headers=auth(other))
    ).status_code == 404
    assert (
        await api.delete(f"/api/v1/reviews/{review['id']}", headers=auth(who))
    ).status_code == 204
    assert await mentor_matches_rows()


async def test_only_enrolled_students_review(api: Client, db: asyncpg.Connection) -> None:
    who = await student(db)
    (course,) = await courses(db, 1)
    before = await db.fetchval("SELECT count(*) FROM course_reviews")
    response = await api.post(
        f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 5}, headers=auth(who)
    )
    assert response.status_code == 403
    assert (
        await api.post(f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 5})
    ).status_code == 401
    assert await db.fetchval("SELECT count(*) FROM course_reviews") == before


async def test_review_limits_are_400(api: Client, db: asyncpg.Connection) -> None:
    who, course = await enrolled(db)
    url = f"/api/v1/courses/{course['slug']}/reviews"
    for body in (
        {"rating": 0},
        {"rating": 6},
        {"rating": 5, "title": "x" * 141},
        {"rating": 5, "body": "too short"},
        {"rating": 5, "stars": 5},
        # Long only in characters nobody sees: zero-width spaces, an object replacement
        # sign, a tower of combining marks.
        {"rating": 5, "body": "a" + "\u200b" * 19 + "b"},
        {"rating": 5, "body": "\ufffc" * 25},
        {"rating": 5, "body": "a" + "\u0336" * 4998 + "b"},
        {"rating": 5, "body": "Clear and useful" + "\u0301" * 8 + " projects throughout."},
        # Marks of any script, however they are written: a letter composed with its first
        # accent, halos, Arabic and Thai marks, a run split by zero-width joiners.
        {"rating": 5, "body": "Clear and usefule" + "\u0301\u0302\u0303\u0304\u0305 projects."},
        {"rating": 5, "body": "Clear and useful a" + "\u0489" * 12 + " projects throughout."},
        {"rating": 5, "body": "Clear and useful \u0628" + "\u0610" * 10 + " projects throughout."},
        {"rating": 5, "body": "Clear and useful \u0e01" + "\u0e49" * 10 + " projects throughout."},
        {"rating": 5, "body": "Clear and useful o" + "\u0301\u200d" * 6 + " projects throughout."},
        # An escape sequence's 8-bit form (U+009B is ESC "["), as its 7-bit one is refused.
        {"rating": 5, "body": "Clear and useful projects here.\u009b31m"},
    ):
        response = await api.post(url, json=body, headers=auth(who))
        assert response.status_code == 400, body
    assert (
        await db.fetchval(
            "SELECT count(*) FROM course_reviews WHERE student_id = $1", uuid.UUID(who["id"])
        )
        == 0
    )
    # A title the pattern refuses says what it allows, not the pattern itself.
    bidi = await api.post(url, json={"rating": 4, "title": "Great \u202ecourse"}, headers=auth(who))
    assert bidi.status_code == 400
    assert "regex" not in bidi.text and "one line" in bidi.json()["detail"], bidi.text
    # A title of spaces alone is no title, as on the page.
    blank = await api.post(url, json={"rating": 4, "title": "   "}, headers=auth(who))
    assert blank.status_code == 201 and blank.json()["title"] is None, blank.text


async def test_votes_and_reports(api: Client, db: asyncpg.Connection) -> None:
    author, course = await enrolled(db)
    review = (
        await api.post(
            f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 4}, headers=auth(author)
        )
    ).json()
    url = f"/api/v1/reviews/{review['id']}"
    own = await api.put(f"{url}/vote", json={"vote": "helpful"}, headers=auth(author))
    assert own.status_code == 403
    stranger = await student(db)
    refused = await api.put(f"{url}/vote", json={"vote": "helpful"}, headers=auth(stranger))
    assert refused.status_code == 403, "only buyers judge a course's reviews"
    assert (await api.post(f"{url}/report", headers=auth(stranger))).status_code == 403
    voter = await student(db)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(voter["id"]),
    )
    for vote, expected in (("helpful", 1), ("helpful", 1), ("not_helpful", 0)):
        response = await api.put(f"{url}/vote", json={"vote": vote}, headers=auth(voter))
        assert response.json()["helpful_count"] == expected
    for _ in range(2):
        assert (await api.post(f"{url}/report", headers=auth(voter))).status_code == 200
    assert (
        await db.fetchval(
            "SELECT reported_count FROM course_reviews WHERE id = $1", uuid.UUID(review["id"])
        )
        == 1
    )
    assert (
        await api.put(f"{url}/vote", json={"vote": "meh"}, headers=auth(voter))
    ).status_code == 400
    # A vote is taken back (twice changes nothing more); a stranger still may not.
    await api.put(f"{url}/vote", json={"vote": "helpful"}, headers=auth(voter))
    for _ in range(2):
        taken = await api.delete(f"{url}/vote", headers=auth(voter))
        assert taken.status_code == 200 and taken.json()["helpful_count"] == 0
    votes = "SELECT count(*) FROM review_helpful_votes WHERE review_id = $1"
    assert await db.fetchval(votes, uuid.UUID(review["id"])) == 0
    assert (await api.delete(f"{url}/vote", headers=auth(stranger))).status_code == 403


async def test_two_simultaneous_reviews_give_one(api: Client, db: asyncpg.Connection) -> None:
    who, course = await enrolled(db)
    url = f"/api/v1/courses/{course['slug']}/reviews"
    responses = await asyncio.gather(
        *(api.post(url, json={"rating": r}, headers=auth(who)) for r in (3, 5))
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert (
        await db.fetchval(
            "SELECT count(*) FROM course_reviews WHERE student_id = $1", uuid.UUID(who["id"])
        )
        == 1
    )


async def test_new_review_reaches_search_after_sync(
    api: Client, db: asyncpg.Connection, shop: Catalog, tmp_path: Path
) -> None:
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    await reindex(asyncpg_dsn(shop.url), engine)
    who, course = await enrolled(db)

    async def document() -> Any:
        result = await engine.search(SearchRequest(per_page=100, sort="newest", page=1))
        pages = [result]
        page = 2
        while result.hits:
            result = await engine.search(SearchRequest(per_page=100, sort="newest", page=page))
            pages.append(result)
            page += 1
        return next(h.document for p in pages for h in p.hits if h.document.slug == course["slug"])

    before = await document()
    await api.post(
        f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 1}, headers=auth(who)
    )
    await sync_once(db, engine)
    after = await document()
    assert after.review_count == before.review_count + 1
    assert after.rating < before.rating or before.review_count == 0


def test_the_star_bars_add_up_to_one_hundred_percent() -> None:
    """Each rounded on its own, 28 + 38 + 33 made 99 %: the bars share 100 by the largest
    remainders, and a bar with no rating stays at 0."""
    from search_service.reviews.service import rating_summary

    for stars in ([47, 52, 38, 0, 0], [1, 1, 1, 0, 0], [2, 1, 1, 1, 1], [0, 0, 0, 0, 7]):
        bars = rating_summary(sum(stars), 4.0, stars).distribution
        assert sum(b.percent for b in bars) == 100, stars
        assert all(b.percent == 0 for b in bars if b.count == 0)
        for bar in bars:
            assert abs(bar.percent - 100 * bar.count / sum(stars)) < 1
    assert [b.percent for b in rating_summary(0, None, None).distribution] == [0] * 5


def test_text_keeps_the_marks_that_end_it() -> None:
    """Trimming took combining marks for blanks: "…स्पष्ट है" was saved as "…स्पष्ट ह", Thai
    and Arabic lost their last vowel sign. Only spaces and invisible characters are trimmed."""
    from search_service.lib.constraints import public_text

    for text in (
        "यह पाठ्यक्रम बहुत उपयोगी और स्पष्ट है",
        "คอร์สนี้ดีมาก ผู้สอนใจดี",
        "دورة ممتازة لِلْمُبْتَدِئِينَ",
        "Tiếng Việt rất hay và bổ ích cho người học",
    ):
        assert public_text("body", f"  {text}\u200b ") == text
