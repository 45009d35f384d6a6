"""Errors that stop a command with one clear line (exit code 2), and domain errors."""

from __future__ import annotations


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


class DomainError(Exception):
    """Raised by services; mapped once, in ``create_app``, to a problem-details response."""

    title = "Error"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class Invalid(DomainError):
    """Bad input (400): names the parameter and what is allowed."""

    title = "Invalid request"

    def __init__(self, param: str, detail: str, allowed: str | None = None) -> None:
        super().__init__(
            detail, invalid_params=[{"name": param, "reason": detail, "allowed": allowed}]
        )
        self.param = param


class NotFound(DomainError):
    """The thing asked for does not exist or is not visible (404)."""

    title = "Not found"


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""

    title = "Conflict"


class Forbidden(DomainError):
    """The caller may not do this (403)."""

    title = "Forbidden"
