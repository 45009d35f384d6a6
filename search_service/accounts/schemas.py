"""Request and response shapes of the accounts API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from search_service.lib.constraints import LINE_CHARACTERS, Email, NewPassword, PersonName

Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128, description="your password")]
LoginEmail = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=255,
        pattern=LINE_CHARACTERS,
        description="the email you signed up with",
    ),
]


class RegisterIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # In the sign-up page's order: the first field in error is the one the page focuses.
    first_name: PersonName
    last_name: PersonName | None = None
    email: Email
    password: NewPassword


class LoginIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Accepts what registration once accepted (no new rules for old accounts); a wrong
    # address is simply a failed log-in.
    email: LoginEmail
    password: Password


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
