"""The merchandising rules API (admins only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from search_service.accounts.admins import require_admin
from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, PageNumber
from search_service.merchandising import service
from search_service.merchandising.rules import RuleBook
from search_service.merchandising.schemas import RuleCreated, RuleIn, RuleOut, RulesOut

RuleId = Annotated[uuid.UUID, PathParameter(description="a rule id (UUID)")]
PerPage = Annotated[
    int,
    QueryParameter(ge=1, le=200, required=False, description="a whole number from 1 to 200"),
]


class RulesController(Controller):
    path = "/admin/rules"
    tags = ("merchandising",)
    cache_control = CacheControlHeader(no_store=True)

    @post(
        "",
        summary="Create a merchandising rule (admins only)",
        name="api_rules_create",
        status_code=HTTP_201_CREATED,
        responses=problem_responses(400, 401, 403, 409) | BODY_REFUSED,
        security=BEARER,
    )
    async def create(
        self,
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        data: JSONBody[RuleIn],
    ) -> RuleCreated:
        """Pin courses first (in the given order) and hide courses for a query (matched after
        folding case, accents and spaces) or a category page, optionally between ``starts_at``
        and ``ends_at``. Applies within a second on every worker."""
        require_admin(user)
        rule_id = await service.create_rule(db_session, data, rules.searched_as)
        await rules.refresh(db_session, rule_id)
        return RuleCreated(id=str(rule_id))

    @get(
        "",
        summary="Merchandising rules (admins only)",
        name="api_rules",
        responses=problem_responses(400, 401, 403),
        security=BEARER,
    )
    async def list_rules(
        self, db_session: DbSession, user: SignedIn, page: PageNumber = 1, per_page: PerPage = 50
    ) -> RulesOut:
        """The rules, newest first, a page at a time (at most ``MAX_RULES`` exist)."""
        require_admin(user)
        return await service.list_rules(db_session, page, per_page)

    @put(
        "/{rule_id:uuid}",
        summary="Replace a merchandising rule (admins only)",
        name="api_rules_update",
        responses=problem_responses(400, 401, 403, 404, 409) | BODY_REFUSED,
        security=BEARER,
    )
    async def update(
        self,
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        rule_id: RuleId,
        data: JSONBody[RuleIn],
    ) -> RuleOut:
        """The same body and checks as creating one (the rule itself does not overlap)."""
        require_admin(user)
        await service.update_rule(db_session, rule_id, data, rules.searched_as)
        await rules.refresh(db_session, rule_id)
        updated = await service.get_rule(db_session, rule_id)
        assert updated is not None
        return updated

    @delete(
        "/{rule_id:uuid}",
        summary="Delete a merchandising rule (admins only)",
        name="api_rules_delete",
        status_code=HTTP_204_NO_CONTENT,
        responses=problem_responses(400, 401, 403, 404),
        security=BEARER,
    )
    async def remove(
        self,
        db_session: DbSession,
        rules: NamedDependency[RuleBook],
        user: SignedIn,
        rule_id: RuleId,
    ) -> None:
        require_admin(user)
        await service.delete_rule(db_session, rule_id)
        await rules.refresh(db_session, rule_id)
