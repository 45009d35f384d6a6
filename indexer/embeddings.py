"""Course vectors at index time, computed once.

A course's vector is made from its text (``course_text``: title, subtitle, tags, category
names, objectives and the start of its description). Each vector is kept in
``course_embeddings`` with a hash of that text and the model's name, so ``reindex`` and
``sync`` embed only the courses whose text changed; a new model (another ``Embedder.name``)
embeds everything again. New vectors are written with ``COPY``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec

from search_service.search.document import CourseDocument
from search_service.semantic.embedder import Embedder, pack

DESCRIPTION_CHARS = 400  # the start of the description: what the course is, not its detail
EMBED_BATCH = 256
EMBED_THREADS = 2

_CACHED = """
SELECT course_id::text AS id, text_hash, vector FROM course_embeddings
WHERE model = $1 AND course_id = ANY($2::uuid[])
"""
_LOAD_TABLE = "course_embeddings_load"
_CREATE_LOAD = f"""
CREATE TEMP TABLE IF NOT EXISTS {_LOAD_TABLE}
(course_id uuid, model text, text_hash bytea, vector bytea)
"""
_UPSERT = f"""
INSERT INTO course_embeddings (course_id, model, text_hash, vector)
SELECT l.course_id, l.model, l.text_hash, l.vector FROM {_LOAD_TABLE} l
JOIN courses c ON c.id = l.course_id
ON CONFLICT (course_id, model) DO UPDATE
SET text_hash = excluded.text_hash, vector = excluded.vector, updated_at = now()
"""  # noqa: S608 (a module constant)


def course_text(row: Mapping[str, Any], document: CourseDocument) -> str:
    """What a course's vector means: its words a shopper would describe it by."""
    parts = [
        document.title,
        document.subtitle,
        ", ".join(document.tags),
        ", ".join(document.category_names),
        ". ".join(row.get("objectives") or ()),
        document.description[:DESCRIPTION_CHARS],
    ]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def text_hash(model: str, text: str) -> bytes:
    """The cache key of a text's vector under ``model``."""
    return hashlib.sha256(f"{model}\0{text}".encode()).digest()[:16]


@dataclass
class VectorCounts:
    """How many vectors were read from the cache and how many were computed."""

    cached: int = 0
    embedded: int = 0


class CourseVectors:
    """Attaches each course document's vector, from the cache or the model.

    New vectors are written to ``course_embeddings`` on the connection given to ``attach``,
    or, with ``keep_on`` (a reindex), on a connection of their own in the background, one
    write after another, while the next batch is embedded; ``flush`` waits for them.
    """

    def __init__(self, embedder: Embedder, keep_on: asyncpg.Connection | None = None) -> None:
        self.embedder = embedder
        self.counts = VectorCounts()
        self._keep_on = keep_on
        self._writing: asyncio.Task[None] | None = None

    async def attach(
        self,
        conn: asyncpg.Connection,
        rows: Sequence[Mapping[str, Any]],
        documents: Sequence[CourseDocument],
    ) -> list[CourseDocument]:
        """``documents`` (made from ``rows``, same order) with their ``vector`` set."""
        if self._writing is not None and self._writing.done():
            self._writing.result()  # a background write failed: stop now, not at the end
        if not documents:
            return []
        model = self.embedder.name
        by_id = {str(row["id"]): row for row in rows}
        texts = {d.id: course_text(by_id[d.id], d) for d in documents}
        hashes = {i: text_hash(model, t) for i, t in texts.items()}
        found: dict[str, bytes] = {}
        for record in await conn.fetch(_CACHED, model, list(texts)):
            if bytes(record["text_hash"]) == hashes[record["id"]]:
                found[record["id"]] = bytes(record["vector"])
        missing = [i for i in texts if i not in found]
        if missing:
            fresh = await asyncio.to_thread(self._embed, [texts[i] for i in missing])
            found.update(zip(missing, fresh, strict=True))
            new = [(i, hashes[i], found[i]) for i in missing]
            if self._keep_on is None:
                await self._store(conn, new)
            else:
                self._writing = asyncio.create_task(self._store_after(self._writing, new))
        self.counts.cached += len(texts) - len(missing)
        self.counts.embedded += len(missing)
        return [msgspec.structs.replace(d, vector=found[d.id]) for d in documents]

    async def flush(self) -> None:
        """Wait until every new vector is written (raises what a write raised)."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            await writing

    async def abandon(self) -> None:
        """Stop the background writes (after a failure: the reindex stops)."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.cancel()
            with contextlib.suppress(BaseException):
                await writing

    def _embed(self, texts: list[str]) -> list[bytes]:
        # Shortest first, so each of the model's batches pads its texts to a similar length;
        # the batches go to EMBED_THREADS threads (the tokenizer and numpy let go of the GIL);
        # every vector goes back to its text's place.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[start : start + EMBED_BATCH] for start in range(0, len(order), EMBED_BATCH)]
        out: list[bytes] = [b""] * len(texts)
        with ThreadPoolExecutor(EMBED_THREADS) as pool:
            embedded = pool.map(
                lambda chunk: self.embedder.embed([texts[i] for i in chunk]), chunks
            )
            for chunk, vectors in zip(chunks, embedded, strict=True):
                for i, vector in zip(chunk, vectors, strict=True):
                    out[i] = pack(vector)
        return out

    async def _store_after(
        self, previous: asyncio.Task[None] | None, vectors: Sequence[tuple[str, bytes, bytes]]
    ) -> None:
        if previous is not None:
            await previous
        assert self._keep_on is not None
        await self._store(self._keep_on, vectors)

    async def _store(
        self, conn: asyncpg.Connection, vectors: Sequence[tuple[str, bytes, bytes]]
    ) -> None:
        model = self.embedder.name
        records = [(uuid.UUID(i), model, h, v) for i, h, v in vectors]
        async with conn.transaction():
            await conn.execute(_CREATE_LOAD)
            await conn.execute(f"TRUNCATE {_LOAD_TABLE}")
            await conn.copy_records_to_table(_LOAD_TABLE, records=records)
            await conn.execute(_UPSERT)


async def forget_other_models(conn: asyncpg.Connection, model: str) -> int:
    """Delete the vectors of every other model (after a reindex with ``model``)."""
    status = await conn.execute("DELETE FROM course_embeddings WHERE model <> $1", model)
    return int(status.split()[-1])
