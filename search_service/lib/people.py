"""How people are named on the site."""

from __future__ import annotations


def public_name(first: str | None, last: str | None) -> str:
    """First name and last initial: enough to be human, not enough to be exposing."""
    return " ".join(p for p in (first, f"{last[0]}." if last else None) if p) or "A student"


def full_name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (first, last) if p)
