"""Questions and answers: who may ask, answer and resolve; the solution comes first."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from tests.support.shoppers import auth, courses, enroll, student

Client = Any
QUESTION = "How do I set up the project on Windows?"
ANSWER = "Install the tools from the first lecture, then run the setup script."


async def test_ask_answer_resolve(api: Client, db: asyncpg.Connection) -> None:
    asker = await student(db)
    (course,) = await courses(db, 1)
    url = f"/api/v1/courses/{course['slug']}/questions"
    refused = await api.post(url, json={"question": QUESTION}, headers=auth(asker))
    assert refused.status_code == 403, "only students who bought the course"
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(asker["id"]),
    )
    asked = await api.post(url, json={"question": QUESTION}, headers=auth(asker))
    assert asked.status_code == 201
    question = asked.json()["id"]
    assert (await api.post(url, json={"question": "short"}, headers=auth(asker))).status_code == 400
    c1 = await api.post(url, json={"question": QUESTION + "\u009b2J"}, headers=auth(asker))
    assert c1.status_code == 400, c1.text  # an escape sequence's 8-bit form

    answers_url = f"/api/v1/questions/{question}/answers"
    bystander = await student(db)
    assert (
        await api.post(answers_url, json={"answer": ANSWER}, headers=auth(bystander))
    ).status_code == 403
    mentor = await student(db, mentor_of=course["mentor_id"])
    first = await api.post(answers_url, json={"answer": ANSWER}, headers=auth(mentor))
    second = await api.post(
        answers_url, json={"answer": ANSWER + " Or use WSL."}, headers=auth(mentor)
    )
    assert first.status_code == second.status_code == 201

    solution_url = f"/api/v1/answers/{second.json()['id']}/solution"
    assert (await api.post(solution_url, headers=auth(bystander))).status_code == 403
    assert (await api.post(solution_url, headers=auth(asker))).status_code == 200
    assert await db.fetchval(
        "SELECT resolved_at IS NOT NULL FROM course_questions WHERE id = $1", uuid.UUID(question)
    )
    page = (await api.get(f"/api/v1/courses/{course['slug']}/questions")).json()
    mine = next(q for q in page["items"] if q["id"] == question)
    assert mine["answers"][0]["id"] == second.json()["id"], "solution first"
    assert [a["is_marked_solution"] for a in mine["answers"]] == [True, False]


async def test_admin_can_answer(api: Client, db: asyncpg.Connection) -> None:
    asker = await student(db)
    (course,) = await courses(db, 1)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(asker["id"]),
    )
    question = (
        await api.post(
            f"/api/v1/courses/{course['slug']}/questions",
            json={"question": QUESTION},
            headers=auth(asker),
        )
    ).json()["id"]
    admin = await student(db)
    await db.execute("UPDATE users SET role = 'admin' WHERE id = $1", uuid.UUID(admin["id"]))
    response = await api.post(
        f"/api/v1/questions/{question}/answers", json={"answer": ANSWER}, headers=auth(admin)
    )
    assert response.status_code == 201
    missing = await api.post(
        f"/api/v1/questions/{uuid.uuid4()}/answers", json={"answer": ANSWER}, headers=auth(admin)
    )
    assert missing.status_code == 404


async def test_one_student_asks_at_most_ten_questions_an_hour(
    api: Client, db: asyncpg.Connection
) -> None:
    # Free courses cost nothing to enrol in: one account filled a course's questions.
    asker = await student(db)
    first, second = await courses(db, 2)
    for course in (first, second):
        await enroll(db, asker, course["id"])
    asked = [
        await api.post(
            f"/api/v1/courses/{course['slug']}/questions",
            json={"question": f"{QUESTION} (number {n})"},
            headers=auth(asker),
        )
        for n, course in enumerate([first] * 6 + [second] * 5)
    ]
    assert [a.status_code for a in asked] == [201] * 10 + [429]
    assert "retry-after" in asked[-1].headers
    stored = await db.fetchval(
        "SELECT count(*) FROM course_questions WHERE student_id = $1", uuid.UUID(asker["id"])
    )
    assert stored == 10
    someone_else = await student(db)
    await enroll(db, someone_else, first["id"])
    other = await api.post(
        f"/api/v1/courses/{first['slug']}/questions",
        json={"question": QUESTION},
        headers=auth(someone_else),
    )
    assert other.status_code == 201


async def test_a_long_question_is_shown_in_full_under_a_short_heading(
    api: Client, db: asyncpg.Connection
) -> None:
    """A 5,000-character question was one bold 5,000-character heading on the public page:
    the heading is its start, the whole question is the text under it."""
    course = (await courses(db, 1, fresh=True))[0]
    asker = await student(db)
    await enroll(db, asker, course["id"])
    words = "How do I set up the project on Windows when the installer stops halfway? "
    long = (words * 40).strip()
    asked = await api.post(
        f"/api/v1/courses/{course['slug']}/questions", json={"question": long}, headers=auth(asker)
    )
    assert asked.status_code == 201, asked.text
    page = (await api.get(f"/courses/{course['slug']}")).text
    block = page.split('<article class="question">', 1)[1].split("</article>", 1)[0]
    heading = block.split("<h3", 1)[1].split("</h3>", 1)[0].split(">", 1)[1]
    assert 20 < len(heading) <= 121 and heading.endswith("…"), heading
    assert long in block.replace("\n", " ")


async def test_the_mentor_answers_on_the_course_page(
    api: Client, browser: Any, db: asyncpg.Connection
) -> None:
    """A mentor saw their course's questions with no way to answer them but the API."""
    from tests.support.pages import sign_up, submit

    course = (await courses(db, 1, fresh=True))[0]
    asker = await student(db)
    await enroll(db, asker, course["id"])
    url = f"/api/v1/courses/{course['slug']}/questions"
    question = (await api.post(url, json={"question": QUESTION}, headers=auth(asker))).json()["id"]
    page = f"/courses/{course['slug']}"
    await sign_up(browser)  # a shopper: no answer form, and an answer is refused
    assert 'name="question_id"' not in (await browser.get(page)).text
    refused = await submit(browser, page, f"{page}/answer", question_id=question, answer=ANSWER)
    assert refused.status_code == 403
    browser.cookies.clear()
    mentor = await student(db, mentor_of=course["mentor_id"])
    browser.cookies.set("skillspring_session", mentor["authorization"].removeprefix("Bearer "))
    html = (await browser.get(page)).text
    assert f'name="question_id" value="{question}"' in html
    written = "SELECT count(*) FROM course_answers WHERE question_id = $1"
    short = await submit(browser, page, f"{page}/answer", question_id=question, answer="Yes")
    assert short.status_code == 400 and ">Yes</textarea>" in short.text
    assert 'class="field-error"' in short.text
    assert await db.fetchval(written, uuid.UUID(question)) == 0
    posted = await submit(browser, page, f"{page}/answer", question_id=question, answer=ANSWER)
    assert posted.status_code == 303 and posted.headers["location"].endswith("done=answered#qa")
    assert await db.fetchval(written, uuid.UUID(question)) == 1
    shown = (await browser.get(posted.headers["location"])).text
    assert ANSWER in shown and "Your answer is posted" in shown
