"""The tantivy adapter's vector parts: ``compact`` merges them into what a reader holds."""

from __future__ import annotations

import uuid
from pathlib import Path

import msgspec
import numpy as np

from indexer.documents import build_document
from search_service.search.document import CourseDocument
from search_service.search.tantivy.vectors import VectorIndex, VectorWriter
from tests.support.documents import row

DIMENSIONS = 8


def _document(n: int, level: str = "beginner") -> CourseDocument:
    vector = np.random.default_rng(n).standard_normal(DIMENSIONS).astype("<f4")
    document = build_document(row(id=uuid.UUID(int=n), slug=f"course-{n}", level=level))
    return msgspec.structs.replace(document, vector=vector.tobytes())


def _id(n: int) -> str:
    return str(uuid.UUID(int=n))


def _held(index: VectorIndex) -> dict[str, tuple[bytes, object]]:
    rows = index.live_rows()
    return {
        doc_id: (rows.vectors[i].tobytes(), rows.attributes[i]["level"])
        for i, doc_id in enumerate(rows.ids)
    }


def test_compacting_keeps_each_courses_newest_vector_and_drops_the_deleted(
    tmp_path: Path,
) -> None:
    writer = VectorWriter(tmp_path, "test-model", DIMENSIONS)
    writer.write([_document(n) for n in range(1, 6)], ())
    writer.write([_document(2, "advanced"), _document(6)], [_id(3)])  # changed, new, gone
    writer.write([_document(3)], [_id(5), _id(4)])  # back again; gone
    before = VectorIndex(tmp_path)
    before.refresh()

    writer.compact()
    after = VectorIndex(tmp_path)
    after.refresh()
    assert _held(after) == _held(before)
    assert len(list((tmp_path / "vectors").glob("part-*.npz"))) == 1
    assert sorted(_held(after)) == [_id(1), _id(2), _id(3), _id(6)]
    assert _held(after)[_id(2)][1] == "advanced"
