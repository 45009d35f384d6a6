"""My learning and a course's learning page: owners only; marking lectures complete writes
the enrollment's progress, last lecture and completion."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg

from tests.support.pages import sign_up, submit
from tests.support.shoppers import auth, courses, enroll, student

Client = Any


async def _owned(api: Client, db: asyncpg.Connection) -> tuple[dict[str, str], Any]:
    course = (await courses(db, 1, fresh=True))[0]
    who = await student(db)
    await enroll(db, who, course["id"])
    return who, course


async def test_marking_every_lecture_complete_completes_the_course(
    api: Client, db: asyncpg.Connection
) -> None:
    who, course = await _owned(api, db)
    learning = (await api.get(f"/api/v1/learning/{course['slug']}", headers=auth(who))).json()
    lectures = [lec["id"] for section in learning["sections"] for lec in section["lectures"]]
    assert lectures and float(learning["progress_percent"]) == 0
    # The list's card says it as the course's page does ("0" there was "0.00" here).
    cards = (await api.get("/api/v1/learning", headers=auth(who))).json()
    card = next(c for c in cards if c["slug"] == course["slug"])
    assert card["progress_percent"] == learning["progress_percent"] == "0.00"
    url = f"/api/v1/learning/{course['slug']}/progress"
    first = await api.post(url, json={"lecture_id": lectures[0]}, headers=auth(who))
    assert first.status_code in (200, 201), first.text
    row = await db.fetchrow(
        "SELECT progress_percent, last_watched_lecture, completed_at FROM enrollments "
        "WHERE course_id = $1 AND student_id = $2",
        course["id"],
        uuid.UUID(who["id"]),
    )
    assert 0 < float(row["progress_percent"]) < 100
    assert str(row["last_watched_lecture"]) == lectures[0] and row["completed_at"] is None
    for lecture in lectures[1:]:
        await api.post(url, json={"lecture_id": lecture}, headers=auth(who))
    done = await db.fetchrow(
        "SELECT progress_percent, completed_at FROM enrollments "
        "WHERE course_id = $1 AND student_id = $2",
        course["id"],
        uuid.UUID(who["id"]),
    )
    assert float(done["progress_percent"]) == 100 and done["completed_at"] is not None
    undone = await api.post(url, json={"lecture_id": lectures[0], "done": False}, headers=auth(who))
    assert undone.status_code in (200, 201)
    assert undone.json()["completed_at"] is None


async def test_only_owners_learn(api: Client, db: asyncpg.Connection) -> None:
    _, course = await _owned(api, db)
    stranger = await student(db)
    got = await api.get(f"/api/v1/learning/{course['slug']}", headers=auth(stranger))
    assert got.status_code in (403, 404)
    wrote = await api.post(
        f"/api/v1/learning/{course['slug']}/progress",
        json={"lecture_id": str(uuid.uuid4())},
        headers=auth(stranger),
    )
    assert wrote.status_code in (403, 404)


async def test_a_lecture_of_another_course_is_a_400_and_writes_nothing(
    api: Client, db: asyncpg.Connection
) -> None:
    who, course = await _owned(api, db)
    foreign = await db.fetchval(
        "SELECT l.id::text FROM lectures l JOIN course_sections s ON s.id = l.section_id "
        "WHERE s.course_id <> $1 LIMIT 1",
        course["id"],
    )
    got = await api.post(
        f"/api/v1/learning/{course['slug']}/progress",
        json={"lecture_id": foreign},
        headers=auth(who),
    )
    assert 400 <= got.status_code < 500 and got.status_code != 401
    progress = await db.fetchval(
        "SELECT progress_percent FROM enrollments WHERE course_id = $1 AND student_id = $2",
        course["id"],
        uuid.UUID(who["id"]),
    )
    assert float(progress or 0) == 0


async def _learning_page(browser: Client, db: asyncpg.Connection) -> tuple[str, Any]:
    """A shopper signed up through the pages who owns a fresh course: its learning page."""
    email = await sign_up(browser)
    user_id = await db.fetchval("SELECT id FROM users WHERE email = $1", email)
    course = (await courses(db, 1, fresh=True))[0]
    await enroll(db, {"id": str(user_id)}, course["id"])
    return f"/learn/{course['slug']}", course


async def _lectures(db: asyncpg.Connection, course_id: uuid.UUID) -> list[str]:
    """The course's published lectures, in the curriculum's order."""
    rows = await db.fetch(
        "SELECT l.id::text FROM lectures l JOIN course_sections s ON s.id = l.section_id "
        "WHERE s.course_id = $1 AND l.status = 'published' ORDER BY s.position, l.position",
        course_id,
    )
    return [row[0] for row in rows]


async def test_the_learning_page_marks_a_lecture_and_continues_after_it(
    browser: Client, db: asyncpg.Connection
) -> None:
    page, course = await _learning_page(browser, db)
    html = (await browser.get(page)).text
    assert course["title"] in html and "Mark complete" in html and "0% complete" in html
    lecture, following = (await _lectures(db, course["id"]))[:2]
    marked = await submit(browser, page, f"{page}/complete", lecture_id=lecture, done="true")
    assert marked.status_code == 303 and marked.headers["location"].endswith(f"#lecture-{lecture}")
    after = (await browser.get(page)).text
    assert "✓ Done" in after and '"progress-text">0% complete' not in after
    # Continue leads on to the lecture after the one just done, not back to it.
    assert f'href="#lecture-{following}">Continue' in after
    learning = (await browser.get("/my-learning")).text
    # My learning's Continue opens the page at the lecture to continue with.
    assert "Continue" in learning and f'href="{page}#continue"' in learning
    assert re.search(
        rf'id="lecture-{following}" class="lecture current">\s*<span id="continue">', after
    )


async def test_a_finished_course_s_page_offers_nothing_to_continue(
    browser: Client, db: asyncpg.Connection
) -> None:
    page, course = await _learning_page(browser, db)
    for lecture in await _lectures(db, course["id"]):
        await submit(browser, page, f"{page}/complete", lecture_id=lecture, done="true")
    html = (await browser.get(page)).text
    assert "Completed " in html and "100% complete" in html
    assert ">Continue</a>" not in html and ">Start</a>" not in html
    # On My learning, a finished course is gone back to, or rated ("Review" led to the
    # learning page, read as "write a review").
    mine = (await browser.get("/my-learning")).text
    card = next(li for li in mine.split("<li") if f"/learn/{course['slug']}" in li)
    assert ">Review<" not in card and ">Go to course<" in card
    # It leads to the review form itself (#ratings was 2,000 px above it, past the reviews),
    # and once rated, to the student's own review.
    assert f'href="/courses/{course["slug"]}#review-form">Rate this course<' in card
    course_page = f"/courses/{course['slug']}"
    assert 'id="review-form"' in (await browser.get(course_page)).text
    review = {"rating": "5", "body": "Clear and useful explanations all the way through."}
    rated = await submit(browser, course_page, f"{course_page}/review", **review)
    assert rated.status_code == 303
    mine = (await browser.get("/my-learning")).text
    card = next(li for li in mine.split("<li") if f"/learn/{course['slug']}" in li)
    assert "Rate this course" not in card
    assert f'href="/courses/{course["slug"]}#my-review">Your review<' in card
    assert 'id="my-review"' in (await browser.get(course_page)).text


async def test_the_learning_page_of_a_course_not_bought_leads_to_buying_it(
    browser: Client, db: asyncpg.Connection
) -> None:
    await sign_up(browser)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/learn/{course['slug']}"
    answer = await browser.get(page)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/courses/{course['slug']}?done=not-owned"
    shown = (await browser.get(answer.headers["location"])).text
    assert "Buy this course to start learning it." in shown and "Add to cart" in shown
    assert (await browser.get("/learn/no-such-course")).status_code == 404


async def test_my_learning_lists_the_course_last_worked_on_first(
    api: Client, db: asyncpg.Connection
) -> None:
    """As "recently accessed": a course bought earlier but worked on since comes before one
    bought after it."""
    first, second = await courses(db, 2, fresh=True)
    who = await student(db)
    await enroll(db, who, first["id"])
    await db.execute(
        "UPDATE enrollments SET purchased_at = now() - interval '2 days' WHERE student_id = $1",
        uuid.UUID(who["id"]),
    )
    await enroll(db, who, second["id"])  # bought now
    listed = (await api.get("/api/v1/learning", headers=auth(who))).json()
    assert [c["slug"] for c in listed][:2] == [second["slug"], first["slug"]]
    lecture = (await _lectures(db, first["id"]))[0]
    marked = await api.post(
        f"/api/v1/learning/{first['slug']}/progress",
        json={"lecture_id": lecture},
        headers=auth(who),
    )
    assert marked.status_code == 200, marked.text
    listed = (await api.get("/api/v1/learning", headers=auth(who))).json()
    assert [c["slug"] for c in listed][:2] == [first["slug"], second["slug"]]
