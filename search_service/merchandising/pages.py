"""The admins' rules page: every rule, a form to add one, a button to delete each."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.response import Template

from search_service.accounts.admins import require_admin
from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.decoding import decode_fields
from search_service.lib.errors import SearchUnavailable
from search_service.lib.web import link_number
from search_service.merchandising import service
from search_service.merchandising.rules import MerchandisedEngine, RuleBook
from search_service.merchandising.schemas import RuleIn, RuleOut, RuleQuery
from search_service.pages.forms import (
    BLANK,
    HIDDEN,
    FormData,
    FormState,
    PageForm,
    Rerender,
    form_values,
    submit,
)
from search_service.search.document import CourseDocument
from search_service.search.engine import SearchEngine
from search_service.search.request import SearchRequest
from search_service.search.text import typed


class RuleForm(PageForm):
    """The form as typed: slugs separated by commas or spaces, times as the browser's
    ``datetime-local`` (read as UTC). With ``rule_id``, it replaces that rule."""

    page_fields = frozenset({"rule_id"})
    rule_id: uuid.UUID | None = None
    query: RuleQuery | None = None
    category: str | None = None
    pin: str = ""
    hide: str = ""
    starts_at: str | None = None
    ends_at: str | None = None


class DeleteForm(PageForm):
    page_fields = frozenset({"rule_id"})
    rule_id: uuid.UUID


def _slugs(text: str) -> list[str]:
    return [s for s in text.replace(",", " ").split() if s]


_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)


# A time to the minute, as the browser's ``datetime-local`` sends it (no seconds).
_MINUTES = re.compile(r"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d)(?=$|Z|z|[+-])")


def _time(text: str | None) -> str | None:
    """A typed time as RFC 3339: seconds added when only minutes were given, and the offset
    typed, or UTC (the browser's ``datetime-local`` gives neither)."""
    if not text:
        return None
    text = _MINUTES.sub(r"\1:00", text.strip())
    return text if _OFFSET.search(text[10:]) else text + "Z"


def _decode(form: RuleForm) -> RuleIn:
    """
    Raises:
        Invalid: naming the field that is wrong.
    """
    given: dict[str, Any] = {"pin": _slugs(form.pin), "hide": _slugs(form.hide)}
    for name in ("query", "category"):
        value = getattr(form, name)
        if value:
            given[name] = value
    for name in ("starts_at", "ends_at"):
        value = _time(getattr(form, name))
        if value:
            given[name] = value
    return decode_fields(RuleIn, given)


def _as_form(rule: RuleOut) -> FormState:
    """An existing rule in the form, for editing."""

    def when(value: dt.datetime | None) -> str:
        # As precise as it was set (the API takes seconds and fractions): minutes alone moved
        # a window's ends by up to 59 s, and a window within one minute could not be saved.
        if value is None:
            return ""
        # A browser's datetime-local takes at most milliseconds (it blanks a value with more,
        # and the rule would lose that end when saved).
        utc = value.astimezone(dt.UTC).replace(tzinfo=None)
        spec = "milliseconds" if utc.microsecond else "seconds" if utc.second else "minutes"
        return utc.isoformat(timespec=spec)

    return FormState(
        values={
            "rule_id": rule.id,
            "query": rule.query or "",
            "category": rule.category or "",
            "pin": ", ".join(rule.pin),
            "hide": ", ".join(rule.hide),
            "starts_at": when(rule.starts_at),
            "ends_at": when(rule.ends_at),
        }
    )


PER_PAGE = 50


async def _rules_page(
    db_session: DbSession,
    form: FormState = BLANK,
    status: int = 200,
    page: int = 1,
    *,
    preview: list[CourseDocument] | None = None,
    pinned: int = 0,
    found: list[CourseDocument] | None = None,
    find: str = "",
) -> Template:
    listed = await service.list_rules(db_session, page, PER_PAGE)
    return Template(
        "admin/rules.html.jinja2",
        status_code=status,
        context={
            "rules": listed.rules,
            "page": listed.page,
            "pages": max(1, -(-listed.total // PER_PAGE)),
            "total": listed.total,
            "form": form,
            "preview": preview,
            "pinned": pinned,
            "found": found or [],
            "find": find,
        },
    )


def _unmerchandised(engine: SearchEngine) -> SearchEngine:
    """The engine under the rules: a preview shows the one rule typed, no saved one."""
    return engine.inner if isinstance(engine, MerchandisedEngine) else engine


FOUND = 10  # courses listed for a title typed in the picker (without a script)


def _again(db_session: DbSession) -> Rerender:
    async def rerender(state: FormState, status: int) -> Template:
        return await _rules_page(db_session, state, status)

    return rerender


class RulesPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)
    path = "/admin/rules"

    @get("", name="rules_page")
    async def show(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
    ) -> Template:
        """The rules; ``?edit=<id>`` puts that rule in the form; ``?find=<title words>`` lists
        the courses with those words and their slugs (the picker, without a script)."""
        require_admin(user)
        find = typed(request.query_params.get("find", ""))[:200]  # as a search reads it
        found: list[CourseDocument] = []
        if find:
            try:
                hits = await _unmerchandised(engine).search(
                    SearchRequest(q=find, per_page=FOUND, with_facets=False)
                )
                found = [h.document for h in hits.hits]
            except SearchUnavailable:
                found = []
        editing = request.query_params.get("edit", "")
        try:
            rule = await service.get_rule(db_session, uuid.UUID(editing)) if editing else None
        except ValueError:
            rule = None
        form = _as_form(rule) if rule else BLANK
        if editing and rule is None:  # a stale or mistyped link: said, not a blank "New rule"
            form = FormState(message="No rule has this id (deleted since?): here is a new one.")
        page = link_number(request.query_params.get("page"), 1, 10_000) or 1
        return await _rules_page(db_session, form, page=page, found=found, find=find)

    @post("/preview", name="rules_preview", status_code=200)
    async def preview(
        self,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        """The rules page again, the form as typed and the first page the rule would give."""
        require_admin(user)
        values = form_values(data)

        async def show(form: RuleForm) -> Template:
            result = await service.preview_rule(
                db_session, _unmerchandised(engine), _decode(form), rules.searched_as
            )
            cards = [h.document for h in result.hits]
            kept = FormState(values={k: v for k, v in values.items() if k not in HIDDEN})
            return await _rules_page(db_session, kept, preview=cards, pinned=result.pinned)

        return await submit(data, RuleForm, show, _again(db_session), lambda page: page)

    @post("", name="rules_create", status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        require_admin(user)

        async def save(form: RuleForm) -> None:
            rule_id = form.rule_id
            if rule_id is None:
                rule_id = await service.create_rule(db_session, _decode(form), rules.searched_as)
            else:
                await service.update_rule(db_session, rule_id, _decode(form), rules.searched_as)
            await rules.refresh(db_session, rule_id)  # this worker at once, the others in 1 s

        return await submit(
            data, RuleForm, save, _again(db_session), request.app.route_reverse("rules_page")
        )

    @post("/delete", name="rules_delete", status_code=303)
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        require_admin(user)

        async def drop(form: DeleteForm) -> None:
            await service.delete_rule(db_session, form.rule_id)
            await rules.refresh(db_session, form.rule_id)

        return await submit(
            data, DeleteForm, drop, _again(db_session), request.app.route_reverse("rules_page")
        )
