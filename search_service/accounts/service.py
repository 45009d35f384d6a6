"""Accounts: argon2id passwords (hashed off the event loop), opaque tokens stored as SHA-256
hashes, status checks.

Every write is one transaction (the request's session; the plugin commits it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts.limits import AccountGuard
from search_service.accounts.passwords import hash_password, needs_rehash, verify_password
from search_service.accounts.schemas import LoginIn, MeOut, RegisterIn, TokenOut
from search_service.accounts.strength import check_password
from search_service.db.models import AuthToken, Student, User
from search_service.lib.constraints import optional_public_text, public_text
from search_service.lib.errors import Conflict, Forbidden, Unauthorized

NAME_MOST = 80  # a first or last name's column

TOKEN_DAYS = 30


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def register(
    session: AsyncSession, guard: AccountGuard, data: RegisterIn, client: str
) -> User:
    """A new student account.

    Raises:
        TooManyRequests: too many sign-ups from this address, or overall.
        Conflict: the email is already registered.
    """
    check_password(data.password, data.email)
    await guard.signing_up(client)
    async with guard.turn(client):
        hashed = await hash_password(data.password)
    user = User(
        email=normalise_email(data.email),
        password_hash=hashed,
        role="student",
        status="active",
        first_name=public_text("first_name", data.first_name, most=NAME_MOST),
        last_name=optional_public_text("last_name", data.last_name, most=NAME_MOST),
    )
    try:
        # A savepoint: a taken address undoes this insert only, and the request's transaction
        # (and what it has loaded, such as a signed-in viewer) stays usable.
        async with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        raise Conflict("An account with this email already exists.", field="email") from exc
    session.add(Student(user_id=user.id))
    await session.flush()
    return user


async def login(
    session: AsyncSession, guard: AccountGuard, data: LoginIn, client: str, kind: str = "api"
) -> TokenOut:
    """Check the password and issue a token.

    Raises:
        TooManyRequests: this account (or, after a wrong password, this address) has failed
            too often and must wait.
        Unauthorized: unknown email or wrong password (the same message for both).
        Forbidden: the account is pending or suspended.
    """
    email = normalise_email(data.email)
    await guard.logging_in(email)
    # Looked up aside and verified off the loop: the request's own transaction (and its
    # pooled connection) only begins once the password is known to be right.
    found = await guard.credentials(email)
    stored = found.password_hash if found is not None else None
    async with guard.turn(client, failing=True):
        right = await verify_password(stored, data.password)
    if not right or found is None or stored is None:
        await guard.failed(client)
        raise Unauthorized("Wrong email or password.")
    await guard.succeeded(email)
    if found.status != "active":
        raise Forbidden(f"This account is {found.status}; it cannot sign in.")
    user = await session.get_one(User, found.user_id)
    if needs_rehash(stored):
        user.password_hash = await hash_password(data.password)
    return await issue_token(session, user, kind)


async def issue_token(session: AsyncSession, user: User, kind: str = "api") -> TokenOut:
    """A new token for a user who has just proved who they are (logged in or signed up)."""
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


def me(user: User) -> MeOut:
    return MeOut(
        id=str(user.id),
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        last_login_at=user.last_login_at,
    )
