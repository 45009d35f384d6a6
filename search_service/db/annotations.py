"""The request's database session and user, as handlers ask for them (explicit Litestar
annotations: the SQLAlchemy plugin's ``db_session``; ``user`` and ``viewer`` from
``accounts/identity.py``)."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.db.models import User

# The request's database session (one transaction, committed by the plugin for 2xx and 3xx
# answers, rolled back otherwise).
DbSession = NamedDependency[AsyncSession]
# The signed-in user (401 in the API, the log-in page for pages) and the optional one.
SignedIn = NamedDependency[User]
Viewer = NamedDependency[User | None]
