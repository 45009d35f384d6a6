"""Errors that stop a command with one clear line (exit code 2), and the domain errors services
raise. ``problems.py`` (the API) and ``pages/errors.py`` (HTML) map the domain errors once each;
nothing here knows about HTTP."""

from __future__ import annotations

import msgspec


class UsageError(Exception):
    """Bad configuration or arguments: the CLI prints the message and exits with code 2."""


class SettingsError(UsageError):
    """An environment variable holds a value that is not allowed."""

    def __init__(self, variable: str, allowed: str, value: str | None = None) -> None:
        shown = f" (got {value!r})" if value is not None else ""
        super().__init__(f"{variable}: {allowed}{shown}")
        self.variable = variable


class DatabaseUnavailable(UsageError):
    """The configured PostgreSQL server cannot be reached."""


class SearchUnavailable(Exception):
    """The search engine cannot be reached or refused a request."""


class FieldError(msgspec.Struct, kw_only=True, frozen=True):
    """What is wrong with one input field, and what it allows."""

    name: str
    reason: str
    allowed: str | None = None


class DomainError(Exception):
    """Raised by services. ``fields`` names the inputs the error is about, if any, so a form
    can show it beside the field and the API can return field-level problem details."""

    def __init__(self, detail: str, *, field: str | None = None, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields: list[FieldError] = [FieldError(name=field, reason=detail)] if field else []
        self.extra = extra


class Invalid(DomainError):
    """Bad input (400): names the field and what it allows."""

    def __init__(self, field: str, detail: str, allowed: str | None = None) -> None:
        super().__init__(detail)
        self.fields = [FieldError(name=field, reason=detail, allowed=allowed)]

    @classmethod
    def of(cls, errors: list[FieldError]) -> Invalid:
        """Input that failed decoding: each field's error, and a detail naming them (with
        what the field allows, when only one is wrong)."""
        first = errors[0]
        ours = first.reason.startswith(f"{first.name} ")  # "q may be given only once"
        if len(errors) == 1 and ours:
            detail = f"{first.reason}."
        elif len(errors) == 1 and first.allowed:
            detail = f"Invalid value for {first.name}: {first.allowed}."
        else:
            detail = "Invalid value for " + ", ".join(e.name for e in errors) + "."
        error = cls(first.name, detail, first.allowed)
        error.fields = list(errors)
        return error


class Unauthorized(DomainError):
    """Not signed in, or the credentials are wrong (401)."""


class Forbidden(DomainError):
    """The caller may not do this (403)."""


class NotFound(DomainError):
    """The thing asked for does not exist or is not visible (404)."""


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""


class TooManyRequests(DomainError):
    """A limit was reached (429); ``retry_after`` seconds until the next try may succeed."""

    def __init__(self, detail: str, retry_after: int, *, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.retry_after = max(1, retry_after)
