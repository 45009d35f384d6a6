"""The demo catalog: deterministic, realistic, and consistent with its own counters."""

from __future__ import annotations

import asyncpg
import pytest

from search_service.seed.run import CatalogNotEmpty, seed_catalog
from search_service.seed.vocab_categories import CATEGORY_TREE

COURSES = 400


@pytest.fixture
async def seeded(raw: asyncpg.Connection) -> asyncpg.Connection:
    """The test transaction, holding a 400-course demo catalog (rolled back afterwards)."""
    await seed_catalog(raw, COURSES, seed=11)
    return raw


async def _fingerprint(raw: asyncpg.Connection) -> list[tuple[object, ...]]:
    rows = await raw.fetch(
        "SELECT id, slug, title, status, list_price_cents, lecture_count FROM courses ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def test_same_seed_gives_same_catalog(database: str) -> None:
    from search_service.db.connection import asyncpg_dsn

    prints = []
    for _ in range(2):
        conn = await asyncpg.connect(asyncpg_dsn(database))
        tx = conn.transaction()
        await tx.start()
        await seed_catalog(conn, 60, seed=3)
        prints.append(await _fingerprint(conn))
        await tx.rollback()
        await conn.close()
    assert prints[0] == prints[1]
    assert len(prints[0]) == 60


async def test_counts_and_category_tree(seeded: asyncpg.Connection) -> None:
    assert await seeded.fetchval("SELECT count(*) FROM courses") == COURSES
    roots = await seeded.fetchval("SELECT count(*) FROM categories WHERE level = 0")
    subs = await seeded.fetchval("SELECT count(*) FROM categories WHERE level = 1")
    assert roots == len(CATEGORY_TREE) == 15
    assert subs == sum(len(s) for s in CATEGORY_TREE.values()) >= 80
    assert (
        await seeded.fetchval("SELECT name FROM categories WHERE slug = 'web-development'")
        == "Web Development"
    )


async def test_every_state_and_language_is_present(seeded: asyncpg.Connection) -> None:
    statuses = {r[0] for r in await seeded.fetch("SELECT DISTINCT status::text FROM courses")}
    assert statuses == {"draft", "submitted", "published", "archived"}
    assert await seeded.fetchval("SELECT count(*) FROM courses WHERE deleted_at IS NOT NULL") > 0
    languages = {
        r[0].strip() for r in await seeded.fetch("SELECT DISTINCT language_code FROM courses")
    }
    assert {"en", "es", "de", "fr", "pt", "ja"} <= languages
    levels = {r[0] for r in await seeded.fetch("SELECT DISTINCT level::text FROM courses")}
    assert levels == {"beginner", "intermediate", "advanced", "all"}


async def test_course_counters_agree_with_curriculum(seeded: asyncpg.Connection) -> None:
    mismatches = await seeded.fetchval(
        """
        SELECT count(*) FROM courses c
        JOIN (SELECT s.course_id, sum(s.lecture_count) n, sum(s.total_duration_minutes) m
              FROM course_sections s GROUP BY s.course_id) s ON s.course_id = c.id
        WHERE s.n <> c.lecture_count OR s.m <> c.total_duration_minutes
        """
    )
    assert mismatches == 0
    section_mismatches = await seeded.fetchval(
        """
        SELECT count(*) FROM course_sections s
        JOIN (SELECT section_id, count(*) n, sum(duration_minutes) m FROM lectures
              GROUP BY section_id) l ON l.section_id = s.id
        WHERE l.n <> s.lecture_count OR l.m <> s.total_duration_minutes
        """
    )
    assert section_mismatches == 0


async def test_mentor_totals_agree_with_rows(seeded: asyncpg.Connection) -> None:
    mismatches = await seeded.fetchval(
        """
        SELECT count(*) FROM mentors m
        LEFT JOIN (SELECT c.mentor_id, count(*) n, round(avg(r.rating), 1) a
                   FROM course_reviews r JOIN courses c ON c.id = r.course_id
                   GROUP BY c.mentor_id) r ON r.mentor_id = m.user_id
        LEFT JOIN (SELECT c.mentor_id, count(DISTINCT e.student_id) s
                   FROM enrollments e JOIN courses c ON c.id = e.course_id
                   GROUP BY c.mentor_id) e ON e.mentor_id = m.user_id
        WHERE m.total_reviews <> coalesce(r.n, 0)
           OR m.total_students <> coalesce(e.s, 0)
           OR m.average_rating IS DISTINCT FROM r.a
        """
    )
    assert mismatches == 0


async def test_reviews_come_from_enrolled_students(seeded: asyncpg.Connection) -> None:
    assert await seeded.fetchval("SELECT count(*) FROM course_reviews") > 100
    orphans = await seeded.fetchval(
        """
        SELECT count(*) FROM course_reviews r
        LEFT JOIN enrollments e ON e.course_id = r.course_id AND e.student_id = r.student_id
        WHERE e.id IS NULL OR NOT r.is_verified
        """
    )
    assert orphans == 0
    unpublished_reviews = await seeded.fetchval(
        "SELECT count(*) FROM course_reviews r JOIN courses c ON c.id = r.course_id "
        "WHERE c.status IN ('draft', 'submitted')"
    )
    assert unpublished_reviews == 0


async def test_good_and_weak_courses_rate_differently(seeded: asyncpg.Connection) -> None:
    averages = [
        r[0]
        for r in await seeded.fetch(
            "SELECT avg(rating) FROM course_reviews GROUP BY course_id HAVING count(*) >= 5"
        )
    ]
    assert max(averages) >= 4.5
    assert min(averages) <= 3.6


async def test_bestsellers_and_engagement_exist(seeded: asyncpg.Connection) -> None:
    assert await seeded.fetchval("SELECT count(*) FROM courses WHERE is_bestseller") > 0
    for table in (
        "review_helpful_votes",
        "course_questions",
        "course_answers",
        "coupons",
        "course_metrics",
        "course_tag_map",
        "media_assets",
    ):
        assert await seeded.fetchval(f"SELECT count(*) FROM {table}") > 0, table
    helpful = await seeded.fetchval(
        """
        SELECT count(*) FROM course_reviews r
        LEFT JOIN (SELECT review_id, count(*) n FROM review_helpful_votes
                   WHERE vote = 'helpful' GROUP BY review_id) v ON v.review_id = r.id
        WHERE r.helpful_count <> coalesce(v.n, 0)
        """
    )
    assert helpful == 0


async def test_meta_has_objectives_and_prerequisites(seeded: asyncpg.Connection) -> None:
    missing = await seeded.fetchval(
        "SELECT count(*) FROM courses WHERE NOT (meta ? 'objectives' AND meta ? 'prerequisites')"
    )
    assert missing == 0


async def test_every_foreign_key_holds(seeded: asyncpg.Connection) -> None:
    """The seed loads with per-row checks off (as superuser); every reference must still hold."""
    constraints = await seeded.fetch(
        """
        SELECT c.conname, c.conrelid::regclass::text AS child,
               c.confrelid::regclass::text AS parent,
               array(SELECT quote_ident(attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                     ORDER BY k.o) AS child_columns,
               array(SELECT quote_ident(attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                     ORDER BY k.o) AS parent_columns
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        """
    )
    assert len(constraints) >= 10
    orphans = {}
    for fk in constraints:
        joined = " AND ".join(
            f"p.{p} = ch.{c}"
            for c, p in zip(fk["child_columns"], fk["parent_columns"], strict=True)
        )
        present = " AND ".join(f"ch.{c} IS NOT NULL" for c in fk["child_columns"])
        count = await seeded.fetchval(
            f"SELECT count(*) FROM {fk['child']} ch WHERE {present} "
            f"AND NOT EXISTS (SELECT 1 FROM {fk['parent']} p WHERE {joined})"
        )
        if count:
            orphans[fk["conname"]] = count
    assert orphans == {}
    assert await seeded.fetchval("SHOW session_replication_role") == "origin"


async def test_seeding_a_non_empty_catalog_is_refused(seeded: asyncpg.Connection) -> None:
    with pytest.raises(CatalogNotEmpty):
        await seed_catalog(seeded, 5, seed=1)
    assert await seeded.fetchval("SELECT count(*) FROM courses") == COURSES


async def test_bulk_load_skips_the_outbox_but_later_writes_are_captured(
    seeded: asyncpg.Connection,
) -> None:
    assert await seeded.fetchval("SELECT count(*) FROM search_outbox") == 0
    await seeded.execute(
        "UPDATE courses SET title = 'Captured' WHERE id = "
        "(SELECT id FROM courses ORDER BY id LIMIT 1)"
    )
    assert await seeded.fetchval("SELECT count(*) FROM search_outbox") == 1


async def test_shoppers_have_open_carts_and_wishlists(seeded: asyncpg.Connection) -> None:
    assert await seeded.fetchval("SELECT count(*) FROM carts WHERE status = 'open'") > 0
    assert await seeded.fetchval("SELECT count(*) FROM cart_items") > 0
    assert await seeded.fetchval("SELECT count(*) FROM wishlist_items") > 0
    owned_in_cart = await seeded.fetchval(
        "SELECT count(*) FROM cart_items ci JOIN carts c ON c.id = ci.cart_id "
        "JOIN enrollments e ON e.student_id = c.student_id AND e.course_id = ci.course_id"
    )
    assert owned_in_cart == 0
    unavailable = await seeded.fetchval(
        "SELECT count(*) FROM cart_items ci JOIN courses c ON c.id = ci.course_id "
        "WHERE c.status <> 'published' OR c.deleted_at IS NOT NULL"
    )
    assert unavailable == 0


async def test_buyers_of_a_topic_buy_its_courses_together(seeded: asyncpg.Connection) -> None:
    from search_service.merchandising.service import refresh_recommendations

    pairs = await refresh_recommendations(seeded)
    assert pairs > 0
    # Co-purchases stay mostly within the topic's own courses (the mentor's topic is the
    # course's most of the time): the strongest pair of most courses shares a category.
    shared = await seeded.fetchval(
        """
        SELECT avg((EXISTS (
            SELECT 1 FROM course_categories a JOIN course_categories b
              ON a.category_id = b.category_id
            WHERE a.course_id = r.course_id AND b.course_id = r.other_id))::int)
        FROM course_recommendations r
        WHERE r.score = (SELECT max(score) FROM course_recommendations s
                         WHERE s.course_id = r.course_id)
        """
    )
    assert shared > 0.5


async def test_a_seed_outside_a_transaction_is_vacuumed(empty_url: str) -> None:
    # The first reader of a bulk load would set every row's hint bits, and autovacuum would
    # start on the new tables under the next command: the seed vacuums them itself. Only a
    # vacuum fills the visibility map (ANALYZE reports it), so pages are marked all-visible.
    from search_service.db.connection import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(empty_url))
    try:
        await seed_catalog(conn, 60, seed=3)
        visible = await conn.fetchval(
            "SELECT relallvisible FROM pg_class WHERE oid = 'lectures'::regclass"
        )
    finally:
        await conn.close()
    assert visible > 0


def test_no_topic_names_a_level_or_a_language() -> None:
    """The topic "Yoga for Beginners" made "Mastering Yoga for Beginners" an advanced course,
    which the words "for beginners" filtered out of its own title's search."""
    from search_service.catalog.search.understanding import understand
    from search_service.search.request import SearchRequest
    from search_service.seed.vocab_categories import CATEGORY_TREE

    names = [name for subs in CATEGORY_TREE.values() for ts in subs.values() for name, _ in ts]
    for name in names:
        typed = understand(SearchRequest(q=name)).auto
        assert not typed.get("level") and not typed.get("language"), (name, typed)
