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
