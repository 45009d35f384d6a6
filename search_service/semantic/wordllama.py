"""WordLlama 0.4 (``l2_supercat_256``): the model that ships inside its PyPI wheel.

Its loader looks for the tokenizer under ``wordllama/tokenizer/`` while the wheel ships
``wordllama/tokenizers/``, and then tries to download it from the Hugging Face hub. Loading
with ``cache_dir`` set to the package's own folder and ``disable_download=True`` finds the
files the wheel carries and never touches the network (``tests/semantic`` proves it with the
sockets closed). Why this model: ``docs/relevance.md``.
"""

from __future__ import annotations

import pathlib
from collections.abc import Sequence

import numpy as np

from search_service.lib.errors import UsageError
from search_service.semantic.embedder import Vectors, normalised

DIMENSIONS = 256
CONFIG = "l2_supercat"


class WordLlamaEmbedder:
    """WordLlama's 256-dimension embeddings, L2-normalised."""

    dimensions = DIMENSIONS

    def __init__(self) -> None:
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

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return normalised(self._model.embed(list(texts), norm=False))
