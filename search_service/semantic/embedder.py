"""The embedding port: texts in, L2-normalised float32 vectors out, one model per process.

Every part of search that needs meaning (the indexer's course vectors, a query's vector, the
engines' nearest-neighbour search) goes through an ``Embedder``, so a model can be swapped in
one place. Vectors travel as little-endian float32 bytes (``pack``/``unpack``): the course
documents carry them like any other field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """A sentence embedding model."""

    name: str  # changes whenever vectors would change: the cache and the indexes key on it
    dimensions: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text, float32, each of length 1 (a text without words: all zeros)."""

    def knows(self, word: str) -> bool:
        """Whether the model holds ``word`` whole: a text with no such word ("qwxzvbnmk")
        means nothing to it, however close its vector falls to some course's."""


def normalised(vectors: npt.NDArray[np.floating]) -> Vectors:
    """Rows scaled to length 1 (zero rows stay zero)."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    scaled: Vectors = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return scaled


def pack(vector: npt.NDArray[np.floating]) -> bytes:
    """A vector as little-endian float32 bytes."""
    return np.asarray(vector, dtype="<f4").tobytes()


def unpack(raw: bytes) -> Vectors:
    """The vector ``pack`` wrote."""
    return np.frombuffer(raw, dtype="<f4").astype(np.float32, copy=False)
