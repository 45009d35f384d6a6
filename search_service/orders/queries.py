"""The orders' SQL: a receipt, only for its buyer."""

from __future__ import annotations

from sqlalchemy import text

ORDER = text("""
SELECT id, created_at, currency, subtotal_cents, discount_cents, total_cents, coupon_code
FROM orders WHERE id = :order_id AND student_id = :student_id
""")
ORDER_LINES = text("""
SELECT oi.course_id, oi.title, oi.price_cents, oi.paid_cents, c.slug, c.thumbnail_url,
       c.mentor_id, trim(u.first_name || ' ' || coalesce(u.last_name, '')) AS mentor_name,
       cat.slug AS category
FROM order_items oi
JOIN courses c ON c.id = oi.course_id
JOIN users u ON u.id = c.mentor_id
LEFT JOIN LATERAL (
    SELECT k.slug FROM course_categories cc JOIN categories k ON k.id = cc.category_id
    WHERE cc.course_id = c.id ORDER BY k.level, k.slug LIMIT 1
) cat ON true
WHERE oi.order_id = :order_id
ORDER BY oi.position
""")
MY_ORDERS = text("""
SELECT id, created_at, currency, total_cents,
       (SELECT count(*) FROM order_items oi WHERE oi.order_id = o.id) AS courses
FROM orders o WHERE student_id = :student_id
ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset
""")
