"""k-means clusters of a generation's vectors: the inverted-file index of ``vectors.py``.

A query compares only the rows of its nearest clusters: with about sqrt(n) clusters and
``probes`` of them, a search at 100,000 courses compares some 5,000 rows instead of all.
Lloyd's algorithm on a sample (spherical: centroids are re-normalised, similarity is the dot
product), seeded, so a rebuild of the same vectors gives the same clusters.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

SAMPLE = 20_000  # vectors the centroids are trained on
ROUNDS = 12
SEED = 7
ASSIGN_BATCH = 8192

Matrix = npt.NDArray[np.float32]


def count_for(rows: int) -> int:
    """Clusters for ``rows`` vectors: about their square root."""
    return max(1, round(math.sqrt(rows)))


def probes(clusters: int) -> int:
    """Clusters a query looks into first (more when too few rows pass its filters)."""
    return min(clusters, max(8, clusters // 20))


def _normalised(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    scaled: Matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return scaled


def assign(vectors: Matrix, centroids: Matrix) -> npt.NDArray[np.int32]:
    """Each vector's nearest centroid."""
    out = np.empty(len(vectors), dtype=np.int32)
    for start in range(0, len(vectors), ASSIGN_BATCH):
        block = vectors[start : start + ASSIGN_BATCH] @ centroids.T
        out[start : start + ASSIGN_BATCH] = np.argmax(block, axis=1)
    return out


def train(vectors: Matrix) -> Matrix:
    """Centroids for ``vectors`` (about sqrt(n) of them), trained on a sample."""
    rng = np.random.default_rng(SEED)
    sample = vectors[rng.choice(len(vectors), min(SAMPLE, len(vectors)), replace=False)]
    k = min(count_for(len(vectors)), len(sample))
    centroids = sample[rng.choice(len(sample), k, replace=False)].copy()
    for _ in range(ROUNDS):
        nearest = assign(sample, centroids)
        order = np.argsort(nearest, kind="stable")
        sizes = np.bincount(nearest, minlength=k)
        sums = np.zeros_like(centroids)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        filled = sizes > 0
        sums[filled] = np.add.reduceat(sample[order], starts[filled], axis=0)
        empty = ~filled
        # An empty cluster restarts at a random sample vector.
        sums[empty] = sample[rng.choice(len(sample), int(empty.sum()), replace=False)]
        centroids = _normalised(sums)
    return centroids.astype(np.float32)
