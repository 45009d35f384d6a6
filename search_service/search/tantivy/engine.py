"""The embedded engine: tantivy, in-process, with its index under SKILLSPRING_DATA_DIR."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import tantivy

from search_service.lib.errors import SearchUnavailable
from search_service.lib.lru import LRU
from search_service.search.document import CourseDocument
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult
from search_service.search.tantivy.execute import run_search, similar
from search_service.search.tantivy.plan import QueryBuilder
from search_service.search.tantivy.reader import Reader
from search_service.search.tantivy.respell import respell
from search_service.search.tantivy.schema import MATCH_PREFIX, MATCH_STEM, to_tantivy
from search_service.search.tantivy.store import TantivyStore
from search_service.search.tantivy.variants import Variants
from search_service.search.tantivy.vectors import VectorIndex, VectorWriter, model_of

WRITER_HEAP = 64_000_000
REBUILD_HEAP = 256_000_000
LARGE_WRITE = 2000


def _dimensions(documents: Sequence[CourseDocument]) -> int:
    return next((len(d.vector) // 4 for d in documents if d.vector), 0)


class TantivyRebuild:
    """A new generation being filled; the live one serves until ``switch``."""

    def __init__(self, store: TantivyStore, model: str) -> None:
        self.store = store
        self.model = model
        self.name, self.index = store.create()
        self.writer: tantivy.IndexWriter | None = self.index.writer(REBUILD_HEAP, 2)
        self.vectors: VectorWriter | None = None

    async def add(self, documents: Sequence[CourseDocument]) -> None:
        writer = self.writer
        assert writer is not None, "rebuild already finished"
        if self.vectors is None and (dimensions := _dimensions(documents)):
            self.vectors = VectorWriter(self.store.root / self.name, self.model, dimensions)
        if self.vectors is not None:
            self.vectors.write(documents, ())
        # Inline (a thread would fight the event loop for the GIL on every document); the
        # reindex's next batch is being read from PostgreSQL meanwhile.
        _add(writer, self.store.schema, documents)

    async def _finish(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            if self.vectors is not None:
                # One base part, its vectors clustered for the searches to come.
                await asyncio.to_thread(self.vectors.compact, True)
            await asyncio.to_thread(_commit, writer)
            self.index.reload()

    async def count(self) -> int:
        await self._finish()
        return int(self.index.searcher().num_docs)

    async def switch(self) -> None:
        await self._finish()
        self.store.switch(self.name)

    async def abort(self) -> None:
        if self.writer is not None:
            self.writer.rollback()
            self.writer = None
        self.store.discard(self.name)


def _add(
    writer: tantivy.IndexWriter, schema: tantivy.Schema, documents: Sequence[CourseDocument]
) -> None:
    for doc in documents:
        writer.add_document(to_tantivy(doc, schema))


def _commit(writer: tantivy.IndexWriter) -> None:
    writer.commit()
    writer.wait_merging_threads()  # also releases the writer lock


class TantivyEngine:
    """The search port over tantivy generations in ``root``; vectors (when documents carry
    them) are tagged with ``model``, and a generation tagged with another model is not used
    for hybrid searches until a reindex."""

    name = "tantivy"

    def __init__(self, root: Path, documents_kept: int = 0, model: str = "") -> None:
        self.store = TantivyStore(root)
        self.builder = QueryBuilder(self.store.schema, self.store.analyzers)
        self.documents_kept = documents_kept
        self.model = model
        self._reader: Reader | None = None
        self._opening = asyncio.Lock()
        # Term dictionaries of the live generation too large to scan for typo variants.
        self._too_large: set[str] = set()

    def _current_reader(self) -> Reader:
        stamp = self.store.stamp()
        reader = self._reader
        if reader is None or reader.stamp != stamp:
            name, index = self.store.open_live()
            vectors = None
            if reader is not None and reader.name == name:
                index = reader.index
                index.reload()
                vectors = reader.vectors
            else:
                self._too_large = set()  # a new generation: its dictionaries are new
            if vectors is None:
                vectors = VectorIndex(self.store.root / name)
            # The stamp read before opening: a commit landing meanwhile moves it again, so the
            # next search reloads rather than keeping a reader older than its stamp.
            vectors.refresh()
            searcher = index.searcher()
            variants = Variants(searcher, MATCH_STEM, MATCH_PREFIX, self._too_large)
            reader = Reader(
                name,
                index,
                searcher,
                stamp,
                variants,
                vectors,
                LRU(self.documents_kept),
                made_with=model_of(self.store.root / name),
            )
            self._reader = reader
        return reader

    async def _reader_now(self) -> Reader:
        """The reader for now. Opening a new generation loads its vectors (100 MB at 100,000
        courses): that happens on a thread, never on the event loop, as does a worker's first
        reader; a commit within the same generation adds a small part, read inline."""
        reader = self._reader
        if reader is not None and reader.stamp == self.store.stamp():
            return reader
        if reader is not None and reader.name == self.store.live_name():
            return self._current_reader()
        # One opening at a time: the searches that arrive meanwhile wait for it, and a search
        # never reads vectors another thread is filling.
        async with self._opening:
            reader = self._reader
            if reader is not None and reader.stamp == self.store.stamp():
                return reader
            if reader is not None and reader.name == self.store.live_name():
                return self._current_reader()
            return await asyncio.to_thread(self._current_reader)

    def _checked(self, reader: Reader, request: SearchRequest) -> None:
        if not request.hybrid or not self.model:
            return
        made_with = reader.made_with
        if made_with not in (None, self.model):
            raise SearchUnavailable(
                f"search index vectors were made by {made_with}, this version embeds with "
                f"{self.model}; run: skillspring reindex"
            )

    async def apply_settings(self) -> None:
        if self.store.live_name() is None:
            name, index = self.store.create()
            await asyncio.to_thread(_commit, index.writer(WRITER_HEAP, 1))
            self.store.switch(name)

    def _write(self, documents: Sequence[CourseDocument], ids: Sequence[str]) -> None:
        name, index = self.store.open_live()
        # A fan-out (thousands of documents at once) gets the rebuild's memory and threads.
        large = len(documents) + len(ids) >= LARGE_WRITE
        try:
            writer = index.writer(REBUILD_HEAP, 2) if large else index.writer(WRITER_HEAP, 1)
        except ValueError as exc:
            raise SearchUnavailable(f"search index is locked or unwritable: {exc}") from exc
        dimensions = _dimensions(documents)
        if dimensions or model_of(self.store.root / name) is not None:
            # Before the commit: a reader that sees the commit sees these vectors too.
            VectorWriter(self.store.root / name, self.model, dimensions).write(documents, ids)
        for doc_id in (*ids, *(d.id for d in documents)):
            writer.delete_documents_by_term("id", doc_id)
        schema = self.store.schema
        for doc in documents:
            writer.add_document(to_tantivy(doc, schema))
        _commit(writer)

    async def upsert(self, documents: Sequence[CourseDocument]) -> None:
        if documents:
            await asyncio.to_thread(self._write, documents, ())

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await asyncio.to_thread(self._write, (), ids)

    async def search(self, request: SearchRequest) -> EngineResult:
        # Inline: a search takes a few milliseconds at most (pages reach MAX_HITS deep, word
        # dropping and respelling are bounded) and tantivy lets go of the GIL while it works.
        reader = await self._reader_now()
        self._checked(reader, request)
        return run_search(reader, self.builder, request)

    async def generation(self) -> str | None:
        reader = await self._reader_now()
        return f"{reader.name}:{':'.join(map(str, reader.stamp))}"

    async def correct(self, query: str) -> str | None:
        return respell(await self._reader_now(), self.builder, query)

    async def similar(self, doc_id: str, limit: int) -> list[str]:
        return similar(await self._reader_now(), doc_id, limit)

    async def rebuild(self) -> TantivyRebuild:
        return TantivyRebuild(self.store, self.model)

    async def document_count(self) -> int:
        return int((await self._reader_now()).searcher.num_docs)

    async def health(self) -> None:
        await self._reader_now()

    async def close(self) -> None:
        self._reader = None
