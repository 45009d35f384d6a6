"""The tantivy engine's vectors: one store per index generation, beside its tantivy files.

tantivy (0.27) has no vector fields, so a generation keeps its documents' vectors in
``<generation>/vectors/`` as numbered parts, written by the same writer as the tantivy commit
(a part is renamed into place before the commit, so a reader that sees the commit sees the
part). A part holds the vectors, the filtered fields and the cluster of the documents written,
and the ids of the documents deleted, in that write. A reader loads the parts it has not seen;
a part marked ``base`` holds everything and replaces what came before (a rebuild ends with
one, and so does ``compact`` when parts pile up).

Nearest neighbours honour a search's filters exactly: the filters' conditions are evaluated
on columns of the same values tantivy filters on (``mask``) and only rows passing them are
compared, by an exact dot product (vectors are L2-normalised: the cosine). Past
``EXACT_ROWS`` rows an inverted-file index narrows the rows compared: the rebuild clusters the
vectors (k-means, ``clusters.py``), a query compares only the rows of its nearest clusters,
more of them until enough rows pass the filters. Why this and not an HNSW library:
``docs/relevance.md``.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
import numpy as np
import numpy.typing as npt

from search_service.search.document import CourseDocument
from search_service.search.request import AnyOf, Condition, IsTrue, NoneOf
from search_service.search.tantivy import clusters
from search_service.search.tantivy.schema import doc_key
from search_service.search.vocabulary import FILTERABLE, RANGE_FIELDS, facet_key

FOLDER = "vectors"
MODEL_FILE = "MODEL"
CENTROIDS_FILE = "centroids.npy"
PART_DIGITS = 8
COMPACT_AFTER = 64  # parts: more than this and the writer merges them into one base part
# Up to this many rows passing the filters, every one of them is compared (a few hundred
# microseconds); past it, only the rows of the query's nearest clusters.
EXACT_ROWS = 4000
_ENCODE = msgspec.json.Encoder()
_DECODE = msgspec.json.Decoder(list[dict[str, object]])
Mask = npt.NDArray[np.bool_]
Matrix = npt.NDArray[np.float32]


def _part_name(number: int, base: bool) -> str:
    return f"part-{number:0{PART_DIGITS}d}{'-base' if base else ''}.npz"


def _part_number(name: str) -> int:
    return int(name[5 : 5 + PART_DIGITS])


@dataclass(frozen=True, slots=True)
class Rows:
    """Documents as a part holds them: ids, one vector row each, their filtered fields, and
    their clusters (-1: none yet)."""

    ids: list[str]
    vectors: Matrix
    attributes: list[dict[str, object]]
    clusters: npt.NDArray[np.int32]


def _rows(documents: Sequence[CourseDocument], dimensions: int) -> Rows:
    vectors = np.frombuffer(b"".join(d.vector for d in documents), dtype="<f4")
    return Rows(
        [d.id for d in documents],
        vectors.reshape(len(documents), dimensions).astype(np.float32),
        [{name: getattr(d, name) for name in FILTERABLE} for d in documents],
        np.full(len(documents), -1, dtype=np.int32),
    )


class VectorWriter:
    """Writes one generation's vector parts (one writer at a time: tantivy's writer lock is
    held around every call)."""

    def __init__(self, generation: Path, model: str, dimensions: int) -> None:
        self.folder = generation / FOLDER
        self.model = model
        self.dimensions = dimensions

    def _parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.npz"))

    def write(self, documents: Sequence[CourseDocument], deleted: Sequence[str]) -> None:
        """One part: the documents' vectors (a document without one is deleted) and the ids
        deleted; the documents go to their nearest cluster when the generation has any."""
        size = 4 * self.dimensions
        kept = [d for d in documents if size and len(d.vector) == size]
        gone = [*deleted, *(d.id for d in documents if not size or len(d.vector) != size)]
        if not kept and not gone:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if kept:
            (self.folder / MODEL_FILE).write_text(f"{self.model}\n{self.dimensions}\n")
        rows = _rows(kept, self.dimensions)
        centroids = read_centroids(self.folder.parent)
        if centroids is not None and len(kept):
            rows.clusters[:] = clusters.assign(rows.vectors, centroids)
        self._write_part(rows, gone, base=False)
        if len(self._parts()) > COMPACT_AFTER:
            self.compact()

    def _write_part(self, rows: Rows, deleted: Sequence[str], base: bool) -> None:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            ids=np.array(rows.ids, dtype=str),
            vectors=rows.vectors,
            attributes=np.frombuffer(_ENCODE.encode(rows.attributes), dtype=np.uint8),
            clusters=rows.clusters,
            deleted=np.array(list(deleted), dtype=str),
        )
        parts = self._parts()
        name = _part_name(_part_number(parts[-1].name) + 1 if parts else 1, base)
        _write_atomically(self.folder / name, buffer.getvalue())

    def compact(self, cluster: bool = False) -> None:
        """Merge every part into one base part; ``cluster``: cluster the vectors anew first
        (the end of a rebuild), so the rows compared per query stay few."""
        index = VectorIndex(self.folder.parent)
        index.refresh()
        rows = index.live_rows()
        if cluster:
            centroids = clusters.train(rows.vectors) if len(rows.ids) > EXACT_ROWS else None
            if centroids is not None:
                rows.clusters[:] = clusters.assign(rows.vectors, centroids)
                buffer = io.BytesIO()
                np.save(buffer, centroids)
                _write_atomically(self.folder / CENTROIDS_FILE, buffer.getvalue())
        self._write_part(rows, [], base=True)
        newest = _part_number(self._parts()[-1].name)
        for part in self._parts():
            if _part_number(part.name) < newest:
                part.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def model_of(generation: Path) -> str | None:
    """The embedding model a generation's vectors were made with (None: it has none)."""
    try:
        return (generation / FOLDER / MODEL_FILE).read_text().split("\n")[0] or None
    except FileNotFoundError:
        return None


def read_centroids(generation: Path) -> Matrix | None:
    """The generation's cluster centroids (None: it is compared row by row)."""
    try:
        centroids: Matrix = np.load(generation / FOLDER / CENTROIDS_FILE).astype(np.float32)
    except FileNotFoundError:
        return None
    return centroids


@dataclass
class _Columns:
    """Row-aligned filter values: keyword postings (value -> rows) and numbers."""

    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    numbers: dict[str, list[float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Layout:
    """The vectors in cluster order (each cluster's rows one slice: a query reads its
    clusters in place), which row each position holds (``order``), where each row is
    (``position``), and where each cluster's slice begins (``bounds``) with the clusters'
    ``centroids`` (none: row order). Replaced whole by a refresh, so a search holds one
    consistent layout."""

    matrix: Matrix
    order: npt.NDArray[np.intp]
    position: npt.NDArray[np.intp]
    bounds: npt.NDArray[np.intp]
    centroids: Matrix | None

    @staticmethod
    def empty() -> _Layout:
        none = np.zeros(0, dtype=np.intp)
        return _Layout(np.zeros((0, 0), dtype=np.float32), none, none, none, None)

    def rows_of(self, rows: npt.NDArray[np.intp] | Sequence[int]) -> Matrix:
        """The vectors of ``rows``, in that order."""
        return self.matrix[self.position[rows]]


class VectorIndex:
    """What a reader needs of a generation's vectors: rows, filters, nearest neighbours."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        self.folder = generation / FOLDER
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.seen = 0  # the last part number loaded
        self.rows: dict[str, int] = {}  # id -> its live row
        self.keys: dict[int, int] = {}  # the id's ``doc_key`` -> its live row
        self.ids: list[str] = []
        self._chunks: list[Matrix] = []
        self._layout = _Layout.empty()
        self._alive: list[bool] = []
        self._cluster_of: list[int] = []
        self._columns = _Columns()
        # Each part's filtered fields as written, in row order (bytes: nothing for the
        # collector to walk), decoded again only to compact.
        self._attribute_parts: list[bytes] = []
        self._masks: dict[tuple[str, str], Mask] = {}
        self._numbers: dict[str, npt.NDArray[np.float64]] = {}  # the number columns, as arrays
        self._alive_mask: Mask = np.zeros(0, dtype=bool)
        self._centroids: Matrix | None = None

    def refresh(self) -> None:
        """Load the parts written since the last refresh (from a base part: start over)."""
        with self._lock:
            try:
                self._load_new()
            except FileNotFoundError:  # compacted meanwhile: the base part holds everything
                self._reset()
                self._load_new()
            self._finish()

    def _load_new(self) -> None:
        names = sorted(p.name for p in self.folder.glob("part-*.npz"))
        new = [n for n in names if _part_number(n) > self.seen]
        bases = [n for n in new if n.endswith("-base.npz")]
        if bases:
            self._reset()
            new = [n for n in new if _part_number(n) >= _part_number(bases[-1])]
            self._centroids = read_centroids(self.generation)
        elif not self.seen:
            self._centroids = read_centroids(self.generation)
        for name in new:
            self._load(name)

    def _load(self, name: str) -> None:
        with np.load(self.folder / name) as part:
            ids = [str(i) for i in part["ids"]]
            vectors = np.asarray(part["vectors"], dtype=np.float32)
            encoded = part["attributes"].tobytes()
            attributes = _DECODE.decode(encoded)
            groups = [int(c) for c in part["clusters"]]
            deleted = [str(i) for i in part["deleted"]]
        for doc_id in (*deleted, *ids):
            row = self.rows.pop(doc_id, None)
            if row is not None:
                self._alive[row] = False
                self.keys.pop(doc_key(doc_id), None)
        start = len(self.ids)
        for offset, (doc_id, attrs) in enumerate(zip(ids, attributes, strict=True)):
            self.rows[doc_id] = start + offset
            self.keys[doc_key(doc_id)] = start + offset
            self.ids.append(doc_id)
            self._alive.append(True)
            self._index(start + offset, attrs)
        self._cluster_of += groups
        if ids:
            self._attribute_parts.append(encoded)
            self._chunks.append(vectors)
        self.seen = _part_number(name)

    def _index(self, row: int, attrs: dict[str, object]) -> None:
        for name, value in attrs.items():
            if name in RANGE_FIELDS:
                self._columns.numbers.setdefault(name, []).append(float(value or 0))  # type: ignore[arg-type]
                continue
            postings = self._columns.postings.setdefault(name, {})
            for one in value if isinstance(value, list) else [value]:
                postings.setdefault(facet_key(name, one), []).append(row)

    def _finish(self) -> None:
        if self._chunks:
            self._layout = self._laid_out(self._chunks)
            self._chunks = []
        self._alive_mask = np.array(self._alive, dtype=bool)
        self._masks = {}
        self._numbers = {
            name: np.asarray(column, dtype=np.float64)
            for name, column in self._columns.numbers.items()
        }

    def _laid_out(self, chunks: list[Matrix]) -> _Layout:
        """The layout of every row, the new ``chunks`` (rows appended in order) included:
        one gather from the vectors held and the new ones."""
        held = self._layout
        joined = (
            np.concatenate([held.matrix, *chunks]) if len(held.matrix) else np.concatenate(chunks)
        )
        # Where each row is in ``joined``: the rows held where they were, the new ones after.
        where = np.concatenate([held.position, np.arange(len(held.matrix), len(joined))])
        if self._centroids is not None:
            of = np.array(self._cluster_of, dtype=np.intp)
            order = np.argsort(of, kind="stable")
            bounds = np.searchsorted(of[order], np.arange(len(self._centroids) + 1))
        else:
            order = np.arange(len(joined), dtype=np.intp)
            bounds = np.zeros(0, dtype=np.intp)
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        return _Layout(joined[where[order]], order, position, bounds, self._centroids)

    def __len__(self) -> int:
        return len(self.rows)

    def live_rows(self) -> Rows:
        """Every live row (for ``compact``)."""
        rows = list(self.rows.values())
        attributes = [a for part in self._attribute_parts for a in _DECODE.decode(part)]
        return Rows(
            [self.ids[r] for r in rows],
            self._layout.rows_of(rows) if rows else np.zeros((0, 0), dtype=np.float32),
            [attributes[r] for r in rows],
            np.array([self._cluster_of[r] for r in rows], dtype=np.int32),
        )

    # -- filters -------------------------------------------------------------------------------
    def _value_mask(self, name: str, value: str) -> Mask:
        mask = self._masks.get((name, value))
        if mask is None:
            mask = np.zeros(len(self.ids), dtype=bool)
            if name == "id":
                if value in self.rows:
                    mask[self.rows[value]] = True
            else:
                mask[self._columns.postings.get(name, {}).get(value, [])] = True
            self._masks[(name, value)] = mask
        return mask

    def _any(self, name: str, values: Iterable[object]) -> Mask:
        mask = np.zeros(len(self.ids), dtype=bool)
        for value in values:
            mask |= self._value_mask(name, str(value) if name == "id" else facet_key(name, value))
        return mask

    def _condition(self, condition: Condition) -> Mask:
        if isinstance(condition, AnyOf):
            return self._any(condition.field, condition.values)
        if isinstance(condition, NoneOf):
            return ~self._any(condition.field, condition.values)
        if isinstance(condition, IsTrue):
            return self._any(condition.field, [condition.value])
        column = self._numbers.get(condition.field, np.zeros(0))
        mask = np.ones(len(self.ids), dtype=bool)
        if len(column) != len(self.ids):
            return ~mask
        if condition.low is not None:
            mask &= column >= condition.low
        if condition.high is not None:
            mask &= column <= condition.high
        return mask

    def mask(self, conditions: Sequence[Condition]) -> Mask:
        """The live rows passing every condition."""
        mask = self._alive_mask.copy()
        for condition in conditions:
            mask &= self._condition(condition)
        return mask

    # -- similarity ----------------------------------------------------------------------------
    def vector(self, doc_id: str) -> Matrix | None:
        """A document's vector (None when it has none)."""
        row = self.rows.get(doc_id)
        return None if row is None else self._layout.rows_of([row])[0]

    def similarities(self, query: Matrix, keys: Sequence[int]) -> list[float]:
        """The cosine of ``query`` and each document, by ``doc_key`` (0 without a vector)."""
        rows = [self.keys.get(k, -1) for k in keys]
        known = [r for r in rows if r >= 0]
        scores = (self._layout.rows_of(known) @ query).tolist() if known else []
        found = dict(zip(known, scores, strict=True))
        return [found.get(r, 0.0) for r in rows]

    def _candidates(
        self, query: Matrix, mask: Mask, wanted: int
    ) -> tuple[npt.NDArray[np.intp], Matrix]:
        """The rows to compare and their cosines with ``query``: every row passing ``mask``
        when they are few (or there are no clusters), else those of the nearest clusters
        (each read in place), until ``wanted`` rows pass."""
        layout = self._layout
        passing = np.flatnonzero(mask)
        if layout.centroids is None or len(passing) <= EXACT_ROWS:
            if len(passing) == len(layout.order):
                return layout.order, layout.matrix @ query
            return passing, layout.rows_of(passing) @ query
        order = np.argsort(-(layout.centroids @ query))
        probes = clusters.probes(len(layout.centroids))
        while True:
            spans = [(layout.bounds[c], layout.bounds[c + 1]) for c in order[:probes]]
            rows = np.concatenate([layout.order[start:end] for start, end in spans])
            keep = mask[rows]
            if int(keep.sum()) >= wanted or probes >= len(order):
                break
            probes *= 2
        scores = np.concatenate([layout.matrix[start:end] @ query for start, end in spans])
        return rows[keep], scores[keep]

    def nearest(
        self, query: Matrix, mask: Mask, limit: int, floor: float
    ) -> list[tuple[str, float]]:
        """At most ``limit`` rows passing ``mask``, the most similar to ``query`` with a cosine
        of at least ``floor``, best first (equal scores by row)."""
        if limit <= 0 or not len(self.ids):
            return []
        rows, scores = self._candidates(query, mask, limit)
        keep = scores >= floor
        rows, scores = rows[keep], scores[keep]
        if len(rows) > limit:
            best = np.argpartition(-scores, limit - 1)[:limit]
            rows, scores = rows[best], scores[best]
        order = sorted(zip((-scores).tolist(), rows.tolist(), strict=True))
        return [(self.ids[row], -negative) for negative, row in order]
