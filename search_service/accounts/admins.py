"""Admins: made from the command line (``skillspring users create-admin``), never over HTTP.

An admin signs in like everyone else; the role is what the insights (and later admin) routes
check.
"""

from __future__ import annotations

import asyncpg
import msgspec

from search_service.accounts.passwords import hash_password
from search_service.accounts.service import normalise_email
from search_service.accounts.strength import check_password
from search_service.db.models import User
from search_service.lib.constraints import Email, NewPassword
from search_service.lib.decoding import decode_fields
from search_service.lib.errors import Forbidden, Invalid, UsageError

UPSERT_ADMIN = """
INSERT INTO users (email, password_hash, role, status, first_name)
VALUES ($1, $2, 'admin', 'active', 'Admin')
ON CONFLICT (email) DO UPDATE
    SET role = 'admin', status = 'active', password_hash = excluded.password_hash,
        updated_at = now()
RETURNING (xmax = 0) AS created
"""


class AdminIn(msgspec.Struct, kw_only=True):
    email: Email
    password: NewPassword


def check_admin(email: str, password: str) -> AdminIn:
    """
    Raises:
        UsageError: the email or the password is not acceptable (the same rules as sign-up).
    """
    try:
        data = decode_fields(AdminIn, {"email": email, "password": password})
        check_password(data.password, data.email)
        return data
    except Invalid as exc:
        wrong = "; ".join(f"{f.name}: {f.allowed or f.reason}" for f in exc.fields)
        raise UsageError(f"not acceptable — {wrong}") from None


async def create_admin(conn: asyncpg.Connection, email: str, password: str) -> bool:
    """Create the admin, or make an existing account one (with this password); True when
    the account is new."""
    data = check_admin(email, password)
    address = normalise_email(data.email)
    deleted = await conn.fetchval(
        "SELECT deleted_at IS NOT NULL FROM users WHERE email = $1", address
    )
    if deleted:  # promoted, it still could not sign in: said, not "promoted admin"
        raise UsageError(f"{address} is a deleted account: it cannot sign in to be an admin")
    digest = await hash_password(data.password)
    return bool(await conn.fetchval(UPSERT_ADMIN, address, digest))


def require_admin(user: User) -> User:
    """
    Raises:
        Forbidden: the user is signed in but not an admin.
    """
    if user.role != "admin":
        raise Forbidden("This is for admins only.")
    return user
