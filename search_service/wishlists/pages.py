"""The wishlists page and its forms: a new list, add, remove, move to the cart."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.response import Redirect, Template

from search_service.db.annotations import DbSession, SignedIn, Viewer
from search_service.pages.errors import login_url, safe_next
from search_service.pages.forms import (
    BLANK,
    FormData,
    FormState,
    PageForm,
    Rerender,
    done,
    form_values,
    submit,
)
from search_service.wishlists import service
from search_service.wishlists.schemas import ListName, WishlistIn, WishlistOut


class AddForm(PageForm):
    # A hidden id, a list's <select>, the page added from.
    page_fields = frozenset({"course_id", "wishlist_id", "back"})
    course_id: uuid.UUID
    wishlist_id: uuid.UUID | None = None  # none: the first list, "Favorites"
    back: str | None = None


class EntryForm(PageForm):
    page_fields = frozenset({"course_id", "wishlist_id"})
    course_id: uuid.UUID
    wishlist_id: uuid.UUID


class RenameForm(PageForm):
    page_fields = frozenset({"wishlist_id"})
    wishlist_id: uuid.UUID
    name: ListName  # what a new list's name takes


class ListForm(PageForm):
    page_fields = frozenset({"wishlist_id"})
    wishlist_id: uuid.UUID


async def _lists_page(
    db_session: DbSession,
    user_id: uuid.UUID,
    *,
    forms: dict[str, FormState] | None = None,
    status: int = 200,
) -> Template:
    forms = dict(forms or {})
    lists = await service.all_lists(db_session, user_id)
    # A rename of a list deleted since (another tab) has no list to stand under: it is said
    # at the top, as the list forms' mistakes are.
    renamed = forms.get("rename")
    if renamed is not None and renamed.value("wishlist_id") not in {w.id for w in lists}:
        forms["items"] = forms.pop("rename")
    return Template(
        "wishlists/lists.html.jinja2",
        status_code=status,
        context={
            "lists": lists,
            "create_form": forms.get("create", BLANK),
            "items_form": forms.get("items", BLANK),
            "rename_form": forms.get("rename", BLANK),  # shown under its own list
            "blank_form": BLANK,
        },
    )


def _again(
    db_session: DbSession, user_id: uuid.UUID, form: Literal["create", "items", "rename"]
) -> Rerender:
    async def rerender(state: FormState, status: int) -> Template:
        return await _lists_page(db_session, user_id, forms={form: state}, status=status)

    return rerender


def _lists(request: Request[Any, Any, Any]) -> str:
    return request.app.route_reverse("wishlists_page")


async def _add(db_session: DbSession, user_id: uuid.UUID, form: AddForm) -> WishlistOut:
    target = form.wishlist_id or uuid.UUID((await service.all_lists(db_session, user_id))[0].id)
    return await service.add(db_session, user_id, target, form.course_id)


class WishlistPages(Controller):
    include_in_schema = False
    # Personal pages are never stored by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True)
    path = "/wishlists"

    @get("", name="wishlists_page")
    async def show(self, db_session: DbSession, user: SignedIn) -> Template:
        return await _lists_page(db_session, user.id)

    @post("/create", name="wishlist_create", status_code=303)
    async def create(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        return await submit(
            data,
            WishlistIn,
            lambda form: service.create(db_session, user.id, form.name),
            _again(db_session, user.id, "create"),
            _lists(request),
        )

    @post("/add", name="wishlist_add", status_code=303)
    async def add(
        self, request: Request[Any, Any, Any], db_session: DbSession, viewer: Viewer, data: FormData
    ) -> Response[Any]:
        values = form_values(data)
        if viewer is None:  # log in, then the add is finished (accounts/pages.py: After)
            login = login_url(request, values.get("back"), values.get("course_id"), to="wishlist")
            return Redirect(login, status_code=303)
        # Saved from a course's page: back to it, saying so (any other page: the lists).
        back = values.get("back")
        return await submit(
            data,
            AddForm,
            lambda form: _add(db_session, viewer.id, form),
            _again(db_session, viewer.id, "items"),
            done(back if back and safe_next(back) == back else _lists(request), "wished"),
        )

    @post("/rename", name="wishlist_rename", status_code=303)
    async def rename(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        return await submit(
            data,
            RenameForm,
            lambda form: service.rename(db_session, user.id, form.wishlist_id, form.name),
            _again(db_session, user.id, "rename"),
            done(_lists(request), "list-renamed"),
        )

    @post("/delete", name="wishlist_delete", status_code=303)
    async def delete_list(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        return await submit(
            data,
            ListForm,
            lambda form: service.delete_list(db_session, user.id, form.wishlist_id),
            _again(db_session, user.id, "items"),
            done(_lists(request), "list-deleted"),
        )

    @post("/remove", name="wishlist_remove", status_code=303)
    async def remove(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        return await submit(
            data,
            EntryForm,
            lambda form: service.remove(db_session, user.id, form.wishlist_id, form.course_id),
            _again(db_session, user.id, "items"),
            _lists(request),
        )

    @post("/move", name="wishlist_move", status_code=303)
    async def move(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        return await submit(
            data,
            EntryForm,
            lambda form: service.move_to_cart(
                db_session, user.id, form.wishlist_id, form.course_id
            ),
            _again(db_session, user.id, "items"),
            done(request.app.route_reverse("cart_page"), "to-cart"),
        )

    @post("/from-cart", name="wishlist_from_cart", status_code=303)
    async def from_cart(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn, data: FormData
    ) -> Response[Any]:
        """The cart's "Move to wishlist": out of the cart, onto the first list."""
        return await submit(
            data,
            AddForm,
            lambda form: service.move_from_cart(db_session, user.id, form.course_id),
            _again(db_session, user.id, "items"),
            done(request.app.route_reverse("cart_page"), "saved"),
        )
