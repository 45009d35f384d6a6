"""The insights' SQL: recording events, the report over a window of days, popular searches."""

from __future__ import annotations

from sqlalchemy import TextClause, text

SEARCH_COLUMNS = (
    "id",
    "searched_at",
    "query",
    "total",
    "page",
    "filtered",
    "client",
    "popular",
    "shown",
    "shown_from",
)

# A click counts only for a course its search showed, at the position it showed it.
RECORD_CLICKS = text("""
INSERT INTO search_events (query_id, course_id, type, position)
SELECT e.query_id, e.course_id, 'click', e.position
FROM unnest(CAST(:query_ids AS uuid[]), CAST(:course_ids AS uuid[]), CAST(:positions AS int[]))
     AS e(query_id, course_id, position)
JOIN courses c ON c.id = e.course_id
JOIN search_queries q ON q.id = e.query_id
WHERE q.shown[e.position - q.shown_from + 1] = e.course_id
ON CONFLICT ON CONSTRAINT search_events_once DO NOTHING
""")

SHOWN = text("SELECT shown, shown_from FROM search_queries WHERE id = :query_id")
WRITTEN = text("SELECT id FROM search_queries WHERE id = ANY(CAST(:query_ids AS uuid[]))")

RECORD_ADD = text("""
INSERT INTO search_events (query_id, course_id, type)
VALUES (:query_id, :course_id, 'add_to_cart')
ON CONFLICT ON CONSTRAINT search_events_once DO NOTHING
""")

# At checkout: one purchase per cart item that was added from a search, with what was paid.
RECORD_PURCHASES = text("""
INSERT INTO search_events (query_id, course_id, type, revenue_cents, currency)
SELECT ci.query_id, p.course_id, 'purchase', p.paid, :currency
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:paid AS bigint[])) AS p(course_id, paid)
JOIN cart_items ci ON ci.cart_id = :cart_id AND ci.course_id = p.course_id
WHERE ci.query_id IS NOT NULL
ON CONFLICT ON CONSTRAINT search_events_once DO NOTHING
""")

PUBLISHED_COURSE = text("""
SELECT 1 FROM courses
WHERE id = :course_id AND status = 'published' AND deleted_at IS NULL
""")

# The window: searches since :since; events count with the search they belong to. Top
# queries are those the most clients searched (a client: an address, per day), so one client
# repeating a query cannot top the list however often it sends it.
# An add or a purchase counts for a search only when the search's page showed that course (a
# cart add may carry any query id it was given; clicks are checked when they are recorded).
_WINDOW = """
WITH q AS (
    SELECT id, query, total, filtered, searched_at, shown, client FROM search_queries
    WHERE searched_at >= :since
), ev AS (
    SELECT e.query_id, e.type, e.position, e.revenue_cents, e.currency
    FROM search_events e JOIN q ON q.id = e.query_id
    WHERE e.type = 'click' OR e.course_id = ANY(q.shown)
)
"""


def _windowed(body: str) -> TextClause:
    """``body`` after the window's CTEs (constants only: nothing here comes from input)."""
    return text("\n".join((_WINDOW, body)))


TOTALS = _windowed(
    """
SELECT count(*) AS searches,
       count(*) FILTER (WHERE total = 0) AS zero_results,
       (SELECT count(DISTINCT query_id) FROM ev WHERE type = 'click') AS clicked,
       (SELECT count(*) FROM ev WHERE type = 'click') AS clicks
FROM q
"""
)

# What the top queries can be sorted by: a column of the report -> its SQL (constants only).
PER_QUERY_ORDER = {
    "query": "per.query",
    "searches": "per.searches",
    "clients": "per.clients",
    "clicks": "coalesce(o.clicks, 0)",
    "ctr": "per.clicked::float / per.searches",
    "add_to_carts": "coalesce(o.add_to_carts, 0)",
    "purchases": "coalesce(o.purchases, 0)",
    # per currency: by the largest amount, whatever its currency (as the page shows it)
    "revenue_cents": "coalesce(r.cents[1], 0)",
}
_PER_QUERY = """
, per AS (
    SELECT q.query,
           count(*) AS searches,
           count(DISTINCT q.client) AS clients,
           count(*) FILTER (WHERE q.total = 0) AS zero_results,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM ev WHERE ev.query_id = q.id AND ev.type = 'click')) AS clicked
    FROM q GROUP BY q.query
), outcomes AS (
    SELECT q.query,
           count(*) FILTER (WHERE ev.type = 'click') AS clicks,
           count(*) FILTER (WHERE ev.type = 'add_to_cart') AS add_to_carts,
           count(*) FILTER (WHERE ev.type = 'purchase') AS purchases
    FROM ev JOIN q ON q.id = ev.query_id GROUP BY q.query
), paid AS (
    -- Revenue per currency: cents of different currencies never add up.
    SELECT q.query, ev.currency, sum(ev.revenue_cents) AS cents
    FROM ev JOIN q ON q.id = ev.query_id WHERE ev.type = 'purchase'
    GROUP BY q.query, ev.currency
), revenue AS (
    SELECT query, array_agg(currency ORDER BY cents DESC, currency) AS currencies,
           array_agg(cents ORDER BY cents DESC, currency) AS cents
    FROM paid GROUP BY query
)
SELECT per.query, per.searches, per.clients, per.zero_results, per.clicked,
       coalesce(o.clicks, 0) AS clicks, coalesce(o.add_to_carts, 0) AS add_to_carts,
       coalesce(o.purchases, 0) AS purchases, r.currencies, r.cents
FROM per LEFT JOIN outcomes o ON o.query = per.query LEFT JOIN revenue r ON r.query = per.query
WHERE per.query <> ''
ORDER BY {order}, per.clients DESC, per.searches DESC, per.query
LIMIT :limit
"""


def per_query(sort: str = "clients", descending: bool = True) -> TextClause:
    """The top queries, sorted by ``sort`` (a key of ``PER_QUERY_ORDER``) before the limit:
    the most bought of all queries, not of the most searched."""
    order = f"{PER_QUERY_ORDER[sort]} {'DESC' if descending else 'ASC'}"
    return _windowed(_PER_QUERY.replace("{order}", order))


ZERO_RESULTS = _windowed(
    """
SELECT query, count(*) AS searches, count(DISTINCT client) AS clients FROM q
WHERE total = 0 AND query <> '' AND NOT filtered  -- words nothing has, not filters too narrow
GROUP BY query ORDER BY clients DESC, searches DESC, query LIMIT :limit
"""
)

NO_CLICKS = _windowed(
    """
SELECT q.query, count(*) AS searches, count(DISTINCT q.client) AS clients FROM q
WHERE q.total > 0 AND q.query <> ''
GROUP BY q.query
HAVING NOT EXISTS (
    SELECT 1 FROM ev JOIN q q2 ON q2.id = ev.query_id
    WHERE q2.query = q.query AND ev.type = 'click')
ORDER BY clients DESC, searches DESC, q.query LIMIT :limit
"""
)

POSITIONS = _windowed(
    """
SELECT position, count(*) AS clicks FROM ev
WHERE type = 'click' AND position IS NOT NULL
GROUP BY position ORDER BY position
"""
)

DAILY = _windowed(
    """
SELECT (q.searched_at AT TIME ZONE 'UTC')::date AS day,
       count(*) AS searches,
       count(*) FILTER (WHERE q.total = 0) AS zero_results,
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM ev WHERE ev.query_id = q.id AND ev.type = 'click')) AS clicked
FROM q GROUP BY day ORDER BY day
"""
)

# Real past searches that found courses with every word, by at least :min_clients different
# clients, and that no admin hid.
POPULAR = text("""
SELECT query, count(DISTINCT client) AS clients
FROM search_queries
WHERE searched_at >= :since AND popular AND query <> ''
  AND query NOT IN (SELECT query FROM hidden_queries)
GROUP BY query HAVING count(DISTINCT client) >= :min_clients
ORDER BY clients DESC, query
LIMIT :limit
""")
HIDE_QUERY = text("""
INSERT INTO hidden_queries (query) VALUES (:query) ON CONFLICT (query) DO NOTHING
""")
SHOW_QUERY = text("DELETE FROM hidden_queries WHERE query = :query")
HIDDEN_QUERIES = text("SELECT query FROM hidden_queries ORDER BY hidden_at DESC, query")

FORGET_EVENTS = text("DELETE FROM search_events WHERE created_at < :before")
FORGET_SEARCHES = text("DELETE FROM search_queries WHERE searched_at < :before")
