"""Every form the pages show, posted as it stands but for one field holding a value no page
would send: each answer is a page (a 4xx, a redirect or the page again), never a 500. The
other fields keep what the page put there, so each value reaches the code behind its form
(a 200-character wishlist name was a 500 once: only the rename form let it through)."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import asyncpg
import pytest

from tests.support.pages import Client
from tests.support.shoppers import PASSWORD, admin, courses

pytestmark = pytest.mark.sweep  # hundreds of posts: make test-fast leaves it out

HOSTILE = (
    "x" * 5000,  # longer than any column
    "9" * 40,  # larger than any number
    "-1",
    "\x00",
    "😀" * 600,
    "2026-13-45T99:99",
    "\u0958" * 75,  # short enough as typed, longer than any name or title once normalised
)
# What a shopper types into the empty fields, so that the others' checks are reached.
TYPED = {
    "name": "Later on",
    "code": "WELCOME10",
    "title": "Fine course",
    "body": "Clear and useful explanations all the way through.",
    "question": "Does this cover the basics well enough?",
    "query": "python",
    "email": "someone@example.com",
    "password": PASSWORD,
    "first_name": "Sam",
}


class _Forms(HTMLParser):
    """The POST forms of a page: action -> {field: value as the page sets it}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._form: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = self.forms.setdefault(a["action"], {})
        elif self._form is None or (not a.get("name") and tag != "option"):
            return
        elif tag in ("input", "textarea"):
            if a.get("type") in ("radio", "checkbox") and a["name"] in self._form:
                return
            self._form.setdefault(a["name"], a.get("value", "") or TYPED.get(a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and self._select not in self._form:
            self._form[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


async def _forms(browser: Client, pages: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for page in pages:
        parser = _Forms()
        parser.feed((await browser.get(page)).text)
        for action, fields in parser.forms.items():
            found.setdefault(action.split("?")[0], fields)
    return found


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
async def test_no_form_answers_a_hostile_value_with_a_500(
    browser: Client, db: asyncpg.Connection, value: str
) -> None:
    # An admin who shops too, with a course bought, one in the cart and a second list: the
    # admin's forms and the shopper's are all on the pages.
    boss = await admin(db)
    me = uuid.UUID(boss["id"])
    await db.execute("INSERT INTO students (user_id) VALUES ($1) ON CONFLICT DO NOTHING", me)
    owned, carted, other = await courses(db, 3)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)", owned["id"], me
    )
    page = (await browser.get("/login")).text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    fields = {"_csrf_token": token, "email": boss["email"], "password": PASSWORD}
    assert (await browser.post("/login", data=fields)).status_code == 303
    made = [
        ("/cart/add", {"course_id": str(carted["id"])}),
        ("/cart/coupon", {"code": "WELCOME10"}),
        ("/wishlists/add", {"course_id": str(other["id"])}),
        ("/wishlists/create", {"name": "Later"}),
        (f"/courses/{owned['slug']}/review", {"rating": "4", **TYPED}),
        ("/admin/rules", {"query": "python", "pin": str(owned["slug"]), "hide": ""}),
    ]
    for action, data in made:
        answer = await browser.post(action, data={"_csrf_token": token, **data})
        assert answer.status_code == 303, (action, answer.status_code)
    pages = [
        f"/courses/{owned['slug']}",
        f"/courses/{other['slug']}",
        f"/learn/{owned['slug']}",
        "/cart",
        "/wishlists",
        "/admin/rules",
        "/admin/search-insights",
    ]
    forms = await _forms(browser, pages)
    assert len(forms) >= 18, sorted(forms)
    forms.pop("/logout")
    forms |= await _forms(browser, ["/login", "/register"])  # last: they may swap the session
    failures = []
    for action, baseline in forms.items():
        for field in (f for f in baseline if f != "_csrf_token"):
            answer = await browser.post(action, data={**baseline, field: value})
            if answer.status_code >= 500:
                failures.append((action, field))
    assert failures == []
