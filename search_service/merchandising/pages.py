"""The admins' rules page: every rule, a form to add one, a button to delete each."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from search_service.accounts.admins import require_admin
from search_service.decoding import decode_fields
from search_service.merchandising import service
from search_service.merchandising.rules import RuleBook
from search_service.merchandising.schemas import RuleIn, RuleOut
from search_service.pages.forms import (
    BLANK,
    FormData,
    FormState,
    Rerender,
    form_values,
    parse_form,
    submit,
)
from search_service.web import DbSession, SignedIn


class RuleForm(msgspec.Struct, kw_only=True):
    """The form as typed: slugs separated by commas or spaces, times as the browser's
    ``datetime-local`` (read as UTC). With ``rule_id``, it replaces that rule."""

    rule_id: uuid.UUID | None = None
    query: str | None = None
    category: str | None = None
    pin: str = ""
    hide: str = ""
    starts_at: str | None = None
    ends_at: str | None = None


class DeleteForm(msgspec.Struct, kw_only=True):
    rule_id: uuid.UUID


def _slugs(text: str) -> list[str]:
    return [s for s in text.replace(",", " ").split() if s]


def _time(text: str | None) -> str | None:
    if not text:
        return None
    return text if text.endswith("Z") or "+" in text[10:] else text + "Z"


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
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M") if value else ""

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


async def _rules_page(
    db_session: DbSession, form: FormState = BLANK, status: int = 200
) -> Template:
    return Template(
        "admin/rules.html.jinja2",
        status_code=status,
        context={"rules": await service.list_rules(db_session), "form": form},
    )


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
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn
    ) -> Template:
        """The rules; ``?edit=<id>`` puts that rule in the form."""
        require_admin(user)
        editing = request.query_params.get("edit", "")
        try:
            rule = await service.get_rule(db_session, uuid.UUID(editing)) if editing else None
        except ValueError:
            rule = None
        return await _rules_page(db_session, _as_form(rule) if rule else BLANK)

    @post("", name="rules_create", status_code=303)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: FormData,
    ) -> Redirect | Template:
        require_admin(user)
        values = form_values(data)

        async def add() -> None:
            form = parse_form(RuleForm, values)
            if form.rule_id is None:
                await service.create_rule(db_session, _decode(form))
            else:
                await service.update_rule(db_session, form.rule_id, _decode(form))
            await db_session.commit()  # applied by this worker at once, by the others in 1 s
            await rules.reload()

        return await submit(
            values, add, _again(db_session), request.app.route_reverse("rules_page")
        )

    @post("/delete", name="rules_delete", status_code=303)
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: FormData,
    ) -> Redirect | Template:
        require_admin(user)
        values = form_values(data)

        async def drop() -> None:
            await service.delete_rule(db_session, parse_form(DeleteForm, values).rule_id)
            await db_session.commit()
            await rules.reload()

        return await submit(
            values, drop, _again(db_session), request.app.route_reverse("rules_page")
        )
