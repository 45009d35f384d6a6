"""Index generations on disk: ``<root>/gen-*`` directories and an atomic ``CURRENT`` pointer.

A full rebuild writes a new generation and then replaces ``CURRENT`` with ``os.replace``, so
readers switch in one step and a failed rebuild never touches the live generation.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from pathlib import Path

import tantivy

from search_service.lib.errors import SearchUnavailable
from search_service.search.tantivy.schema import FORMAT, analyzers, build_schema

POINTER = "CURRENT"
FORMAT_FILE = "skillspring-format"


class TantivyStore:
    """The generations of one index under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.schema = build_schema()
        self.analyzers = analyzers()
        # The pointer's (inode, mtime) when last read, and the live generation's meta.json;
        # paths as strings, ``stamp`` runs on every search.
        self._pointed: tuple[tuple[int, int], str | None] = ((0, 0), None)
        self._pointer = str(self.pointer)

    @property
    def pointer(self) -> Path:
        return self.root / POINTER

    def live_name(self) -> str | None:
        """The live generation's directory name, or None before the first index exists."""
        try:
            name = self.pointer.read_text().strip()
        except FileNotFoundError:
            return None
        return name or None

    def open(self, name: str) -> tantivy.Index:
        """Open a generation with our analyzers registered.

        Raises:
            SearchUnavailable: the directory is missing or not a readable index.
        """
        path = self.root / name
        if not (path / "meta.json").exists():
            raise SearchUnavailable(
                f"search index folder {path} is missing; run: skillspring reindex"
            )
        written = (path / FORMAT_FILE).read_text().strip() if (path / FORMAT_FILE).exists() else "1"
        if written != FORMAT:
            raise SearchUnavailable(
                f"search index {path} has format {written}, this version reads format {FORMAT};"
                " run: skillspring reindex"
            )
        try:
            index = tantivy.Index.open(str(path))
        except ValueError as exc:
            raise SearchUnavailable(f"search index {path} is unreadable: {exc}") from exc
        for tokenizer, analyzer in self.analyzers.items():
            index.register_tokenizer(tokenizer, analyzer)
        return index

    def open_live(self) -> tuple[str, tantivy.Index]:
        """The live generation, opened.

        Raises:
            SearchUnavailable: there is no live index yet, or it cannot be read.
        """
        name = self.live_name()
        if name is None:
            raise SearchUnavailable(f"no search index under {self.root}; run: skillspring reindex")
        return name, self.open(name)

    def create(self) -> tuple[str, tantivy.Index]:
        """A new, empty generation (not live until ``switch``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        name = f"gen-{stamp}-{secrets.token_hex(3)}"
        path = self.root / name
        path.mkdir()
        (path / FORMAT_FILE).write_text(FORMAT + "\n")
        index = tantivy.Index(self.schema, path=str(path))
        for tokenizer, analyzer in self.analyzers.items():
            index.register_tokenizer(tokenizer, analyzer)
        return name, index

    def switch(self, name: str) -> None:
        """Point ``CURRENT`` at ``name`` atomically, then drop generations older than the last."""
        previous = self.live_name()
        temporary = self.root / f".{POINTER}.{secrets.token_hex(4)}"
        temporary.write_text(name + "\n")
        os.replace(temporary, self.pointer)
        keep = {name, previous}
        for path in self.root.glob("gen-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def discard(self, name: str) -> None:
        """Delete a generation that never went live."""
        if name != self.live_name():
            shutil.rmtree(self.root / name, ignore_errors=True)

    def stamp(self) -> tuple[int, ...]:
        """Changes when the pointer moves or the live generation commits: two ``stat`` calls
        (the pointer is read again only when it was replaced)."""
        try:
            pointer = os.stat(self._pointer)
            key = (pointer.st_ino, pointer.st_mtime_ns)
            if key != self._pointed[0]:
                name = self.live_name()
                self._pointed = (key, str(self.root / name / "meta.json") if name else None)
            meta_path = self._pointed[1]
            # tantivy replaces meta.json on every commit: a new inode even where mtimes are
            # coarse.
            meta = os.stat(meta_path) if meta_path else None
        except FileNotFoundError:
            return (0, 0, 0, 0)
        return (*key, *((meta.st_ino, meta.st_mtime_ns) if meta else (0, 0)))
