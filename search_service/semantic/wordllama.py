"""WordLlama 0.4 (``l2_supercat_256``): the model that ships inside its PyPI wheel.

Its loader looks for the tokenizer under ``wordllama/tokenizer/`` while the wheel ships
``wordllama/tokenizers/``, and then tries to download it from the Hugging Face hub. Loading
with ``cache_dir`` set to the package's own folder and ``disable_download=True`` finds the
files the wheel carries and never touches the network (``tests/semantic`` proves it with the
sockets closed). Why this model: ``docs/relevance.md``.
"""

from __future__ import annotations

import functools
import os
import pathlib
from collections.abc import Sequence

import numpy as np

from search_service.lib.errors import UsageError
from search_service.semantic.embedder import Vectors, normalised

DIMENSIONS = 256
CONFIG = "l2_supercat"
MIN_LETTERS_PER_PIECE = 2  # above it, a word the model does not hold whole is still a word


class WordLlamaEmbedder:
    """WordLlama's 256-dimension embeddings, L2-normalised."""

    dimensions = DIMENSIONS

    def __init__(self) -> None:
        # Callers embed on threads of their own (the indexer: ``EMBED_THREADS``); the
        # tokenizer's own thread pool on top of them contended for the same cores on the
        # 2-core machine measured (docs/performance.md, "Hybrid against lexical"). Set
        # otherwise, it is kept.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import wordllama
            from wordllama import WordLlama

            folder = pathlib.Path(wordllama.__file__).parent
            self._model = WordLlama.load(
                config=CONFIG, dim=DIMENSIONS, cache_dir=folder, disable_download=True
            )
            version = getattr(wordllama, "__version__", "0")
        except Exception as exc:  # a missing or broken install: one line, not a traceback
            raise UsageError(
                f"the embedding model could not be loaded (wordllama {CONFIG} {DIMENSIONS}d): "
                f"{exc}".splitlines()[0]
            ) from exc
        self.name = f"wordllama-{version}-{CONFIG}-{DIMENSIONS}"

    def knows(self, word: str) -> bool:
        """The word is in the model's vocabulary whole ("talk"), or its tokenizer splits it
        into pieces of more than two letters on average ("print|able", "dív|idas"): words
        of a language do, keyboard mash does not ("q|wx|z|v|bn|mk"). Measured on real and
        made-up words in ``tests/semantic``."""
        return self._known(word.lower())

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one embedder per process
    def _known(self, word: str) -> bool:
        encoded = self._model.tokenizer.encode(" " + word, add_special_tokens=False)
        pieces = [p for p in encoded.tokens if p != "▁"]
        return pieces == ["▁" + word] or len(word) > MIN_LETTERS_PER_PIECE * len(pieces)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return normalised(self._model.embed(list(texts), norm=False))
