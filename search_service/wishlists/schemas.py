"""Request and response shapes of the wishlist API."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

ListName = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=120,
        # Something that is not a space, and no control characters or angle brackets.
        pattern=r"^(?=.*\S)[^\x00-\x1f\x7f<>]*$",
        description="a name of 1 to 120 characters",
    ),
]


class WishlistIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: ListName


class WishlistItemIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    course_id: uuid.UUID


class WishlistItemOut(msgspec.Struct, kw_only=True):
    course_id: str
    slug: str
    title: str
    owned: bool  # the student already bought it
    image_url: str = ""  # its picture (its own, or one drawn for it)
    price_display: str = ""  # what it costs now: "$84.99", "Free"


class WishlistOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    items: list[WishlistItemOut]
