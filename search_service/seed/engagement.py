"""Enrollments, reviews, helpful votes, questions, answers and daily metrics for one course."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from search_service.seed.batch import Batch
from search_service.seed.courses import CourseFacts
from search_service.seed.people import Id, new_uuid
from search_service.seed.vocab_text import ANSWERS, QUESTIONS, REVIEW_SENTENCES, REVIEW_TITLES

METRIC_DAYS = 7
_HUNDRED = Decimal(100)


def _rating(rng: random.Random, quality: float) -> int:
    """Good courses collect mostly 4s and 5s; weak ones spread lower."""
    value = quality * 5.2 + (rng.random() - 0.5) * 2.2
    return max(1, min(5, round(value)))


def review_text(review_id: Id, rating: int, topic: str) -> tuple[str, str]:
    """A review's title and body for its stars: drawn from the review's own id, so the seed's
    other draws stay as they were and two reviews rarely read the same."""
    pick = random.Random(review_id)
    title = pick.choice(REVIEW_TITLES[rating]).format(t=topic)
    first, second = pick.sample(REVIEW_SENTENCES[rating], 2)
    return title, f"{first.format(t=topic)} {second.format(t=topic)}"


def _enrollment_count(rng: random.Random, quality: float) -> int:
    # Heavy-tailed popularity, nudged by quality.
    return min(300, int(rng.paretovariate(1.5) * (1 + 4 * quality))) - 1


def _reviews(
    rng: random.Random,
    batch: Batch,
    course: CourseFacts,
    enrolled: list[tuple[Id, dt.datetime]],
    students: list[Id],
    now: dt.datetime,
) -> None:
    reviews, votes = batch.rows["course_reviews"], batch.rows["review_helpful_votes"]
    for student_id, purchased in enrolled:
        if rng.random() >= 0.45:
            continue
        review_id = new_uuid(rng)
        rating = _rating(rng, course.quality)
        title, body = review_text(review_id, rating, course.topic)
        created = purchased + (now - purchased) * rng.random()
        helpful = 0
        for voter_index in {
            int(rng.random() ** 3 * len(students)) for _ in range(int(rng.random() ** 2 * 3))
        }:
            voter = students[voter_index]
            if voter == student_id:
                continue
            vote = "helpful" if rng.random() < 0.8 else "not_helpful"
            helpful += vote == "helpful"
            votes.append((review_id, voter, vote))
        reviews.append(
            (
                review_id,
                course.id,
                student_id,
                rating,
                title,
                body,
                rating >= 4,
                created,
                created,
                True,
                helpful,
                int(rng.random() < 0.01),
            )
        )


def _questions(
    rng: random.Random,
    batch: Batch,
    course: CourseFacts,
    enrolled: list[tuple[Id, dt.datetime]],
    now: dt.datetime,
) -> None:
    if not enrolled or rng.random() < 0.5:
        return
    for _ in range(1 + int(rng.random() * 3)):
        student_id, purchased = enrolled[int(rng.random() * len(enrolled))]
        question_id = new_uuid(rng)
        asked = purchased + (now - purchased) * rng.random()
        answered = rng.random() < 0.8
        solved = answered and rng.random() < 0.6
        answer_at = asked + (now - asked) * rng.random()
        batch.rows["course_questions"].append(
            (
                question_id,
                course.id,
                student_id,
                rng.choice(QUESTIONS).format(t=course.topic),
                asked,
                answer_at if solved else None,
            )
        )
        if answered:
            batch.rows["course_answers"].append(
                (
                    new_uuid(rng),
                    question_id,
                    course.mentor.id,
                    rng.choice(ANSWERS),
                    answer_at,
                    solved,
                )
            )


def _metrics(
    rng: random.Random, batch: Batch, course: CourseFacts, enrolled_count: int, today: dt.date
) -> None:
    daily_base = 5 + enrolled_count * 3
    for day in range(METRIC_DAYS):
        views = int(daily_base * (0.5 + rng.random()))
        sales = int(rng.random() * (enrolled_count / 20 + 1))
        batch.rows["course_metrics"].append(
            (
                course.id,
                today - dt.timedelta(days=day),
                views,
                sales,
                int(rng.random() * (sales + 1)),
                sales * course.price_cents,
            )
        )


COMMUNITY_SHARE = 0.8  # buyers who come from the topic's own students


def _buyers(rng: random.Random, topic: str, students: int, count: int) -> list[int]:
    """Indexes of ``count`` distinct buyers: most from the topic's community (a stable slice
    of the students, one in forty), the rest from anyone. Students who share a topic
    buy its courses together, so "students also bought" has real structure to find."""
    size = max(count, students // 40)
    start = zlib.crc32(topic.encode()) % students
    local = min(size, int(count * COMMUNITY_SHARE))
    chosen = {(start + i) % students for i in rng.sample(range(size), local)}
    while len(chosen) < count:
        chosen.add(int(rng.random() * students))
    return sorted(chosen)


def make_engagement(
    rng: random.Random,
    batch: Batch,
    course: CourseFacts,
    students: list[Id],
    now: dt.datetime,
) -> None:
    """Append engagement rows for a course; only published and archived courses have buyers."""
    if course.status not in ("published", "archived"):
        return
    count = max(0, min(_enrollment_count(rng, course.quality), len(students)))
    enrolled: list[tuple[Id, dt.datetime]] = []
    rows = batch.rows["enrollments"]
    span = now - course.created_at
    for index in _buyers(rng, course.topic, len(students), count):
        student_id = students[index]
        purchased = course.created_at + span * rng.random()
        done = rng.random() < 0.2
        progress = _HUNDRED if done else Decimal(int(rng.random() * 9999)) / _HUNDRED
        completed = purchased + (now - purchased) * rng.random() if done else None
        rows.append(
            (
                new_uuid(rng),
                course.id,
                student_id,
                course.price_cents,
                "USD",
                purchased,
                progress,
                completed,
            )
        )
        enrolled.append((student_id, purchased))
    _reviews(rng, batch, course, enrolled, students, now)
    _questions(rng, batch, course, enrolled, now)
    if course.status == "published":
        _metrics(rng, batch, course, count, now.date())
