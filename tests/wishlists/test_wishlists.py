"""Wishlists over the API: default list, named lists, owned marks, move to cart, privacy."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from tests.support.shoppers import auth, courses, student

Client = Any


async def test_favorites_exists_from_the_first_call(api: Client, db: asyncpg.Connection) -> None:
    who = await student(db)
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    assert [w["name"] for w in lists] == ["Favorites"]
    again = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    assert again == lists
    assert (await api.get("/api/v1/wishlists")).status_code == 401


async def test_named_lists_items_and_owned_marks(api: Client, db: asyncpg.Connection) -> None:
    who = await student(db)
    created = await api.post("/api/v1/wishlists", json={"name": "Career change"}, headers=auth(who))
    assert created.status_code == 201
    wishlist = created.json()["id"]
    duplicate = await api.post(
        "/api/v1/wishlists", json={"name": "Career change"}, headers=auth(who)
    )
    assert duplicate.status_code == 409
    for other_case in ("career CHANGE", "favorites"):  # one list to a shopper, in any case
        again = await api.post("/api/v1/wishlists", json={"name": other_case}, headers=auth(who))
        assert again.status_code == 409, other_case
        assert "You already have a list called" in again.json()["detail"]
    blank = await api.post("/api/v1/wishlists", json={"name": "   "}, headers=auth(who))
    assert blank.status_code == 400
    first, second = await courses(db, 2)
    for course in (first, second, first):
        response = await api.post(
            f"/api/v1/wishlists/{wishlist}/items",
            json={"course_id": str(course["id"])},
            headers=auth(who),
        )
        assert response.status_code == 200
    items = response.json()["items"]
    assert [i["course_id"] for i in items] == [str(first["id"]), str(second["id"])]
    # Each with its picture and what it costs, as the wishlist page shows them.
    assert all(i["image_url"] and i["price_display"] for i in items)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        second["id"],
        uuid.UUID(who["id"]),
    )
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    career = next(w for w in lists if w["name"] == "Career change")
    assert [i["owned"] for i in career["items"]] == [False, True]
    removed = await api.delete(
        f"/api/v1/wishlists/{wishlist}/items/{first['id']}", headers=auth(who)
    )
    assert [i["course_id"] for i in removed.json()["items"]] == [str(second["id"])]


async def _wished(api: Client, db: asyncpg.Connection) -> tuple[dict[str, str], str, Any]:
    """A new student, their first list (Favorites) and the one course on it."""
    who = await student(db)
    wishlist = (await api.get("/api/v1/wishlists", headers=auth(who))).json()[0]["id"]
    (course,) = await courses(db, 1)
    added = await api.post(
        f"/api/v1/wishlists/{wishlist}/items",
        json={"course_id": str(course["id"])},
        headers=auth(who),
    )
    assert added.status_code == 200, added.text
    return who, wishlist, course


async def test_move_to_cart(api: Client, db: asyncpg.Connection) -> None:
    who, wishlist, course = await _wished(api, db)
    moved = await api.post(
        f"/api/v1/wishlists/{wishlist}/items/{course['id']}/move-to-cart", headers=auth(who)
    )
    assert moved.status_code == 200
    assert [i["course_id"] for i in moved.json()["items"]] == [str(course["id"])]
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    assert lists[0]["items"] == []


async def test_a_course_you_own_stays_on_the_list_when_move_fails(
    api: Client, db: asyncpg.Connection
) -> None:
    who, wishlist, course = await _wished(api, db)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(who["id"]),
    )
    moved = await api.post(
        f"/api/v1/wishlists/{wishlist}/items/{course['id']}/move-to-cart", headers=auth(who)
    )
    assert moved.status_code == 409
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    assert [i["course_id"] for i in lists[0]["items"]] == [str(course["id"])], "one transaction"


async def test_another_students_list_is_404(api: Client, db: asyncpg.Connection) -> None:
    owner, other = await student(db), await student(db)
    wishlist = (await api.get("/api/v1/wishlists", headers=auth(owner))).json()[0]["id"]
    (course,) = await courses(db, 1)
    response = await api.post(
        f"/api/v1/wishlists/{wishlist}/items",
        json={"course_id": str(course["id"])},
        headers=auth(other),
    )
    assert response.status_code == 404
    response = await api.delete(
        f"/api/v1/wishlists/{wishlist}/items/{course['id']}", headers=auth(other)
    )
    assert response.status_code == 404


async def test_lists_are_renamed_and_deleted_but_favorites_stays(
    api: Client, db: asyncpg.Connection
) -> None:
    who, other = await student(db), await student(db)
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    favorites = lists[0]["id"]
    made = await api.post("/api/v1/wishlists", json={"name": "Later"}, headers=auth(who))
    later = made.json()["id"]
    (course,) = await courses(db, 1)
    await api.post(
        f"/api/v1/wishlists/{later}/items", json={"course_id": str(course["id"])}, headers=auth(who)
    )
    renamed = await api.patch(
        f"/api/v1/wishlists/{later}", json={"name": "Next"}, headers=auth(who)
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Next"
    taken = await api.patch(
        f"/api/v1/wishlists/{later}", json={"name": "FAVORITES"}, headers=auth(who)
    )
    assert taken.status_code == 409
    for method in ("patch", "delete"):
        kept = await getattr(api, method)(
            f"/api/v1/wishlists/{favorites}",
            headers=auth(who),
            **({"json": {"name": "Mine"}} if method == "patch" else {}),
        )
        assert kept.status_code == 409 and "Favorites" in kept.json()["detail"], method
    assert (await api.delete(f"/api/v1/wishlists/{later}", headers=auth(other))).status_code == 404
    gone = await api.delete(f"/api/v1/wishlists/{later}", headers=auth(who))
    assert gone.status_code == 204
    names = [w["name"] for w in (await api.get("/api/v1/wishlists", headers=auth(who))).json()]
    assert names == ["Favorites"]
    items = "SELECT count(*) FROM wishlist_items WHERE wishlist_id = $1"
    assert await db.fetchval(items, uuid.UUID(later)) == 0


async def test_save_for_later_moves_a_course_from_the_cart_to_favorites(
    api: Client, db: asyncpg.Connection
) -> None:
    """What the cart page's "Save for later" does, for a frontend: both or neither."""
    who = await student(db)
    (course,) = await courses(db, 1)
    body = {"course_id": str(course["id"])}
    missing = await api.post("/api/v1/wishlists/from-cart", json=body, headers=auth(who))
    assert missing.status_code == 404, "not in the cart: nothing is written"
    lists = (await api.get("/api/v1/wishlists", headers=auth(who))).json()
    assert lists[0]["items"] == []
    await api.post("/api/v1/cart/items", json=body, headers=auth(who))
    moved = await api.post("/api/v1/wishlists/from-cart", json=body, headers=auth(who))
    assert moved.status_code == 200 and moved.json()["name"] == "Favorites"
    assert [i["course_id"] for i in moved.json()["items"]] == [str(course["id"])]
    assert (await api.get("/api/v1/cart", headers=auth(who))).json()["items"] == []


async def test_a_list_name_taken_in_another_spelling_is_a_409(
    api: Client, db: asyncpg.Connection
) -> None:
    """PostgreSQL's lower() told "Straße" from "STRASSE", "ﬁle" from "FILE", "σας" from
    "ΣΑΣ", and "Favorites" from "favoriteſ" or one with a soft hyphen inside, which looks
    the same: each made a second list of one name."""
    who = await student(db)

    async def make(name: str) -> Any:
        return await api.post("/api/v1/wishlists", json={"name": name}, headers=auth(who))

    await api.get("/api/v1/wishlists", headers=auth(who))  # Favorites exists
    for first, again in (("Straße", "STRASSE"), ("ﬁle", "FILE"), ("σας", "ΣΑΣ")):
        assert (await make(first)).status_code == 201, first
        refused = await make(again)
        assert refused.status_code == 409, (again, refused.text)
    for favorites in ("favoriteſ", "Fav\u00adorites"):
        assert (await make(favorites)).status_code == 409, favorites
    later = (await make("Later")).json()
    renamed = await api.patch(
        f"/api/v1/wishlists/{later['id']}", json={"name": "STRASSE"}, headers=auth(who)
    )
    assert renamed.status_code == 409
    itself = await api.patch(
        f"/api/v1/wishlists/{later['id']}", json={"name": "LATER"}, headers=auth(who)
    )
    assert itself.status_code == 200, itself.text
