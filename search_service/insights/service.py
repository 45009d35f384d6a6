"""The insights use cases: record events, report over a window, popular searches, retention."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.insights import queries
from search_service.insights.ids import QueryIds, searched_seconds_ago
from search_service.insights.recorder import UNWRITTEN_SECONDS, InsightsRecorder
from search_service.insights.schemas import (
    DayFigures,
    EventIn,
    InsightsOut,
    PositionClicks,
    QueryCount,
    QueryFigures,
    Revenue,
)
from search_service.lib.errors import Invalid, NotFound, SearchUnavailable
from search_service.lib.pricing import amount_display
from search_service.search.text import fold

UNKNOWN_QUERY = "This query_id was not given out by a search here, or is too old."
NOT_SHOWN = "the position at which the search showed course_id (1 is the first hit of page 1)"
_SPACE = re.compile(r"\s+")
MAX_NORMALISED = 200


def normalise_query(q: str) -> str:
    """What queries are counted by: folded (case, accents) and with whitespace collapsed."""
    return _SPACE.sub(" ", fold(q)).strip()[:MAX_NORMALISED]


# Text no shopper types as a search and nobody should see suggested: addresses, domains,
# markup, script and data URLs, e-mail addresses.
_NOT_A_SEARCH = re.compile(
    r"(://|www\.|[a-z0-9-]+\.(com|net|org|io|info|biz|xyz|ru|cn|top|site|online|shop|club"
    r"|example|app|dev|co|me|ly|link|click)\b|[<>\"'`{}\\]|javascript:|data:|vbscript:"
    r"|&#|%3c|%3e|@)",
    re.IGNORECASE,
)
# A dot between two letters is how every address is written ("graphic.design", "data.ai"),
# whatever its ending: such text is searched, never suggested to others ("node.js" too).
_DOTTED = re.compile(r"[^\W\d_][.\u3002\uff0e\uff61][^\W\d_]")
MAX_POPULAR_WORDS = 8


# A word as searches are written: letters and digits, joined by a hyphen, an apostrophe or a
# slash ("no-code", "women's", "ci/cd"), a version ("3.12", "4.2.1"; four numbers with dots
# are an address), or a language spelled with
# symbols ("c++", "c#", ".net"). Nothing else (".", ":", "(.)", "∕∕") stands alone in a
# popular search: that is how an address is spelled out past the patterns above
# ("evil (.) com", "data . ai").
_WORD = re.compile(r"(?:[^\W_]+(?:[-'’/][^\W_]+)*(?:\+\+|#)?|\.net|\d+(?:\.\d+){1,2})")


def suggestable(query: str) -> bool:
    """Whether a query's text may be shown to others as a popular search."""
    words = query.split()
    return (
        0 < len(words) <= MAX_POPULAR_WORDS
        and all(_WORD.fullmatch(word) for word in words)
        and not _NOT_A_SEARCH.search(query)
        and not _DOTTED.search(query)
    )


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def query_uuid(ids: QueryIds, token: str | None, field: str = "query_id") -> uuid.UUID | None:
    """The stored id of ``token`` (None for no token).

    Raises:
        Invalid: a token we did not give out, or one past retention.
    """
    if token is None or token == "":
        return None
    found = ids.check(token)
    if found is None:
        raise Invalid(field, UNKNOWN_QUERY)
    return found


async def record_event(
    session: AsyncSession, ids: QueryIds, recorder: InsightsRecorder, event: EventIn
) -> None:
    """A click on a search result, for the batch. (Adds to cart and purchases are recorded
    by the cart itself, with the query id of the signed-in add.)

    Raises:
        Invalid: the query id is not one we gave out, or its search did not show this course
            at this position. NotFound: no published course has this id.
    """
    query_id = query_uuid(ids, event.query_id)
    assert query_id is not None
    found = await session.execute(queries.PUBLISHED_COURSE, {"course_id": event.course_id})
    if found.first() is None:
        raise NotFound("No published course has this id.", field="course_id")
    waiting = recorder.waiting(query_id)
    if waiting is not None:
        shown, first = waiting[8], waiting[9]
    else:
        row = (await session.execute(queries.SHOWN, {"query_id": query_id})).first()
        if row is None and searched_seconds_ago(query_id) < UNWRITTEN_SECONDS:
            # Searched a moment ago: held by another worker until its next write. The click
            # is checked against what it showed once it is written (``recorder.py``).
            await recorder.click(query_id, event.course_id, event.position, unwritten=True)
            return
        shown, first = (list(row[0]), int(row[1])) if row is not None else ([], 1)
    index = event.position - first
    if not 0 <= index < len(shown) or shown[index] != event.course_id:
        raise Invalid(
            "position", "This search did not show this course at this position.", NOT_SHOWN
        )
    await recorder.click(query_id, event.course_id, event.position)


async def record_add(
    session: AsyncSession, query_id: uuid.UUID | None, course_id: uuid.UUID
) -> None:
    if query_id is not None:
        await session.execute(queries.RECORD_ADD, {"query_id": query_id, "course_id": course_id})


async def record_purchases(
    session: AsyncSession,
    cart_id: uuid.UUID,
    course_ids: Sequence[uuid.UUID],
    paid: Sequence[int],
    currency: str,
) -> None:
    """One purchase per cart item added from a search, with what was paid, in ``currency``
    (the checkout's, which the cart line's may not be if the course's price moved)."""
    await session.execute(
        queries.RECORD_PURCHASES,
        {
            "cart_id": cart_id,
            "course_ids": list(course_ids),
            "paid": list(paid),
            "currency": currency,
        },
    )


def _query_figures(r: RowMapping) -> QueryFigures:
    """A top query's row. Revenue is per currency; its one sum (``revenue_cents``) is 0 without
    purchases, that of the one currency, or none when there are several: cents of different
    currencies do not add up."""
    paid = [
        Revenue(currency=c, cents=int(n), display=amount_display(int(n), c))
        for c, n in zip(r["currencies"] or (), r["cents"] or (), strict=True)
    ]
    return QueryFigures(
        query=r["query"],
        searches=int(r["searches"]),
        clients=int(r["clients"]),
        clicks=int(r["clicks"]),
        ctr=_rate(int(r["clicked"]), int(r["searches"])),
        add_to_carts=int(r["add_to_carts"]),
        purchases=int(r["purchases"]),
        revenue_cents=0 if not paid else paid[0].cents if len(paid) == 1 else None,
        revenue=paid,
    )


def _counted(r: RowMapping) -> QueryCount:
    return QueryCount(query=r["query"], searches=int(r["searches"]), clients=int(r["clients"]))


def _since(days: int) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


async def report(
    session: AsyncSession,
    days: int,
    limit: int = 50,
    sort: str = "clients",
    descending: bool = True,
) -> InsightsOut:
    """Searches, rates and lists over the last ``days`` days; the top ``limit`` queries by
    ``sort`` (``queries.PER_QUERY_ORDER``)."""
    since = _since(days)
    window = {"since": since, "limit": limit}
    totals = (await session.execute(queries.TOTALS, window)).mappings().one()
    searches = int(totals["searches"])
    top = queries.per_query(sort, descending)
    per_query = (await session.execute(top, window)).mappings().all()
    zero = (await session.execute(queries.ZERO_RESULTS, window)).mappings().all()
    no_clicks = (await session.execute(queries.NO_CLICKS, window)).mappings().all()
    positions = (await session.execute(queries.POSITIONS, window)).mappings().all()
    daily = (await session.execute(queries.DAILY, window)).mappings().all()
    return InsightsOut(
        days=days,
        searches=searches,
        zero_result_rate=_rate(int(totals["zero_results"]), searches),
        click_through_rate=_rate(int(totals["clicked"]), searches),
        clicks=int(totals["clicks"]),
        top_queries=[_query_figures(r) for r in per_query],
        zero_result_queries=[_counted(r) for r in zero],
        no_click_queries=[_counted(r) for r in no_clicks],
        click_positions=[
            PositionClicks(position=int(r["position"]), clicks=int(r["clicks"])) for r in positions
        ],
        daily=_every_day(since, daily),
    )


def _every_day(since: dt.datetime, rows: Sequence[RowMapping]) -> list[DayFigures]:
    """A figure for every day of the window, 0 on a day without searches (the chart of the
    last 30 days showed the 6 days that had some)."""
    found = {r["day"]: r for r in rows}
    first, today = since.date(), dt.datetime.now(dt.UTC).date()
    out = []
    for n in range((today - first).days + 1):
        day = first + dt.timedelta(days=n)
        r = found.get(day)
        searches = int(r["searches"]) if r else 0
        out.append(
            DayFigures(
                day=day.isoformat(),
                searches=searches,
                zero_result_rate=_rate(int(r["zero_results"]), searches) if r else 0.0,
                click_through_rate=_rate(int(r["clicked"]), searches) if r else 0.0,
            )
        )
    return out


POPULAR_DAYS = 30
POPULAR_MIN_CLIENTS = 5  # different clients (addresses, per day): one cannot plant a query
POPULAR_SECONDS = 60.0
HELD_REMEMBERED = 10_000  # texts found held
CHECKS_PER_READ = 20  # literal searches a read of the popular searches makes at most
NOT_HELD_SECONDS = 600.0  # a text found not held is asked again after this long


class PopularSearches:
    """Past searches that found courses with every word, asked by at least
    ``POPULAR_MIN_CLIENTS`` different clients in the last ``POPULAR_DAYS`` days, shaped like a
    search (no links, no markup) and not hidden by an admin; read at most once a minute."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        enabled: bool = True,
        held: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        self.sessions = sessions
        self.enabled = enabled
        # Whether courses hold a text's every word as typed (a literal search): a search that
        # matched by a typo ("binance" is "finance", "pythоn" with a Cyrillic о), or with
        # words left out as stop words ("binance de"), is not suggested to others.
        self.held = held
        self._held: set[str] = set()  # texts found held (the index seldom drops words)
        self._not_held: dict[str, float] = {}  # texts found not held, and when
        self._loaded_at = float("-inf")
        self._queries: list[tuple[str, int]] = []
        self._digest = ""

    async def top(self) -> list[tuple[str, int]]:
        if not self.enabled:
            return []
        if time.monotonic() - self._loaded_at > POPULAR_SECONDS:
            self._loaded_at = time.monotonic()
            async with self.sessions() as session:
                rows = await session.execute(
                    queries.POPULAR,
                    {
                        "since": _since(POPULAR_DAYS),
                        "min_clients": POPULAR_MIN_CLIENTS,
                        "limit": 500,
                    },
                )
                # Searches stored as popular under an earlier rule are held to today's.
                found = [(r[0], int(r[1])) for r in rows if suggestable(r[0])]
            self._queries = await self._held_as_typed(found)
            encoded = "\n".join(q for q, _ in self._queries).encode()
            self._digest = hashlib.sha256(encoded).hexdigest()[:16]
        return self._queries

    async def _held_as_typed(self, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """Those of ``found`` courses hold as typed: texts found so before, and at most
        ``CHECKS_PER_READ`` more, the most asked first (a read is part of a request: the rest
        wait for the next read, a minute on). A text not held is asked again after
        ``NOT_HELD_SECONDS`` (the index may come to hold it), one not checked because search
        is unavailable at the next read."""
        if self.held is None:
            return found
        if len(self._held) + len(self._not_held) >= HELD_REMEMBERED:
            self._held.clear()
            self._not_held.clear()
        now, checks = time.monotonic(), 0
        for text, _ in found:
            recently = now - self._not_held.get(text, float("-inf")) < NOT_HELD_SECONDS
            if text in self._held or recently or checks >= CHECKS_PER_READ:
                continue  # a text found not held waits a while: it does not hold others up
            checks += 1
            with contextlib.suppress(SearchUnavailable):
                if await self.held(text):
                    self._held.add(text)
                    self._not_held.pop(text, None)
                else:
                    self._not_held[text] = now
        return [(q, n) for q, n in found if q in self._held]

    async def digest(self) -> str:
        """What the popular searches are, in a few characters, for the cache validator of
        answers that show them (suggestions): another once one is hidden, shown or new."""
        await self.top()
        return self._digest

    async def completing(self, typed: str, limit: int) -> list[str]:
        """Popular searches that start with what has been typed (folded), other than it."""
        prefix = normalise_query(typed)
        if not prefix:
            return []
        out = [q for q, _ in await self.top() if q.startswith(prefix) and q != prefix]
        return out[:limit]

    async def trending(self, limit: int) -> list[str]:
        return [q for q, _ in (await self.top())[:limit]]

    def forget(self) -> None:
        """Read them again at the next ask (an admin hid or showed one)."""
        self._loaded_at = float("-inf")


async def hide_query(session: AsyncSession, query: str, hidden: bool) -> None:
    """Keep a query out of trending searches and suggestions (or let it back in)."""
    statement = queries.HIDE_QUERY if hidden else queries.SHOW_QUERY
    await session.execute(statement, {"query": normalise_query(query)})


async def hidden_queries(session: AsyncSession) -> list[str]:
    return [row[0] for row in await session.execute(queries.HIDDEN_QUERIES)]


async def forget_before(sessions: async_sessionmaker[AsyncSession], days: int) -> None:
    """Retention: searches and events older than ``days`` days are deleted."""
    before = _since(days)
    async with sessions.begin() as session:
        await session.execute(queries.FORGET_EVENTS, {"before": before})
        await session.execute(queries.FORGET_SEARCHES, {"before": before})
