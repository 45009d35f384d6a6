"""Courses with their engagement, made batch after batch from the seed's random state.

Batches are made in place, one after another, between the loads: a builder thread or process
was tried and was no faster (docs/data.md, with the figures).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from search_service.seed.batch import Batch, Row
from search_service.seed.courses import SlugRegistry, Topic, make_course
from search_service.seed.engagement import make_engagement
from search_service.seed.people import Id, MentorInfo
from search_service.seed.shopping import Offer

Tables = list[tuple[str, tuple[str, ...], list[Row]]]


class CourseFactory:
    """The generator state for courses: random state, mentors, topics, students, slugs."""

    def __init__(
        self,
        rng: random.Random,
        mentors: Sequence[MentorInfo],
        topics: Sequence[Topic],
        students: Sequence[Id],
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.mentors = list(mentors)
        self.topics = list(topics)
        self.topic_by_name = {t.name: t for t in topics}
        self.students = list(students)
        self.now = now
        self.slugs = SlugRegistry()
        self.offers: list[Offer] = []  # published paid courses, for the shoppers' carts

    def build(self, count: int) -> Tables:
        rng, mentors, topics = self.rng, self.mentors, self.topics
        batch = Batch()
        for _ in range(count):
            mentor = mentors[int(rng.random() * len(mentors))]
            topic = (
                self.topic_by_name[mentor.topic]
                if rng.random() < 0.7
                else topics[int(rng.random() * len(topics))]
            )
            facts = make_course(rng, batch, self.slugs, mentor, topic, self.now)
            make_engagement(rng, batch, facts, self.students, self.now)
            if facts.status == "published" and facts.price_cents > 0:
                self.offers.append((facts.id, facts.price_cents, facts.topic))
        return list(batch.tables())
