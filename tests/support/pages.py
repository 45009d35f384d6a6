"""Driving the pages as a browser would: a client with its own cookies, forms with their CSRF
token, a new shopper signed up through the sign-up page."""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.support.shoppers import PASSWORD

Client = Any


async def csrf(client: Client, path: str) -> str:
    html = (await client.get(path)).text
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


async def submit(client: Client, page: str, action: str, **fields: str) -> Any:
    """Post ``action``'s form as it stands on ``page`` (with that page's CSRF token)."""
    token = await csrf(client, page)
    return await client.post(action, data={"_csrf_token": token, **fields})


async def sign_up(client: Client) -> str:
    address = f"shopper-{uuid.uuid4().hex[:10]}@example.com"
    response = await submit(
        client, "/register", "/register", email=address, password=PASSWORD, first_name="Sam"
    )
    assert response.status_code == 303, re.sub(r"\s+", " ", response.text)[-1200:]
    cookie = response.headers["set-cookie"].lower()
    assert "skillspring_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    return address
