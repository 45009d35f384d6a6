"""Judgments from clicks and purchases: the head queries' courses graded 1–3 for the judged set.

A click at position k counts k^0.7 times (inverse propensity: a shopper looks at lower places
less often, so a click there says more; the weight is capped at 10) — the usual position-bias
correction when only clicks are logged. Per query and course:

    utility = (weighted clicks + 2 × adds to cart + 4 × purchases) / searches of the query

and the grade is 3 for a purchase or utility ≥ 0.30, 2 for utility ≥ 0.10, else 1 (some
click). Courses nobody clicked are not graded: we do not log what was shown, so a missing
click is not evidence. Only queries searched at least ``min_searches`` times in the window are
used (the head), and only when at least ``min_clients`` different clients (keyed hashes of
their addresses, per day) searched them: one client repeating a query cannot make a head.
Clicks are recorded only for a course the search showed at the position it was shown, and
adds and purchases only by the cart (never from an anonymous event). Each client counts once
per query, course and kind of outcome (its deepest click): one shopper clicking the same
course after every search is one click; and a course is graded only when at least
``MIN_COURSE_CLIENTS`` different clients acted on it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import asyncpg

PROPENSITY_POWER = 0.7
MAX_WEIGHT = 10.0

HEAD = """
SELECT query, count(*) AS searches FROM search_queries
WHERE searched_at >= $1 AND query <> ''
GROUP BY query HAVING count(*) >= $2 AND count(DISTINCT client) >= $3
"""
MIN_CLIENTS = 5
MIN_COURSE_CLIENTS = 2  # one shopper's clicks grade nothing on their own
OUTCOMES = """
SELECT q.query, c.slug, q.client, e.type, e.position
FROM search_events e
JOIN search_queries q ON q.id = e.query_id
JOIN courses c ON c.id = e.course_id
WHERE q.searched_at >= $1 AND q.query = ANY($2::text[])
  AND (e.type = 'click' OR e.course_id = ANY(q.shown))
"""


def weight(position: int | None) -> float:
    return min(MAX_WEIGHT, float(position or 1) ** PROPENSITY_POWER)  # type: ignore[no-any-return]


def grade(utility: float, purchases: int) -> int:
    if purchases or utility >= 0.30:
        return 3
    return 2 if utility >= 0.10 else 1


async def judgments_from_clicks(
    conn: asyncpg.Connection, days: int, min_searches: int, min_clients: int = MIN_CLIENTS
) -> list[tuple[str, str, int]]:
    """(query, course slug, grade) for the head queries, best first within each query."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    rows = await conn.fetch(HEAD, since, min_searches, min_clients)
    head = {r["query"]: int(r["searches"]) for r in rows}
    if not head:
        return []
    # Each client's outcomes, once per kind: the deepest click's weight, 2 for an add, 4 for
    # a purchase.
    acted: dict[tuple[str, str], dict[tuple[bytes, str], float]] = defaultdict(dict)
    for row in await conn.fetch(OUTCOMES, since, list(head)):
        kind = row["type"]
        value = (
            weight(row["position"]) if kind == "click" else 2.0 if kind == "add_to_cart" else 4.0
        )
        outcomes = acted[(row["query"], row["slug"])]
        key = (bytes(row["client"] or b""), kind)
        outcomes[key] = max(outcomes.get(key, 0.0), value)
    graded = [
        (query, slug, grade(sum(outcomes.values()) / head[query], purchases))
        for (query, slug), outcomes in acted.items()
        if len({client for client, _ in outcomes}) >= MIN_COURSE_CLIENTS
        for purchases in [sum(1 for _, kind in outcomes if kind == "purchase")]
    ]
    return sorted(graded, key=lambda g: (g[0], -g[2], g[1]))


def write(path: Path, graded: list[tuple[str, str, int]]) -> None:
    """``query,docid,rating`` CSV, queries written as the judged set writes them (``q=…``)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["query", "docid", "rating"])
        for query, slug, rating in graded:
            writer.writerow([urlencode({"q": query}), slug, rating])
