"""After buying: the course page, search, wishlists and My learning all know the shopper owns it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from tests.support.apps import in_process_app
from tests.support.catalogs import Catalog
from tests.support.pages import sign_up, submit

Client = Any


@pytest.fixture
async def shopper(shop: Catalog) -> AsyncIterator[Client]:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        await sign_up(client)
        yield client


async def test_after_buying_the_shopper_sees_it_owned_everywhere(
    shopper: Client, db: asyncpg.Connection
) -> None:
    course = await db.fetchrow(
        "SELECT id, slug, title FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND list_price_cents > 0 AND currency = 'USD' ORDER BY md5(slug || 'own') LIMIT 1"
    )
    page = f"/courses/{course['slug']}"
    assert "Add to cart" in (await shopper.get(page)).text
    empty = (await shopper.get("/my-learning")).text
    assert "You have not bought a course yet" in empty
    await submit(shopper, page, "/wishlists/add", course_id=str(course["id"]))
    await submit(shopper, "/wishlists", "/wishlists/create", name="Later")
    assert "Also add" in (await shopper.get("/wishlists")).text
    added = await submit(shopper, page, "/cart/add", course_id=str(course["id"]), back=page)
    assert added.status_code == 303
    cart = (await shopper.get("/cart")).text
    total = re.search(r'name="expected_total_cents" value="(\d+)"', cart).group(1)  # type: ignore[union-attr]
    bought = await submit(shopper, "/cart", "/cart/checkout", expected_total_cents=total)
    assert bought.status_code == 303
    receipt = (await shopper.get(bought.headers["location"])).text
    assert 'href="/my-learning"' in receipt
    after = (await shopper.get(page)).text
    assert "You own this course" in after and "Go to course" in after
    assert ">Add to cart<" not in after and ">Add to wishlist<" not in after
    learning = (await shopper.get("/my-learning")).text
    assert f'href="/learn/{course["slug"]}"' in learning and "Start learning" in learning
    lists = (await shopper.get("/wishlists")).text
    assert "Purchased" in lists and "Move to cart" not in lists
    assert "Also add" not in lists, "a course bought is not offered to another list"
    found = await shopper.get("/search", params={"q": course["title"]})
    assert "Purchased" in found.text


async def test_my_learning_needs_a_sign_in(shop: Catalog) -> None:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        response = await client.get("/my-learning")
        assert response.status_code == 303 and "/login" in response.headers["location"]
