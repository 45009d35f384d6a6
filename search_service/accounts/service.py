"""Accounts: argon2id passwords, opaque tokens stored as SHA-256 hashes, status checks.

Every write is one transaction (the request's session; the plugin commits it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts.schemas import LoginIn, MeOut, RegisterIn, TokenOut
from search_service.db.models import AuthToken, Student, User
from search_service.errors import Conflict, DomainError, Forbidden

TOKEN_DAYS = 30
HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the email is unknown, so both cases take the same time.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


class Unauthorized(DomainError):
    """Not signed in, or the credentials are wrong (401)."""

    title = "Not signed in"


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def register(session: AsyncSession, data: RegisterIn) -> MeOut:
    """A new student account.

    Raises:
        Conflict: the email is already registered.
    """
    user = User(
        email=normalise_email(data.email),
        password_hash=HASHER.hash(data.password),
        role="student",
        status="active",
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip() if data.last_name else None,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.") from exc
    session.add(Student(user_id=user.id))
    await session.flush()
    return _me(user)


async def login(session: AsyncSession, data: LoginIn, kind: str = "api") -> TokenOut:
    """Check the password and issue a token.

    Raises:
        Unauthorized: unknown email or wrong password (the same message for both).
        Forbidden: the account is pending or suspended.
    """
    user = (
        await session.execute(
            select(User).where(User.email == normalise_email(data.email), User.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    try:
        HASHER.verify(
            user.password_hash if user and user.password_hash else _DUMMY_HASH, data.password
        )
    except (VerificationError, InvalidHashError):
        raise Unauthorized("Wrong email or password.") from None
    if user is None or not user.password_hash:
        raise Unauthorized("Wrong email or password.")
    if user.status != "active":
        raise Forbidden(f"This account is {user.status}; it cannot sign in.")
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(data.password)
    token = secrets.token_urlsafe(32)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=TOKEN_DAYS)
    session.add(
        AuthToken(user_id=user.id, token_hash=token_hash(token), kind=kind, expires_at=expires)
    )
    user.last_login_at = dt.datetime.now(dt.UTC)
    await session.flush()
    return TokenOut(token=token, expires_at=expires)


async def user_for_token(session: AsyncSession, token: str) -> User | None:
    """The active user a live token belongs to."""
    return (
        await session.execute(
            select(User)
            .join(AuthToken, AuthToken.user_id == User.id)
            .where(
                AuthToken.token_hash == token_hash(token),
                AuthToken.revoked_at.is_(None),
                AuthToken.expires_at > text("now()"),
                User.status == "active",
                User.deleted_at.is_(None),
            )
        )
    ).scalar_one_or_none()


async def logout(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(AuthToken)
        .where(AuthToken.token_hash == token_hash(token), AuthToken.revoked_at.is_(None))
        .values(revoked_at=text("now()"))
    )


def _me(user: User) -> MeOut:
    return MeOut(
        id=str(user.id),
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        last_login_at=user.last_login_at,
    )


def me(user: User) -> MeOut:
    return _me(user)


__all__ = ["Unauthorized", "login", "logout", "me", "register", "user_for_token"]
