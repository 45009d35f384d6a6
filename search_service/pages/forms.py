"""Page forms: one typed Struct per form, decoded by ``decoding.py``; a mistake re-renders the
form's own page with the error beside the field and the typed values kept.

A handler decodes with ``parse_form``, calls its service, and on a ``DomainError`` renders its
page again with ``FormState.failed(values, error)`` and ``status_of(error)``: the request's
transaction is rolled back (4xx), so the database is unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import msgspec
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from search_service.decoding import decode_fields
from search_service.errors import DomainError, FieldError
from search_service.problems import status_of

T = TypeVar("T", bound=msgspec.Struct)
R = TypeVar("R")
# A form post: field -> value (Litestar gives a list for a repeated field).
FormData = URLEncodedBody[dict[str, Any]]
CSRF_FIELD = "_csrf_token"
HIDDEN = frozenset({"password", CSRF_FIELD})  # never echoed back into a form


def form_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The posted fields as text, one value each (the last of a repeated field)."""
    values = {}
    for name, value in data.items():
        if name == CSRF_FIELD:
            continue
        values[name] = str(value[-1] if isinstance(value, list) else value)
    return values


def parse_form(cls: type[T], values: Mapping[str, str]) -> T:
    """The form as its Struct; blank optional fields count as not given.

    Raises:
        Invalid: naming each field that is wrong.
    """
    return decode_fields(cls, {k: v.strip() for k, v in values.items() if v.strip()})


def _friendly(error: FieldError) -> str:
    """A decoding error in words a shopper reads; a service's own message as it is."""
    if error.reason == "required":
        return "Please fill this in."
    if error.allowed:
        return f"Please enter {error.allowed}."
    return error.reason


class FormState(msgspec.Struct, kw_only=True):
    """What a form shows: the values typed, an error per field, and a message for the rest."""

    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str | None = None

    @classmethod
    def failed(cls, values: Mapping[str, str], error: DomainError) -> FormState:
        errors = {f.name: _friendly(f) for f in error.fields}
        kept = {k: v for k, v in values.items() if k not in HIDDEN}
        return cls(values=kept, errors=errors, message=None if errors else error.detail)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


BLANK = FormState()


Rerender = Callable[[FormState, int], Awaitable[Template]]


async def submit(
    values: Mapping[str, str],
    action: Callable[[], Awaitable[R]],
    rerender: Rerender,
    success: str | Callable[[R], str],
) -> Redirect | Template:
    """Run a form's action (which decodes the form itself); redirect to ``success`` (303;
    a function of the action's result when it depends on it), or on a domain error show the
    form's page again with the error and the typed values, with the error's status."""
    try:
        result = await action()
    except DomainError as error:
        return await rerender(FormState.failed(values, error), status_of(error))
    return Redirect(success(result) if callable(success) else success, status_code=303)
