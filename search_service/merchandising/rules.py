"""Rules applied above the engine port, so both engines behave the same.

``RuleBook`` keeps the rules that are not over yet, with their slugs resolved to published
course ids, reloaded when they change (and at once after a change in this worker).
``MerchandisedEngine`` is the port again: a search that a rule matches (its normalised query;
or, with no text, a category the request filters on) is answered as

- hidden courses: neither shown nor counted (the engine keeps them out: ``exclude_ids``);
- pinned courses that pass the shopper's filters: first, in the rule's order, when results
  are ranked by relevance (an explicit sort is exact: there they are ordinary results),
  counted in the total and the facets whether or not they match the text;
- then everything else, in the engine's order, without the pinned and hidden ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import anyio
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.insights.service import normalise_query
from search_service.merchandising import queries
from search_service.ops.periodic import Periodic
from search_service.search.engine import SearchEngine
from search_service.search.request import MAX_HITS, SearchRequest
from search_service.search.results import EngineResult
from search_service.search.vocabulary import FacetGroup
from search_service.search.wrappers.base import EngineWrapper

RELOAD_SECONDS = 1.0
RESOLVE_SECONDS = 60.0
log = logging.getLogger("skillspring.merchandising")


class ActiveRule(msgspec.Struct, frozen=True):
    query: str | None
    category: str | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    pin: tuple[str, ...]
    hide: tuple[str, ...]

    def live(self, now: dt.datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )


def _active(row: Any) -> ActiveRule:
    return ActiveRule(
        query=row["query"],
        category=row["category"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        pin=tuple(row["pin_ids"]),
        hide=tuple(row["hide_ids"]),
    )


def _built(rows: Sequence[Any]) -> dict[str, ActiveRule]:
    return {str(row["id"]): _active(row) for row in rows}


class RuleBook:
    """The rules that are not over yet, by id, with an index by query. Every second it asks
    whether the rules changed (their count and last change) and reloads them only then,
    building them on a thread; every ``RESOLVE_SECONDS`` it reloads anyway (a pinned course
    may have been unpublished). A change made by this worker is applied at once
    (``refresh``), from the changing request's own transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        searched_as: Callable[[str], str] = lambda q: q,
    ) -> None:
        self.sessions = sessions
        self.clock = clock  # what time it is (a test may set it)
        # The words a typed query is searched for (catalog search reads typed filters and
        # filler out of it), which are what a rule's query is matched with: the composition
        # root gives it, and a rule whose query would never be searched is refused.
        self.searched_as = searched_as
        self._by_id: dict[str, ActiveRule] = {}
        self._by_query: dict[str, list[ActiveRule]] = {}
        self._version: tuple[Any, ...] | None = None
        self._digest = _digest({})
        self._digest_until: dt.datetime | None = None  # None: work it out at the next ask
        self._loaded_at = 0.0
        self._every = Periodic(RELOAD_SECONDS, self.reload, log, "could not load rules")

    async def reload(self) -> None:
        async with self.sessions() as session:
            version = tuple((await session.execute(queries.RULES_VERSION)).one())
            due = time.monotonic() - self._loaded_at >= RESOLVE_SECONDS
            if version == self._version and not due:
                return
            rows = (await session.execute(queries.LOAD_RULES)).mappings().all()
        self._set(await anyio.to_thread.run_sync(_built, rows))
        self._version, self._loaded_at = version, time.monotonic()

    async def refresh(self, session: AsyncSession, rule_id: uuid.UUID) -> None:
        """Apply one rule's change now (read in ``session``, the changing transaction)."""
        row = (await session.execute(queries.LOAD_RULE, {"id": rule_id})).mappings().first()
        rules = dict(self._by_id)
        rules.pop(str(rule_id), None)
        if row is not None:
            rules[str(rule_id)] = _active(row)
        self._set(rules)

    def _set(self, rules: dict[str, ActiveRule]) -> None:
        by_query: dict[str, list[ActiveRule]] = {}
        for rule in rules.values():
            if rule.query is not None:
                by_query.setdefault(rule.query, []).append(rule)
        self._by_id, self._by_query = rules, by_query
        self._digest_until = None

    @property
    def digest(self) -> str:
        """What the rules in force now are, in a few characters: the same in every worker
        that holds them, and another whenever one is made, changed or deleted, or begins or
        ends (worked out again at the next such moment, not at every ask)."""
        now = self.clock()
        if self._digest_until is None or now >= self._digest_until:
            rules = self._by_id
            self._digest = _digest({key: rule for key, rule in rules.items() if rule.live(now)})
            moments = [
                moment
                for rule in rules.values()
                for moment in (rule.starts_at, rule.ends_at)
                if moment is not None and moment > now
            ]
            self._digest_until = min(moments, default=dt.datetime.max.replace(tzinfo=dt.UTC))
        return self._digest

    @property
    def rules(self) -> list[ActiveRule]:
        return list(self._by_id.values())

    def use(self, rules: Sequence[ActiveRule]) -> None:
        """Apply exactly these rules (a fixed set, as a test or a tool gives them)."""
        self._set({str(index): rule for index, rule in enumerate(rules)})

    def match(self, request: SearchRequest) -> ActiveRule | None:
        if not self._by_id or request.ids:
            return None
        now = self.clock()
        if request.q.strip():
            query = normalise_query(request.q)
            return next((r for r in self._by_query.get(query, ()) if r.live(now)), None)
        if not request.category:
            return None
        return next(
            (
                r
                for r in self._by_id.values()
                if r.category is not None and r.category in request.category and r.live(now)
            ),
            None,
        )

    async def start(self) -> None:
        try:
            await self.reload()
        except Exception:
            log.exception("could not load rules; will retry")
        self._every.start()

    async def stop(self) -> None:
        await self._every.stop()


def _add(
    base: dict[FacetGroup, dict[str, int]], more: dict[FacetGroup, dict[str, int]]
) -> dict[FacetGroup, dict[str, int]]:
    out = {group: dict(counts) for group, counts in base.items()}
    for group, counts in more.items():
        into = out.setdefault(group, {})
        for value, n in counts.items():
            into[value] = into.get(value, 0) + n
    return out


async def merchandised(
    engine: SearchEngine, request: SearchRequest, rule: ActiveRule
) -> EngineResult:
    """The rule's page: its pinned courses that pass the filters, then the engine's results
    without the pinned and hidden ones (kept out by the engine itself, so its total and facet
    counts are already right)."""
    replace = msgspec.structs.replace
    taken = tuple(dict.fromkeys((*request.exclude_ids, *rule.pin, *rule.hide)))
    if not rule.pin:
        return await engine.search(replace(request, exclude_ids=taken))
    # The pinned that pass the shopper's filters, whatever the text says: first, in order.
    pinned = await engine.search(
        replace(
            request,
            q="",
            ids=rule.pin,
            page=1,
            per_page=len(rule.pin),
            sort="relevance",
            with_highlights=False,
            with_hits=True,
        )
    )
    order = {course: place for place, course in enumerate(rule.pin)}
    first = sorted(pinned.hits, key=lambda h: order[h.document.id])
    offset = request.offset
    # Pages reach MAX_HITS deep, the pinned included: the last page is cut there.
    size = max(0, min(request.per_page, MAX_HITS - offset))
    shown = first[offset : offset + size] if request.with_hits else []
    need = size - len(shown) if request.with_hits else 0
    start = max(0, offset - len(first))
    if not need:
        organic = await engine.search(replace(request, exclude_ids=taken, with_hits=False))
        rest = []
    else:
        # The rest's hits [start, start + need) from ordinary pages of ``need`` hits: one page
        # when aligned, else that page and the next (never a deep over-fetch).
        page, skip = divmod(start, need)
        organic = await engine.search(
            replace(request, exclude_ids=taken, page=page + 1, per_page=need)
        )
        hits = list(organic.hits)
        if skip:
            after = await engine.search(
                replace(request, exclude_ids=taken, page=page + 2, per_page=need, with_facets=False)
            )
            hits += after.hits
        rest = hits[skip : skip + need]
    # What the words found is the engine's (how many courses have them, how many word groups
    # were kept): the respelling's check and the interpretation read it. The pinned, kept out
    # of the engine's count, are counted among the matches when the words match courses at
    # all; when they match none (a rule on a misspelling), the respelling is still searched.
    matched = organic.matched + len(first) if organic.matched else organic.matched
    return msgspec.structs.replace(
        organic,
        total=organic.total + len(first),
        hits=[*shown, *rest],
        facets=_add(organic.facets, pinned.facets) if request.with_facets else {},
        pinned=len(shown),
        matched=matched,
    )


def _digest(rules: dict[str, ActiveRule]) -> str:
    """``rules`` in a few characters."""
    encoded = msgspec.json.encode([rules[key] for key in sorted(rules)])
    return hashlib.sha256(encoded).hexdigest()[:16]


class MerchandisedEngine(EngineWrapper):
    """The search port with the rules applied; everything else passes through."""

    def __init__(self, inner: SearchEngine, book: RuleBook) -> None:
        super().__init__(inner)
        self.book = book

    async def search(self, request: SearchRequest) -> EngineResult:
        rule = self.book.match(request)
        if rule is not None and request.sort != "relevance":
            # An order the shopper chose is exact (a $9.99 pin came before the free courses
            # under "Price: low to high"): pins place courses in a relevance ranking only.
            rule = msgspec.structs.replace(rule, pin=())
        if rule is None or not (rule.pin or rule.hide):
            return await self.inner.search(request)
        return await merchandised(self.inner, request, rule)

    async def generation(self) -> str | None:
        """The index generation and the rules in force: an answer's cache validator changes
        when either does (a pinned or hidden course changes a search's answer)."""
        inner = await self.inner.generation()
        return None if inner is None else f"{inner}|{self.book.digest}"
