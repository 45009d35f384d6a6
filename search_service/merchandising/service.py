"""Rules: created with every check the admin needs, listed, deleted. Recommendations:
recomputed from enrollments in one statement, read per course."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.insights.service import normalise_query
from search_service.lib.constraints import bounded_time
from search_service.lib.errors import Conflict, FieldError, Invalid, NotFound
from search_service.merchandising import queries
from search_service.merchandising.rules import ActiveRule, merchandised
from search_service.merchandising.schemas import RuleIn, RuleOut, RulesOut
from search_service.search.engine import SearchEngine
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult

TOP_PER_COURSE = 20
MIN_CO_BUYERS = 5  # k-anonymity: a pair is shown only when this many bought both
MAX_RULES = 5000  # rules kept at most (every worker holds them all): docs/api.md
QUERY_OR_CATEGORY = "Give a query or a category (exactly one of the two)."


_NOT_SEARCHED = (
    "“{query}” is searched as “{searched}” (its filter words and filler read out), so a rule "
    "on it would never apply: make the rule for “{searched}”."
)


async def _valid(
    session: AsyncSession, data: RuleIn, searched_as: Callable[[str], str]
) -> str | None:
    """The rule's normalised query, once the rule alone is right.

    Raises:
        Invalid: naming every field that is wrong (the first mistake of each): neither or
            both of query and category, an unknown category or course slug, a slug both
            pinned and hidden (or pinned twice), or a window that ends before it starts.
    """
    wrong: list[FieldError] = []  # every field's first mistake at once, each beside it

    def add(field: str, reason: str, allowed: str | None = None) -> None:
        if field not in {e.name for e in wrong}:
            wrong.append(FieldError(name=field, reason=reason, allowed=allowed))

    if (data.query is None) == (data.category is None):
        add("query", QUERY_OR_CATEGORY)
    query = normalise_query(data.query) if data.query is not None else None
    searched = normalise_query(searched_as(data.query)) if data.query is not None else None
    if query == "":
        add("query", "The query has no words.")
    elif query is not None and searched != query:
        # "python in spanish" is searched as "python" (in Spanish): a rule on it never fired.
        add("query", _NOT_SEARCHED.format(query=query, searched=searched or "no words"))
    for field, value in (("starts_at", data.starts_at), ("ends_at", data.ends_at)):
        try:
            bounded_time(field, value)
        except Invalid as exc:
            add(field, exc.fields[0].reason, exc.fields[0].allowed)
    if data.starts_at and data.ends_at and data.starts_at >= data.ends_at:
        add("ends_at", "The rule must end after it starts.")
    twice = sorted({s for s in data.pin if data.pin.count(s) > 1})
    if twice:
        add("pin", f"Pinned more than once: {', '.join(twice)}.")
    both = sorted(set(data.pin) & set(data.hide))
    if both:
        add("hide", f"A course cannot be both pinned and hidden: {', '.join(both)}.")
    if data.category is not None:
        found = await session.execute(queries.CATEGORY_EXISTS, {"slug": data.category})
        if found.first() is None:
            add("category", f"There is no category {data.category}.")
    slugs = [*data.pin, *data.hide]
    known = {r[0] for r in await session.execute(queries.EXISTING_SLUGS, {"slugs": slugs})}
    for field, listed in (("pin", data.pin), ("hide", data.hide)):
        unknown = [s for s in listed if s not in known]
        if unknown:
            add(field, f"No course has the slug {', '.join(unknown)}.")
    if len(wrong) == 1:
        raise Invalid(wrong[0].name, wrong[0].reason, wrong[0].allowed)
    if wrong:
        raise Invalid.of(wrong)
    return query


async def _checked(
    session: AsyncSession,
    data: RuleIn,
    searched_as: Callable[[str], str],
    replacing: uuid.UUID | None = None,
) -> dict[str, object]:
    """The rule's row, once every check has passed (under a lock on its target).

    Raises:
        Invalid: see ``_valid``; or the rule pins and hides nothing (a preview may).
        Conflict: another rule for the same query or category overlaps this one's window.
    """
    query = await _valid(session, data, searched_as)
    if not data.pin and not data.hide:  # saved, it would only hold the query from real rules
        raise Invalid("pin", "A rule pins or hides at least one course.")
    target = f"q:{query}" if query is not None else f"c:{data.category}"
    await session.execute(queries.LOCK_TARGET, {"target": target})  # one writer per target
    params: dict[str, object] = {
        "query": query,
        "category": data.category,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "replacing": replacing,
    }
    clash = (await session.execute(queries.OVERLAPPING, params)).first()
    if clash is not None:
        raise Conflict(
            f"Rule {clash[0]} already applies to this {'query' if query else 'category'} "
            "in an overlapping period; delete it or choose another period.",
            field="query" if query else "category",
        )
    return {**params, "pin": list(data.pin), "hide": list(data.hide)}


async def create_rule(
    session: AsyncSession, data: RuleIn, searched_as: Callable[[str], str]
) -> uuid.UUID:
    """A new rule (see ``_checked`` for what is refused).

    Raises:
        Conflict: ``MAX_RULES`` rules exist already.
    """
    params = await _checked(session, data, searched_as)
    params.pop("replacing")
    await session.execute(queries.LOCK_TARGET, {"target": "count"})  # one creator at a time
    if (await session.execute(queries.COUNT_RULES)).scalar_one() >= MAX_RULES:
        raise Conflict(
            f"There are {MAX_RULES:,} rules already, the most there can be; delete some first."
        )
    row = await session.execute(queries.INSERT_RULE, params)
    return uuid.UUID(str(row.scalar_one()))


async def update_rule(
    session: AsyncSession, rule_id: uuid.UUID, data: RuleIn, searched_as: Callable[[str], str]
) -> None:
    """Replace a rule's target, courses and window (see ``_checked``).

    Raises:
        NotFound: no rule has this id.
    """
    exists = await session.execute(queries.RULE_EXISTS, {"id": rule_id})
    if exists.first() is None:
        raise NotFound("No rule has this id.")
    params = await _checked(session, data, searched_as, replacing=rule_id)
    params.pop("replacing")
    await session.execute(queries.UPDATE_RULE, {**params, "id": rule_id})


async def list_rules(session: AsyncSession, page: int = 1, per_page: int = 50) -> RulesOut:
    """One page of the rules, newest first, with how many there are."""
    total = (await session.execute(queries.COUNT_RULES)).scalar_one()
    params = {"limit": per_page, "offset": (page - 1) * per_page}
    rows = (await session.execute(queries.LIST_RULES, params)).mappings().all()
    return RulesOut(
        rules=[_rule_out(r) for r in rows], total=int(total), page=page, per_page=per_page
    )


async def get_rule(session: AsyncSession, rule_id: uuid.UUID) -> RuleOut | None:
    row = (await session.execute(queries.GET_RULE, {"id": rule_id})).mappings().first()
    return _rule_out(row) if row is not None else None


def _rule_out(r: Any) -> RuleOut:
    return RuleOut(
        id=str(r["id"]),
        query=r["query"],
        category=r["category"],
        pin=list(r["pin"]),
        hide=list(r["hide"]),
        starts_at=r["starts_at"],
        ends_at=r["ends_at"],
        created_at=r["created_at"],
        active=bool(r["active"]),
    )


async def delete_rule(session: AsyncSession, rule_id: uuid.UUID) -> None:
    """
    Raises:
        NotFound: no rule has this id.
    """
    if (await session.execute(queries.DELETE_RULE, {"id": rule_id})).first() is None:
        raise NotFound("No rule has this id.")


async def refresh_recommendations(conn: asyncpg.Connection) -> int:
    """Recompute every course's "also bought" list in one transaction; returns the pairs kept.
    Readers see the old lists until it commits."""
    async with conn.transaction():
        await conn.execute("DELETE FROM course_recommendations")
        status = await conn.execute(queries.REFRESH_RECOMMENDATIONS, MIN_CO_BUYERS, TOP_PER_COURSE)
    return int(status.split()[-1])


async def also_bought(
    session: AsyncSession, course_id: uuid.UUID, viewer: uuid.UUID | None, limit: int
) -> list[str]:
    """Ids of the courses most bought with this one, strongest first, none the viewer owns."""
    rows = await session.execute(
        queries.ALSO_BOUGHT, {"course_id": course_id, "viewer": viewer, "limit": limit}
    )
    return [r[0] for r in rows]


async def bought_with(
    session: AsyncSession, course_ids: Sequence[uuid.UUID], viewer: uuid.UUID | None, limit: int
) -> list[str]:
    """Ids of the courses most bought with these (a cart), none of them, none owned."""
    if not course_ids:
        return []
    rows = await session.execute(
        queries.BOUGHT_WITH, {"course_ids": list(course_ids), "viewer": viewer, "limit": limit}
    )
    return [r[0] for r in rows]


PREVIEW = 20  # the first page an admin sees before saving a rule: a shopper's first page


async def preview_rule(
    session: AsyncSession, engine: SearchEngine, data: RuleIn, searched_as: Callable[[str], str]
) -> EngineResult:
    """The first page shoppers would see with this rule (and no other rule): its pinned
    courses first, its hidden ones gone. Nothing is saved.

    Raises:
        Invalid: as saving it would (see ``_valid``).
    """
    query = await _valid(session, data, searched_as)
    rows = await session.execute(queries.IDS_OF_SLUGS, {"slugs": [*data.pin, *data.hide]})
    ids: dict[str, str] = {slug: str(course_id) for slug, course_id in rows.all()}
    rule = ActiveRule(
        query=query,
        category=data.category,
        starts_at=None,
        ends_at=None,
        pin=tuple(ids[s] for s in data.pin),
        hide=tuple(ids[s] for s in data.hide),
    )
    request = SearchRequest(
        q=data.query or "",
        category=[data.category] if data.category else [],
        per_page=PREVIEW,
        with_facets=False,
    )
    return await merchandised(engine, request, rule)
