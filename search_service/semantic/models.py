"""The embedding model a process uses, loaded once (the composition roots ask for it here)."""

from __future__ import annotations

import functools

from search_service.semantic.embedder import Embedder


@functools.cache
def load_embedder() -> Embedder:
    """The packaged model (``wordllama.py``), loaded on first use and kept.

    Raises:
        UsageError: the model is missing or cannot be loaded (one line).
    """
    from search_service.semantic.wordllama import WordLlamaEmbedder

    return WordLlamaEmbedder()
