"""The category tree, read from PostgreSQL and kept in memory for a few seconds."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.db.models import Category
from search_service.search.text import words

# As long as an answer's Cache-Control lets a cache keep it (catalog/caching.py: MAX_AGE): a
# renamed category shows in every answer within that time, under a new ETag.
TTL_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Node:
    slug: str
    name: str
    parent: str | None
    words: tuple[str, ...] = ()  # folded words of the name, for matching typed text


@dataclass(frozen=True, slots=True)
class CategoryTree:
    """Roots in name order, each with its subcategories in name order."""

    nodes: dict[str, Node] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    version: str = ""  # changes whenever a slug, a name or a parent does (an ETag's part)

    def name(self, slug: str) -> str:
        node = self.nodes.get(slug)
        return node.name if node else slug

    def root_of(self, slug: str) -> str | None:
        node = self.nodes.get(slug)
        if node is None:
            return None
        return node.parent or node.slug


class CategoryDirectory:
    """Loads the tree once every ``TTL_SECONDS`` at most; categories change rarely."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._tree: CategoryTree | None = None
        self._loaded_at = 0.0
        self._loading = asyncio.Lock()  # one read at a time; the others wait for it

    def _fresh(self) -> bool:
        return self._tree is not None and time.monotonic() - self._loaded_at <= TTL_SECONDS

    async def tree(self) -> CategoryTree:
        if not self._fresh():
            async with self._loading:
                if not self._fresh():  # the requests that waited take the tree just read
                    self._tree = await self._load()
                    self._loaded_at = time.monotonic()
        assert self._tree is not None
        return self._tree

    def forget(self) -> None:
        """Read the tree again on its next use (as once ``TTL_SECONDS`` have passed)."""
        self._tree = None

    async def _load(self) -> CategoryTree:
        async with self.sessions() as session:
            rows = (
                await session.execute(
                    select(Category.id, Category.parent_id, Category.slug, Category.name).order_by(
                        Category.level, Category.name
                    )
                )
            ).all()
        slug_of = {row.id: row.slug for row in rows}
        said = "\n".join(f"{row.slug}\t{row.name}\t{row.parent_id}" for row in rows)
        tree = CategoryTree(version=hashlib.sha256(said.encode()).hexdigest()[:16])
        for row in rows:
            parent = slug_of.get(row.parent_id) if row.parent_id else None
            tree.nodes[row.slug] = Node(row.slug, row.name, parent, tuple(words(row.name)))
            if parent is None:
                tree.roots.append(row.slug)
                tree.children.setdefault(row.slug, [])
            else:
                tree.children.setdefault(parent, []).append(row.slug)
        return tree
