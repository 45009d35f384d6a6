"""Who may read insights: users whose role is ``admin``."""

from __future__ import annotations

from search_service.db.models import User
from search_service.errors import Forbidden


def require_admin(user: User) -> User:
    """
    Raises:
        Forbidden: the user is signed in but not an admin.
    """
    if user.role != "admin":
        raise Forbidden("Only admins can see search insights.")
    return user
