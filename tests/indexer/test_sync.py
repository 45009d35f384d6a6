"""Incremental sync through the outbox, and zero-downtime reindex, against real commits."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from indexer.reindex import ReindexError, reindex
from indexer.sync import sync_once
from search_service.db.connection import asyncpg_dsn
from search_service.lib.errors import SearchUnavailable
from search_service.search.document import CourseDocument
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine


@pytest.fixture
async def engine(catalog_url: str, tmp_path: Path) -> AsyncIterator[TantivyEngine]:
    """A fresh index of the fresh catalog."""
    engine = TantivyEngine(tmp_path / "courses")
    await engine.apply_settings()
    await reindex(asyncpg_dsn(catalog_url), engine)
    yield engine
    await engine.close()


async def published_course(catalog: asyncpg.Connection) -> asyncpg.Record:
    return await catalog.fetchrow(
        "SELECT id, slug, mentor_id FROM courses WHERE status = 'published' "
        "AND deleted_at IS NULL ORDER BY id LIMIT 1"
    )


async def find(engine: TantivyEngine, slug: str) -> CourseDocument | None:
    result = await engine.search(
        SearchRequest(per_page=100, with_facets=False, page=1, sort="newest")
    )
    pages = [result]
    page = 2
    while result.hits:
        result = await engine.search(
            SearchRequest(per_page=100, with_facets=False, page=page, sort="newest")
        )
        pages.append(result)
        page += 1
    for res in pages:
        for hit in res.hits:
            if hit.document.slug == slug:
                return hit.document
    return None


async def test_title_change_reaches_search(
    catalog: asyncpg.Connection, engine: TantivyEngine
) -> None:
    course = await published_course(catalog)
    await catalog.execute(
        "UPDATE courses SET title = 'Quantum Basketweaving' WHERE id = $1", course["id"]
    )
    assert (await engine.search(SearchRequest(q="basketweaving"))).total == 0
    assert await sync_once(catalog, engine) >= 1
    result = await engine.search(SearchRequest(q="basketweaving"))
    assert [h.document.slug for h in result.hits] == [course["slug"]]
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") == 0


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE courses SET status = 'draft' WHERE id = $1",
        "UPDATE courses SET status = 'archived', deleted_at = now() WHERE id = $1",
        "UPDATE courses SET deleted_at = now() WHERE id = $1",
    ],
    ids=["unpublish", "archive", "soft delete"],
)
async def test_course_leaves_search(
    catalog: asyncpg.Connection, engine: TantivyEngine, change: str
) -> None:
    course = await published_course(catalog)
    before = await engine.document_count()
    await catalog.execute(change, course["id"])
    await sync_once(catalog, engine)
    assert await engine.document_count() == before - 1
    assert await find(engine, course["slug"]) is None


async def test_publishing_adds_a_course(catalog: asyncpg.Connection, engine: TantivyEngine) -> None:
    slug = await catalog.fetchval(
        "SELECT slug FROM courses WHERE status = 'draft' AND deleted_at IS NULL LIMIT 1"
    )
    await catalog.execute("UPDATE courses SET status = 'published' WHERE slug = $1", slug)
    await sync_once(catalog, engine)
    assert await find(engine, slug) is not None


RELATED_CHANGES = [
    (
        "new review",
        "INSERT INTO course_reviews (course_id, student_id, rating) SELECT $1, s.user_id, 1 "
        "FROM students s WHERE NOT EXISTS (SELECT 1 FROM course_reviews r WHERE r.course_id = $1 "
        "AND r.student_id = s.user_id) LIMIT 1",
        lambda old, new: new.review_count == old.review_count + 1,
    ),
    (
        "mentor renamed",
        "UPDATE users SET first_name = 'Zebedee' WHERE id = (SELECT mentor_id FROM courses "
        "WHERE id = $1)",
        lambda old, new: new.mentor_name.startswith("Zebedee"),
    ),
    (
        "category renamed",
        "UPDATE categories SET name = 'Renamed Category' WHERE id = (SELECT category_id "
        "FROM course_categories WHERE course_id = $1 LIMIT 1)",
        lambda old, new: "Renamed Category" in new.category_names,
    ),
    (
        "tag renamed",
        "UPDATE course_tags SET name = 'renamed-tag' WHERE id = (SELECT tag_id FROM course_tag_map "
        "WHERE course_id = $1 ORDER BY tag_id LIMIT 1)",
        lambda old, new: "renamed-tag" in new.tags,
    ),
    (
        "quiz lecture added",
        "INSERT INTO lectures (section_id, title, position, content_type, duration_minutes) "
        "SELECT id, 'Final quiz', 99, 'quiz', 5 FROM course_sections WHERE course_id = $1 LIMIT 1",
        lambda old, new: "quizzes" in new.features,
    ),
    (
        "enrollment",
        "INSERT INTO enrollments (course_id, student_id) SELECT $1, s.user_id FROM students s "
        "WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.course_id = $1 "
        "AND e.student_id = s.user_id) LIMIT 1",
        lambda old, new: new.popularity == old.popularity + 1,
    ),
    (
        "sale price",
        "UPDATE courses SET sale_price_cents = 0, list_price_cents = greatest(list_price_cents, 1) "
        "WHERE id = $1",
        lambda old, new: new.is_free and new.effective_price_cents == 0,
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "check"), RELATED_CHANGES, ids=[c[0] for c in RELATED_CHANGES]
)
async def test_related_changes_reach_the_document(
    catalog: asyncpg.Connection, engine: TantivyEngine, name: str, change: str, check: object
) -> None:
    course = await published_course(catalog)
    old = await find(engine, course["slug"])
    await catalog.execute(change, course["id"])
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") > 0, name
    await sync_once(catalog, engine)
    new = await find(engine, course["slug"])
    assert old is not None and new is not None
    assert check(old, new), name  # type: ignore[operator]


async def test_engine_failure_keeps_the_change_pending(
    catalog: asyncpg.Connection, engine: TantivyEngine
) -> None:
    course = await published_course(catalog)
    await catalog.execute("UPDATE courses SET title = 'Pending Change' WHERE id = $1", course["id"])
    # Another writer holds the index lock: the engine cannot confirm the write.
    _, index = engine.store.open_live()
    blocker = index.writer(15_000_000, 1)
    with pytest.raises(SearchUnavailable):
        await sync_once(catalog, engine)
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") > 0
    blocker.rollback()
    del blocker
    await sync_once(catalog, engine)
    top = (await engine.search(SearchRequest(q="pending change"))).hits[0]
    assert top.document.title == "Pending Change"
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") == 0


async def test_missing_index_folder_is_a_clear_error(
    catalog: asyncpg.Connection, tmp_path: Path
) -> None:
    engine = TantivyEngine(tmp_path / "nothing-here")
    with pytest.raises(SearchUnavailable, match="reindex"):
        await engine.health()
    course = await published_course(catalog)
    await catalog.execute("UPDATE courses SET title = 'X' WHERE id = $1", course["id"])
    with pytest.raises(SearchUnavailable):
        await sync_once(catalog, engine)
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") > 0


async def test_change_during_reindex_is_in_the_new_index(
    catalog: asyncpg.Connection, catalog_url: str, engine: TantivyEngine
) -> None:
    course = await published_course(catalog)
    changed = False

    def commit_a_change(_: int) -> None:
        nonlocal changed
        if not changed:
            changed = True
            # Committed after the reindex's snapshot, before its switch.
            import asyncio

            asyncio.get_event_loop().create_task(
                catalog.execute(
                    "UPDATE courses SET title = 'Committed Mid Reindex' WHERE id = $1", course["id"]
                )
            )

    report = await reindex(asyncpg_dsn(catalog_url), engine, progress=commit_a_change)
    assert changed
    await sync_once(catalog, engine)  # what a running follower would do next
    result = await engine.search(SearchRequest(q="committed mid reindex"))
    assert result.hits[0].document.slug == course["slug"]
    assert result.hits[0].document.title == "Committed Mid Reindex"
    assert report.documents == await engine.document_count()


async def test_a_reindex_failing_after_its_switch_loses_no_change(
    catalog: asyncpg.Connection,
    catalog_url: str,
    engine: TantivyEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change the follower applied to the old index during a reindex was deleted from the
    outbox when the reindex failed after its switch (the new index live, without it): its
    course was never found by its new title until another full reindex."""
    import asyncio

    from indexer import checkpoint

    course = await published_course(catalog)
    followed: list[asyncio.Task[None]] = []

    async def change_and_follow() -> None:
        await catalog.execute(
            "UPDATE courses SET title = 'Followed Mid Reindex' WHERE id = $1", course["id"]
        )
        await sync_once(catalog, engine)  # the follower: into the old index, row marked

    def during(_: int) -> None:
        if not followed:
            followed.append(asyncio.get_event_loop().create_task(change_and_follow()))

    lock_batch = checkpoint.lock_batch

    async def followed_first(conn: asyncpg.Connection) -> None:
        if conn is not catalog:  # the switch: once the follower is done (it takes this too)
            await followed[0]
        await lock_batch(conn)

    async def fail_after_the_switch(conn: asyncpg.Connection) -> int:
        raise ConnectionError("connection is closed")

    monkeypatch.setattr(checkpoint, "lock_batch", followed_first)
    monkeypatch.setattr(checkpoint, "finish_reindex", fail_after_the_switch)
    with pytest.raises(ConnectionError):
        await reindex(asyncpg_dsn(catalog_url), engine, progress=during)
    monkeypatch.undo()
    await sync_once(catalog, engine)  # the follower's next pass
    found = await engine.search(SearchRequest(q="followed mid reindex"))
    assert found.hits and found.hits[0].document.slug == course["slug"]


async def test_failed_reindex_leaves_the_live_index_untouched(
    catalog_url: str, engine: TantivyEngine
) -> None:
    live_before = engine.store.live_name()
    count_before = await engine.document_count()

    def interrupt(_: int) -> None:
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        await reindex(asyncpg_dsn(catalog_url), engine, progress=interrupt)
    assert engine.store.live_name() == live_before
    assert await engine.document_count() == count_before
    generations = sorted(p.name for p in engine.store.root.glob("gen-*"))
    assert live_before in generations and len(generations) <= 2


async def test_only_one_reindex_at_a_time(catalog_url: str, engine: TantivyEngine) -> None:
    holder = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", 0x5EA2C4_02)
        with pytest.raises(ReindexError, match="another reindex"):
            await reindex(asyncpg_dsn(catalog_url), engine)
    finally:
        await holder.close()


async def test_reindex_replays_exactly_what_its_snapshot_missed(
    catalog: asyncpg.Connection, catalog_url: str, engine: TantivyEngine
) -> None:
    from indexer import checkpoint

    before, after = [
        r["id"]
        for r in await catalog.fetch(
            "SELECT id FROM courses WHERE status = 'published' ORDER BY id LIMIT 2"
        )
    ]
    writer = await asyncpg.connect(asyncpg_dsn(catalog_url))
    reader = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        await writer.execute("SELECT pg_advisory_lock($1)", checkpoint.REINDEX_LOCK)
        await checkpoint.mark_reindex_started(writer)
        # A change committed before the snapshot: the new index will already have it.
        await catalog.execute("UPDATE courses SET title = 'Seen' WHERE id = $1", before)
        async with reader.transaction(isolation="repeatable_read"):
            snapshot = await reader.fetchval("SELECT pg_current_snapshot()::text")
            await checkpoint.record_snapshot(writer, snapshot)
            # A change after the snapshot, applied by the follower to the old index.
            await catalog.execute("UPDATE courses SET title = 'Unseen' WHERE id = $1", after)
            await sync_once(catalog, engine)
            marked = await catalog.fetchval(
                "SELECT count(*) FROM search_outbox WHERE processed_at IS NOT NULL"
            )
            assert marked == 2, "during a reindex confirmed rows are kept, marked"
            requeued = await checkpoint.finish_reindex(writer)
        assert requeued == 1
        pending = await catalog.fetch(
            "SELECT course_id FROM search_outbox WHERE processed_at IS NULL"
        )
        assert [r["course_id"] for r in pending] == [after]
    finally:
        await writer.close()
        await reader.close()


async def test_stale_reindex_marker_is_cleared(
    catalog: asyncpg.Connection, engine: TantivyEngine
) -> None:
    """A reindex killed mid-run leaves its marker; the follower notices nobody holds the lock."""
    from indexer import checkpoint

    await checkpoint.mark_reindex_started(catalog)
    course = await published_course(catalog)
    await catalog.execute("UPDATE courses SET title = 'After Crash' WHERE id = $1", course["id"])
    await sync_once(catalog, engine)
    assert await catalog.fetchval("SELECT count(*) FROM search_outbox") == 0
    assert (
        await catalog.fetchval(
            "SELECT count(*) FROM search_sync_state WHERE name = $1", checkpoint.REINDEX_MARKER
        )
        == 0
    )


class _FailingModel:
    """The packaged model under another name (so every course is embedded again), failing
    on its ``fail_on``-th batch."""

    def __init__(self, fail_on: int) -> None:
        from search_service.semantic.models import load_embedder

        self.real = load_embedder()
        self.name = self.real.name + "-test"
        self.dimensions = self.real.dimensions
        self.fail_on = fail_on
        self.batches = 0
        self.counting = threading.Lock()

    def knows(self, word: str) -> bool:
        return self.real.knows(word)

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        with self.counting:  # batches are embedded on two threads
            self.batches += 1
            failing = self.batches == self.fail_on
        if failing:
            raise RuntimeError("the model failed")
        return self.real.embed(texts)


async def test_reindex_in_small_batches_embeds_and_indexes_every_course(
    catalog_url: str, engine: TantivyEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.reindex

    monkeypatch.setattr(indexer.reindex, "BATCH", 50)  # many batches: the pipeline's path
    model = _FailingModel(fail_on=0)
    done: list[int] = []
    report = await reindex(asyncpg_dsn(catalog_url), engine, progress=done.append, embedder=model)
    assert report.documents == await engine.document_count() == sum(done)
    assert len(done) > 2 and report.embedded == report.documents
    assert model.batches >= len(done)
    # Every new vector was written (in the background, on a connection of its own).
    conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        kept = await conn.fetchval(
            "SELECT count(*) FROM course_embeddings WHERE model = $1", model.name
        )
    finally:
        await conn.close()
    assert kept == report.documents


@pytest.mark.parametrize("failing", ["model", "vector write"])
async def test_a_failure_mid_reindex_leaves_the_live_index_and_no_task(
    catalog_url: str, engine: TantivyEngine, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    import asyncio

    import indexer.reindex
    from indexer.embeddings import CourseVectors

    monkeypatch.setattr(indexer.reindex, "BATCH", 50)
    real_store = CourseVectors._store
    writes: list[int] = []

    async def store(self, conn, vectors):  # type: ignore[no-untyped-def]
        # The new vectors are written in the background, while the next batch is embedded.
        writes.append(len(vectors))
        if len(writes) == 2:
            raise RuntimeError("the vector write failed")
        await real_store(self, conn, vectors)

    if failing == "vector write":
        monkeypatch.setattr(CourseVectors, "_store", store)
    live_before = engine.store.live_name()
    tasks = asyncio.all_tasks()
    with pytest.raises(RuntimeError, match=f"the {failing} failed"):
        model = _FailingModel(fail_on=3 if failing == "model" else 0)
        await reindex(asyncpg_dsn(catalog_url), engine, embedder=model)
    assert asyncio.all_tasks() == tasks
    assert engine.store.live_name() == live_before
    # The next reindex runs (the failed one let go of its lock and its marker).
    monkeypatch.undo()
    assert (await reindex(asyncpg_dsn(catalog_url), engine)).documents > 0


async def test_a_failed_reindex_stops_reading_ahead_before_it_rolls_back() -> None:
    # The stream reads its next batch ahead on the reader's connection; a failure must close
    # it (cancelling that read) before the reader's transaction is rolled back, or the
    # rollback meets "another operation is in progress" (seen once under load in CI).
    from indexer.embeddings import CourseVectors
    from indexer.reindex import _pipeline

    closed: list[bool] = []

    async def batches():  # type: ignore[no-untyped-def]
        try:
            yield []
            yield []
        finally:
            closed.append(True)

    class Failing:
        async def add(self, documents: list[CourseDocument]) -> None:
            raise RuntimeError("the index failed")

    class NoVectors(CourseVectors):
        def __init__(self) -> None:
            pass

        async def attach(self, conn, rows, documents):  # type: ignore[no-untyped-def]
            return []

    with pytest.raises(RuntimeError, match="the index failed"):
        await _pipeline(batches(), None, Failing(), NoVectors(), None)  # type: ignore[arg-type]
    assert closed == [True]
