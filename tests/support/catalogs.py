"""What a test's own catalog is: its database and its tantivy index."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search_service.db.connection import asyncpg_dsn


@dataclass(frozen=True)
class Catalog:
    """A seeded catalog: its database URL and the folder of its tantivy index."""

    url: str
    index: Path

    @property
    def dsn(self) -> str:
        return asyncpg_dsn(self.url)
