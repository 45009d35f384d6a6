"""Category, tag and coupon rows: the parts of the catalog every course points at."""

from __future__ import annotations

import datetime as dt
import random

from search_service.seed.courses import Topic, slugify
from search_service.seed.people import Id, MentorInfo, new_uuid
from search_service.seed.vocab_categories import CATEGORY_TREE

CATEGORY_COLUMNS = ("id", "parent_id", "name", "slug", "level", "description")
TAG_COLUMNS = ("id", "name")
COUPON_COLUMNS = (
    "id",
    "mentor_id",
    "code",
    "discount_percent",
    "max_redemptions",
    "redeemed_count",
    "starts_at",
    "expires_at",
)
GLOBAL_COUPONS = (("WELCOME10", 10), ("SPRING25", 25), ("LEARNMORE", 15), ("BLACKFRIDAY", 50))

Row = tuple[object, ...]


def make_categories_and_topics(
    rng: random.Random,
) -> tuple[list[Row], list[Row], list[Topic]]:
    """Category rows (roots first), tag rows and the topics courses are written about."""
    categories: list[Row] = []
    tag_ids: dict[str, Id] = {}
    topics: list[Topic] = []
    for root_name, subcategories in CATEGORY_TREE.items():
        root_id = new_uuid(rng)
        categories.append(
            (root_id, None, root_name, slugify(root_name), 0, f"Courses in {root_name}.")
        )
        for sub_name, sub_topics in subcategories.items():
            sub_id = new_uuid(rng)
            categories.append(
                (
                    sub_id,
                    root_id,
                    sub_name,
                    slugify(sub_name),
                    1,
                    f"{sub_name} courses in {root_name}.",
                )
            )
            for topic_name, topic_tags in sub_topics:
                ids = [tag_ids.setdefault(tag, new_uuid(rng)) for tag in topic_tags]
                topics.append(Topic(topic_name, ids, sub_id))
    tags: list[Row] = [(tag_id, name) for name, tag_id in tag_ids.items()]
    return categories, tags, topics


def make_coupons(
    rng: random.Random, mentors: list[MentorInfo], count: int, now: dt.datetime
) -> list[Row]:
    """Global coupons plus mentor coupons; some expired, some used up."""
    rows: list[Row] = []
    for code, percent in GLOBAL_COUPONS:
        rows.append(
            (
                new_uuid(rng),
                None,
                code,
                percent,
                1000,
                0,
                now - dt.timedelta(days=30),
                now + dt.timedelta(days=60),
            )
        )
    for index in range(count):
        mentor = mentors[int(rng.random() * len(mentors))]
        percent = (10, 20, 30, 40, 50)[int(rng.random() * 5)]
        limit = 10 + int(rng.random() * 200)
        redeemed = int(rng.random() * limit) if rng.random() < 0.9 else limit
        starts = now - dt.timedelta(days=rng.random() * 90)
        expires = starts + dt.timedelta(days=7 + rng.random() * 90)
        rows.append(
            (
                new_uuid(rng),
                mentor.id,
                f"MENTOR{index}SAVE{percent}",
                percent,
                limit,
                redeemed,
                starts,
                expires,
            )
        )
    return rows
