"""The cart's SQL, parameterised."""

from __future__ import annotations

from sqlalchemy import text

from search_service.db.lookups import PUBLISHED
from search_service.lib.pricing import EFFECTIVE_PRICE_SQL as EFFECTIVE

CREATE_CART = text(
    "INSERT INTO carts (student_id) VALUES (:student_id) "
    "ON CONFLICT (student_id) WHERE status = 'open' DO NOTHING"
)
OPEN_CART = text(
    "SELECT id, coupon_id, shown_total_cents, shown_currency FROM carts "
    "WHERE student_id = :student_id AND status = 'open'"
)
LOCK_CART = text(
    "SELECT id, coupon_id, shown_total_cents, shown_currency FROM carts "
    "WHERE student_id = :student_id AND status = 'open' FOR UPDATE"
)
ITEMS = text(f"""
SELECT ci.course_id, c.slug, c.title, c.mentor_id, ci.price_cents AS added_price_cents,
       {EFFECTIVE} AS price_cents, c.list_price_cents, c.currency, c.thumbnail_url,
       u.first_name, u.last_name,
       ({PUBLISHED}) AS available
FROM cart_items ci JOIN courses c ON c.id = ci.course_id JOIN users u ON u.id = c.mentor_id
WHERE ci.cart_id = :cart_id
ORDER BY ci.added_at, ci.course_id
""")  # noqa: S608 - constants only
COURSE = text(f"""
SELECT c.id, c.mentor_id, {EFFECTIVE} AS price_cents, c.currency
FROM courses c WHERE c.id = :course_id AND {PUBLISHED}
""")  # noqa: S608 - constants only
ADD_ITEM = text(
    "INSERT INTO cart_items (cart_id, course_id, price_cents, currency, query_id) "
    "VALUES (:cart_id, :course_id, :price_cents, :currency, :query_id) "
    "ON CONFLICT DO NOTHING RETURNING course_id"
)
IN_CART = text(
    "SELECT EXISTS (SELECT 1 FROM cart_items ci JOIN carts c ON c.id = ci.cart_id "
    "WHERE c.student_id = :student_id AND c.status = 'open' AND ci.course_id = :course_id)"
)
REMOVE_ITEM = text("DELETE FROM cart_items WHERE cart_id = :cart_id AND course_id = :course_id")
HAS_BOUGHT = text(
    "SELECT EXISTS (SELECT 1 FROM carts WHERE student_id = :student_id AND status = 'converted')"
)
SHOWN = text(
    "UPDATE carts SET shown_total_cents = :total, shown_currency = :currency "
    "WHERE id = :cart_id "
    "AND (shown_total_cents IS DISTINCT FROM :total OR shown_currency <> :currency)"
)
CREATE_ORDER = text(
    "INSERT INTO orders (student_id, currency, subtotal_cents, discount_cents, total_cents, "
    "coupon_code) VALUES (:student_id, :currency, :subtotal, :discount, :total, :coupon) "
    "RETURNING id"
)
ORDER_ITEMS = text("""
INSERT INTO order_items (order_id, course_id, title, price_cents, paid_cents, position)
SELECT :order_id, i.course_id, i.title, i.price, i.paid, i.n
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:titles AS text[]), CAST(:prices AS int[]),
            CAST(:paid AS int[])) WITH ORDINALITY AS i(course_id, title, price, paid, n)
""")

TOUCH_CART = text("UPDATE carts SET coupon_id = :coupon_id, updated_at = now() WHERE id = :cart_id")
COUPON_BY_CODE = text(
    "SELECT id, code, discount_percent, mentor_id, max_redemptions, redeemed_count, "
    "starts_at <= now() AS started, (expires_at IS NOT NULL AND expires_at <= now()) AS expired "
    "FROM coupons WHERE lower(code) = lower(:code)"
)
COUPON_BY_ID = text(
    "SELECT id, code, discount_percent, mentor_id FROM coupons WHERE id = :coupon_id"
)
# Counted only while it is valid and not used up; the row lock serialises concurrent checkouts.
REDEEM = text("""
UPDATE coupons SET redeemed_count = redeemed_count + 1
WHERE id = :coupon_id AND redeemed_count < max_redemptions AND starts_at <= now()
  AND (expires_at IS NULL OR expires_at > now())
RETURNING discount_percent, mentor_id
""")
NEW_MENTORS = text("""
SELECT DISTINCT c.mentor_id FROM courses c
WHERE c.id = ANY(:course_ids) AND NOT EXISTS (
    SELECT 1 FROM enrollments e JOIN courses c2 ON c2.id = e.course_id
    WHERE e.student_id = :student_id AND c2.mentor_id = c.mentor_id)
""")
ENROLL = text("""
INSERT INTO enrollments (course_id, student_id, purchase_price_cents, currency)
SELECT course_id, :student_id, paid, :currency
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:paid AS int[])) AS p(course_id, paid)
""")
COUNT_STUDENTS = text(
    "UPDATE mentors SET total_students = total_students + 1 WHERE user_id = ANY(:mentor_ids)"
)
RECORD_SALES = text("""
INSERT INTO course_metrics (course_id, date, enrollments, revenue_cents)
SELECT course_id, current_date, 1, paid
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:paid AS int[])) AS p(course_id, paid)
ON CONFLICT (course_id, date) DO UPDATE SET
    enrollments = course_metrics.enrollments + 1,
    revenue_cents = course_metrics.revenue_cents + excluded.revenue_cents
""")
CONVERT = text("UPDATE carts SET status = 'converted', updated_at = now() WHERE id = :cart_id")
# The order a checkout sent twice (a double click without script) placed a moment ago: the
# newest of the student's in the last minute, of exactly these courses.
JUST_BOUGHT = text("""
SELECT o.id FROM orders o
WHERE o.student_id = :student_id AND o.created_at > now() - interval '1 minute'
  AND (SELECT array_agg(i.course_id ORDER BY i.course_id) FROM order_items i
       WHERE i.order_id = o.id)
    = (SELECT array_agg(c ORDER BY c) FROM unnest(CAST(:course_ids AS uuid[])) c)
ORDER BY o.created_at DESC LIMIT 1
""")
