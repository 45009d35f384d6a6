"""Where the Meilisearch reference material lives: ``../shared/meilisearch`` beside the repo."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

SHARED = (
    Path(os.environ.get("SKILLSPRING_SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))
    / "meilisearch"
)
SPEC = SHARED / "openapi-1.53.0.json"
RESPONSES = SHARED / "responses"

requires_shared = pytest.mark.skipif(
    not (SPEC.exists() and RESPONSES.is_dir()),
    reason=f"Meilisearch contract material not found at {SHARED} "
    "(the OpenAPI spec and recorded responses live in ../shared, outside the repo)",
)


def recorded(name: str) -> Any:
    """A recorded engine response, parsed."""
    return json.loads((RESPONSES / name).read_text())
