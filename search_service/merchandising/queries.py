"""Merchandising SQL: rules, and co-purchase recommendations recomputed set-based."""

from __future__ import annotations

from sqlalchemy import text

LOCK_TARGET = text("SELECT pg_advisory_xact_lock(hashtext('merchandising:' || :target))")

EXISTING_SLUGS = text("""
SELECT slug FROM courses WHERE slug = ANY(CAST(:slugs AS text[])) AND deleted_at IS NULL
""")
IDS_OF_SLUGS = text("""
SELECT slug, id FROM courses WHERE slug = ANY(CAST(:slugs AS text[])) AND deleted_at IS NULL
""")
CATEGORY_EXISTS = text("SELECT 1 FROM categories WHERE slug = :slug")

# Another rule for the same target whose window meets this one's (open ends are infinite).
OVERLAPPING = text("""
SELECT id FROM merchandising_rules
WHERE query IS NOT DISTINCT FROM :query AND category IS NOT DISTINCT FROM :category
  AND id IS DISTINCT FROM CAST(:replacing AS uuid)
  AND coalesce(starts_at, '-infinity') < coalesce(CAST(:ends_at AS timestamptz), 'infinity')
  AND coalesce(CAST(:starts_at AS timestamptz), '-infinity') < coalesce(ends_at, 'infinity')
LIMIT 1
""")

INSERT_RULE = text("""
INSERT INTO merchandising_rules (query, category, pin, hide, starts_at, ends_at)
VALUES (:query, :category, :pin, :hide, :starts_at, :ends_at)
RETURNING id
""")

_RULE_COLUMNS = """
SELECT id, query, category, pin, hide, starts_at, ends_at, created_at,
       (coalesce(starts_at, '-infinity') <= now() AND now() < coalesce(ends_at, 'infinity'))
           AS active
FROM merchandising_rules
"""
LIST_RULES = text(
    "\n".join((_RULE_COLUMNS, "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"))
)
COUNT_RULES = text("SELECT count(*) FROM merchandising_rules")
GET_RULE = text("\n".join((_RULE_COLUMNS, "WHERE id = :id")))
RULE_EXISTS = text("SELECT 1 FROM merchandising_rules WHERE id = :id FOR UPDATE")
UPDATE_RULE = text("""
UPDATE merchandising_rules
SET query = :query, category = :category, pin = :pin, hide = :hide,
    starts_at = :starts_at, ends_at = :ends_at, updated_at = now()
WHERE id = :id
""")

DELETE_RULE = text("DELETE FROM merchandising_rules WHERE id = :id RETURNING id")

# What the service applies: rules not over yet, their slugs as published course ids (pins in
# the rule's order; a pin that is not published is left out).
_LOAD = """
SELECT r.id::text AS id, r.query, r.category, r.starts_at, r.ends_at,
       ARRAY(SELECT c.id::text FROM unnest(r.pin) WITH ORDINALITY AS p(slug, n)
             JOIN courses c ON c.slug = p.slug
             WHERE c.status = 'published' AND c.deleted_at IS NULL ORDER BY p.n) AS pin_ids,
       ARRAY(SELECT c.id::text FROM courses c WHERE c.slug = ANY(r.hide)) AS hide_ids
FROM merchandising_rules r
WHERE (r.ends_at IS NULL OR r.ends_at > now())
"""
LOAD_RULES = text(_LOAD)
LOAD_RULE = text(_LOAD + " AND r.id = :id")
# Changes whenever a rule is added, replaced or deleted: the workers reload only then.
RULES_VERSION = text("SELECT count(*), max(updated_at) FROM merchandising_rules")

# Students also bought: for each pair of courses bought by the same students, how many did
# and a cosine score (co-buyers / sqrt(buyers of each)), so a bestseller bought with everything
# does not top every list; pairs with fewer than MIN_CO_BUYERS buyers are noise. Only paid
# enrollments count: free ones cost nothing, so accounts made to take them could single out a
# student's other courses.
REFRESH_RECOMMENDATIONS = """
WITH bought AS (
    SELECT DISTINCT course_id, student_id FROM enrollments WHERE purchase_price_cents > 0
), buyers AS (
    SELECT course_id, count(*) AS n FROM bought GROUP BY course_id
), pairs AS (
    SELECT a.course_id, b.course_id AS other_id, count(*) AS co
    FROM bought a JOIN bought b ON b.student_id = a.student_id AND b.course_id <> a.course_id
    GROUP BY a.course_id, b.course_id
    HAVING count(*) >= $1
), ranked AS (
    SELECT p.course_id, p.other_id, p.co,
           p.co / sqrt(ba.n::float8 * bb.n::float8) AS score,
           row_number() OVER (
               PARTITION BY p.course_id
               ORDER BY p.co / sqrt(ba.n::float8 * bb.n::float8) DESC, p.co DESC, p.other_id
           ) AS place
    FROM pairs p
    JOIN buyers ba ON ba.course_id = p.course_id
    JOIN buyers bb ON bb.course_id = p.other_id
)
INSERT INTO course_recommendations (course_id, other_id, buyers, score)
SELECT course_id, other_id, co, score FROM ranked WHERE place <= $2
"""

ALSO_BOUGHT = text("""
SELECT r.other_id::text FROM course_recommendations r
JOIN courses c ON c.id = r.other_id AND c.status = 'published' AND c.deleted_at IS NULL
WHERE r.course_id = :course_id
  AND NOT EXISTS (SELECT 1 FROM enrollments e
                  WHERE e.course_id = r.other_id AND e.student_id = :viewer)
ORDER BY r.score DESC, r.buyers DESC, r.other_id
LIMIT :limit
""")

# Frequently bought together with what is in a cart: the strongest others, summed over items.
BOUGHT_WITH = text("""
SELECT r.other_id::text FROM course_recommendations r
JOIN courses c ON c.id = r.other_id AND c.status = 'published' AND c.deleted_at IS NULL
WHERE r.course_id = ANY(CAST(:course_ids AS uuid[]))
  AND r.other_id <> ALL(CAST(:course_ids AS uuid[]))
  AND NOT EXISTS (SELECT 1 FROM enrollments e
                  WHERE e.course_id = r.other_id AND e.student_id = :viewer)
GROUP BY r.other_id
ORDER BY sum(r.score) DESC, r.other_id
LIMIT :limit
""")
