"""The admins' rules page: a course picker, and the first page a rule would give before it
is saved."""

from __future__ import annotations

import re
from typing import Any

import asyncpg

from tests.support.pages import submit
from tests.support.shoppers import PASSWORD, admin, auth

Client = Any


async def _signed_in_admin(browser: Client, db: asyncpg.Connection) -> None:
    boss = await admin(db)
    done = await submit(browser, "/login", "/login", email=boss["email"], password=PASSWORD)
    assert done.status_code == 303


async def test_the_picker_lists_courses_with_their_slugs(
    browser: Client, db: asyncpg.Connection
) -> None:
    await _signed_in_admin(browser, db)
    page = (await browser.get("/admin/rules", params={"find": "python"})).text
    assert 'id="found"' in page and "<code>" in page
    assert 'data-pick="course"' in page


async def test_a_preview_shows_the_pinned_first_and_saves_nothing(
    browser: Client, db: asyncpg.Connection
) -> None:
    await _signed_in_admin(browser, db)
    hits = (await browser.get("/api/v1/search", params={"q": "python", "per_page": 10})).json()
    pinned, hidden = hits["hits"][7]["slug"], hits["hits"][0]["slug"]
    rules_before = await db.fetchval("SELECT count(*) FROM merchandising_rules")
    shown = await submit(
        browser, "/admin/rules", "/admin/rules/preview", query="python", pin=pinned, hide=hidden
    )
    assert shown.status_code == 200, shown.text
    order = shown.text.split('id="preview"', 1)[1]
    assert order.index(f"<code>{pinned}</code>") < order.index("</ol>")
    first = order.split("<li", 2)[1]
    assert f"<code>{pinned}</code>" in first and "Pinned" in first
    assert f"<code>{hidden}</code>" not in order.split("</ol>", 1)[0]
    assert 'value="python"' in shown.text  # the form as typed
    assert await db.fetchval("SELECT count(*) FROM merchandising_rules") == rules_before


async def test_a_preview_with_an_unknown_slug_names_the_field(
    browser: Client, db: asyncpg.Connection
) -> None:
    await _signed_in_admin(browser, db)
    shown = await submit(
        browser, "/admin/rules", "/admin/rules/preview", query="python", pin="no-such-course"
    )
    assert shown.status_code == 400
    assert 'id="pin-error"' in shown.text and 'value="no-such-course"' in shown.text


async def test_shoppers_get_no_rules_page(browser: Client) -> None:
    from tests.support.pages import sign_up

    await sign_up(browser)
    refused = await browser.get("/admin/rules")
    assert refused.status_code == 403
    # Said as it is, not "Something went wrong".
    assert "<h1>You don’t have access to this</h1>" in refused.text
    assert "This is for admins only." in refused.text


async def test_a_scheduled_rule_is_saved_from_the_page_s_own_date_inputs(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The browser's datetime-local sends minutes, no seconds and no offset: that is a time
    (read as UTC), where the page refused it on both fields."""
    await _signed_in_admin(browser, db)
    slug = (await browser.get("/api/v1/search", params={"q": "python"})).json()["hits"][3]["slug"]
    rules = "SELECT count(*) FROM merchandising_rules"
    before = await db.fetchval(rules)
    backwards = await submit(
        browser,
        "/admin/rules",
        "/admin/rules",
        query="schedpage",
        pin=slug,
        starts_at="2027-01-02T10:00",
        ends_at="2027-01-01T10:00",
    )
    assert backwards.status_code == 400 and "The rule must end after it starts." in backwards.text
    empty = await submit(browser, "/admin/rules", "/admin/rules", query="schedpage")
    assert empty.status_code == 400 and "pins or hides at least one course" in empty.text
    assert await db.fetchval(rules) == before
    saved = await submit(
        browser,
        "/admin/rules",
        "/admin/rules",
        query="schedpage",
        pin=slug,
        starts_at="2027-01-01T10:00",
        ends_at="2027-01-02T10:00",
    )
    assert saved.status_code == 303, saved.text[-600:]
    window = await db.fetchrow(
        "SELECT starts_at, ends_at FROM merchandising_rules WHERE query = 'schedpage'"
    )
    assert window["starts_at"].isoformat() == "2027-01-01T10:00:00+00:00"
    assert window["ends_at"].isoformat() == "2027-01-02T10:00:00+00:00"


async def test_a_rule_set_to_the_second_is_saved_again_unchanged(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The page showed a window set through the API with seconds in minutes: saved
    unchanged, 15:00:45 to 15:00:59 became "The rule must end after it starts"."""
    boss = await admin(db)
    slug = (await browser.get("/api/v1/search", params={"q": "python"})).json()["hits"][2]["slug"]
    window = {"starts_at": "2027-03-08T15:00:45Z", "ends_at": "2027-03-08T15:00:59.250000Z"}
    made = await browser.post(
        "/api/v1/admin/rules",
        json={"query": "seconds", "pin": [slug], **window},
        headers=auth(boss),
    )
    assert made.status_code == 201, made.text
    rule = made.json()["id"]
    await _signed_in_admin(browser, db)
    page = (await browser.get("/admin/rules", params={"edit": rule})).text
    shown = dict(
        re.findall(r'name="(starts_at|ends_at)" type="datetime-local" value="([^"]*)"', page)
    )
    assert shown == {"starts_at": "2027-03-08T15:00:45", "ends_at": "2027-03-08T15:00:59.250"}
    edit = f"/admin/rules?edit={rule}"
    again = await submit(
        browser, edit, "/admin/rules", rule_id=rule, query="seconds", pin=slug, **shown
    )
    assert again.status_code == 303, again.text[-600:]
    saved = await db.fetchrow(
        "SELECT starts_at, ends_at FROM merchandising_rules WHERE id = $1::uuid", rule
    )
    assert saved["starts_at"].isoformat() == "2027-03-08T15:00:45+00:00"
    assert saved["ends_at"].isoformat() == "2027-03-08T15:00:59.250000+00:00"


async def test_an_edit_link_to_no_rule_says_so(browser: Client, db: asyncpg.Connection) -> None:
    await _signed_in_admin(browser, db)
    for edit in ("garbage", "00000000-0000-0000-0000-000000000000"):
        page = await browser.get("/admin/rules", params={"edit": edit})
        assert page.status_code == 200 and "No rule has this id" in page.text
    assert "No rule has this id" not in (await browser.get("/admin/rules")).text


async def test_a_refused_rule_says_what_each_field_takes(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The fields' descriptions read as what they take ("Please enter shown first, in this
    order." said nothing), and a query's limit is its length."""
    await _signed_in_admin(browser, db)
    pin = await submit(browser, "/admin/rules", "/admin/rules", query="python", pin="<b>")
    assert pin.status_code == 400 and "Please enter shown first" not in pin.text
    assert "course slugs" in pin.text.split('id="pin-error"', 1)[1].split("</", 1)[0]
    long = await submit(browser, "/admin/rules", "/admin/rules", query="python " * 60)
    assert long.status_code == 400
    said = long.text.split('id="query-error"', 1)[1].split("</", 1)[0]
    assert "200 characters" in said, said


async def test_a_refused_rule_names_every_mistake_at_once(
    browser: Client, db: asyncpg.Connection
) -> None:
    """An unknown slug and a window ending before it starts: only the window was named, and
    the slug only once the window was put right. Each is now said beside its own field."""
    await _signed_in_admin(browser, db)
    slug = (await browser.get("/api/v1/search", params={"q": "python"})).json()["hits"][0]["slug"]
    before = await db.fetchval("SELECT count(*) FROM merchandising_rules")
    refused = await submit(
        browser,
        "/admin/rules",
        "/admin/rules",
        query="python",
        pin=f"no-such-course-xyz, {slug}",
        starts_at="2027-01-02T10:00",
        ends_at="2027-01-01T10:00",
    )
    assert refused.status_code == 400
    assert "The rule must end after it starts." in refused.text
    assert "No course has the slug no-such-course-xyz." in refused.text
    assert 'value="no-such-course-xyz, ' in refused.text or "no-such-course-xyz, " in refused.text
    assert await db.fetchval("SELECT count(*) FROM merchandising_rules") == before
