"""The tantivy adapter's vector parts: ``compact`` merges them into what a reader holds, and
a reader finds each course's own vector however it orders them."""

from __future__ import annotations

import gc
import uuid
from pathlib import Path

import msgspec
import numpy as np

from indexer.documents import build_document
from search_service.search.document import CourseDocument
from search_service.search.request import AnyOf
from search_service.search.tantivy.schema import doc_key
from search_service.search.tantivy.vectors import EXACT_ROWS, Matrix, VectorIndex, VectorWriter
from tests.support.documents import row

DIMENSIONS = 8


def _document(n: int, level: str = "beginner") -> CourseDocument:
    vector = np.random.default_rng(n).standard_normal(DIMENSIONS).astype("<f4")
    vector /= np.linalg.norm(vector)  # as the embedder's are
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


def _finds_each_courses_own_vector(
    index: VectorIndex, expected: dict[str, Matrix], levels: dict[str, str]
) -> None:
    assert len(index) == len(expected)
    for doc_id, vector in expected.items():
        found = index.vector(doc_id)
        assert found is not None and found.tobytes() == vector.tobytes(), doc_id
    for doc_id in list(expected)[:: len(expected) // 10]:
        nearest = index.nearest(expected[doc_id], index.mask([]), 3, -1.0)
        assert nearest[0][0] == doc_id and abs(nearest[0][1] - 1.0) < 1e-5
    query = next(iter(expected.values()))
    ids = list(expected)[:3]
    cosines = index.similarities(query, [doc_key(i) for i in ids])
    assert np.allclose(cosines, [float(expected[i] @ query) for i in ids])
    # A filter leaving few rows compares them one by one: their own scores, best first.
    advanced = index.nearest(query, index.mask([AnyOf("level", ("advanced",))]), 20, -1.0)
    assert len(advanced) == 20
    assert all(levels[doc_id] == "advanced" for doc_id, _ in advanced)
    assert all(abs(score - float(expected[i] @ query)) < 1e-5 for i, score in advanced)
    assert [s for _, s in advanced] == sorted((s for _, s in advanced), reverse=True)


def test_clustered_vectors_are_read_by_their_own_rows_after_an_incremental_part(
    tmp_path: Path,
) -> None:
    """Past EXACT_ROWS a reader holds the vectors in cluster order: every lookup (a course's
    vector, a query's cosines, its nearest rows, a filter) finds each course's own, after
    a part added to what the reader held, and after compacting the clustered parts."""
    count = EXACT_ROWS + 500
    levels = ("beginner", "advanced")
    base = [_document(n, levels[n % 2]) for n in range(1, count + 1)]
    writer = VectorWriter(tmp_path, "test-model", DIMENSIONS)
    writer.write(base, ())
    writer.compact(cluster=True)
    assert (tmp_path / "vectors" / "centroids.npy").exists()
    index = VectorIndex(tmp_path)
    index.refresh()  # holds the clustered base part...
    changed = [_document(count + 7, "advanced"), _document(count + 8, "beginner")]
    changed = [msgspec.structs.replace(changed[0], id=_id(2)), changed[1]]  # course 2 anew
    writer.write(changed, [_id(3)])
    index.refresh()  # ...and then the new part

    expected = {d.id: np.frombuffer(d.vector, dtype="<f4") for d in [*base, *changed]}
    del expected[_id(3)]
    level_of = {d.id: d.level for d in [*base, *changed]}
    _finds_each_courses_own_vector(index, expected, level_of)
    assert index.vector(_id(3)) is None

    writer.compact()  # keeps the clusters: the base part is written from the reader's rows
    again = VectorIndex(tmp_path)
    again.refresh()
    _finds_each_courses_own_vector(again, expected, level_of)


def test_a_reader_of_many_vectors_leaves_the_collector_little_to_walk(tmp_path: Path) -> None:
    """A worker opens each new generation's vectors while it serves: what it holds per
    course (ids, rows, filter values) is no object the cyclic collector walks, so a full
    collection stays short at any catalog size (docs/performance.md)."""
    count = 3000
    writer = VectorWriter(tmp_path, "test-model", DIMENSIONS)
    writer.write([_document(n, ("beginner", "advanced")[n % 2]) for n in range(1, count + 1)], ())
    gc.collect()
    before = len(gc.get_objects())
    index = VectorIndex(tmp_path)
    index.refresh()
    gc.collect()
    assert len(gc.get_objects()) - before < 500
    # What compacting needs of it is still there: every course's filter values.
    assert {attrs["level"] for attrs in index.live_rows().attributes} == {"beginner", "advanced"}
    assert len(index.live_rows().attributes) == count
