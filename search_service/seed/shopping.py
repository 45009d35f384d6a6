"""Open carts and wishlists for the demo: some students are still shopping.

They belong to students kept out of the buyers (so a cart never holds a course its student
already owns): each gets a cart of 1–3 published paid courses about one in three times, and a
"Favorites" list of 1–6 courses about one in two times, mostly from one topic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from search_service.seed.batch import Row
from search_service.seed.people import Id, new_uuid

CART_COLUMNS = ("id", "student_id", "status", "created_at", "updated_at")
CART_ITEM_COLUMNS = ("cart_id", "course_id", "price_cents", "currency", "added_at")
WISHLIST_COLUMNS = ("id", "student_id", "name")
WISHLIST_ITEM_COLUMNS = ("wishlist_id", "course_id", "added_at")

Offer = tuple[Id, int, str]  # (course id, price in cents, topic)


def make_carts_and_wishlists(
    rng: random.Random, shoppers: Sequence[Id], offers: Sequence[Offer], now: dt.datetime
) -> list[tuple[str, tuple[str, ...], list[Row]]]:
    """(table, columns, rows) for carts, cart_items, wishlists and wishlist_items."""
    carts: list[Row] = []
    items: list[Row] = []
    lists: list[Row] = []
    saved: list[Row] = []
    if not offers:
        return []
    by_topic: dict[str, list[Offer]] = {}
    for offer in offers:
        by_topic.setdefault(offer[2], []).append(offer)
    topics = sorted(by_topic)
    for student in shoppers:
        liked = by_topic[topics[int(rng.random() * len(topics))]]
        if rng.random() < 0.35:
            cart_id = new_uuid(rng)
            added = now - dt.timedelta(hours=rng.random() * 24 * 14)
            carts.append((cart_id, student, "open", added, added))
            for course_id, price, _ in rng.sample(
                liked, min(len(liked), 1 + int(rng.random() * 3))
            ):
                items.append((cart_id, course_id, price, "USD", added))
        if rng.random() < 0.5:
            wishlist_id = new_uuid(rng)
            lists.append((wishlist_id, student, "Favorites"))
            count = min(len(liked), 1 + int(rng.random() * 6))
            for course_id, _, _ in rng.sample(liked, count):
                saved.append((wishlist_id, course_id, now - dt.timedelta(days=rng.random() * 60)))
    return [
        ("carts", CART_COLUMNS, carts),
        ("cart_items", CART_ITEM_COLUMNS, items),
        ("wishlists", WISHLIST_COLUMNS, lists),
        ("wishlist_items", WISHLIST_ITEM_COLUMNS, saved),
    ]
