"""The long-lived objects of a web process, built in one place: ``build_services`` for the
app's start-up (and for tests and tools that want the same objects without HTTP), ``close``
for its shut-down. Each object is one of a feature's own; this module only wires them."""

from __future__ import annotations

import contextlib
from functools import partial

import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from search_service.accounts.limits import AccountGuard
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.search.service import (
    CatalogSearch,
    Meaning,
    every_word_as_typed,
    searched_words,
)
from search_service.catalog.suggest import Suggester
from search_service.courses.views import ViewCounter
from search_service.db.connection import make_engine as make_db_engine
from search_service.insights.ids import QueryIds
from search_service.insights.log import SearchLog
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import PopularSearches, forget_before
from search_service.lib.errors import SearchUnavailable
from search_service.lib.limits import Limiter
from search_service.merchandising.personal import Personaliser
from search_service.merchandising.rules import MerchandisedEngine, RuleBook
from search_service.ops.housekeeping import Housekeeping
from search_service.search.engine import SearchEngine
from search_service.search.factory import make_engine
from search_service.search.wrappers.cache import CachedEngine
from search_service.search.wrappers.instrumented import InstrumentedEngine
from search_service.semantic.models import load_embedder
from search_service.settings import Settings

# Work off the request's own transaction (limit counters, credential look-ups, view batches,
# the category cache) gets a pool of its own: a request that holds its connection and needs
# one more short one can never starve the pool it holds.
SIDE_POOL_SIZE = 5


class Services(msgspec.Struct, kw_only=True):
    """Every long-lived object; the app keeps each in its state under the field's name."""

    side_engine: AsyncEngine
    side_sessions: async_sessionmaker[AsyncSession]
    rules: RuleBook
    search: SearchEngine  # the port as requests see it: rules over the cache over the engine
    directory: CategoryDirectory
    query_ids: QueryIds
    recorder: InsightsRecorder
    popular: PopularSearches
    catalog: CatalogSearch
    suggester: Suggester
    views: ViewCounter
    limiter: Limiter
    account_guard: AccountGuard
    housekeeping: Housekeeping

    def items(self) -> list[tuple[str, object]]:
        return [(name, getattr(self, name)) for name in self.__struct_fields__]


async def build_services(
    settings: Settings, url: str, secret: str, engine: SearchEngine | None = None
) -> Services:
    """Build and start every long-lived object (``engine`` replaces the configured one).
    What was started is stopped again if a later step fails (a model that will not load, a
    database without its tables), so a failed start leaves no task or pool behind."""
    meaning = Meaning(load_embedder(), settings.search.semantic_ratio)
    async with contextlib.AsyncExitStack() as started:
        cached = CachedEngine(
            InstrumentedEngine(engine or make_engine(settings)), settings.search.cache_entries
        )
        started.push_async_callback(cached.close)
        # The index (and its vectors) opened before the first request, not during it.
        with contextlib.suppress(SearchUnavailable):
            await cached.health()
        side = make_db_engine(
            url, pool_size=SIDE_POOL_SIZE, max_overflow=SIDE_POOL_SIZE, hide_parameters=True
        )
        started.push_async_callback(side.dispose)
        sessions = async_sessionmaker(side, expire_on_commit=False)
        # Rules apply above the cache (and the engine): every engine gets them the same.
        rules = RuleBook(sessions, searched_as=searched_words)
        await rules.start()
        started.push_async_callback(rules.stop)
        search = MerchandisedEngine(cached, rules)
        directory = CategoryDirectory(sessions)
        query_ids = QueryIds(secret, settings.insights.days)
        recorder = InsightsRecorder(sessions, settings.insights.enabled)
        recorder.start()
        started.push_async_callback(recorder.stop)
        popular = PopularSearches(
            sessions, settings.insights.enabled, held=partial(every_word_as_typed, cached)
        )
        personaliser = Personaliser(sessions, settings.recommendations.personalize)
        views = ViewCounter(sessions)
        views.start()
        started.push_async_callback(views.stop)
        limiter = Limiter(sessions, secret)
        housekeeping = Housekeeping(
            [
                limiter.sweep,
                views.forget_old_visitors,
                partial(forget_before, sessions, settings.insights.days),
            ]
        )
        housekeeping.start()
        started.pop_all()  # all started: ``close`` stops them
    return Services(
        side_engine=side,
        side_sessions=sessions,
        rules=rules,
        search=search,
        directory=directory,
        query_ids=query_ids,
        recorder=recorder,
        popular=popular,
        catalog=CatalogSearch(
            search, directory, SearchLog(query_ids, recorder), personaliser, meaning
        ),
        suggester=Suggester(search, directory, popular),
        views=views,
        limiter=limiter,
        account_guard=AccountGuard(limiter, sessions, settings.limits),
        housekeeping=housekeeping,
    )


async def close(services: Services) -> None:
    """Stop the background work (writing what is pending), then the engine and the pool."""
    await services.housekeeping.stop()
    for writer in (services.views, services.recorder, services.rules):
        await writer.stop()
    await services.search.close()
    await services.side_engine.dispose()
