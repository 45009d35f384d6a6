"""The wishlist API (bearer token required)."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import CacheControlHeader
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from search_service.cart.schemas import CartOut
from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, CourseId, WishlistId
from search_service.wishlists import service
from search_service.wishlists.schemas import WishlistIn, WishlistItemIn, WishlistOut

ERRORS = problem_responses(400, 401, 403, 404, 409)


class WishlistController(Controller):
    path = "/wishlists"
    tags = ("wishlists",)
    cache_control = CacheControlHeader(no_store=True)  # tokens and personal data

    @get("", name="api_wishlists", responses=ERRORS, security=BEARER)
    async def lists(self, db_session: DbSession, user: SignedIn) -> list[WishlistOut]:
        return await service.all_lists(db_session, user.id)

    @post(
        "",
        name="api_wishlist_create",
        status_code=HTTP_201_CREATED,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def create(
        self, db_session: DbSession, user: SignedIn, data: JSONBody[WishlistIn]
    ) -> WishlistOut:
        return await service.create(db_session, user.id, data.name)

    @post(
        "/from-cart",
        name="api_wishlist_from_cart",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def from_cart(
        self, db_session: DbSession, user: SignedIn, data: JSONBody[WishlistItemIn]
    ) -> WishlistOut:
        """Out of the cart and onto Favorites in one transaction ("Save for later")."""
        return await service.move_from_cart(db_session, user.id, data.course_id)

    @patch(
        "/{wishlist_id:uuid}",
        name="api_wishlist_rename",
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def rename(
        self,
        db_session: DbSession,
        user: SignedIn,
        wishlist_id: WishlistId,
        data: JSONBody[WishlistIn],
    ) -> WishlistOut:
        """Rename one of your lists (not Favorites, where "Add to wishlist" saves: 409)."""
        return await service.rename(db_session, user.id, wishlist_id, data.name)

    @delete(
        "/{wishlist_id:uuid}",
        name="api_wishlist_delete",
        status_code=HTTP_204_NO_CONTENT,
        responses=ERRORS,
        security=BEARER,
    )
    async def delete_list(
        self, db_session: DbSession, user: SignedIn, wishlist_id: WishlistId
    ) -> None:
        """Delete one of your lists and what it holds (not Favorites: 409)."""
        await service.delete_list(db_session, user.id, wishlist_id)

    @post(
        "/{wishlist_id:uuid}/items",
        name="api_wishlist_add",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def add(
        self,
        db_session: DbSession,
        user: SignedIn,
        wishlist_id: WishlistId,
        data: JSONBody[WishlistItemIn],
    ) -> WishlistOut:
        return await service.add(db_session, user.id, wishlist_id, data.course_id)

    @delete(
        "/{wishlist_id:uuid}/items/{course_id:uuid}",
        name="api_wishlist_remove",
        status_code=HTTP_200_OK,
        responses=ERRORS,
        security=BEARER,
    )
    async def remove(
        self, db_session: DbSession, user: SignedIn, wishlist_id: WishlistId, course_id: CourseId
    ) -> WishlistOut:
        return await service.remove(db_session, user.id, wishlist_id, course_id)

    @post(
        "/{wishlist_id:uuid}/items/{course_id:uuid}/move-to-cart",
        name="api_wishlist_move",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def move(
        self, db_session: DbSession, user: SignedIn, wishlist_id: WishlistId, course_id: CourseId
    ) -> CartOut:
        """Off the list and into the cart in one transaction (the cart's rules apply)."""
        return await service.move_to_cart(db_session, user.id, wishlist_id, course_id)
