"""Request and response shapes of the accounts API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=128)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f<>]+$")]


class RegisterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    first_name: Name
    last_name: Name | None = None


class LoginIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class TokenOut(msgspec.Struct, kw_only=True):
    token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: dt.datetime


class MeOut(msgspec.Struct, kw_only=True):
    id: str
    email: str
    role: str
    first_name: str | None
    last_name: str | None
    last_login_at: dt.datetime | None
