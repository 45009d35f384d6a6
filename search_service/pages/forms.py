"""Page forms, handled one way: ``submit`` decodes the posted fields into the form's Struct
(``decoding.py``), acts on it, and answers 303 to the next page; on a mistake it shows the
same page again with the error beside the field and the typed values kept, with a 4xx status,
so the request's transaction is rolled back and nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, ClassVar, TypeVar

import msgspec
from litestar import Request, Response
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from search_service.lib.decoding import decode_fields
from search_service.lib.errors import DomainError, FieldError
from search_service.lib.problems import status_of

T = TypeVar("T", bound=msgspec.Struct)
R = TypeVar("R")
# A form post: field -> value (Litestar gives a list for a repeated field).
FormData = URLEncodedBody[dict[str, Any]]
CSRF_FIELD = "_csrf_token"
HIDDEN = frozenset({"password", CSRF_FIELD})  # never echoed back into a form
# Said when a field the page wrote itself (a hidden id, a button's value) comes back wrong:
# nothing beside a field can say it, and it is not the shopper's mistake.
CHANGED = "This form came back changed or out of date. Please reload the page and try again."


class PageForm(msgspec.Struct, kw_only=True):
    """A form whose ``page_fields`` are written by the page (hidden inputs, buttons), not
    typed: an error in one of them is the form's message, since no field on the page shows it."""

    page_fields: ClassVar[frozenset[str]] = frozenset()


def form_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The posted fields as text, one value each (the last of a repeated field)."""
    values = {}
    for name, value in data.items():
        if name == CSRF_FIELD:
            continue
        values[name] = str(value[-1] if isinstance(value, list) else value)
    return values


def parse_form(cls: type[T], values: Mapping[str, str]) -> T:
    """The form as its Struct; blank optional fields count as not given. A password of spaces
    only stays spaces: a password that breaks the rules, not an empty field (one with other
    characters is trimmed as it always was, so accounts made through the page still log in).

    Raises:
        Invalid: naming each field that is wrong.
    """
    typed = {k: (v.strip() or v) if k in HIDDEN else v.strip() for k, v in values.items()}
    return decode_fields(cls, {k: v for k, v in typed.items() if v})


def _friendly(error: FieldError) -> str:
    """A decoding error in words a shopper reads; a service's own message as it is, but for
    the field's own name ("first_name is empty…" beside the field reads "This is empty…")."""
    if error.reason == "required":
        return "Please fill this in."
    named = f"{error.name} "
    # What the field allows, unless the error names the character it refused ("may not
    # contain “<”", lib/decoding.py): "Please enter text of at most 140 characters" would
    # send the shopper counting.
    if error.allowed and not error.reason.startswith(named + "may not contain "):
        return f"Please enter {error.allowed}."
    if error.reason.startswith(named):
        return "This " + error.reason[len(named) :]
    return error.reason


class FormState(msgspec.Struct, kw_only=True):
    """What a form shows: the values typed, an error per field, and a message for the rest."""

    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str | None = None

    @classmethod
    def failed(
        cls,
        values: Mapping[str, str],
        error: DomainError,
        shown: Collection[str] | None = None,
        *,
        changed: bool = False,
    ) -> FormState:
        """The form shown again after ``error``, each error beside its field when the page
        ``shown`` it (None: every field). An error in a field the page does not show is the
        form's message: ``CHANGED`` when the page's own field came back wrong (``changed``),
        else the error's own words ("You cannot buy your own course")."""
        errors = {f.name: _friendly(f) for f in error.fields if shown is None or f.name in shown}
        kept = {k: v for k, v in values.items() if k not in HIDDEN}
        message = None if errors else error.detail
        if len(errors) < len(error.fields):
            message = CHANGED if changed else error.detail
        return cls(values=kept, errors=errors, message=message)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def first_error(self, name: str) -> bool:
        """Whether ``name`` is the first field in error: the page opens with it focused (and
        scrolled to), however far down the form stands."""
        return next(iter(self.errors), None) == name


BLANK = FormState()


Rerender = Callable[[FormState, int], Awaitable[Template]]


# What a form did, said on the page it leads to (``?done=removed``): a fixed list, so the
# address cannot make a page say anything else.
DONE: dict[str, str] = {
    "removed": "Removed from your cart.",
    "saved": "Moved to your wishlist.",
    "to-cart": "Moved to your cart.",
    "asked": "Your question is posted. The instructor answers it here.",
    "answered": "Your answer is posted under the question.",
    "reviewed": "Thank you: your review is posted.",
    "wished": "Saved to your wishlist.",
    "list-renamed": "The list is renamed.",
    "list-deleted": "The list is deleted.",
    "not-owned": "Buy this course to start learning it.",
    "review-saved": "Your review is updated.",
    "review-deleted": "Your review is deleted.",
}


def done(url: str, what: str) -> str:
    """``url`` saying, when shown, that the form did ``what``: a key of ``DONE``, said in a
    notice, or ``bought``, which the receipt says in its own heading."""
    path, _, fragment = url.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}done={what}" + (f"#{fragment}" if fragment else "")


def section(request: Request[Any, Any, Any], route: str, part: str, **params: Any) -> str:
    """A part of a page (where a form on it leads back to): ``/courses/x#ratings``."""
    return f"{request.app.route_reverse(route, **params)}#{part}"


class NoFields(PageForm):
    """A form that is only a button (its CSRF token aside)."""


async def submit(
    data: Mapping[str, Any],
    form: type[T],
    act: Callable[[T], Awaitable[R]],
    rerender: Rerender,
    success: str | Callable[[R], str | Response[Any]],
    *,
    outside: Collection[str] = (),
) -> Response[Any]:
    """Handle a page form: decode the posted ``data`` (its fields but those named ``outside``,
    which say where to go next) into ``form``, ``act`` on it and answer 303 to ``success`` (a
    function of what ``act`` returned when the next page depends on it, or the response
    itself); on a domain error show the form's page again (``rerender``) with the errors
    beside the fields and the typed values kept, with the error's status."""
    values = form_values(data)
    written = form.page_fields if issubclass(form, PageForm) else frozenset()
    shown = {f.encode_name for f in msgspec.structs.fields(form)} - written
    try:
        parsed = parse_form(form, {k: v for k, v in values.items() if k not in outside})
    except DomainError as error:  # a field the page wrote itself came back wrong: "changed"
        state = FormState.failed(values, error, shown, changed=True)
        return await rerender(state, status_of(error))
    try:
        result = await act(parsed)
    except DomainError as error:
        return await rerender(FormState.failed(values, error, shown), status_of(error))
    target = success(result) if callable(success) else success
    return target if isinstance(target, Response) else Redirect(target, status_code=303)


class CourseForm:
    """A form on a course's page (a review's, a question's): done, on to a part of the page
    (``#ratings``) saying what was done; refused, the page again with the form's errors.
    ``courses/pages.py`` provides it (the dependency ``course_form``), so the features whose
    forms sit on that page need not import it."""

    def __init__(
        self,
        slug: str,
        again: Callable[[str, str], Rerender],
        part_url: Callable[[str, str], str],
    ) -> None:
        self.slug = slug
        self._again = again  # which form (and the page's query) -> the page shown again
        self._part_url = part_url  # which part of the page (and query) -> its URL

    async def submit(
        self,
        data: Mapping[str, Any],
        form: type[T],
        act: Callable[[T], Awaitable[Any]],
        *,
        shown_as: str,
        part: str,
        said: str | None = None,
        query: str = "",
    ) -> Response[Any]:
        """``submit`` for a form shown on the page as ``shown_as``, leading to ``part`` (of
        the page with ``query``)."""
        url = self._part_url(part, query)
        again = self._again(shown_as, query)
        return await submit(data, form, act, again, done(url, said) if said else url)
